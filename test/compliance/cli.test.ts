import { readFileSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../shared/cli/main.ts';
import { shipwatch, tempRepo } from '../helpers/cli.ts';

const privileged = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: prod}
spec:
  template:
    spec:
      automountServiceAccountToken: false
      containers:
      - name: main
        image: nginx:1.27
        securityContext: {privileged: true}
`;

/** The `--format json` output of an image scan, as `shipwatch image` writes it. */
const imageResults = {
  schemaVersion: 1,
  findings: [
    {
      ruleId: 'IMG-080',
      severity: 'high',
      title: 'OS package vulnerable',
      message: 'openssl 3.0.11 has CVE-2026-0001',
      remediation: 'Upgrade openssl.',
      fingerprint: 'a'.repeat(64),
      source: 'image',
      location: null,
      resource: null,
      container: null,
      compliance: [],
      suppressed: false,
      suppression: null,
      image: { registry: 'registry.example', repository: 'shop', tag: '1.0', digest: null, platform: 'linux/amd64' },
    },
  ],
  errors: [],
  notices: [],
  summary: { critical: 0, high: 1, medium: 0, low: 0, info: 0 },
};

const rowsOf = (csv: string) => csv.trimEnd().split('\r\n');

describe('shipwatch report', () => {
  it('writes CSV: a header, a row per control and finding behind it', () => {
    const repo = tempRepo({ 'deploy/web.yaml': privileged });
    const { code, stdout, stderr } = shipwatch(['report', '--framework', 'cis-k8s', '--format', 'csv', '.'], { cwd: repo });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const rows = rowsOf(stdout);
    expect(rows[0]).toBe('framework,framework_version,mapping_version,scope,control,title,automation,status,evidence_at,rules,reason,finding,rule,severity,target,resource,message,accepted_reason,fingerprint');
    const failing = rows.find((r) => r.includes(',5.2.2,'))!;
    expect(failing).toMatch(/^cis-k8s,v1\.10,2026\.11,all,5\.2\.2,Keep privileged containers out,automated,fail,\d{4}-\d\d-\d\dT[\d:.]+Z,K8S-001,,fail,K8S-001,critical,deploy\/web\.yaml:11,"Deployment\/web -n prod, container main","container ""main"" runs privileged",,[0-9a-f]{64}$/);
    expect(rows.find((r) => r.includes(',5.1.3,'))).toMatch(/,not assessed,,,nothing in scope: no Role or ClusterRole in the scan(; no audit-log results given)?,,,,,,,,$/);
  });

  it('narrows to a scope and reads saved image results', () => {
    const repo = tempRepo({ 'deploy/web.yaml': privileged, 'image.json': JSON.stringify(imageResults) });
    const repoOnly = JSON.parse(shipwatch(['report', '--framework', 'nist-800-190', '--scope', 'repo', '--format', 'json', join(repo, 'deploy')]).stdout);
    expect(repoOnly.scope).toBe('repo');
    const byId = (report: { controls: { id: string; status: string; reason: string | null }[] }, id: string) => report.controls.find((c) => c.id === id)!;
    expect(byId(repoOnly, '4.4.3').status).toBe('fail');
    expect(byId(repoOnly, '4.2.3')).toMatchObject({ status: 'not-assessed', reason: 'nothing in scope: no Terraform or CloudFormation templates in the scan' });

    const images = JSON.parse(shipwatch(['report', '--framework', 'nist-800-190', '--scope', 'image', '--results', join(repo, 'image.json'), '--format', 'json']).stdout);
    expect(byId(images, '4.1.1')).toMatchObject({ status: 'fail', findingCount: 1 });
    expect(byId(images, '4.3.1').status).toBe('not-assessed');
    expect(images.controls.flatMap((c: { findings: { source: string }[] }) => c.findings).every((f: { source: string }) => f.source === 'image')).toBe(true);

    const both = shipwatch(['report', '--framework', 'pci-dss', '--results', join(repo, 'image.json'), '--format', 'markdown', join(repo, 'deploy')]);
    expect(both.code).toBe(0);
    expect(both.stdout).toMatch(/\| 6\\\.3\\\.1 \| Identify and manage security vulnerabilities \| Fail \|/);
    expect(both.stdout).toMatch(/\| 2\\\.2\\\.6 \| [^|]+ \| Fail \|/);
  });

  it('refuses bad input with exit code 2 and the reason', async () => {
    const repo = tempRepo({ 'deploy/web.yaml': privileged, 'broken.json': '{"schemaVersion": 1, "findings": [{"ruleId": "X"}]}', 'text.json': 'not json' });
    const cases: [string[], RegExp][] = [
      [['report', '--framework', 'cis-k8s', '--scope', 'galaxy', repo], /--scope must be one of all, repo, image, cluster \(got "galaxy"\)/],
      [['report', '--framework', 'cis-k8s', '--format', 'xlsx', repo], /--format must be one of table, json, markdown, csv/],
      [['report', '--framework', 'sox', repo], /--framework must be one of cis-k8s, cis-eks, nsa-cisa, nist-800-190, pci-dss, hipaa, gdpr/],
      [['report', '--framework', 'cis-k8s', '--results', join(repo, 'missing.json')], /cannot read results .*missing\.json: ENOENT/],
      [['report', '--framework', 'cis-k8s', '--results', join(repo, 'text.json')], /text\.json is not JSON/],
      [['report', '--framework', 'cis-k8s', '--results', join(repo, 'broken.json')], /broken\.json is not a shipwatch scan output: findings\.0\.severity: /],
    ];
    for (const [args, message] of cases) {
      const r = await inProcess(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    // The same through the real binary.
    expect(shipwatch(cases[0][0])).toMatchObject({ code: 2, stderr: expect.stringMatching(cases[0][1]) });
  });

  it('writes the report to a file with --output', async () => {
    const repo = tempRepo({ 'deploy/web.yaml': privileged });
    const out = join(repo, 'report.csv');
    writeFileSync(out, 'stale');
    const r = await inProcess(['report', '--framework', 'gdpr', '--format', 'csv', '--output', out, repo]);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    const rows = rowsOf(readFileSync(out, 'utf8'));
    expect(rows[0].startsWith('framework,')).toBe(true);
    expect(rows.filter((row) => row.startsWith('gdpr,2016/679,2026.11,all,32(1)(c),')).map((row) => row.split(',')[7])).toEqual(['not assessed']);
  });
});

/** The CLI in this process (for the many quick cases), with its output captured. */
async function inProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const capture = () => {
    const chunks: string[] = [];
    const stream = new Writable({ write: (chunk, _encoding, done) => (chunks.push(String(chunk)), done()) });
    return { stream, text: () => chunks.join('') };
  };
  const [out, err] = [capture(), capture()];
  const code = await main(args, { stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
}
