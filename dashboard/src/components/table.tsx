import type { ComponentChildren } from 'preact';

/** A table that scrolls sideways on narrow screens instead of squeezing; the scroll area can be focused with the keyboard. */
export function ScrollTable({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
      <table>
        <caption class="visually-hidden">{label}</caption>
        {children}
      </table>
    </div>
  );
}
