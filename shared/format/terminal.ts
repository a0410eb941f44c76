import type { Severity } from '../findings/finding.ts';

/**
 * Text from scanned files (paths, names, messages) is untrusted: an escape sequence in a resource
 * name must not move the cursor or recolour the user's terminal, and a newline must not forge a line
 * of the report. Control characters are shown as visible escapes instead.
 */
export function terminalSafe(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (c === '\t') return ' ';
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

const SGR = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90 } as const;
export type Style = keyof typeof SGR;

/** Paints text with ANSI SGR codes, or returns it untouched when colour is off. */
export function painter(color: boolean): (text: string, ...styles: Style[]) => string {
  if (!color) return (text) => text;
  return (text, ...styles) => (styles.length ? `\x1b[${styles.map((s) => SGR[s]).join(';')}m${text}\x1b[0m` : text);
}

export const SEVERITY_STYLES: Record<Severity, Style[]> = {
  critical: ['bold', 'magenta'],
  high: ['bold', 'red'],
  medium: ['yellow'],
  low: ['cyan'],
  info: ['gray'],
};

