import { describe, expect, it } from 'vitest';
import { scanSources } from '../../shared/scan/engine.ts';
import { findingsFor, scanText } from '../helpers/scan.ts';

const POD = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: c
      image: nginx:1.27
      securityContext: {privileged: true}
`;

describe('bad input becomes errors, the rest of the scan goes on', () => {
  it('invalid YAML in one document keeps the other documents', () => {
    const r = scanText(`${POD}---\nkind: [unclosed\n---\n${POD.replace('name: p', 'name: q')}`);
    expect(r.errors).toEqual([expect.objectContaining({ file: 'manifest.yaml', line: expect.any(Number), message: expect.stringMatching(/invalid YAML/) })]);
    expect(r.findings.filter((f) => f.ruleId === 'K8S-001').map((f) => f.resource?.name)).toEqual(['p', 'q']);
  });

  it('invalid JSON is an error with its line', () => {
    const r = scanSources([{ path: 'pod.json', text: '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  oops\n}' }]);
    expect(r.errors[0]).toMatchObject({ file: 'pod.json', message: expect.stringMatching(/invalid JSON/) });
  });

  it('a scalar or list document in a manifest file is an error, not a crash', () => {
    const r = scanText(`${POD}---\njust a string\n---\n- a\n- b\n`);
    expect(r.errors.map((e) => e.message)).toEqual([expect.stringMatching(/a string, not a Kubernetes object/), expect.stringMatching(/a list, not a Kubernetes object/)]);
  });

  it('containers: null, numbers for strings and a workload without a pod spec', () => {
    const r = scanText(`apiVersion: apps/v1
kind: Deployment
metadata: {name: 12}
spec:
  template:
    spec:
      containers: null
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: nospec}
spec: {replicas: 1}
---
apiVersion: v1
kind: Pod
metadata: {name: typed}
spec:
  containers:
    - name: 7
      image: 42
      securityContext: {privileged: "true", capabilities: {add: 5}}
`);
    expect(r.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/Deployment "nospec" has no pod spec/) })]);
    expect(r.findings.filter((f) => f.ruleId === 'K8S-001')).toEqual([]); // privileged: "true" is a string, not true
  });

  it('caps alias expansion (a billion-laughs document)', () => {
    const bomb = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: lol}', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      bomb.push(`${cur}: &${cur} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`);
    }
    bomb.push('data: {x: *j}');
    const started = Date.now();
    const r = scanText(bomb.join('\n') + '\n---\n' + POD);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.errors[0].message).toMatch(/alias/);
    expect(r.findings.some((f) => f.ruleId === 'K8S-001')).toBe(true);
  });

  it('unreadable, binary, oversized and invalid UTF-8 files are errors from the reader', () => {
    const r = scanSources([
      { path: 'big.yaml', readError: 'file is 6 MB, over the 5 MB size cap' },
      { path: 'ok.yaml', text: POD },
    ]);
    expect(r.errors).toEqual([{ file: 'big.yaml', line: null, message: 'file is 6 MB, over the 5 MB size cap' }]);
    expect(r.findings.some((f) => f.ruleId === 'K8S-001')).toBe(true);
  });

  it('YAML that is not Kubernetes (CI files, values.yaml, playbooks) is skipped without noise', () => {
    const r = scanSources([
      { path: '.github/workflows/ci.yml', text: 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n' },
      { path: 'site.yml', text: '- hosts: all\n  tasks: []\n' },
      { path: 'chart/values.yaml', text: 'image:\n  tag: latest\n' },
    ]);
    expect(r.errors).toEqual([]);
    expect(r.findings).toEqual([]);
  });
});

describe('line numbers and fingerprints', () => {
  it('points at the offending field, and at the nearest parent when the field is absent', () => {
    const [privileged] = findingsFor('K8S-001', POD);
    expect(privileged.location?.line).toBe(8);
    const [noRoFs] = findingsFor('K8S-014', POD);
    expect(noRoFs.location?.line).toBe(8); // securityContext is on line 8 (flow style): the nearest written parent
  });

  it('keeps the fingerprint when unrelated lines move and changes it when the resource is renamed', () => {
    const [a] = findingsFor('K8S-001', POD);
    const [b] = findingsFor('K8S-001', `# a comment\n\n${POD.replace('metadata: {name: p}', 'metadata:\n  name: p\n  labels: {team: x}')}`);
    const [c] = findingsFor('K8S-001', POD.replace('name: p', 'name: renamed'));
    expect(b.location?.line).not.toBe(a.location?.line);
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(c.fingerprint).not.toBe(a.fingerprint);
  });

  it('resolves lines in flow-style and JSON documents through the document model', () => {
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'j' }, spec: { containers: [{ name: 'c', image: 'nginx:1', securityContext: { privileged: true } }] } }, null, 2);
    const [f] = scanSources([{ path: 'pod.json', text: json }]).findings.filter((x) => x.ruleId === 'K8S-001');
    expect(json.split('\n')[f.location!.line! - 1]).toContain('"privileged": true');
  });

  it('expands kind: List items into objects of their own', () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n${POD.split('\n').map((l, i) => (l ? (i === 0 ? '  - ' : '    ') + l : l)).join('\n')}`;
    const [f] = findingsFor('K8S-001', list);
    expect(f.resource?.name).toBe('p');
    expect(list.split('\n')[f.location!.line! - 1]).toContain('privileged: true');
  });
});
