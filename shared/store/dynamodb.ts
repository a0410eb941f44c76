// The DynamoDB adapters: findings, their history, scan records and delivery de-duplication in one table.
//
// Layout (keys pk/sk; sparse GSIs gsi1 and gsi2; TTL on expiresAt):
//   finding    pk F#<fingerprint>       sk META                   gsi1 REPO#|IMAGE#|CLUSTER#<target> / <status>#<rank>#<lastSeen>#<fp>
//                                                                 gsi2 STATUS#<status> / <rank>#<lastSeen>#<fp>
//                                                                 search: lower-case text the `text` filter matches
//   history    pk F#<fingerprint>       sk H#<iso time>#<event>
//   scan       pk SCAN#<scopeKey>       sk <iso time>
//   delivery   pk DELIVERY#<id>         sk DELIVERY               expiresAt (epoch seconds)
//
// Every finding write is conditional on the version it was computed from (or on the item not
// existing yet), so workers racing on one scan neither duplicate a finding nor lose a transition:
// the loser re-reads and recomputes.
import {
  CreateTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type BatchGetCommandOutput,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { SEVERITIES, severityRank, type Finding } from '../findings/finding.ts';
import {
  emptyApplyResult,
  filterTargets,
  observeFinding,
  reopenFinding,
  resolveFinding,
  scopeTarget,
  supersedeFinding,
  suppressFinding,
  uniqueFindings,
  type ScanOutcomes,
  type TargetKind,
  type Transition,
} from '../pipeline/lifecycle.ts';
import { FINDING_STATUSES, scopeKey, storedFingerprint, type FindingScope, type HistoryEntry, type ScanRecord, type StoredFinding } from '../pipeline/model.ts';
import type { ApplyScanExtras, DeliveryLog, FindingFilter, FindingStore, Page, VisitResult } from '../pipeline/ports.ts';
import { decodeCursor, DYNAMO_VISIT_MAX, encodeCursor, InvalidCursorError, pageLimit, searchText, searchWords } from './paging.ts';

export const TTL_ATTRIBUTE = 'expiresAt';

/** Key attributes and bookkeeping that are not part of a StoredFinding. */
const ITEM_ONLY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'version', 'search'] as const;
/** Retries of one finding's transition when other writers keep winning. */
const MAX_ATTEMPTS = 8;
/** Findings written at once during a scan. */
const WRITE_CONCURRENCY = 16;
const BATCH_GET_SIZE = 100;
/** Items a filtered index read asks for at once: filters drop items after the read's limit. */
const FILTERED_READ_SIZE = 100;
/** Items a visit reads per request (DynamoDB stops at 1 MB anyway). */
const VISIT_READ_SIZE = 1000;

export interface DynamoStoreOptions {
  tableName: string;
  /** Defaults to a client configured from the environment (AWS_ENDPOINT_URL, AWS_REGION...). */
  client?: DynamoDBClient;
  /** Clock for suppress, reopen and upsert (scans use their record's time). */
  now?: () => Date;
}

function documentClient(client: DynamoDBClient | undefined): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client ?? new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
}

type Item = Record<string, unknown>;

interface Versioned {
  finding: StoredFinding;
  version: number;
}

const findingPk = (fingerprint: string) => `F#${fingerprint}`;
const FINDING_SK = 'META';
const targetKey = (kind: TargetKind, name: string) => `${kind.toUpperCase()}#${name}`;

/** The table item of a stored finding, with its index keys. */
export function findingItem(finding: StoredFinding, version: number): Item {
  const target = scopeTarget(finding.scope);
  const rank = severityRank(finding.severity);
  return {
    ...finding,
    pk: findingPk(finding.fingerprint),
    sk: FINDING_SK,
    gsi1pk: targetKey(target.kind, target.name),
    gsi1sk: `${finding.status}#${rank}#${finding.lastSeen}#${finding.fingerprint}`,
    gsi2pk: `STATUS#${finding.status}`,
    gsi2sk: `${rank}#${finding.lastSeen}#${finding.fingerprint}`,
    search: searchText(finding),
    version,
  };
}

/** True for finding items (not history, scan or delivery items): what a stream consumer cares about. */
export function isFindingItem(item: Item | undefined): boolean {
  return typeof item?.pk === 'string' && item.pk.startsWith('F#') && item.sk === FINDING_SK;
}

/** The StoredFinding in a table item (or an unmarshalled stream image). */
export function findingFromItem(item: Item): StoredFinding {
  const finding: Item = { ...item };
  for (const attribute of ITEM_ONLY_ATTRIBUTES) delete finding[attribute];
  return finding as unknown as StoredFinding;
}

const versionedFromItem = (item: Item): Versioned => ({ finding: findingFromItem(item), version: typeof item.version === 'number' ? item.version : 0 });

function isConditionFailure(e: unknown): boolean {
  const name = (e as { name?: string } | null)?.name;
  if (name === 'ConditionalCheckFailedException' || name === 'TransactionConflictException') return true;
  if (name !== 'TransactionCanceledException') return false;
  const reasons = (e as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  // A cancelled transaction is a lost race when a condition failed or another transaction held the item.
  return reasons.length === 0 || reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict');
}

export class DynamoFindingStore implements FindingStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly clock: () => Date;

  constructor(options: DynamoStoreOptions) {
    this.doc = documentClient(options.client);
    this.table = options.tableName;
    this.clock = options.now ?? (() => new Date());
  }

  async applyScan(
    scope: FindingScope,
    findings: Finding[],
    record: Omit<ScanRecord, 'scopeKey' | 'findings' | 'newFindings' | 'resolvedFindings'>,
    extras?: ApplyScanExtras,
  ): Promise<ScanOutcomes> {
    const now = new Date(record.at).toISOString();
    const unique = uniqueFindings(findings);
    const result = await this.observe(scope, unique, now, extras?.url);

    const produced = new Set(unique.map((f) => storedFingerprint(scope, f.fingerprint)));
    const target = scopeTarget(scope);
    const stillOpen = await this.queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :open)',
      FilterExpression: 'scopeKey = :scopeKey',
      ExpressionAttributeValues: { ':pk': targetKey(target.kind, target.name), ':open': 'open#', ':scopeKey': scopeKey(scope) },
    });
    const missing = stillOpen.filter((item) => !produced.has(findingFromItem(item).fingerprint));
    await mapLimit(missing, WRITE_CONCURRENCY, async (item) => {
      const current = versionedFromItem(item);
      const t = await this.transition(current.finding.fingerprint, current, (f) => {
        const reason = f?.status === 'open' ? extras?.supersede?.(f) : null;
        return f ? (reason ? supersedeFinding(f, now, reason) : resolveFinding(f, now)) : null;
      });
      if (t) result[t.outcome].push(t.next);
    });

    const scan: ScanRecord = {
      ...record,
      at: now,
      scopeKey: scopeKey(scope),
      findings: unique.length,
      newFindings: result.opened.length,
      resolvedFindings: result.resolved.length,
    };
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: `SCAN#${scan.scopeKey}`, sk: scan.at, ...scan } }));
    return result;
  }

  async upsert(scope: FindingScope, findings: Finding[]): Promise<ScanOutcomes> {
    return this.observe(scope, uniqueFindings(findings), this.clock().toISOString());
  }

  async get(fingerprint: string): Promise<StoredFinding | null> {
    return (await this.read(fingerprint))?.finding ?? null;
  }

  async openByFindingFingerprint(scope: FindingScope, findingFingerprints: string[]): Promise<Set<string>> {
    const stored = await this.readMany([...new Set(findingFingerprints)].map((fp) => storedFingerprint(scope, fp)));
    const open = new Set<string>();
    for (const { finding } of stored.values()) if (finding.status === 'open') open.add(finding.findingFingerprint);
    return open;
  }

  async query(filter: FindingFilter, page: { cursor?: string; limit?: number } = {}): Promise<Page<StoredFinding>> {
    const limit = pageLimit(page.limit);
    const status = filter.status ?? 'open';
    const [primary, ...otherTargets] = filterTargets(filter);
    const index = primary ? 'gsi1' : 'gsi2';
    const partition = primary ? targetKey(primary.kind, primary.name) : `STATUS#${status}`;
    const prefixOf = (rank: number) => (primary ? `${status}#${rank}#` : `${rank}#`);
    // One read per severity, each newest first: most severe first, then most recently seen.
    const ranks = filter.severity ? [severityRank(filter.severity)] : SEVERITIES.map((_, rank) => rank);

    const { conditions, names, values: filterValues } = filterConditions(filter, otherTargets);
    const values: Record<string, unknown> = { ':pk': partition, ...filterValues };
    const filtered = conditions.length > 0;

    const start = page.cursor ? this.decodeQueryCursor(page.cursor, index, partition, ranks) : { rank: ranks[0], key: undefined };
    const items: StoredFinding[] = [];
    for (let r = ranks.indexOf(start.rank); r < ranks.length; r++) {
      let key: Item | undefined = r === ranks.indexOf(start.rank) ? start.key : undefined;
      do {
        const remaining = limit - items.length;
        const res = await this.doc.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: index,
            KeyConditionExpression: `${index}pk = :pk AND begins_with(${index}sk, :prefix)`,
            ExpressionAttributeValues: { ...values, ':prefix': prefixOf(ranks[r]) },
            ...(filtered ? { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names } : {}),
            ScanIndexForward: false,
            Limit: filtered ? Math.max(remaining, FILTERED_READ_SIZE) : remaining,
            ExclusiveStartKey: key,
          }),
        );
        const found = res.Items ?? [];
        for (const item of found.slice(0, remaining)) items.push(findingFromItem(item));
        if (found.length > remaining) {
          // The read went past the page: continue right after the last item kept.
          const last = found[remaining - 1];
          return { items, cursor: encodeCursor({ r: ranks[r], k: pickKeys(last, index) }) };
        }
        key = res.LastEvaluatedKey;
        if (items.length === limit) {
          if (key) return { items, cursor: encodeCursor({ r: ranks[r], k: key }) };
          if (r + 1 < ranks.length) return { items, cursor: encodeCursor({ r: ranks[r + 1] }) };
          return { items };
        }
      } while (key);
    }
    return { items };
  }

  /**
   * Reads the matching findings from the indexes: the target's partition of gsi1 when the filter
   * names a repo, image or cluster, else the status partitions of gsi2 (all three unless the filter
   * has a status). Bounded by `max` (default 50,000 findings); the other filters run server side.
   */
  async visit(filter: FindingFilter, visit: (finding: StoredFinding) => void, options: { max?: number } = {}): Promise<VisitResult> {
    const max = options.max ?? DYNAMO_VISIT_MAX;
    const [primary, ...otherTargets] = filterTargets(filter);
    const { conditions, names, values } = filterConditions(filter, otherTargets);
    const reads: Omit<QueryCommandInput, 'TableName'>[] = primary
      ? [
          {
            IndexName: 'gsi1',
            KeyConditionExpression: filter.status ? 'gsi1pk = :pk AND begins_with(gsi1sk, :status)' : 'gsi1pk = :pk',
            ExpressionAttributeValues: { ...values, ':pk': targetKey(primary.kind, primary.name), ...(filter.status ? { ':status': `${filter.status}#` } : {}) },
          },
        ]
      : (filter.status ? [filter.status] : FINDING_STATUSES).map((status) => ({
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: { ...values, ':pk': `STATUS#${status}` },
        }));
    let visited = 0;
    for (const read of reads) {
      let key: Item | undefined;
      do {
        const res = await this.doc.send(
          new QueryCommand({
            ...read,
            TableName: this.table,
            ...(conditions.length ? { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names } : {}),
            Limit: VISIT_READ_SIZE,
            ExclusiveStartKey: key,
          }),
        );
        for (const item of res.Items ?? []) {
          if (visited === max) return { visited, truncated: true };
          visit(findingFromItem(item));
          visited++;
        }
        key = res.LastEvaluatedKey;
      } while (key);
    }
    return { visited, truncated: false };
  }

  async history(fingerprint: string): Promise<HistoryEntry[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :history)',
      ExpressionAttributeValues: { ':pk': findingPk(fingerprint), ':history': 'H#' },
      ConsistentRead: true,
    });
    return items.map((item) => {
      const entry: HistoryEntry = { at: String(item.at), event: item.event as HistoryEntry['event'] };
      if (typeof item.by === 'string') entry.by = item.by;
      if (typeof item.reason === 'string') entry.reason = item.reason;
      return entry;
    });
  }

  async suppress(fingerprint: string, by: string, reason: string, until: string | null): Promise<StoredFinding | null> {
    const now = this.clock().toISOString();
    const t = await this.transition(fingerprint, undefined, (f) => (f ? suppressFinding(f, by, reason, until, now) : null));
    return t?.next ?? null;
  }

  async reopen(fingerprint: string, by: string, reason?: string): Promise<StoredFinding | null> {
    const now = this.clock().toISOString();
    const t = await this.transition(fingerprint, undefined, (f) => (f ? reopenFinding(f, by, reason, now) : null));
    // No transition: unknown, or already open.
    return t ? t.next : this.get(fingerprint);
  }

  async scans(scope: FindingScope, limit = 20): Promise<ScanRecord[]> {
    const res = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `SCAN#${scopeKey(scope)}` },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (res.Items ?? []).map(({ pk: _pk, sk: _sk, ...record }) => record as ScanRecord);
  }

  /** Observes each finding of a scope at `now` (the upsert half of a scan). */
  private async observe(scope: FindingScope, findings: Finding[], now: string, url?: (f: Finding) => string | null): Promise<ScanOutcomes> {
    const result = emptyApplyResult();
    const existing = await this.readMany(findings.map((f) => storedFingerprint(scope, f.fingerprint)));
    await mapLimit(findings, WRITE_CONCURRENCY, async (finding) => {
      const fingerprint = storedFingerprint(scope, finding.fingerprint);
      const link = url?.(finding);
      const t = await this.transition(fingerprint, existing.get(fingerprint) ?? null, (f) => observeFinding(f, finding, scope, now, link));
      if (t && t.outcome !== 'resolved') result[t.outcome].push(t.next);
    });
    return result;
  }

  /**
   * Applies `step` to the current state and writes the result on condition that nobody wrote in
   * between; on a lost race it re-reads and tries again. `known` skips the first read.
   */
  private async transition(fingerprint: string, known: Versioned | null | undefined, step: (current: StoredFinding | null) => Transition | null): Promise<Transition | null> {
    let current = known === undefined ? await this.read(fingerprint) : known;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const t = step(current?.finding ?? null);
      if (!t || !t.write) return t;
      if (await this.commit(current, t)) return t;
      current = await this.read(fingerprint);
    }
    throw new Error(`finding ${fingerprint} kept changing under concurrent writers; gave up after ${MAX_ATTEMPTS} attempts`);
  }

  /** Writes a transition (the finding and its history entry together); false when another writer got there first. */
  private async commit(previous: Versioned | null, t: Transition): Promise<boolean> {
    const condition = previous
      ? { ConditionExpression: '#version = :expected', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': previous.version } }
      : { ConditionExpression: 'attribute_not_exists(pk)' };
    const put = { TableName: this.table, Item: findingItem(t.next, (previous?.version ?? 0) + 1), ...condition };
    try {
      if (t.event) {
        const history = { pk: findingPk(t.next.fingerprint), sk: `H#${t.event.at}#${t.event.event}`, ...t.event };
        await this.doc.send(new TransactWriteCommand({ TransactItems: [{ Put: put }, { Put: { TableName: this.table, Item: history } }] }));
      } else {
        await this.doc.send(new PutCommand(put));
      }
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  private async read(fingerprint: string): Promise<Versioned | null> {
    const res = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: findingPk(fingerprint), sk: FINDING_SK }, ConsistentRead: true }));
    return res.Item ? versionedFromItem(res.Item) : null;
  }

  private async readMany(fingerprints: string[]): Promise<Map<string, Versioned>> {
    const out = new Map<string, Versioned>();
    for (let i = 0; i < fingerprints.length; i += BATCH_GET_SIZE) {
      let keys: Item[] | undefined = fingerprints.slice(i, i + BATCH_GET_SIZE).map((fp) => ({ pk: findingPk(fp), sk: FINDING_SK }));
      for (let attempt = 0; keys?.length; attempt++) {
        if (attempt > 0) await sleep(Math.min(1000, 50 * 2 ** attempt));
        const res: BatchGetCommandOutput = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys, ConsistentRead: true } } }));
        for (const item of res.Responses?.[this.table] ?? []) {
          const v = versionedFromItem(item);
          out.set(v.finding.fingerprint, v);
        }
        keys = res.UnprocessedKeys?.[this.table]?.Keys;
      }
    }
    return out;
  }

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    let key: Item | undefined;
    do {
      const res = await this.doc.send(new QueryCommand({ ...input, TableName: this.table, ExclusiveStartKey: key }));
      items.push(...(res.Items ?? []));
      key = res.LastEvaluatedKey;
    } while (key);
    return items;
  }

  /** A cursor is only good for the query that made it (same index, partition and severities). */
  private decodeQueryCursor(cursor: string, index: string, partition: string, ranks: number[]): { rank: number; key: Item | undefined } {
    const { r, k } = decodeCursor(cursor);
    if (typeof r !== 'number' || !ranks.includes(r)) throw new InvalidCursorError('it belongs to another query');
    if (k === undefined) return { rank: r, key: undefined };
    const expected = ['pk', 'sk', `${index}pk`, `${index}sk`];
    const key = k as Item;
    const wellFormed =
      typeof k === 'object' && k !== null && Object.keys(key).length === expected.length && expected.every((name) => typeof key[name] === 'string');
    if (!wellFormed || key[`${index}pk`] !== partition) throw new InvalidCursorError('it belongs to another query');
    return { rank: r, key };
  }
}

/** The filter conditions no key condition covers, as a FilterExpression's parts (status and the primary target are keys). */
function filterConditions(filter: FindingFilter, otherTargets: { kind: TargetKind; name: string }[]) {
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const equal = (attribute: string, value: string) => {
    conditions.push(`#${attribute} = :${attribute}`);
    names[`#${attribute}`] = attribute;
    values[`:${attribute}`] = value;
  };
  if (filter.source) equal('source', filter.source);
  if (filter.rule) equal('ruleId', filter.rule);
  for (const t of otherTargets) {
    conditions.push(`#scope.#${t.kind} = :${t.kind}`);
    names['#scope'] = 'scope';
    names[`#${t.kind}`] = t.kind;
    values[`:${t.kind}`] = t.name;
  }
  searchWords(filter.text).forEach((word, i) => {
    conditions.push(`contains(#search, :word${i})`);
    names['#search'] = 'search';
    values[`:word${i}`] = word;
  });
  return { conditions, names, values };
}

/** The table and index keys of an item: what a read restarts after. */
function pickKeys(item: Item, index: string): Item {
  return { pk: item.pk, sk: item.sk, [`${index}pk`]: item[`${index}pk`], [`${index}sk`]: item[`${index}sk`] };
}

/** Webhook delivery ids, remembered until their TTL (DynamoDB deletes expired items eventually, so expiry is also checked). */
export class DynamoDeliveryLog implements DeliveryLog {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly clock: () => Date;

  constructor(options: DynamoStoreOptions) {
    this.doc = documentClient(options.client);
    this.table = options.tableName;
    this.clock = options.now ?? (() => new Date());
  }

  async firstDelivery(id: string, ttlSeconds: number): Promise<boolean> {
    const nowSeconds = Math.floor(this.clock().getTime() / 1000);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: `DELIVERY#${id}`, sk: 'DELIVERY', [TTL_ATTRIBUTE]: nowSeconds + ttlSeconds },
          ConditionExpression: 'attribute_not_exists(pk) OR #expires <= :now',
          ExpressionAttributeNames: { '#expires': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':now': nowSeconds },
        }),
      );
      return true;
    } catch (e) {
      if ((e as { name?: string } | null)?.name === 'ConditionalCheckFailedException') return false;
      throw e;
    }
  }

  async forget(id: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: `DELIVERY#${id}`, sk: 'DELIVERY' } }));
  }
}

/**
 * Creates the findings table as the CDK stack defines it (keys, two GSIs, TTL, stream with old and
 * new images), for tests and the local server. An existing table is left as it is.
 */
export async function createFindingsTable(client: DynamoDBClient, name: string): Promise<void> {
  const indexes = ['gsi1', 'gsi2'];
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: ['pk', 'sk', ...indexes.flatMap((i) => [`${i}pk`, `${i}sk`])].map((a) => ({ AttributeName: a, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: indexes.map((i) => ({
          IndexName: i,
          KeySchema: [
            { AttributeName: `${i}pk`, KeyType: 'HASH' },
            { AttributeName: `${i}sk`, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
  } catch (e) {
    if (e instanceof ResourceInUseException || (e as { name?: string }).name === 'ResourceInUseException') return;
    throw e;
  }
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: name });
  await client.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } }));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function mapLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}
