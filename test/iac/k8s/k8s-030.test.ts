import { describe, expect, it } from 'vitest';
import { scanSources } from '../../../shared/scan/engine.ts';
import { findingsFor, inEveryWorkloadKind } from '../../helpers/scan.ts';

const lineOf = (yaml: string, text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
const container = 'containers:\n- name: main\n  image: nginx:1.27\n';
const serviceAccount = (name: string, extra = '') => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n${extra}`;

describe('K8S-030 service-account token automounted', () => {
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(`automountServiceAccountToken: true\n${container}`))) {
    it(`fires on a pod-level true in a ${kind}, on that line`, () => {
      const [f, ...rest] = findingsFor('K8S-030', yaml);
      expect(rest).toHaveLength(0);
      expect(f.severity).toBe('medium');
      expect(f.location?.line).toBe(lineOf(yaml, 'automountServiceAccountToken: true'));
    });
  }

  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(`automountServiceAccountToken: false\n${container}`))) {
    it(`passes on a pod-level false in a ${kind}`, () => {
      expect(findingsFor('K8S-030', yaml)).toEqual([]);
    });
  }

  it('a pod-level false passes even when the ServiceAccount enables automounting', () => {
    const yaml = `${serviceAccount('app', 'automountServiceAccountToken: true\n')}---\n${inEveryWorkloadKind(`serviceAccountName: app\nautomountServiceAccountToken: false\n${container}`).Deployment}`;
    expect(findingsFor('K8S-030', yaml)).toEqual([]);
  });

  it('fires when unset and no ServiceAccount is in the scanned set, reporting the pod spec line', () => {
    const yaml = inEveryWorkloadKind(`serviceAccountName: app\n${container}`).Pod;
    const [f, ...rest] = findingsFor('K8S-030', yaml);
    expect(rest).toHaveLength(0);
    expect(f.message).toContain('"app"');
    expect(f.location?.line).toBe(lineOf(yaml, 'spec:'));
  });

  it('passes when unset and the referenced ServiceAccount in the set disables automounting', () => {
    const yaml = `${serviceAccount('app', 'automountServiceAccountToken: false\n')}---\n${inEveryWorkloadKind(`serviceAccountName: app\n${container}`).CronJob}`;
    expect(findingsFor('K8S-030', yaml)).toEqual([]);
  });

  it('fires when the referenced ServiceAccount is in the set without automountServiceAccountToken: false', () => {
    for (const extra of ['', 'automountServiceAccountToken: true\n']) {
      const yaml = `${serviceAccount('app', extra)}---\n${inEveryWorkloadKind(`serviceAccountName: app\n${container}`).Deployment}`;
      expect(findingsFor('K8S-030', yaml)).toHaveLength(1);
    }
  });

  it('fires when a different ServiceAccount disables automounting', () => {
    const yaml = `${serviceAccount('other', 'automountServiceAccountToken: false\n')}---\n${inEveryWorkloadKind(`serviceAccountName: app\n${container}`).Deployment}`;
    expect(findingsFor('K8S-030', yaml)).toHaveLength(1);
  });

  it('falls back to the "default" ServiceAccount when none is named', () => {
    const withDefault = `${serviceAccount('default', 'automountServiceAccountToken: false\n')}---\n${inEveryWorkloadKind(container).Deployment}`;
    expect(findingsFor('K8S-030', withDefault)).toEqual([]);
    expect(findingsFor('K8S-030', inEveryWorkloadKind(container).Deployment)[0].message).toContain('"default"');
  });

  it('uses the deprecated serviceAccount field when serviceAccountName is unset', () => {
    const sa = serviceAccount('legacy', 'automountServiceAccountToken: false\n');
    expect(findingsFor('K8S-030', `${sa}---\n${inEveryWorkloadKind(`serviceAccount: legacy\n${container}`).Pod}`)).toEqual([]);
    // serviceAccountName wins over serviceAccount
    expect(findingsFor('K8S-030', `${sa}---\n${inEveryWorkloadKind(`serviceAccountName: other\nserviceAccount: legacy\n${container}`).Pod}`)).toHaveLength(1);
  });

  describe('namespaces', () => {
    const sa = (ns: string | null) =>
      `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n${ns ? `  namespace: ${ns}\n` : ''}automountServiceAccountToken: false\n`;
    const pod = (ns: string | null) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n${ns ? `  namespace: ${ns}\n` : ''}spec:\n  serviceAccountName: app\n  containers:\n  - name: main\n    image: nginx:1.27\n`;

    it('a ServiceAccount in the same namespace counts', () => {
      expect(findingsFor('K8S-030', `${sa('team')}---\n${pod('team')}`)).toEqual([]);
    });

    it('a ServiceAccount of the same name in another namespace does not count', () => {
      expect(findingsFor('K8S-030', `${sa('other')}---\n${pod('team')}`)).toHaveLength(1);
    });

    it('an omitted namespace on either side matches', () => {
      expect(findingsFor('K8S-030', `${sa(null)}---\n${pod('team')}`)).toEqual([]);
      expect(findingsFor('K8S-030', `${sa('team')}---\n${pod(null)}`)).toEqual([]);
      expect(findingsFor('K8S-030', `${sa(null)}---\n${pod(null)}`)).toEqual([]);
    });

    it('finds the ServiceAccount in another scanned file', () => {
      const result = scanSources([
        { path: 'sa.yaml', text: sa('team') },
        { path: 'pod.yaml', text: pod('team') },
      ]);
      expect(result.findings.filter((f) => f.ruleId === 'K8S-030')).toEqual([]);
    });
  });
});
