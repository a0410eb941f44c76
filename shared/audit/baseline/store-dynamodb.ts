// The DynamoDB BaselineStore, in the findings table:
//   identity baseline  pk BASELINE#<cluster>#<identity>  sk BASELINE   tuples (string set), kind, firstSeen, learningUntil, saturated
//   cluster start      pk BASELINE#<cluster>             sk CLUSTER    firstSeen, learningUntil
// No index keys (findings queries never see these items) and sk is not META (the notify stream
// filter skips them). Additions are conditional on the set's size, so concurrent Lambda instances
// never grow a baseline past maxTuples.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Baseline, BaselineStart, BaselineStore } from './store.ts';

export interface DynamoBaselineStoreOptions {
  tableName: string;
  client?: DynamoDBClient;
  clock?: () => Date;
}

const BASELINE_SK = 'BASELINE';
const CLUSTER_SK = 'CLUSTER';
/** Attempts of a bounded addition while other writers keep changing the set. */
const MAX_ATTEMPTS = 6;

const baselinePk = (cluster: string, identity: string) => `BASELINE#${cluster}#${identity}`;
const clusterPk = (cluster: string) => `BASELINE#${cluster}`;

type Item = Record<string, unknown>;

function isConditionFailure(e: unknown): boolean {
  return (e as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

function baselineFromItem(item: Item): Baseline {
  const tuples = item.tuples instanceof Set ? [...(item.tuples as Set<string>)] : Array.isArray(item.tuples) ? (item.tuples as string[]) : [];
  return {
    cluster: String(item.cluster),
    identity: String(item.identity),
    kind: item.kind === 'human' ? 'human' : 'service-account',
    firstSeen: String(item.firstSeen),
    learningUntil: String(item.learningUntil),
    tuples: tuples.sort(),
    saturated: item.saturated === true,
    updatedAt: String(item.updatedAt),
  };
}

export class DynamoBaselineStore implements BaselineStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly clock: () => Date;

  constructor(options: DynamoBaselineStoreOptions) {
    this.doc = DynamoDBDocumentClient.from(options.client ?? new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
    this.table = options.tableName;
    this.clock = options.clock ?? (() => new Date());
  }

  async get(cluster: string, identity: string): Promise<Baseline | null> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: baselinePk(cluster, identity), sk: BASELINE_SK }, ConsistentRead: true }));
    return out.Item ? baselineFromItem(out.Item) : null;
  }

  async getOrStart(cluster: string, identity: string, start: BaselineStart): Promise<Baseline> {
    const existing = await this.get(cluster, identity);
    if (existing) return existing;
    const item = { pk: baselinePk(cluster, identity), sk: BASELINE_SK, cluster, identity, ...start, saturated: false, updatedAt: this.clock().toISOString() };
    try {
      await this.doc.send(new PutCommand({ TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
      return baselineFromItem(item);
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      // Another instance started it first: theirs is the baseline.
      const winner = await this.get(cluster, identity);
      if (!winner) throw e;
      return winner;
    }
  }

  async learn(cluster: string, identity: string, tuples: readonly string[], maxTuples: number): Promise<Baseline> {
    let pending = [...new Set(tuples)];
    // First attempt without a read: usually the set has room for everything.
    let current: Baseline | null = pending.length > maxTuples ? await this.get(cluster, identity) : null;
    if (pending.length > maxTuples && !current) throw new Error(`no baseline for ${identity} in ${cluster}`);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (current) {
        const known = new Set(current.tuples);
        pending = pending.filter((t) => !known.has(t));
        if (pending.length === 0) return current;
      }
      const room = current ? Math.max(0, maxTuples - current.tuples.length) : maxTuples;
      const fit = pending.slice(0, room);
      const overflow = fit.length < pending.length;
      if (fit.length === 0) return this.markSaturated(cluster, identity);
      try {
        const out = await this.doc.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { pk: baselinePk(cluster, identity), sk: BASELINE_SK },
            UpdateExpression: `ADD tuples :fit SET updatedAt = :now${overflow ? ', saturated = :true' : ''}`,
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(tuples) OR size(tuples) <= :limit)',
            ExpressionAttributeValues: { ':fit': new Set(fit), ':now': this.clock().toISOString(), ':limit': maxTuples - fit.length, ...(overflow ? { ':true': true } : {}) },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return baselineFromItem(out.Attributes!);
      } catch (e) {
        if (!isConditionFailure(e)) throw e;
        current = await this.get(cluster, identity);
        if (!current) throw new Error(`no baseline for ${identity} in ${cluster}`);
      }
    }
    throw new Error(`baseline of ${identity} in ${cluster}: too many concurrent writers`);
  }

  private async markSaturated(cluster: string, identity: string): Promise<Baseline> {
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: baselinePk(cluster, identity), sk: BASELINE_SK },
        UpdateExpression: 'SET saturated = :true, updatedAt = :now',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':true': true, ':now': this.clock().toISOString() },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return baselineFromItem(out.Attributes!);
  }

  async reset(cluster: string, identity: string, start: Omit<BaselineStart, 'kind'>): Promise<Baseline | null> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: baselinePk(cluster, identity), sk: BASELINE_SK },
          UpdateExpression: 'REMOVE tuples SET firstSeen = :firstSeen, learningUntil = :until, saturated = :false, updatedAt = :now',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':firstSeen': start.firstSeen, ':until': start.learningUntil, ':false': false, ':now': this.clock().toISOString() },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return baselineFromItem(out.Attributes!);
    } catch (e) {
      if (isConditionFailure(e)) return null;
      throw e;
    }
  }

  async clusterStart(cluster: string, start: { firstSeen: string; learningUntil: string }): Promise<{ firstSeen: string; learningUntil: string }> {
    const read = async () => (await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: clusterPk(cluster), sk: CLUSTER_SK }, ConsistentRead: true }))).Item;
    const existing = await read();
    if (existing) return { firstSeen: String(existing.firstSeen), learningUntil: String(existing.learningUntil) };
    try {
      await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: clusterPk(cluster), sk: CLUSTER_SK, cluster, ...start }, ConditionExpression: 'attribute_not_exists(pk)' }));
      return { ...start };
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      const winner = await read();
      if (!winner) throw e;
      return { firstSeen: String(winner.firstSeen), learningUntil: String(winner.learningUntil) };
    }
  }
}
