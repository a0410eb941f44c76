import { describe, expect, it } from 'vitest';
import { findingsFor, inEveryWorkloadKind } from '../../helpers/scan.ts';

const lineOf = (yaml: string, text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;
const withResources = (resources: string) =>
  inEveryWorkloadKind(`containers:\n- name: main\n  image: nginx:1.27\n${resources ? `  resources:\n${resources.replace(/^/gm, '    ')}\n` : ''}`).Deployment;
const limitRange = (limits: string, ns?: string) =>
  `apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\n${ns ? `  namespace: ${ns}\n` : ''}spec:\n  limits:\n  - type: Container\n${limits.replace(/^/gm, '    ')}\n---\n`;
const inNamespace = (yaml: string, ns: string) => yaml.replace('metadata:\n  name: app\n', `metadata:\n  name: app\n  namespace: ${ns}\n`);

const cases = [
  { id: 'K8S-037', severity: 'low', resource: 'cpu', kind: 'request', field: 'requests.cpu' },
  { id: 'K8S-038', severity: 'low', resource: 'cpu', kind: 'limit', field: 'limits.cpu' },
  { id: 'K8S-039', severity: 'low', resource: 'memory', kind: 'request', field: 'requests.memory' },
  { id: 'K8S-040', severity: 'medium', resource: 'memory', kind: 'limit', field: 'limits.memory' },
] as const;

for (const { id, severity, resource, kind, field } of cases) {
  const value = resource === 'cpu' ? '100m' : '128Mi';
  const other = resource === 'cpu' ? 'memory' : 'cpu';
  const [section, name] = field.split('.');

  describe(`${id} no ${resource} ${kind}`, () => {
    for (const [workload, yaml] of Object.entries(inEveryWorkloadKind('containers:\n- name: main\n  image: nginx:1.27\n'))) {
      it(`fires on a container without resources in a ${workload}, on the container`, () => {
        const [f, ...rest] = findingsFor(id, yaml);
        expect(rest).toHaveLength(0);
        expect(f.severity).toBe(severity);
        expect(f.container).toBe('main');
        expect(f.location?.line).toBe(lineOf(yaml, '- name: main'));
      });
    }

    it(`passes when resources.${field} is set`, () => {
      expect(findingsFor(id, withResources(`${section}:\n  ${name}: ${value}`))).toEqual([]);
    });

    it(`fires when only the ${other} is set, on the ${section} line`, () => {
      const yaml = withResources(`${section}:\n  ${other}: 1`);
      const [f] = findingsFor(id, yaml);
      expect(f.message).toContain(`resources.${field}`);
      expect(f.location?.line).toBe(lineOf(yaml, `${section}:`));
    });

    if (kind === 'request') {
      it(`passes when only resources.limits.${resource} is set (copied into the request)`, () => {
        expect(findingsFor(id, withResources(`limits:\n  ${resource}: ${value}`))).toEqual([]);
      });
    } else {
      it(`fires when only resources.requests.${resource} is set`, () => {
        expect(findingsFor(id, withResources(`requests:\n  ${resource}: ${value}`))).toHaveLength(1);
      });
    }

    it('treats null or empty values and malformed resources as unset, without throwing', () => {
      expect(findingsFor(id, withResources(`${section}:\n  ${name}: null`))).toHaveLength(1);
      expect(findingsFor(id, withResources(`${section}:\n  ${name}: ""`))).toHaveLength(1);
      expect(findingsFor(id, withResources(`${section}: [1, 2]`))).toHaveLength(1);
      expect(findingsFor(id, withResources('oops'))).toHaveLength(1);
    });

    it('covers initContainers but not ephemeralContainers', () => {
      const yaml = inEveryWorkloadKind(`containers:
- name: main
  image: nginx:1.27
  resources: {requests: {cpu: 1, memory: 1Gi}, limits: {cpu: 1, memory: 1Gi}}
initContainers:
- name: init
  image: busybox:1.36
ephemeralContainers:
- name: debug
  image: busybox:1.36
`).CronJob;
      expect(findingsFor(id, yaml).map((f) => f.container)).toEqual(['init']);
    });

    describe('LimitRange defaults', () => {
      const bare = inEveryWorkloadKind('containers:\n- name: main\n  image: nginx:1.27\n').Deployment;
      const matching = kind === 'request' ? `defaultRequest:\n  ${resource}: ${value}` : `default:\n  ${resource}: ${value}`;

      it('a LimitRange of the same namespace with the matching default satisfies the rule', () => {
        expect(findingsFor(id, limitRange(matching, 'team') + inNamespace(bare, 'team'))).toEqual([]);
      });

      it('an omitted namespace on either side matches', () => {
        expect(findingsFor(id, limitRange(matching) + inNamespace(bare, 'team'))).toEqual([]);
        expect(findingsFor(id, limitRange(matching, 'team') + bare)).toEqual([]);
      });

      it('a LimitRange of another namespace does not count', () => {
        expect(findingsFor(id, limitRange(matching, 'other') + inNamespace(bare, 'team'))).toHaveLength(1);
      });

      it(`a LimitRange default for ${other} only does not count`, () => {
        expect(findingsFor(id, limitRange(`default:\n  ${other}: 1\ndefaultRequest:\n  ${other}: 1`) + bare)).toHaveLength(1);
      });

      it('a LimitRange item of type Pod does not count', () => {
        const podItem = limitRange(matching).replace('type: Container', 'type: Pod');
        expect(findingsFor(id, podItem + bare)).toHaveLength(1);
      });

      if (kind === 'request') {
        it('a LimitRange default limit also supplies the request', () => {
          expect(findingsFor(id, limitRange(`default:\n  ${resource}: ${value}`) + bare)).toEqual([]);
        });
      } else {
        it('a LimitRange defaultRequest does not supply a limit', () => {
          expect(findingsFor(id, limitRange(`defaultRequest:\n  ${resource}: ${value}`) + bare)).toHaveLength(1);
        });
      }

      it('a LimitRange in another scanned file counts', async () => {
        const { scanSources } = await import('../../../shared/scan/engine.ts');
        const result = scanSources([
          { path: 'limits.yaml', text: limitRange(matching) },
          { path: 'app.yaml', text: bare },
        ]);
        expect(result.findings.filter((f) => f.ruleId === id)).toEqual([]);
      });
    });
  });
}
