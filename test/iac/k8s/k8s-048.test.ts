import { describe, expect, it } from 'vitest';
import { findingsFor } from '../../helpers/scan.ts';

const lineOf = (yaml: string, text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
const namespace = (labels?: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n${labels ? `  labels:\n${labels}` : ''}`;

describe('K8S-048 namespace without Pod Security Admission enforcement', () => {
  it('fires on a Namespace without labels, on the metadata line', () => {
    const yaml = namespace();
    const [f, ...rest] = findingsFor('K8S-048', yaml);
    expect(rest).toHaveLength(0);
    expect(f.severity).toBe('medium');
    expect(f.message).toContain('no pod-security.kubernetes.io/enforce label');
    expect(f.location?.line).toBe(lineOf(yaml, 'metadata:'));
  });

  it('fires when only audit/warn labels are set, on the labels line', () => {
    const yaml = namespace('    pod-security.kubernetes.io/warn: restricted\n    pod-security.kubernetes.io/audit: restricted\n');
    const [f] = findingsFor('K8S-048', yaml);
    expect(f.location?.line).toBe(lineOf(yaml, 'labels:'));
  });

  it('fires on enforce: privileged, on the label line', () => {
    const yaml = namespace('    team: a\n    pod-security.kubernetes.io/enforce: privileged\n');
    const [f] = findingsFor('K8S-048', yaml);
    expect(f.message).toContain('privileged');
    expect(f.location?.line).toBe(lineOf(yaml, 'enforce: privileged'));
  });

  it.each(['baseline', 'restricted'])('passes on enforce: %s', (level) => {
    expect(findingsFor('K8S-048', namespace(`    pod-security.kubernetes.io/enforce: ${level}\n    pod-security.kubernetes.io/enforce-version: latest\n`))).toEqual([]);
  });

  it('treats a non-string label value as missing', () => {
    expect(findingsFor('K8S-048', namespace('    pod-security.kubernetes.io/enforce: [restricted]\n'))).toHaveLength(1);
  });

  it('checks Namespaces only', () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: team\nspec:\n  containers: [{name: a, image: nginx:1.27}]\n';
    expect(findingsFor('K8S-048', pod)).toEqual([]);
  });
});
