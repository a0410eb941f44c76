import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { formatJson } from '../../shared/format/json.ts';
import { scanImage } from '../../shared/image/scan.ts';
import { writeOciLayout } from './checks/build-image.ts';
import { BASE_FILES, goodImage, NOW } from './checks/support.ts';

const schema = JSON.parse(readFileSync(new URL('../../schema/scan-output.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

const rootImage = (architecture: string) => goodImage({ architecture, config: { User: 'root' }, layers: [{ createdBy: 'COPY rootfs / # buildkit', files: { ...BASE_FILES, [`opt/${architecture}`]: architecture } }] });

describe('scanImage', () => {
  it('scans every platform of an index; one finding per platform, told apart by platform in the fingerprint', async () => {
    const { dir, rootDigest } = await writeOciLayout([rootImage('amd64'), rootImage('arm64')], { tag: '2.0' });
    const result = await scanImage(dir, { now: NOW, layerCache: null });
    expect(result.errors).toEqual([]);
    const root = result.findings.filter((f) => f.ruleId === 'IMG-001');
    expect(root.map((f) => f.image?.platform).sort()).toEqual(['linux/amd64', 'linux/arm64']);
    expect(new Set(root.map((f) => f.fingerprint)).size).toBe(2);
    expect(root.every((f) => f.image?.indexDigest === rootDigest && f.image?.tag === '2.0')).toBe(true);
    const output = JSON.parse(formatJson(result));
    expect(validate(output), JSON.stringify(validate.errors)).toBe(true);
  });

  it('reports a platform it cannot read as an error and still scans the others', async () => {
    const { dir, images } = await writeOciLayout([rootImage('amd64'), rootImage('arm64')], { tag: '2.0' });
    // The arm64 image's layer blob is missing from the layout.
    rmSync(join(dir, 'blobs', 'sha256', images[1].layerDigests[0].slice(7)));
    const result = await scanImage(dir, { now: NOW, layerCache: null });
    expect(result.platforms.map((p) => [p.ref.platform, p.status])).toEqual([
      ['linux/amd64', 'scanned'],
      ['linux/arm64', 'failed'],
    ]);
    expect(result.errors).toEqual([{ file: expect.stringContaining('(linux/arm64)'), line: null, message: expect.any(String) }]);
    expect(result.findings.filter((f) => f.ruleId === 'IMG-001').map((f) => f.image?.platform)).toEqual(['linux/amd64']);
  });

  it('reports a truncated layer as an error of its platform', async () => {
    const { dir, images } = await writeOciLayout(rootImage('amd64'), { tag: '2.0' });
    const blob = join(dir, 'blobs', 'sha256', images[0].layerDigests[0].slice(7));
    writeFileSync(blob, readFileSync(blob).subarray(0, 40));
    const result = await scanImage(dir, { now: NOW, layerCache: null });
    expect(result.platforms.map((p) => p.status)).toEqual(['failed']);
    expect(result.errors).toHaveLength(1);
    expect(result.findings).toEqual([]);
  });

  it('selects platforms and applies severity overrides and disabled checks from the configuration', async () => {
    const { dir } = await writeOciLayout([rootImage('amd64'), rootImage('arm64')], { tag: '2.0' });
    const result = await scanImage(dir, { now: NOW, layerCache: null, platforms: ['linux/arm64'], config: { severity: { 'IMG-001': 'critical' }, disable: ['IMG-065'] } });
    expect(result.platforms.filter((p) => p.status === 'scanned').map((p) => p.ref.platform)).toEqual(['linux/arm64']);
    expect(result.findings.find((f) => f.ruleId === 'IMG-001')?.severity).toBe('critical');
    expect(result.findings.some((f) => f.ruleId === 'IMG-065')).toBe(false);
    expect(result.summary.critical).toBe(1);
  });

  it('never puts a raw secret into any field of the result', async () => {
    const token = 'ghp_' + 'Zq8mW3nT5vR7yK2pL9xB4cD6fH1jG0aSe3uY';
    const { dir } = await writeOciLayout(goodImage({ config: { Env: [`GH_TOKEN=${token}`] }, layers: [{ createdBy: `RUN |1 GH_TOKEN=${token} /bin/sh -c make # buildkit`, files: { ...BASE_FILES, 'app/.env': `GH_TOKEN=${token}\n` } }] }), { tag: '1' });
    const result = await scanImage(dir, { now: NOW, layerCache: null });
    expect(result.findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['IMG-040', 'IMG-041', 'IMG-042', 'IMG-043', 'IMG-044']));
    expect(JSON.stringify(result)).not.toContain(token);
  });
});
