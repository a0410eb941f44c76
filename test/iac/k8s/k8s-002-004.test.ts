import { describe, expect, it } from 'vitest';
import { findingsFor, inEveryWorkloadKind } from '../../helpers/scan.ts';

const lineWith = (yaml: string, text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;

const cases = [
  { id: 'K8S-002', field: 'hostPID' },
  { id: 'K8S-003', field: 'hostIPC' },
  { id: 'K8S-004', field: 'hostNetwork' },
];

for (const { id, field } of cases) {
  describe(`${id} ${field}`, () => {
    const shared = `${field}: true
containers:
- name: main
  image: nginx:1.27
`;
    for (const [kind, yaml] of Object.entries(inEveryWorkloadKind(shared))) {
      it(`fires once for ${field}: true in a ${kind}, on the ${field} line`, () => {
        const findings = findingsFor(id, yaml);
        expect(findings).toHaveLength(1);
        expect(findings[0].severity).toBe('high');
        expect(findings[0].container).toBeNull();
        expect(findings[0].location).toEqual({ file: 'manifest.yaml', line: lineWith(yaml, `${field}: true`) });
      });
    }

    it(`passes when ${field} is false, absent or not a boolean`, () => {
      for (const value of ['false', '"true"', 'null']) {
        const yaml = inEveryWorkloadKind(`${field}: ${value}\ncontainers:\n- name: main\n  image: nginx:1.27\n`).Deployment;
        expect(findingsFor(id, yaml)).toEqual([]);
      }
      expect(findingsFor(id, inEveryWorkloadKind('containers:\n- name: main\n  image: nginx:1.27\n').CronJob)).toEqual([]);
    });

    it('is evaluated for Windows pods too', () => {
      const yaml = inEveryWorkloadKind(`os: {name: windows}\n${shared}`).Pod;
      expect(findingsFor(id, yaml)).toHaveLength(1);
    });
  });
}

it('K8S-004 cites both NSA-CISA sections', () => {
  const yaml = inEveryWorkloadKind('hostNetwork: true\ncontainers:\n- name: main\n  image: nginx:1.27\n').Pod;
  expect(findingsFor('K8S-004', yaml)[0].compliance).toEqual(
    expect.arrayContaining(['CIS-K8S 5.2.5', 'NSA-CISA Pod security enforcement', 'NSA-CISA Network separation', 'MITRE T1611']),
  );
});
