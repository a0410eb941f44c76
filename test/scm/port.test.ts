import { describe, expect, it } from 'vitest';
import { addedLines } from '../../shared/scm/port.ts';

describe('addedLines', () => {
  it('is null without a diff (binary files, diffs the forge left out)', () => {
    expect(addedLines(undefined)).toBeNull();
    expect(addedLines(null)).toBeNull();
  });

  it('is empty for an empty diff and for a deletion', () => {
    expect(addedLines('')).toEqual([]);
    expect(addedLines('@@ -1,2 +0,0 @@\n-a: 1\n-b: 2')).toEqual([]);
  });

  it('numbers the lines of a new file', () => {
    expect(addedLines('@@ -0,0 +1,3 @@\n+a: 1\n+b: 2\n+c: 3')).toEqual([1, 2, 3]);
  });

  it('counts context lines, not removed ones', () => {
    const patch = ['@@ -10,5 +10,6 @@ spec:', ' keep', '-old', '+new', '+extra', ' keep', ' keep'].join('\n');
    expect(addedLines(patch)).toEqual([11, 12]);
  });

  it('restarts numbering at each hunk', () => {
    const patch = ['@@ -1,2 +1,2 @@', '-a', '+A', ' b', '@@ -40,3 +40,4 @@', ' x', '+y', ' z', ' w'].join('\n');
    expect(addedLines(patch)).toEqual([1, 41]);
  });

  it('reads hunk headers without counts', () => {
    expect(addedLines('@@ -1 +1 @@\n-a\n+b')).toEqual([1]);
  });

  it('skips "\\ No newline at end of file" markers', () => {
    const patch = ['@@ -1,2 +1,2 @@', ' a', '-b', '\\ No newline at end of file', '+b', '+c', '\\ No newline at end of file'].join('\n');
    expect(addedLines(patch)).toEqual([2, 3]);
  });

  it('ignores file headers before the first hunk (full git diffs, GitLab trailing newline)', () => {
    const patch = ['diff --git a/x.yaml b/x.yaml', '--- a/x.yaml', '+++ b/x.yaml', '@@ -3,2 +3,3 @@', ' a', '+b', ' c', ''].join('\n');
    expect(addedLines(patch)).toEqual([4]);
  });

  it('handles CRLF files', () => {
    expect(addedLines('@@ -1,1 +1,2 @@\r\n a\r\n+b\r')).toEqual([2]);
  });
});
