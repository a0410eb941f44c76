import fc from 'fast-check';
import jsyaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../shared/rules/registry.ts';
import { scanSources } from '../../shared/scan/engine.ts';
import { createLineLocator } from '../../shared/iac/yaml/positions.ts';
import type { Manifest } from '../../shared/iac/k8s/manifest.ts';
import type { K8sRule } from '../../shared/iac/k8s/rule.ts';
import type { DockerRule } from '../../shared/iac/docker/rule.ts';
import { parseDockerfile } from '../../shared/iac/docker/parse.ts';
import { WORKLOAD_KINDS } from '../../shared/iac/k8s/workload.ts';

const KINDS = [...WORKLOAD_KINDS, 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'Service', 'Ingress', 'NetworkPolicy', 'Namespace', 'ServiceAccount', 'ConfigMap', 'Secret', 'LimitRange', 'Kustomization', 'Rollout'];
const API_VERSIONS = ['v1', 'apps/v1', 'batch/v1', 'rbac.authorization.k8s.io/v1', 'networking.k8s.io/v1', 'extensions/v1beta1', 'argoproj.io/v1alpha1'];

/** JSON values, with a bias towards the field names the rules read so deep paths are reached. */
const fieldNames = fc.constantFrom('spec', 'template', 'containers', 'initContainers', 'ephemeralContainers', 'securityContext', 'privileged', 'capabilities', 'add', 'drop', 'volumes', 'hostPath', 'path', 'rules', 'verbs', 'resources', 'apiGroups', 'subjects', 'roleRef', 'metadata', 'annotations', 'labels', 'data', 'env', 'value', 'image', 'ports', 'jobTemplate', 'name', 'namespace', 'tls', 'podSelector', 'policyTypes', 'runAsUser', 'seccompProfile', 'type', 'limits', 'requests');
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.string(), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(fieldNames, fc.string()), tie('value'), { maxKeys: 6 }),
})).value;

function manifestOf(object: Record<string, unknown>, kind: string, apiVersion: string): Manifest {
  const lines = jsyaml.dump(object, { skipInvalid: true }).split('\n');
  return { file: 'x.yaml', object: { ...object, kind, apiVersion }, apiVersion, kind, namespace: null, name: null, basePath: [], locator: createLineLocator(lines, 1), lines: () => lines, firstLine: 1 };
}

describe('no rule throws on arbitrary input', () => {
  const k8sRules = allRules().filter((r): r is K8sRule => r.engine === 'k8s');
  const dockerRules = allRules().filter((r): r is DockerRule => r.engine === 'docker');

  it('every K8S rule, on arbitrary objects of every kind', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.oneof(fieldNames, fc.string()), json, { maxKeys: 6 }), fc.constantFrom(...KINDS), fc.constantFrom(...API_VERSIONS), (object, kind, apiVersion) => {
        const m = manifestOf(object, kind, apiVersion);
        const all = [m, manifestOf(object, 'ServiceAccount', 'v1'), manifestOf(object, 'NetworkPolicy', 'networking.k8s.io/v1')];
        for (const rule of k8sRules) {
          const options = rule.optionsSchema ? rule.optionsSchema.parse({}) : {};
          const ofKind = (kind: string) => all.filter((x) => x.kind === kind);
          [...rule.check({ manifest: m, all, ofKind, settings: { trustedRegistries: ['registry.example.com/'], kubernetesVersion: '1.31' }, options })];
        }
      }),
      { numRuns: 300 },
    );
  });

  it('every DOCKER rule, on arbitrary Dockerfile text', () => {
    const instruction = fc.constantFrom('FROM', 'RUN', 'USER', 'ENV', 'ARG', 'ADD', 'COPY', 'EXPOSE', 'WORKDIR', 'HEALTHCHECK', 'CMD', 'ENTRYPOINT', 'from', '#', '# syntax=', '# escape=`');
    const line = fc.tuple(instruction, fc.string()).map(([i, rest]) => `${i} ${rest}`);
    fc.assert(
      fc.property(fc.array(fc.oneof(line, fc.string()), { maxLength: 12 }), (lines) => {
        const dockerfile = parseDockerfile(lines.join('\n'));
        for (const rule of dockerRules) [...rule.check({ dockerfile, settings: { trustedRegistries: ['registry.example.com/'] } })];
      }),
      { numRuns: 300 },
    );
  });

  it('the engine, on arbitrary YAML and JSON documents', () => {
    fc.assert(
      fc.property(fc.array(json, { maxLength: 4 }), fc.constantFrom(...KINDS), (docs, kind) => {
        const yaml = docs.map((d) => jsyaml.dump(typeof d === 'object' && d !== null && !Array.isArray(d) ? { apiVersion: 'v1', kind, ...d } : d, { skipInvalid: true })).join('---\n');
        const result = scanSources([
          { path: 'a.yaml', text: yaml },
          { path: 'b.json', text: JSON.stringify(docs[0] ?? null) },
        ]);
        expect(Array.isArray(result.findings)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('the engine, on arbitrary text as YAML', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        scanSources([{ path: 'c.yaml', text: `apiVersion: v1\nkind: Pod\n${text}` }, { path: 'Dockerfile', text }]);
      }),
      { numRuns: 300 },
    );
  });
});
