import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { FindingStatus, StoredFinding } from '../../shared/pipeline/model.ts';

let counter = 0;

/** A stored IaC finding on a GitHub PR; override what a test is about. */
export function storedFinding(overrides: Partial<StoredFinding> = {}): StoredFinding {
  counter++;
  const fingerprint = overrides.fingerprint ?? counter.toString(16).padStart(64, 'a');
  return {
    ruleId: 'K8S-001',
    severity: 'critical',
    title: 'Privileged container',
    message: 'Container "web" of Deployment/web runs privileged.',
    remediation: 'Set securityContext.privileged to false.',
    fingerprint,
    findingFingerprint: fingerprint.split('').reverse().join(''),
    source: 'iac',
    location: { file: 'deploy/web.yaml', line: 27 },
    resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'prod', name: 'web' },
    container: 'web',
    compliance: ['CIS-K8S 5.2.1', 'NIST-800-190 4.4.3'],
    suppressed: false,
    suppression: null,
    evidence: null,
    scope: { repo: 'github:acme/shop', ref: 'pr/42' },
    scopeKey: 'repo:github:acme/shop@pr/42',
    status: 'open',
    firstSeen: '2026-03-01T10:00:00.000Z',
    lastSeen: '2026-03-01T10:00:00.000Z',
    resolvedAt: null,
    suppressedBy: null,
    suppressedReason: null,
    suppressedUntil: null,
    url: 'https://github.com/acme/shop/blob/0123456789abcdef/deploy/web.yaml#L27',
    ...overrides,
  };
}

/** The table item a store writes for a finding: the finding plus keys and index attributes. */
function image(finding: StoredFinding): Record<string, AttributeValue> {
  const item = { ...finding, pk: `F#${finding.fingerprint}`, sk: 'META', gsi2pk: `STATUS#${finding.status}`, version: 1 };
  return marshall(item, { removeUndefinedValues: true }) as Record<string, AttributeValue>;
}

let sequence = 1000;

function streamRecord(
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  keys: { pk: string; sk: string },
  newImage?: Record<string, AttributeValue>,
  oldImage?: Record<string, AttributeValue>,
): DynamoDBRecord {
  sequence++;
  return {
    eventID: `event-${sequence}`,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: 1772359200,
      Keys: marshall(keys) as Record<string, AttributeValue>,
      ...(newImage ? { NewImage: newImage } : {}),
      ...(oldImage ? { OldImage: oldImage } : {}),
      SequenceNumber: String(sequence).padStart(21, '0'),
      SizeBytes: 512,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/shipwatch-findings/stream/2026-03-01T00:00:00.000',
  };
}

const keysOf = (f: StoredFinding) => ({ pk: `F#${f.fingerprint}`, sk: 'META' });

export function inserted(finding: StoredFinding): DynamoDBRecord {
  return streamRecord('INSERT', keysOf(finding), image(finding));
}

/** A MODIFY whose old image had `from` status and whose new image is the finding as given. */
export function modified(finding: StoredFinding, from: FindingStatus): DynamoDBRecord {
  return streamRecord('MODIFY', keysOf(finding), image(finding), image({ ...finding, status: from }));
}

export function removed(finding: StoredFinding): DynamoDBRecord {
  return streamRecord('REMOVE', keysOf(finding), undefined, image(finding));
}

/** An item in a finding's partition that is not the finding itself (here with every finding attribute, to prove the key decides). */
export function otherItemInserted(finding: StoredFinding): DynamoDBRecord {
  const keys = { pk: `F#${finding.fingerprint}`, sk: `H#${finding.firstSeen}#opened` };
  return streamRecord('INSERT', keys, marshall({ ...finding, ...keys }, { removeUndefinedValues: true }) as Record<string, AttributeValue>);
}

export function sequenceNumberOf(record: DynamoDBRecord): string {
  return record.dynamodb?.SequenceNumber ?? '';
}
