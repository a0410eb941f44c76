import { DynamoDBClient, DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { storedFingerprint, type FindingScope } from '../../shared/pipeline/model.ts';
import { createFindingsTable, DynamoDeliveryLog, DynamoFindingStore, findingFromItem, isFindingItem } from '../../shared/store/dynamodb.ts';
import { useMoto } from '../support/aws.ts';
import { findingStoreContract } from './contract.ts';
import { finding, scanRecord, testClock } from './support.ts';

let client: DynamoDBClient;

/**
 * A client whose finding writes wait until `open()` (those `holds` picks): a worker paused between
 * its read and its write, to race another one deterministically.
 */
function writeGate(holds: (input: unknown) => boolean = () => true) {
  let open!: () => void;
  let arrived!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const reached = new Promise<void>((resolve) => (arrived = resolve));
  const gated = new DynamoDBClient({});
  gated.middlewareStack.add(
    (next, context) => async (args) => {
      if (/TransactWrite|PutItem/.test(context.commandName ?? '') && holds(args.input)) {
        arrived();
        await opened;
      }
      return next(args);
    },
    { step: 'initialize', name: 'writeGate' },
  );
  return { client: gated, reached, open };
}
let tables = 0;

/** A fresh table per store: tests never see each other's items. */
async function freshTable(): Promise<string> {
  const name = `store-test-${process.pid}-${++tables}`;
  await createFindingsTable(client, name);
  return name;
}

beforeAll(() => {
  useMoto();
  client = new DynamoDBClient({});
});

describe('DynamoFindingStore', () => {
  findingStoreContract(async (now) => new DynamoFindingStore({ client, tableName: await freshTable(), now }));

  it('creates the table like the CDK stack: keys, two GSIs, stream with both images, TTL on expiresAt', async () => {
    const name = await freshTable();
    await createFindingsTable(client, name); // existing table: left alone
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.KeySchema?.map((k) => k.AttributeName), i.Projection?.ProjectionType])).toEqual([
      ['gsi1', ['gsi1pk', 'gsi1sk'], 'ALL'],
      ['gsi2', ['gsi2pk', 'gsi2sk'], 'ALL'],
    ]);
    expect(Table?.StreamSpecification).toMatchObject({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ AttributeName: 'expiresAt', TimeToLiveStatus: 'ENABLED' });
  });

  it('writes the documented item layout', async () => {
    const tableName = await freshTable();
    const store = new DynamoFindingStore({ client, tableName });
    const scope: FindingScope = { image: 'registry.example/shop' };
    const f = finding('a', { severity: 'critical', source: 'image' });
    await store.applyScan(scope, [f], scanRecord('2026-01-01T10:00:00Z'));
    const fp = storedFingerprint(scope, f.fingerprint);
    const doc = DynamoDBDocumentClient.from(client);
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: { pk: `F#${fp}`, sk: 'META' } }));
    expect(Item).toMatchObject({
      gsi1pk: 'IMAGE#registry.example/shop',
      gsi1sk: `open#0#2026-01-01T10:00:00.000Z#${fp}`,
      gsi2pk: 'STATUS#open',
      gsi2sk: `0#2026-01-01T10:00:00.000Z#${fp}`,
      status: 'open',
      fingerprint: fp,
    });
    expect(isFindingItem(Item)).toBe(true);
    expect(findingFromItem(Item!)).toEqual(await store.get(fp));
    const history = await doc.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :h)', ExpressionAttributeValues: { ':pk': `F#${fp}`, ':h': 'H#' } }));
    expect(history.Items?.map((i) => i.sk)).toEqual(['H#2026-01-01T10:00:00.000Z#opened']);
    expect(isFindingItem(history.Items?.[0])).toBe(false);
    const scans = await doc.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'SCAN#image:registry.example/shop' } }));
    expect(scans.Items?.map((i) => i.sk)).toEqual(['2026-01-01T10:00:00.000Z']);
  });

  it('creates each finding once when two workers race on the same scan', async () => {
    const tableName = await freshTable();
    const scope: FindingScope = { repo: 'github:acme/shop', ref: 'main' };
    const findings = Array.from({ length: 12 }, (_, i) => finding(`race-${i}`));

    // Worker A reads (nothing there yet), then worker B stores the whole scan before A writes. The
    // interleaving is forced because moto does not serialise concurrent requests (its transaction
    // rollback can even undo another request's write), unlike DynamoDB.
    const gate = writeGate();
    const a = new DynamoFindingStore({ client: gate.client, tableName });
    const b = new DynamoFindingStore({ client, tableName });
    const slow = a.applyScan(scope, findings, scanRecord('2026-01-01T10:00:00Z'));
    await gate.reached;
    const fast = await b.applyScan(scope, findings, scanRecord('2026-01-01T10:00:00Z'));
    gate.open();
    const late = await slow;

    expect(fast.opened).toHaveLength(12);
    expect(late.opened).toEqual([]);
    expect(late.unchanged).toHaveLength(12);
    expect((await b.query({ repo: scope.repo }, { limit: 500 })).items).toHaveLength(12);
    for (const f of findings) {
      expect((await b.history(storedFingerprint(scope, f.fingerprint))).map((h) => h.event)).toEqual(['opened']);
    }
  });

  it('loses no transition when a resolution races a suppression', async () => {
    const tableName = await freshTable();
    const scope: FindingScope = { repo: 'github:acme/shop', ref: 'main' };
    const [kept, fixed] = [finding('kept'), finding('fixed')];
    const b = new DynamoFindingStore({ client, tableName, now: () => new Date('2026-01-02T09:00:00Z') });
    await b.applyScan(scope, [kept, fixed], scanRecord('2026-01-01T10:00:00Z'));

    // A's scan no longer lists `fixed` and is about to resolve it when B suppresses it.
    const gate = writeGate((input) => JSON.stringify(input).includes('"resolved"'));
    const a = new DynamoFindingStore({ client: gate.client, tableName });
    const scan = a.applyScan(scope, [kept], scanRecord('2026-01-02T10:00:00Z'));
    await gate.reached;
    const target = storedFingerprint(scope, fixed.fingerprint);
    await b.suppress(target, 'alice', 'accepted risk', null);
    gate.open();
    const result = await scan;

    expect(result.resolved).toEqual([]);
    expect(await b.get(target)).toMatchObject({ status: 'suppressed', suppressedBy: 'alice' });
    expect((await b.history(target)).map((h) => h.event)).toEqual(['opened', 'suppressed']);
  });

  it('de-duplicates deliveries until forgotten or expired', async () => {
    const tableName = await freshTable();
    const clock = testClock('2026-01-01T00:00:00Z');
    const log = new DynamoDeliveryLog({ client, tableName, now: clock.now });
    expect(await log.firstDelivery('github:d-1', 3600)).toBe(true);
    expect(await log.firstDelivery('github:d-1', 3600)).toBe(false);
    expect(await log.firstDelivery('github:d-2', 3600)).toBe(true);
    await log.forget('github:d-1');
    expect(await log.firstDelivery('github:d-1', 3600)).toBe(true);
    await log.forget('github:never-seen');

    const { Item } = await DynamoDBDocumentClient.from(client).send(new GetCommand({ TableName: tableName, Key: { pk: 'DELIVERY#github:d-2', sk: 'DELIVERY' } }));
    expect(Item?.expiresAt).toBe(Date.parse('2026-01-01T00:00:00Z') / 1000 + 3600);
    // Past its TTL but not yet deleted by DynamoDB: a new delivery again.
    clock.set('2026-01-01T02:00:00Z');
    expect(await log.firstDelivery('github:d-2', 3600)).toBe(true);
  });
});
