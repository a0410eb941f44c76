import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { SEVERITIES, type Severity } from '../findings/finding.ts';
import { FINDING_STATUSES, type FindingStatus, type StoredFinding } from '../pipeline/model.ts';
import { DEFAULT_DIGEST_ABOVE, DEFAULT_MIN_SEVERITY, mostSevereFirst, shouldAlert } from './alert.ts';

export interface StreamAlertOptions {
  /** Alert only findings at or above this severity (default high). */
  minSeverity?: Severity;
  /** More alerts than this in one batch become one digest (default 10). */
  digestAbove?: number;
}

export interface StreamAlerts {
  /** Findings to alert one message each, most severe first. */
  individual: StoredFinding[];
  /** Findings for one digest message (the batch had more than `digestAbove` alerts), most severe first. */
  digest: StoredFinding[];
  /** Sequence numbers of the stream records behind each alerted finding, by its stored fingerprint. */
  records: Map<string, string[]>;
  /**
   * Sequence numbers of finding records that cannot be decided (an image missing or not a
   * finding): reported as failures so they end up in the dead-letter queue instead of vanishing.
   */
  unreadable: string[];
}

/** Sort key of the item that holds a finding itself (history and other items share its partition). */
const FINDING_ITEM = 'META';

/** The attributes of a finding item that make up the StoredFinding; table keys and index attributes stay behind. */
const FINDING_FIELDS: readonly (keyof StoredFinding)[] = [
  'ruleId', 'severity', 'title', 'message', 'remediation', 'fingerprint', 'source', 'location', 'resource',
  'container', 'compliance', 'suppressed', 'suppression', 'evidence', 'image', 'vulnerability', 'audit',
  'findingFingerprint', 'scope', 'scopeKey', 'status', 'firstSeen', 'lastSeen', 'resolvedAt', 'suppressedBy',
  'suppressedReason', 'suppressedUntil', 'url',
];

/**
 * Decides what a batch of findings-table stream records alerts: a finding that is new (INSERT,
 * open) or re-opened (MODIFY from resolved or suppressed to open), at or above the severity
 * threshold and not suppressed. A finding that changes several times in one batch alerts once.
 */
export function alertsFromStream(records: readonly DynamoDBRecord[], options: StreamAlertOptions = {}): StreamAlerts {
  const minSeverity = options.minSeverity ?? DEFAULT_MIN_SEVERITY;
  const digestAbove = options.digestAbove ?? DEFAULT_DIGEST_ABOVE;
  const alerting = new Map<string, StoredFinding>();
  const recordsOf = new Map<string, string[]>();
  const unreadable: string[] = [];

  for (const record of records) {
    const change = record.dynamodb;
    if (change?.Keys?.sk?.S !== FINDING_ITEM) continue;
    if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') continue;
    const sequenceNumber = change.SequenceNumber ?? record.eventID ?? '';
    const finding = change.NewImage ? findingFromImage(change.NewImage) : null;
    const previousStatus = record.eventName === 'MODIFY' ? statusOf(change.OldImage) : null;
    if (!finding || (record.eventName === 'MODIFY' && !previousStatus)) {
      unreadable.push(sequenceNumber);
      continue;
    }
    const becameOpen = finding.status === 'open' && (record.eventName === 'INSERT' || previousStatus !== 'open');
    if (!becameOpen || !shouldAlert(finding, minSeverity)) continue;
    alerting.set(finding.fingerprint, finding);
    recordsOf.set(finding.fingerprint, [...(recordsOf.get(finding.fingerprint) ?? []), sequenceNumber]);
  }

  const alerts = mostSevereFirst([...alerting.values()]);
  const asDigest = alerts.length > digestAbove;
  return { individual: asDigest ? [] : alerts, digest: asDigest ? alerts : [], records: recordsOf, unreadable };
}

function unmarshallImage(image: Record<string, AttributeValue>): Record<string, unknown> | null {
  try {
    // The Lambda event's AttributeValue JSON is the same wire shape the SDK's type describes.
    return unmarshall(image as Record<string, SdkAttributeValue>);
  } catch {
    return null;
  }
}

function statusOf(image: Record<string, AttributeValue> | undefined): FindingStatus | null {
  const status = image ? unmarshallImage(image)?.status : undefined;
  return FINDING_STATUSES.find((s) => s === status) ?? null;
}

/** The StoredFinding in a finding item, or null when the item lacks what alerting relies on. */
export function findingFromImage(image: Record<string, AttributeValue>): StoredFinding | null {
  const item = unmarshallImage(image);
  if (!item) return null;
  const { ruleId, severity, fingerprint, status, source, title, scope } = item;
  const readable =
    typeof ruleId === 'string' && ruleId !== '' &&
    SEVERITIES.some((s) => s === severity) &&
    typeof fingerprint === 'string' && fingerprint !== '' &&
    FINDING_STATUSES.some((s) => s === status) &&
    typeof source === 'string' && source !== '' &&
    typeof title === 'string' &&
    typeof scope === 'object' && scope !== null;
  if (!readable) return null;
  const nullable = { location: null, resource: null, container: null, suppression: null, url: null };
  const fields = Object.fromEntries(FINDING_FIELDS.filter((k) => item[k] !== undefined).map((k) => [k, item[k]]));
  return {
    ...nullable,
    ...fields,
    message: typeof item.message === 'string' ? item.message : '',
    remediation: typeof item.remediation === 'string' ? item.remediation : '',
    compliance: stringList(item.compliance),
    suppressed: item.suppressed === true,
  } as StoredFinding;
}

/** A list attribute, which a store may also keep as a string set. */
function stringList(value: unknown): string[] {
  const values = value instanceof Set ? [...value] : Array.isArray(value) ? value : [];
  return values.filter((v): v is string => typeof v === 'string');
}
