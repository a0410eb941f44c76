import { describe, expect, it } from 'vitest';
import { ALNUM, BASE32, BASE64, fake } from '../../secrets/fixtures.ts';
import type { FileSpec, LayerSpec } from './build-image.ts';
import { BASE_FILES, goodImage, ofRule, scanSpec } from './support.ts';

const ROOTFS = '/bin/sh -c #(nop) ADD file:4f2bcd7cb5b0a1a41a6cae01aa3b95e1f2b1d0f1f2a3b4c5d6e7f8091a2b3c4d in / ';
const GITHUB_TOKEN = `ghp_${fake(ALNUM, 36, 7)}`;
const AWS_KEY_ID = `AKIA${fake(BASE32, 16, 11)}`;
const NPM_TOKEN = `npm_${fake(ALNUM, 36, 13)}`;
const PRIVATE_KEY = `-----BEGIN OPENSSH PRIVATE KEY-----\n${fake(BASE64, 70, 21)}\n${fake(BASE64, 70, 22)}\n${fake(BASE64, 40, 23)}\n-----END OPENSSH PRIVATE KEY-----\n`;

const layers = (...more: LayerSpec[]): LayerSpec[] => [{ createdBy: ROOTFS, files: BASE_FILES }, ...more];
const copy = (files: Record<string, FileSpec>, createdBy = 'COPY . /app # buildkit'): LayerSpec => ({ createdBy, files });

/** No finding, message or evidence carries a raw secret. */
function expectMasked(result: { findings: unknown[] }, ...secrets: string[]): void {
  const text = JSON.stringify(result.findings);
  for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('C. secrets and sensitive material', () => {
  it('IMG-040: secret-named ENV with a real value; placeholders, references and *_FILE paths are fine', async () => {
    const result = await scanSpec(goodImage({ config: { Env: ['DB_PASSWORD=s3cr3t-Pa55word-prod', 'API_KEY=changeme', 'GITHUB_TOKEN=${GITHUB_TOKEN}', 'POSTGRES_PASSWORD_FILE=/run/secrets/db', 'SECRET_SAUCE=', 'PATH=/usr/bin'] } }));
    const found = ofRule(result, 'IMG-040');
    expect(found).toEqual([expect.objectContaining({ severity: 'high', message: 'ENV DB_PASSWORD holds a value in the image config', evidence: `DB_PASSWORD=s3cr${'*'.repeat(14)}od` })]);
    expectMasked(result, 's3cr3t-Pa55word-prod');
  });

  it('IMG-041: a SECRET pattern in an ENV value or a label is critical', async () => {
    const result = await scanSpec(goodImage({ config: { Env: [`AWS_ACCESS_KEY_ID=${AWS_KEY_ID}`], Labels: { 'org.opencontainers.image.source': 'https://github.com/example/app', 'org.opencontainers.image.revision': 'abc', 'ci.token': GITHUB_TOKEN } } }));
    const found = ofRule(result, 'IMG-041');
    expect(found.map((f) => [f.severity, f.message.split(':')[0]]).sort()).toEqual([
      ['critical', 'ENV AWS_ACCESS_KEY_ID'],
      ['critical', 'label ci.token'],
    ]);
    expectMasked(result, AWS_KEY_ID, GITHUB_TOKEN);
    expect(ofRule(await scanSpec(goodImage()), 'IMG-041')).toEqual([]);
  });

  it('IMG-042: a build arg recorded in the history, and a SECRET pattern in created_by', async () => {
    const result = await scanSpec(
      goodImage({
        layers: layers(
          { createdBy: `RUN |2 NPM_TOKEN=${NPM_TOKEN} NODE_ENV=production /bin/sh -c npm ci # buildkit`, files: { 'app/node_modules/.keep': '' } },
          { createdBy: `RUN /bin/sh -c git clone https://x-access-token:${GITHUB_TOKEN}@github.com/example/private.git /src # buildkit`, files: { 'src/.keep': '' } },
          { createdBy: 'RUN |1 API_TOKEN=${API_TOKEN} /bin/sh -c make # buildkit', files: { 'app/bin': 'x' } },
        ),
      }),
    );
    const found = ofRule(result, 'IMG-042');
    expect(found.map((f) => [f.severity, f.image?.historyIndex])).toEqual([
      ['critical', 1],
      ['critical', 2],
    ]);
    expectMasked(result, NPM_TOKEN, GITHUB_TOKEN);
  });

  it('IMG-043: a secret in a file of a layer, with the pattern severity, layer and line; allow-rule paths are skipped', async () => {
    const config = `# settings\nlog_level: info\ngithub_token: ${GITHUB_TOKEN}\n`;
    const result = await scanSpec(goodImage({ layers: layers(copy({ 'app/config.yaml': config, 'usr/share/doc/tool/README': `token ${GITHUB_TOKEN}\n` })) }));
    const found = ofRule(result, 'IMG-043');
    expect(found).toEqual([expect.objectContaining({ severity: 'critical', location: { file: '/app/config.yaml', line: 3 }, evidence: expect.stringMatching(/^ghp_\*+\w\w$/) })]);
    expect(found[0].image).toMatchObject({ layerDigest: expect.stringMatching(/^sha256:/), historyIndex: 1 });
    expectMasked(result, GITHUB_TOKEN);
  });

  it('IMG-044: sensitive files by name, and by content where the catalog asks for it', async () => {
    const result = await scanSpec(
      goodImage({
        layers: layers(
          copy({
            'root/.ssh/id_ed25519': 'not parsed',
            'root/.ssh/id_ed25519.pub': 'ssh-ed25519 AAAA',
            'app/.env': 'LOG_LEVEL=debug\n',
            'app/certs/server.pem': PRIVATE_KEY,
            'app/certs/ca.pem': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
            'root/.npmrc': 'registry=https://registry.npmjs.org/\n',
            'home/app/.npmrc': '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n',
            'root/.docker/config.json': JSON.stringify({ auths: { 'registry.example.com': { auth: Buffer.from('robot:hunter2hunter2').toString('base64') } } }),
            'app/keystore.p12': Buffer.from([0x30, 0x82, 0x01, 0x00]),
          }),
        ),
      }),
    );
    const found = ofRule(result, 'IMG-044');
    expect(found.map((f) => [f.location?.file, f.severity])).toEqual([
      ['/app/.env', 'high'],
      ['/app/certs/server.pem', 'critical'],
      ['/app/keystore.p12', 'high'],
      ['/home/app/.npmrc', 'high'],
      // SECRET-13 (registry auth) matches inside.
      ['/root/.docker/config.json', 'critical'],
      ['/root/.ssh/id_ed25519', 'high'],
    ]);
    expectMasked(result, PRIVATE_KEY.split('\n')[1]);
  });

  it('IMG-045: a private key added in one layer and deleted in a later one still ships: critical, with its layer', async () => {
    const result = await scanSpec(
      goodImage({
        layers: layers(
          copy({ 'root/.ssh/id_rsa': PRIVATE_KEY, 'root/.aws/credentials': `[default]\naws_access_key_id = ${AWS_KEY_ID}\n` }, 'COPY keys /root/ # buildkit'),
          { createdBy: 'RUN /bin/sh -c rm -rf /root/.ssh/id_rsa /root/.aws # buildkit', delete: ['root/.ssh/id_rsa', 'root/.aws'] },
        ),
      }),
    );
    const found = ofRule(result, 'IMG-045');
    expect(found.map((f) => [f.location?.file, f.severity])).toEqual([
      ['/root/.aws/credentials', 'critical'],
      ['/root/.ssh/id_rsa', 'critical'],
    ]);
    expect(found.every((f) => f.image?.historyIndex === 1 && typeof f.image?.layerDigest === 'string')).toBe(true);
    // Not reported again as present: the final filesystem does not have them.
    expect(ofRule(result, 'IMG-043')).toEqual([]);
    expect(ofRule(result, 'IMG-044')).toEqual([]);
    expectMasked(result, AWS_KEY_ID, PRIVATE_KEY.split('\n')[1]);
  });

  it('IMG-045: a file replaced by a clean version is still IMG-043 in its layer, not a deletion', async () => {
    const result = await scanSpec(goodImage({ layers: layers(copy({ 'app/settings.ini': `token=${GITHUB_TOKEN}\n` }), copy({ 'app/settings.ini': 'token=\n' }, 'COPY settings.ini /app/ # buildkit')) }));
    expect(ofRule(result, 'IMG-045')).toEqual([]);
    expect(ofRule(result, 'IMG-043')).toEqual([expect.objectContaining({ location: { file: '/app/settings.ini', line: 1 } })]);
  });

  it('IMG-046: dev and VCS leftovers, once per item, outside node_modules; high when .git/config holds credentials', async () => {
    const result = await scanSpec(
      goodImage({
        layers: layers(
          copy({
            'app/.git/HEAD': 'ref: refs/heads/main\n',
            'app/.git/config': `[remote "origin"]\n\turl = https://ci:${GITHUB_TOKEN}@github.com/example/app.git\n`,
            'app/.git/objects/ab/cdef': 'x',
            'app/Dockerfile': 'FROM scratch\n',
            'app/node_modules/left-pad/.git/HEAD': 'x',
            'app/node_modules/left-pad/Dockerfile': 'x',
            'app/.DS_Store': 'x',
          }),
        ),
      }),
    );
    const found = ofRule(result, 'IMG-046');
    expect(found.map((f) => [f.location?.file, f.severity])).toEqual([
      ['/app/.DS_Store', 'low'],
      ['/app/.git/config', 'high'],
      ['/app/Dockerfile', 'low'],
    ]);
    expect(ofRule(await scanSpec(goodImage()), 'IMG-046')).toEqual([]);
  });
});
