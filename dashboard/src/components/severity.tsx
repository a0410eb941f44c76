/** A severity as a coloured label; the word is always there, colour is only a hint. */
export function SeverityBadge({ severity }: { severity: string }) {
  return <span class={`badge sev-${severity}`}>{severity}</span>;
}

export function StatusBadge({ status, label }: { status: string; label?: string }) {
  return <span class={`badge status-${status}`}>{label ?? status}</span>;
}
