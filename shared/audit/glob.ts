// Globs of the audit configuration: `*` matches any run of characters (including `/` and `:`),
// `?` one character, everything else literally. Kubernetes names, usernames and image references
// are not paths, so path-style globbing (where `*` stops at `/`) would surprise operators.

/** One pattern compiled to a predicate; a pattern without wildcards is an exact comparison. */
export function globPredicate(pattern: string): (value: string) => boolean {
  if (!/[*?]/.test(pattern)) return (v) => v === pattern;
  if (/^[^*?]*\*$/.test(pattern)) {
    const prefix = pattern.slice(0, -1);
    return (v) => v.startsWith(prefix);
  }
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  const re = new RegExp(`^${source}$`, 's');
  return (v) => re.test(v);
}

/** True when the value matches any of the patterns. */
export function globMatcher(patterns: readonly string[]): (value: string) => boolean {
  const exact = new Set(patterns.filter((p) => !/[*?]/.test(p)));
  const wild = patterns.filter((p) => /[*?]/.test(p)).map(globPredicate);
  if (wild.length === 0) return (v) => exact.has(v);
  return (v) => exact.has(v) || wild.some((m) => m(v));
}
