import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  consumedUnits,
  type Item,
  indexWriteUnits,
  itemSizeBytes,
  numberSizeBytes,
  storageBytes,
  transactWriteUnits,
  withMinimumRead,
} from '../../../bench/cost/dynamodb-capacity';
import { dynamoDbMeter } from '../../../bench/cost/meters/dynamodb';
import { startMeteringProxy } from '../../../bench/cost/meters/proxy';
import type { TableModel } from '../../../bench/cost/template-model';
import { UsageRecorder } from '../../../bench/cost/usage';

const TABLE: TableModel = {
  logicalId: 'Table',
  hashKey: 'pk',
  rangeKey: 'sk',
  gsis: [{ name: 'g1', hashKey: 'g', projection: 'KEYS_ONLY', nonKeyAttributes: [] }],
  billingMode: 'PAY_PER_REQUEST',
  pointInTimeRecovery: true,
};

const s = (value: string) => ({ S: value });

describe('consumed capacity → RRU/WRU', () => {
  it('counts a PutItem with an index entry as table and index writes (recorded from DynamoDB Local)', () => {
    // Arrange
    const recorded = {
      TableName: 'tbl',
      CapacityUnits: 4.0,
      Table: { CapacityUnits: 2.0 },
      GlobalSecondaryIndexes: { gsi1: { CapacityUnits: 2.0 } },
    };

    // Act
    const units = consumedUnits('PutItem', recorded);

    // Assess
    expect(units).toEqual({ rru: 0, wru: 4, table: 2, indexes: { gsi1: 2 } });
  });

  it('counts a Query on an index as reads on that index', () => {
    // Arrange
    const recorded = {
      TableName: 'tbl',
      CapacityUnits: 0.5,
      Table: { CapacityUnits: 0 },
      GlobalSecondaryIndexes: { gsi1: { CapacityUnits: 0.5 } },
    };

    // Act & Assess
    expect(consumedUnits('Query', recorded)).toEqual({ rru: 0.5, wru: 0, table: 0, indexes: { gsi1: 0.5 } });
  });

  it('uses ReadCapacityUnits/WriteCapacityUnits when a response names them, and sums arrays', () => {
    // Arrange
    const recorded = [
      { TableName: 'a', CapacityUnits: 2, ReadCapacityUnits: 2, Table: { CapacityUnits: 2 } },
      { TableName: 'b', CapacityUnits: 4, ReadCapacityUnits: 4, Table: { CapacityUnits: 4 } },
    ];

    // Act & Assess
    expect(consumedUnits('TransactGetItems', recorded)).toEqual({ rru: 6, wru: 0, table: 6, indexes: {} });
    expect(consumedUnits('BatchWriteItem', [{ TableName: 'a', CapacityUnits: 2 }]).wru).toBe(2);
    expect(consumedUnits('GetItem', undefined)).toEqual({ rru: 0, wru: 0, table: 0, indexes: {} });
  });

  it('charges at least one read for a GetItem or Query (DynamoDB Local reports 0 for an empty Query)', () => {
    // Arrange
    const empty = consumedUnits('Query', { TableName: 'tbl', CapacityUnits: 0, Table: { CapacityUnits: 0 } });

    // Act & Assess
    expect(withMinimumRead('Query', false, empty).rru).toBe(0.5);
    expect(withMinimumRead('Query', true, empty).rru).toBe(1);
    expect(withMinimumRead('GetItem', false, { ...empty, rru: 1.5 }).rru).toBe(1.5);
    expect(withMinimumRead('PutItem', false, empty).rru).toBe(0);
  });
});

describe('item sizes', () => {
  it("adds attribute names and values by DynamoDB's rules", () => {
    // Arrange
    const item: Item = {
      pk: s('T#1'),
      n: { N: '123.450' },
      ok: { BOOL: true },
      tags: { L: [s('ab'), { N: '7' }] },
      m: { M: { k: s('v') } },
      b: { B: Buffer.from('hello').toString('base64') },
    };

    // Act
    const size = itemSizeBytes(item);

    // Assess: pk 2+3, n 1+3 (5 significant digits → 3 bytes + 1), ok 2+1, tags 4+(3+2+2), m 1+(3+1+1), b 1+5
    expect(numberSizeBytes('123.450')).toBe(4);
    expect(size).toBe(5 + 5 + 3 + 11 + 6 + 6);
  });

  it('trims leading and trailing zeros of numbers', () => {
    // Act & Assess
    expect(numberSizeBytes('0.0001')).toBe(2);
    expect(numberSizeBytes('-1000')).toBe(2);
    expect(numberSizeBytes('12345678901234567890')).toBe(11);
  });
});

describe('transactional writes', () => {
  it("charges two writes per item per KB (AWS's example: three 500-byte items → 6 WCU)", () => {
    // Arrange
    const item = (id: string): Item => ({ pk: s(id), sk: s('1'), data: s('x'.repeat(490)) });
    const actions = ['a', 'b', 'c'].map((id) => ({ kind: 'Put' as const, after: item(id) }));

    // Act
    const units = transactWriteUnits(actions, TABLE);

    // Assess
    expect(units).toMatchObject({ wru: 6, table: 6, indexes: {} });
  });

  it('sizes an update by the larger image, a condition check by the item, and writes index entries once', () => {
    // Arrange
    const before: Item = { pk: s('d'), sk: s('1'), big: s('y'.repeat(1500)) };
    const after: Item = { ...before, g: s('new') };
    const checked: Item = { pk: s('c'), sk: s('1') };

    // Act
    const units = transactWriteUnits(
      [
        { kind: 'Update', before, after },
        { kind: 'ConditionCheck', before: checked },
      ],
      TABLE,
    );

    // Assess: update 2 × 2 KB, check 2 × 1 KB; the index entry (keys only, small) is put once
    expect(units).toEqual({ rru: 0, wru: 4 + 2 + 1, table: 6, indexes: { g1: 1 } });
  });

  it('charges an index a delete and a put when the entry moves, nothing when its projection is unchanged', () => {
    // Arrange
    const base: Item = { pk: s('d'), sk: s('1'), g: s('old'), other: s('1') };

    // Act & Assess
    expect(indexWriteUnits(base, { ...base, g: s('new') }, TABLE.gsis[0]!, TABLE)).toBe(2);
    expect(indexWriteUnits(base, { ...base, other: s('2') }, TABLE.gsis[0]!, TABLE)).toBe(0);
    expect(indexWriteUnits(undefined, base, TABLE.gsis[0]!, TABLE)).toBe(1);
    expect(
      indexWriteUnits({ pk: s('d'), sk: s('1') }, { pk: s('d'), sk: s('2') }, TABLE.gsis[0]!, TABLE),
    ).toBe(0);
  });
});

describe('storage', () => {
  it('bills each item and each index entry with 100 bytes of overhead', () => {
    // Arrange
    const items: Item[] = [
      { pk: s('a'), sk: s('1') },
      { pk: s('b'), sk: s('1'), g: s('x') },
    ];

    // Act
    const bytes = storageBytes(items, TABLE);

    // Assess: items 6 and 8 bytes; one index entry (g, pk, sk) of 8 bytes
    expect(bytes).toEqual({ table: 6 + 100 + 8 + 100, indexes: 8 + 100 });
  });
});

describe('the DynamoDB meter', () => {
  let upstream: Server | undefined;
  afterEach(async () => {
    upstream?.close();
    upstream = undefined;
  });

  const readBody = async (request: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  };

  it('asks for INDEXES capacity on every request and records what the response reports, per function', async () => {
    // Arrange: a stand-in DynamoDB answering a PutItem with a recorded ConsumedCapacity
    const received: Array<Record<string, unknown>> = [];
    upstream = createServer(async (request, response) => {
      received.push(await readBody(request));
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(
        JSON.stringify({
          ConsumedCapacity: {
            TableName: 'tbl',
            CapacityUnits: 3,
            Table: { CapacityUnits: 1 },
            GlobalSecondaryIndexes: { g1: { CapacityUnits: 2 } },
          },
        }),
      );
    }).listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    const target = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const recorder = new UsageRecorder();
    const proxy = startMeteringProxy(target, dynamoDbMeter(target, TABLE, recorder));

    // Act
    const response = await fetch(await proxy.urlFor('IssueDocumentFunction'), {
      method: 'POST',
      headers: {
        'x-amz-target': 'DynamoDB_20120810.UpdateItem',
        'content-type': 'application/x-amz-json-1.0',
      },
      body: JSON.stringify({ TableName: 'tbl', Key: { pk: s('a'), sk: s('1') } }),
    });
    await response.text();
    await proxy.close();

    // Assess
    expect(response.status).toBe(200);
    expect(received[0]).toMatchObject({ TableName: 'tbl', ReturnConsumedCapacity: 'INDEXES' });
    const usage = recorder.snapshot().functions.IssueDocumentFunction!.dynamodb;
    expect(usage.units).toEqual({ rru: 0, wru: 3, table: 1, indexes: { g1: 2 } });
    expect(usage.calls).toEqual({ UpdateItem: 1 });
  });
});
