// Inventory items in the findings table: pk INVENTORY#cluster, sk <account>#<region>#<name>.
// They carry no GSI keys (the finding indexes stay findings-only) and their sk is never META, so
// the notify stream filter ignores them.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { inventoryKey, matchesInventoryFilter, type ClusterInventoryItem, type InventoryFilter, type InventoryStore } from './inventory.ts';

export const INVENTORY_PK = 'INVENTORY#cluster';
/** DynamoDB's BatchWriteItem limit. */
const BATCH_WRITE_SIZE = 25;

export class DynamoInventoryStore implements InventoryStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(options: { tableName: string; client?: DynamoDBClient }) {
    this.doc = DynamoDBDocumentClient.from(options.client ?? new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
    this.table = options.tableName;
  }

  async replaceRegion(account: string, region: string, clusters: ClusterInventoryItem[]): Promise<void> {
    const prefix = inventoryKey(account, region, '');
    const before = await this.queryItems({ KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': INVENTORY_PK, ':prefix': prefix } });
    for (const item of clusters) {
      await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: INVENTORY_PK, sk: inventoryKey(item.account, item.region, item.name), ...item } }));
    }
    const kept = new Set(clusters.map((c) => inventoryKey(c.account, c.region, c.name)));
    const gone = before.map((item) => inventoryKey(item.account, item.region, item.name)).filter((sk) => !kept.has(sk));
    for (let i = 0; i < gone.length; i += BATCH_WRITE_SIZE) {
      let requests: Record<string, { DeleteRequest: { Key: Record<string, string> } }[]> = {
        [this.table]: gone.slice(i, i + BATCH_WRITE_SIZE).map((sk) => ({ DeleteRequest: { Key: { pk: INVENTORY_PK, sk } } })),
      };
      // Unprocessed items come back under throttling: retry them until none are left.
      for (let attempt = 0; Object.keys(requests).length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
        const out = await this.doc.send(new BatchWriteCommand({ RequestItems: requests }));
        requests = (out.UnprocessedItems ?? {}) as typeof requests;
      }
    }
  }

  async list(filter: InventoryFilter = {}): Promise<ClusterInventoryItem[]> {
    const prefix = filter.account !== undefined ? (filter.region !== undefined ? inventoryKey(filter.account, filter.region, '') : `${filter.account}#`) : null;
    const items = await this.queryItems(
      prefix === null
        ? { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': INVENTORY_PK } }
        : { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': INVENTORY_PK, ':prefix': prefix } },
    );
    return items.filter((item) => matchesInventoryFilter(item, filter));
  }

  private async queryItems(input: Omit<QueryCommandInput, 'TableName'>): Promise<ClusterInventoryItem[]> {
    const out: ClusterInventoryItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(new QueryCommand({ TableName: this.table, ...input, ExclusiveStartKey: start }));
      for (const raw of page.Items ?? []) {
        const { pk: _pk, sk: _sk, ...item } = raw;
        out.push(item as ClusterInventoryItem);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }
}
