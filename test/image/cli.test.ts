import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { shipwatch } from '../helpers/cli.ts';
import { writeOciLayout } from './checks/build-image.ts';
import { BASE_FILES, goodImage } from './checks/support.ts';

const schema = JSON.parse(readFileSync(new URL('../../schema/scan-output.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

let rootImage: string;
let cleanImage: string;

beforeAll(async () => {
  // Runs as root with an empty password: high and critical findings.
  rootImage = (await writeOciLayout(goodImage({ config: { User: '' }, layers: [{ createdBy: '', files: { ...BASE_FILES, 'etc/shadow': 'root::19000::::::\n' } }] }), { tag: '1.0.0' })).dir;
  cleanImage = (await writeOciLayout(goodImage({ created: new Date().toISOString() }), { tag: '1.0.0' })).dir;
}, 60_000);

describe('shipwatch image', () => {
  it('prints the scan contract as JSON and exits 1 on findings at or above --fail-on', () => {
    const out = shipwatch(['image', rootImage, '--format', 'json']);
    expect(out.code, out.stderr).toBe(1);
    const result = JSON.parse(out.stdout);
    expect(validate(result), JSON.stringify(validate.errors)).toBe(true);
    expect(result.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(expect.arrayContaining(['IMG-001', 'IMG-009']));
    expect(result.findings.every((f: { source: string; image: { repository: string } }) => f.source === 'image' && f.image.repository === 'app')).toBe(true);
  });

  it('exits 0 when nothing reaches --fail-on, and writes --output', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'shipwatch-cli-')), 'out.sarif');
    const out = shipwatch(['image', rootImage, '--format', 'sarif', '--output', file, '--fail-on', 'none']);
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).runs[0].results.length).toBeGreaterThan(0);
    expect(shipwatch(['image', cleanImage, '--fail-on', 'high']).code).toBe(0);
  });

  it('honours --config: disabled checks and ignores', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipwatch-cli-'));
    writeFileSync(join(dir, '.shipwatch.yaml'), 'disable: [IMG-001]\nignore:\n  - rule: IMG-009\n    paths: ["/etc/shadow"]\n    reason: base image account, locked at deploy time\n');
    const out = shipwatch(['image', rootImage, '--format', 'json', '--config', join(dir, '.shipwatch.yaml')]);
    expect(out.code, out.stderr).toBe(0);
    const findings = JSON.parse(out.stdout).findings as { ruleId: string; suppressed: boolean; suppression: { reason: string } | null }[];
    expect(findings.some((f) => f.ruleId === 'IMG-001')).toBe(false);
    expect(findings.find((f) => f.ruleId === 'IMG-009')).toMatchObject({ suppressed: true, suppression: { reason: 'base image account, locked at deploy time' } });
  });

  it('prints a table by default', () => {
    const out = shipwatch(['image', rootImage, '--fail-on', 'none']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('IMG-009');
    expect(out.stdout).toContain('/etc/shadow');
  });

  it('exits 2 on usage and input errors', () => {
    expect(shipwatch(['image', rootImage, cleanImage]).code).toBe(2);
    expect(shipwatch(['image', rootImage, '--platform', 'amd64']).code).toBe(2);
    const missingDb = shipwatch(['image', rootImage, '--vuln-db', '/nonexistent/osv']);
    expect(missingDb.code).toBe(2);
    expect(missingDb.stderr).toContain('--vuln-db');
    const notAnImage = shipwatch(['image', mkdtempSync(join(tmpdir(), 'shipwatch-empty-'))]);
    expect(notAnImage.code).toBe(2);
    expect(notAnImage.stderr).toContain('not an OCI image layout');
    // The registry typed on the command line is contacted over HTTPS (plain HTTP needs SHIPWATCH_REGISTRIES=host=http).
    const unreachable = shipwatch(['image', '127.0.0.1:9/team/app:1.0'], { env: { SHIPWATCH_REGISTRIES: '' } });
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain('cannot reach registry 127.0.0.1:9');
  });
});
