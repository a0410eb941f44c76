import { describe, expect, it } from 'vitest';
import { findingsFor, inEveryWorkloadKind } from '../../helpers/scan.ts';

const lineOf = (yaml: string, text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
const container = 'containers:\n- name: main\n  image: nginx:1.27\n';

describe('K8S-031 uses the default ServiceAccount', () => {
  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(container))) {
    it(`fires in a ${kind} without serviceAccountName`, () => {
      const [f, ...rest] = findingsFor('K8S-031', yaml);
      expect(rest).toHaveLength(0);
      expect(f.severity).toBe('low');
      expect(f.container).toBeNull();
    });
  }

  for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(`serviceAccountName: app\n${container}`))) {
    it(`passes in a ${kind} with a dedicated ServiceAccount`, () => {
      expect(findingsFor('K8S-031', yaml)).toEqual([]);
    });
  }

  it('fires on an explicit "default", on that line', () => {
    const yaml = inEveryWorkloadKind(`serviceAccountName: default\n${container}`).Deployment;
    const [f] = findingsFor('K8S-031', yaml);
    expect(f.location?.line).toBe(lineOf(yaml, 'serviceAccountName: default'));
  });

  it('fires on an empty serviceAccountName', () => {
    expect(findingsFor('K8S-031', inEveryWorkloadKind(`serviceAccountName: ""\n${container}`).Pod)).toHaveLength(1);
  });

  it('reads the deprecated serviceAccount field when serviceAccountName is unset or empty', () => {
    expect(findingsFor('K8S-031', inEveryWorkloadKind(`serviceAccount: app\n${container}`).Pod)).toEqual([]);
    expect(findingsFor('K8S-031', inEveryWorkloadKind(`serviceAccountName: ""\nserviceAccount: app\n${container}`).Pod)).toEqual([]);
    const yaml = inEveryWorkloadKind(`serviceAccount: default\n${container}`).Pod;
    const [f] = findingsFor('K8S-031', yaml);
    expect(f.location?.line).toBe(lineOf(yaml, 'serviceAccount: default'));
  });

  it('serviceAccountName wins over the deprecated field', () => {
    expect(findingsFor('K8S-031', inEveryWorkloadKind(`serviceAccountName: default\nserviceAccount: app\n${container}`).Pod)).toHaveLength(1);
    expect(findingsFor('K8S-031', inEveryWorkloadKind(`serviceAccountName: app\nserviceAccount: default\n${container}`).Pod)).toEqual([]);
  });

  it('treats a non-string value as unset without throwing', () => {
    const result = findingsFor('K8S-031', inEveryWorkloadKind(`serviceAccountName: [a, b]\n${container}`).Pod);
    expect(result).toHaveLength(1);
  });

  it('does not evaluate objects that carry no pod', () => {
    expect(findingsFor('K8S-031', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [{port: 80}]\n')).toEqual([]);
  });
});
