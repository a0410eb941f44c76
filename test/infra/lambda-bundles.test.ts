// Each Lambda is bundled the way the CDK app bundles it, into a folder with no node_modules (like
// /var/task), and loaded by a plain Node process: a dependency that needs a file esbuild cannot
// inline, or a CommonJS global the ESM bundle lacks, fails here instead of in AWS.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { HCL2JSON_RUNTIME_FILES } from '../../infra/constructs/functions.ts';
import { SQLJS_RUNTIME_FILES } from '../../infra/constructs/image-scanning.ts';
import { ESM_REQUIRE_BANNER } from '../../infra/constructs/shipwatch-function.ts';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'shipwatch-bundle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The CDK bundling options that matter for loading (format, platform, banner). */
async function bundle(entry: string, task: string): Promise<string> {
  const outfile = join(task, 'index.mjs');
  await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', mainFields: ['module', 'main'], banner: { js: ESM_REQUIRE_BANNER }, logLevel: 'error' });
  return outfile;
}

function copyRuntimeFiles(task: string, files: readonly string[]): void {
  for (const file of files) {
    mkdirSync(dirname(join(task, file)), { recursive: true });
    copyFileSync(join(root, file), join(task, file));
  }
}

/** What the stack sets for every function that needs it (nothing is contacted at load time). */
const LAMBDA_ENV = {
  PATH: process.env.PATH,
  AWS_REGION: 'us-east-1',
  SHIPWATCH_TABLE_NAME: 'findings',
  SHIPWATCH_SCAN_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/scan',
  SHIPWATCH_IMAGE_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/image',
  SHIPWATCH_VULN_BUCKET: 'vuln-data',
};
const node = (script: string, cwd: string) => spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd, encoding: 'utf8', env: LAMBDA_ENV });

describe('Lambda bundles', () => {
  it.each(readdirSync(join(root, 'functions')))('%s loads and exports a handler', async (name) => {
    const task = join(work, name);
    await bundle(join(root, 'functions', name, 'handler.ts'), task);
    const loaded = node("const m = await import('./index.mjs'); console.log(typeof m.handler);", task);
    // stderr may carry the SDK's Node-version notice; the exit status and the export are what count.
    expect(loaded.status, loaded.stderr).toBe(0);
    expect(loaded.stdout.trim()).toBe('function');
  });

  it.each([
    {
      what: 'image-scan opens SQLite (rpmdb)',
      files: SQLJS_RUNTIME_FILES,
      module: 'shared/image/formats/sqlite.ts',
      code: "const SQL = await m.loadSqlite(); console.log(new SQL.Database().exec('select 41 + 1')[0].values[0][0]);",
      expected: '42',
    },
    {
      what: 'iac-scan parses Terraform',
      files: HCL2JSON_RUNTIME_FILES,
      module: 'shared/iac/cloud/terraform/hcl.ts',
      code: "console.log(Object.keys(m.parseHcl('main.tf', 'variable \"region\" {}\\n').variable).join());",
      expected: 'region',
    },
  ])('$what only with the runtime files the CDK bundling copies', async ({ what, files, module, code, expected }) => {
    const task = join(work, what.split(' ')[0] + '-runtime');
    const entry = join(work, `${what.split(' ')[0]}-entry.mjs`);
    writeFileSync(entry, `import * as m from ${JSON.stringify(join(root, module))};\n${code}\n`);
    await bundle(entry, task);
    const run = () => node("await import('./index.mjs');", task);

    expect(run().status).not.toBe(0);
    copyRuntimeFiles(task, files);
    const withFiles = run();
    expect(withFiles.status, withFiles.stderr).toBe(0);
    expect(withFiles.stdout.trim()).toBe(expected);
  });
});
