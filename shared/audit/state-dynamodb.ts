// AuditState in the findings table, so every audit-sink instance sees the same groups, counters
// and claims. Items (TTL on expiresAt, no GSI attributes, so finding queries never see them):
//   claim    pk AUDIT#<cluster>#EVENT#<auditID>   sk <stage key>
//   group    pk AUDIT#<cluster>#GROUP#<sha256>    sk GROUP     count, firstSeen, lastSeen, windowEnd, auditIDs
//   counter  pk AUDIT#<cluster>#COUNT#<sha256>    sk COUNTER   n | targets (string set), windowEnd
// Every change is a conditional write; a writer that loses a race re-reads through the next
// condition, so two instances counting the same key add up instead of overwriting each other.
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { MAX_GROUP_AUDIT_IDS, type AuditState, type GroupRecord, type GroupTouch } from './state.ts';

export interface DynamoAuditStateOptions {
  tableName: string;
  client?: DynamoDBClient;
  /** Wall clock for TTLs (windows follow event time). */
  now?: () => number;
}

/** Items outlive their window by this much, for late and redelivered events. */
const TTL_SLACK_SECONDS = 3600;
const MAX_ATTEMPTS = 8;

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');
const isConditionFailure = (e: unknown) => e instanceof ConditionalCheckFailedException || (e as { name?: string }).name === 'ConditionalCheckFailedException';

export class DynamoAuditState implements AuditState {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly now: () => number;

  constructor(options: DynamoAuditStateOptions) {
    this.doc = DynamoDBDocumentClient.from(options.client ?? new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
    this.table = options.tableName;
    this.now = options.now ?? Date.now;
  }

  private expiresAt(windowEnd: number): number {
    return Math.ceil(Math.max(windowEnd, this.now()) / 1000) + TTL_SLACK_SECONDS;
  }

  async claimEvent(cluster: string, auditID: string, stageKey: string, ttlSeconds: number): Promise<boolean> {
    const nowSeconds = Math.floor(this.now() / 1000);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: claimPk(cluster, auditID), sk: stageKey, expiresAt: nowSeconds + ttlSeconds },
          // An expired claim that TTL has not deleted yet counts as absent.
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
          ExpressionAttributeValues: { ':now': nowSeconds },
        }),
      );
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }

  async releaseEvent(cluster: string, auditID: string, stageKey: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: claimPk(cluster, auditID), sk: stageKey } }));
  }

  async touchGroup(cluster: string, key: string, touch: GroupTouch): Promise<GroupRecord> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const open = await this.touchOpenGroup(cluster, key, touch);
      if (open) return open;
      const windowEnd = touch.at + touch.windowSeconds * 1000;
      const fresh = { count: 1, firstSeen: touch.at, lastSeen: touch.at, windowEnd, auditIDs: touch.auditID ? [touch.auditID] : [] };
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: { pk: groupPk(cluster, key), sk: 'GROUP', ...fresh, expiresAt: this.expiresAt(windowEnd) },
            ConditionExpression: 'attribute_not_exists(pk) OR windowEnd <= :at',
            ExpressionAttributeValues: { ':at': touch.at },
          }),
        );
        return { ...fresh, opened: true };
      } catch (e) {
        if (!isConditionFailure(e)) throw e;
        // Another instance opened the group in between: increment theirs.
      }
    }
    throw new Error(`audit group ${key}: gave up after ${MAX_ATTEMPTS} conflicting writes`);
  }

  async touchOpenGroup(cluster: string, key: string, touch: GroupTouch): Promise<GroupRecord | null> {
    const Key = { pk: groupPk(cluster, key), sk: 'GROUP' };
    const open = 'attribute_exists(pk) AND windowEnd > :at';
    // While the group holds fewer than the maximum audit IDs, append this one in the same write.
    const variants = touch.auditID
      ? [
          { update: 'SET lastSeen = :at, auditIDs = list_append(auditIDs, :id) ADD #count :one', condition: `${open} AND #count < :max`, values: { ':id': [touch.auditID], ':max': MAX_GROUP_AUDIT_IDS } },
          { update: 'SET lastSeen = :at ADD #count :one', condition: open, values: {} },
        ]
      : [{ update: 'SET lastSeen = :at ADD #count :one', condition: open, values: {} }];
    for (const v of variants) {
      try {
        const { Attributes } = await this.doc.send(
          new UpdateCommand({
            TableName: this.table,
            Key,
            UpdateExpression: v.update,
            ConditionExpression: v.condition,
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':at': touch.at, ':one': 1, ...v.values },
            ReturnValues: 'ALL_NEW',
          }),
        );
        const a = Attributes as { count: number; firstSeen: number; lastSeen: number; windowEnd: number; auditIDs?: string[] };
        // lastSeen is a plain SET: an older event arriving late reports the newest one seen.
        return { count: a.count, firstSeen: a.firstSeen, lastSeen: Math.max(a.lastSeen, touch.at), windowEnd: a.windowEnd, auditIDs: a.auditIDs ?? [], opened: false };
      } catch (e) {
        if (!isConditionFailure(e)) throw e;
      }
    }
    return null;
  }

  async addToCounter(cluster: string, key: string, at: number, windowSeconds: number, target?: string): Promise<number> {
    const Key = { pk: counterPk(cluster, key), sk: 'COUNTER' };
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        const { Attributes } = await this.doc.send(
          new UpdateCommand({
            TableName: this.table,
            Key,
            UpdateExpression: target === undefined ? 'ADD n :one' : 'ADD targets :target',
            ConditionExpression: 'attribute_exists(pk) AND windowEnd > :at',
            ExpressionAttributeValues: { ':at': at, ...(target === undefined ? { ':one': 1 } : { ':target': new Set([target]) }) },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return target === undefined ? Number(Attributes?.n ?? 0) : ((Attributes?.targets as Set<string> | undefined)?.size ?? 0);
      } catch (e) {
        if (!isConditionFailure(e)) throw e;
      }
      const windowEnd = at + windowSeconds * 1000;
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...Key, windowEnd, expiresAt: this.expiresAt(windowEnd), ...(target === undefined ? { n: 1 } : { targets: new Set([target]) }) },
            ConditionExpression: 'attribute_not_exists(pk) OR windowEnd <= :at',
            ExpressionAttributeValues: { ':at': at },
          }),
        );
        return 1;
      } catch (e) {
        if (!isConditionFailure(e)) throw e;
        // Someone started the window in between: add to theirs.
      }
    }
    throw new Error(`audit counter ${key}: gave up after ${MAX_ATTEMPTS} conflicting writes`);
  }

  async resetCounter(cluster: string, key: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: counterPk(cluster, key), sk: 'COUNTER' } }));
  }
}

const claimPk = (cluster: string, auditID: string) => `AUDIT#${cluster}#EVENT#${auditID}`;
const groupPk = (cluster: string, key: string) => `AUDIT#${cluster}#GROUP#${hashKey(key)}`;
const counterPk = (cluster: string, key: string) => `AUDIT#${cluster}#COUNT#${hashKey(key)}`;
