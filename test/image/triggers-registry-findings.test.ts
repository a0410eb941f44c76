import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { fingerprint, type Finding } from '../../shared/findings/finding.ts';
import { fromBasicFinding, fromEnhancedFinding } from '../../shared/image/triggers/registry-findings.ts';
import type { FindingStore } from '../../shared/pipeline/ports.ts';
import { createFindingsTable, DynamoFindingStore } from '../../shared/store/dynamodb.ts';
import { LocalFindingStore } from '../../shared/store/local.ts';
import { useMoto } from '../support/aws.ts';

describe('registry findings, normalised', () => {
  it('reads a basic-scanning finding from its attributes', () => {
    expect(
      fromBasicFinding({ name: 'CVE-2026-1111', severity: 'MEDIUM', description: 'zlib flaw', attributes: [{ key: 'package_name', value: 'zlib' }, { key: 'package_version', value: '1:1.2.13.dfsg-1' }, { key: 'CVSS3_SCORE', value: '5.5' }] }),
    ).toEqual({ id: 'CVE-2026-1111', package: 'zlib', version: '1:1.2.13.dfsg-1', fixedVersion: null, fixAvailable: null, ecosystem: null, severity: 'medium', title: 'zlib flaw', filePath: null, scanner: 'ecr-basic' });
    expect(fromBasicFinding({ name: 'CVE-2026-1112', severity: 'LOW', attributes: [] })).toBeNull();
  });

  it('reads an Inspector finding: one vulnerability per vulnerable package, versions joined as the image records them', () => {
    const found = fromEnhancedFinding({
      awsAccountId: '123456789012',
      severity: 'HIGH',
      fixAvailable: 'YES',
      title: 'CVE-2026-2222 - openssl',
      packageVulnerabilityDetails: {
        vulnerabilityId: 'CVE-2026-2222',
        source: 'DEBIAN_CVE',
        vulnerablePackages: [
          { name: 'openssl', version: '3.0.11', release: '1~deb12u2', epoch: 0, packageManager: 'OS', fixedInVersion: '0:3.0.15-1~deb12u1' },
          { name: 'lodash', version: '4.17.20', packageManager: 'NODEPKG', filePath: 'app/package-lock.json', fixedInVersion: 'NotAvailable' },
        ],
      },
    });
    expect(found).toEqual([
      { id: 'CVE-2026-2222', package: 'openssl', version: '3.0.11-1~deb12u2', fixedVersion: '0:3.0.15-1~deb12u1', fixAvailable: true, ecosystem: 'OS', severity: 'high', title: 'CVE-2026-2222 - openssl', filePath: null, scanner: 'inspector' },
      { id: 'CVE-2026-2222', package: 'lodash', version: '4.17.20', fixedVersion: null, fixAvailable: true, ecosystem: 'NODEPKG', severity: 'high', title: 'CVE-2026-2222 - openssl', filePath: 'app/package-lock.json', scanner: 'inspector' },
    ]);
    expect(fromEnhancedFinding({ severity: 'HIGH' })).toEqual([]);
  });
});

/** A finding of an image digest, as image-scan writes it. */
function imageFinding(ruleId: string, field: string, digest: string): Finding {
  return {
    ruleId, severity: 'high', title: ruleId, message: field, remediation: 'fix', source: 'image',
    fingerprint: fingerprint({ ruleId, target: 'registry.example.com/team/web', field }),
    location: null, resource: null, container: null, compliance: [], suppressed: false, suppression: null,
    image: { registry: 'registry.example.com', repository: 'team/web', tag: 'stable', digest, platform: 'linux/amd64' },
  };
}

const summary = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
const OLD = `sha256:${'1'.repeat(64)}`;
const NEW = `sha256:${'2'.repeat(64)}`;
const supersedeBy = (digest: string) => (f: { image?: Record<string, unknown> | null }) => (f.image?.digest !== digest ? `stable now points at ${digest}` : null);

async function supersedeScenario(store: FindingStore) {
  const scope = { image: `registry.example.com/team/web-${randomUUID().slice(0, 6)}`, ref: 'stable' };
  await store.applyScan(scope, [imageFinding('IMG-045', 'key', OLD), imageFinding('IMG-001', 'user', OLD)], { at: '2026-03-01T10:00:00.000Z', commit: OLD, summary, trigger: 'push-1' }, { supersede: supersedeBy(OLD) });
  // The same digest scanned again without the key finding: fixed data, resolved.
  const rescan = await store.applyScan(scope, [imageFinding('IMG-001', 'user', OLD)], { at: '2026-03-01T11:00:00.000Z', commit: OLD, summary, trigger: 'rescan' }, { supersede: supersedeBy(OLD) });
  expect(rescan.resolved.map((f) => f.ruleId)).toEqual(['IMG-045']);
  expect(rescan.superseded).toEqual([]);
  // A new digest under the tag without IMG-001: superseded, not resolved.
  const push = await store.applyScan(scope, [imageFinding('IMG-029', 'sudo', NEW)], { at: '2026-03-02T10:00:00.000Z', commit: NEW, summary, trigger: 'push-2' }, { supersede: supersedeBy(NEW) });
  expect(push.superseded!.map((f) => f.ruleId)).toEqual(['IMG-001']);
  expect(push.resolved).toEqual([]);
  const superseded = push.superseded![0];
  expect(superseded.status).toBe('superseded');
  expect((await store.history(superseded.fingerprint)).map((h) => [h.event, h.reason])).toEqual([
    ['opened', undefined],
    ['superseded', `stable now points at ${NEW}`],
  ]);
  // A late scan of the old push changes nothing: the store already knows a newer scan.
  const late = await store.applyScan(scope, [imageFinding('IMG-001', 'user', OLD)], { at: '2026-03-01T12:00:00.000Z', commit: OLD, summary, trigger: 'push-1-again' }, { supersede: supersedeBy(OLD) });
  expect(late.superseded).toEqual([]);
  expect((await store.get(superseded.fingerprint))?.status).toBe('superseded');
  // The tag moved back to the old digest: the finding is current again.
  const rollback = await store.applyScan(scope, [imageFinding('IMG-001', 'user', OLD)], { at: '2026-03-03T10:00:00.000Z', commit: OLD, summary, trigger: 'push-3' }, { supersede: supersedeBy(OLD) });
  expect(rollback.opened.map((f) => f.ruleId)).toEqual(['IMG-001']);
  expect((await store.history(superseded.fingerprint)).at(-1)?.event).toBe('reopened');
}

describe('a newer push of the same tag supersedes the old digest\'s findings', () => {
  it('in the local store', async () => {
    await supersedeScenario(await LocalFindingStore.open({ dir: null }));
  });

  describe('in the DynamoDB store', () => {
    let tableName: string;
    beforeAll(async () => {
      useMoto();
      tableName = `supersede-${randomUUID().slice(0, 8)}`;
      await createFindingsTable(new DynamoDBClient({}), tableName);
    });
    it('records superseded, not resolved', async () => {
      await supersedeScenario(new DynamoFindingStore({ tableName }));
    });
  });
});
