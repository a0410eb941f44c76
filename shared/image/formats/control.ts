/**
 * Debian control-file stanzas (`var/lib/dpkg/status`, distroless `status.d/*`): `Field: value`
 * lines, stanzas separated by blank lines. Continuation lines (long descriptions, conffiles) are
 * skipped: nothing we read spans lines.
 */
export function controlStanzas(text: string): Record<string, string>[] {
  const stanzas: Record<string, string>[] = [];
  let current: Record<string, string> | null = null;
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      current = null;
      continue;
    }
    if (line[0] === ' ' || line[0] === '\t') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    if (!current) stanzas.push((current = {}));
    current[line.slice(0, colon)] = line.slice(colon + 1).trim();
  }
  return stanzas;
}
