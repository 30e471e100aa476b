import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DynamoDBClient,
  PutItemCommand,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDbLocal, startDynamoDbLocal } from '#local/emulators/dynamodb';
import { freePort } from '#local/ports';

const TABLE = 'limits';
const KB = 1024;

/**
 * DynamoDB Local (AWS's own jar) already enforces the limits the product's transactions depend on; this proves
 * it, so no front is needed: 100 items and 4 MB per TransactWriteItems, 400 KB per item.
 */
describe('DynamoDB Local enforces DynamoDB limits', () => {
  let dynamo: DynamoDbLocal;
  let dir: string;
  let client: DynamoDBClient;

  const put = (index: number, bytes = 10): TransactWriteItem => ({
    Put: { TableName: TABLE, Item: { pk: { S: `T#t1#${index}` }, data: { S: 'x'.repeat(bytes) } } },
  });
  const transact = (items: TransactWriteItem[]) =>
    client.send(new TransactWriteItemsCommand({ TransactItems: items }));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'factu-ddb-limits-'));
    dynamo = await startDynamoDbLocal({
      port: await freePort(),
      dbPath: dir,
      inMemory: true,
      onOutput: () => undefined,
    });
    client = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: dynamo.url,
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    await client.send(
      new CreateTableCommand({
        TableName: TABLE,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  }, 60_000);

  afterAll(async () => {
    client?.destroy();
    await dynamo?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes 100 actions in one transaction and refuses 101', async () => {
    await expect(transact(Array.from({ length: 100 }, (_, index) => put(index)))).resolves.toBeDefined();
    await expect(transact(Array.from({ length: 101 }, (_, index) => put(index)))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/Member must have length less than or equal to 100/),
    });
  });

  it('refuses an item over 400 KB, alone or in a transaction', async () => {
    const big = put(0, 400 * KB).Put!;

    await expect(client.send(new PutItemCommand(big))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Item size has exceeded the maximum allowed size',
    });
    await expect(transact([{ Put: big }])).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(client.send(new PutItemCommand(put(0, 399 * KB).Put!))).resolves.toBeDefined();
  });

  it('refuses a transaction over 4 MB in total', async () => {
    await expect(
      transact(Array.from({ length: 10 }, (_, index) => put(index, 390 * KB))),
    ).resolves.toBeDefined();
    await expect(
      transact(Array.from({ length: 11 }, (_, index) => put(index, 390 * KB))),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/Transaction payload size cannot exceed 4MB/),
    });
  });
});
