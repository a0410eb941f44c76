// The CI templates run their real scripts here: `npx` is a stand-in that runs this checkout's
// CLI, everything else (bash/sh, files, exit codes, GitHub's output files) is as on a runner.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempRepo } from '../helpers/cli.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const privileged = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: main\n    image: nginx:1.27\n    securityContext: {privileged: true}\n';

let shimDir: string;
let npxCalls: string;

beforeAll(() => {
  shimDir = mkdtempSync(join(tmpdir(), 'shipwatch-npx-'));
  npxCalls = join(shimDir, 'calls.log');
  // `npx --yes shipwatch@<version> args...` -> this checkout's CLI with the args; the calls are logged.
  writeFileSync(join(shimDir, 'npx'), `#!/bin/sh\necho "$*" >> "${npxCalls}"\n[ "$1" = --yes ] || exit 90\ncase "$2" in shipwatch@*) ;; *) exit 91;; esac\nshift 2\nexec "${process.execPath}" "${join(ROOT, 'bin', 'shipwatch.mjs')}" "$@"\n`);
  chmodSync(join(shimDir, 'npx'), 0o755);
});

function run(shell: string, script: string, cwd: string, env: Record<string, string>) {
  writeFileSync(npxCalls, '');
  const r = spawnSync(shell, ['-c', script], { cwd, encoding: 'utf8', env: { PATH: `${shimDir}:${process.env.PATH}`, HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', ...env }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, calls: readFileSync(npxCalls, 'utf8').trim().split('\n') };
}

describe('GitHub Action (action.yml)', () => {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'));
  const step = (id: string) => action.runs.steps.find((s: { id?: string; name: string }) => s.id === id || s.name === id);

  it('is a composite action with the documented inputs and the SARIF upload', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(['paths', 'fail-on', 'policies', 'config', 'sarif-file', 'upload-sarif', 'working-directory', 'version', 'node-version']);
    const upload = step('Upload SARIF to code scanning');
    expect(upload.uses).toMatch(/^github\/codeql-action\/upload-sarif@v\d+$/);
    expect(upload.if).toContain("inputs.upload-sarif == 'true'");
    // Inputs reach scripts through the environment only: nothing is spliced into a shell script.
    for (const s of action.runs.steps) if (s.run) expect(s.run, s.name).not.toContain('${{');
  });

  it('writes SARIF and the job summary, reports the exit code, and leaves failing to the last step', () => {
    const repo = tempRepo({ 'deploy/pod.yaml': privileged, 'docs/readme.md': '# hi' });
    const [outputs, summary] = [join(repo, 'outputs'), join(repo, 'summary.md')];
    writeFileSync(outputs, '');
    const env = { GITHUB_OUTPUT: outputs, GITHUB_STEP_SUMMARY: summary, SHIPWATCH_PATHS: '.', SHIPWATCH_FAIL_ON: '', SHIPWATCH_POLICIES: '', SHIPWATCH_CONFIG: '', SHIPWATCH_SARIF: 'out/shipwatch.sarif', SHIPWATCH_VERSION: '0.1.0' };
    const r = run('bash', step('scan').run, repo, env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(outputs, 'utf8')).toBe('sarif-file=out/shipwatch.sarif\nexit-code=1\n');
    expect(r.calls[0]).toMatch(/^--yes shipwatch@0\.1\.0 scan --format sarif --output \/\S+ -- \.$/);
    expect(r.calls[1]).toBe('--yes shipwatch@0.1.0 scan --format markdown --fail-on none -- .');
    const sarif = JSON.parse(readFileSync(join(repo, 'out', 'shipwatch.sarif'), 'utf8'));
    const privilegedResult = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'K8S-001');
    expect(privilegedResult.locations[0].physicalLocation.artifactLocation.uri).toBe('deploy/pod.yaml');
    expect(readFileSync(summary, 'utf8')).toMatch(/^## Shipwatch\n\n## Shipwatch scan\n/);

    writeFileSync(outputs, '');
    const bad = run('bash', step('scan').run, repo, { ...env, SHIPWATCH_FAIL_ON: 'sometimes' });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain('::error title=Shipwatch::the scan could not run');
    expect(readFileSync(outputs, 'utf8')).toContain('exit-code=2');
  });
});

describe('GitLab CI template (ci/gitlab/shipwatch.gitlab-ci.yml)', () => {
  const template = parse(readFileSync(join(ROOT, 'ci', 'gitlab', 'shipwatch.gitlab-ci.yml'), 'utf8'));
  const job = template['.shipwatch'];

  it('defines a job that keeps the SARIF and hands GitLab the code quality report', () => {
    expect(template.shipwatch).toEqual({ extends: '.shipwatch' });
    expect(job.artifacts).toMatchObject({ when: 'always', paths: ['shipwatch.sarif', 'gl-code-quality-report.json'], reports: { codequality: 'gl-code-quality-report.json' } });
    expect(Object.keys(template.variables)).toEqual(['SHIPWATCH_PATHS', 'SHIPWATCH_FAIL_ON', 'SHIPWATCH_POLICIES', 'SHIPWATCH_CONFIG', 'SHIPWATCH_VERSION']);
  });

  it('writes both reports with a POSIX shell and fails on findings at the threshold', () => {
    const repo = tempRepo({ 'k8s/pod.yaml': privileged });
    const script = job.script.join('\n');
    const env = { ...template.variables };
    const failing = run('sh', script, repo, env);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('Shipwatch: findings at or above the fail-on threshold');
    expect(failing.calls).toEqual([
      expect.stringMatching(/^--yes shipwatch@latest scan --format sarif --output \/\S+\/shipwatch\.sarif --fail-on none -- \.$/),
      expect.stringMatching(/^--yes shipwatch@latest scan --format codequality --output \/\S+\/gl-code-quality-report\.json -- \.$/),
    ]);
    const quality = JSON.parse(readFileSync(join(repo, 'gl-code-quality-report.json'), 'utf8'));
    expect(quality.find((i: { check_name: string }) => i.check_name === 'K8S-001')).toMatchObject({ severity: 'blocker', location: { path: 'k8s/pod.yaml' } });
    expect(JSON.parse(readFileSync(join(repo, 'shipwatch.sarif'), 'utf8')).version).toBe('2.1.0');

    const passing = run('sh', script, repo, { ...env, SHIPWATCH_FAIL_ON: 'none' });
    expect(passing.code).toBe(0);
    expect(passing.calls[1]).toContain('--fail-on none');
  });
});
