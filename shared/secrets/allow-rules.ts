// Where secret scanning does not look (image.md "Path allow-rules for IMG-043"): vendor documentation, headers,
// test suites of installed packages, examples and binaries are full of sample keys and say nothing about ours.

export interface PathAllowRule {
  id: string;
  /** Matched against the path with `/` separators and a leading `/`, so `/usr/…` anchors at the root. */
  path: RegExp;
}

export const PATH_ALLOW_RULES: readonly PathAllowRule[] = [
  { id: 'docs', path: /\/usr\/share\/doc\// },
  { id: 'man-pages', path: /\/usr\/share\/man\// },
  { id: 'c-headers', path: /\/usr\/include\// },
  { id: 'python-stdlib-tests', path: /\/usr\/lib\/python3[^/]*\/test[^/]*(?:\/|$)/ },
  { id: 'python-package-tests', path: /\/site-packages\/(?:[^/]+\/)+tests\// },
  { id: 'node-package-tests', path: /\/node_modules\/(?:@[^/]+\/)?[^/]+\/test\// },
  { id: 'markdown', path: /\.md$/i },
  { id: 'locales', path: /\/locales?\// },
  { id: 'examples', path: /\/examples\// },
];

/** The allow-rule that exempts a file (a repository path or an image layer path), if any. */
export function pathAllowRule(path: string): PathAllowRule | undefined {
  const normalized = '/' + path.replace(/\\/g, '/').replace(/^(?:\.?\/)+/, '');
  return PATH_ALLOW_RULES.find((rule) => rule.path.test(normalized));
}

/** How much of a file the binary check looks at. */
const BINARY_SAMPLE = 8192;

/**
 * Text decoded from a binary file: a NUL character, or more than 10% control characters or
 * U+FFFD replacement characters (invalid UTF-8) in the first 8 KB.
 */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, BINARY_SAMPLE);
  if (sample.includes('\u0000')) return true;
  const suspicious = sample.match(/[\u0001-\u0008\u000e-\u001a\u001c-\u001f\ufffd]/g)?.length ?? 0;
  return suspicious > sample.length / 10;
}
