import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BatchInput } from '#shared/batches/entries';
import { issueBatchRows } from '#shared/batches/issue-rows';
import { resetConfigForTests } from '#shared/config/config';
import type { BatchRecord, BatchRowRecord } from '#shared/data/batches';
import { keys } from '#shared/data/keys';
import { workFileKeys } from '#shared/storage/work-files';
import { installBucket } from '../app/fake-bucket.ts';
import { FakeTable } from '../app/fake-table.ts';
import {
  branch,
  exampleInvoice,
  folioPool,
  hkaCredentialsItem,
  pointOfSale,
  tenantProfile,
} from '../app/fixtures.ts';
import { setTestEnv, TENANT } from '../app/helpers.ts';

setTestEnv();
resetConfigForTests();
const table = new FakeTable();
const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const sfn = mockClient(SFNClient);
const events = mockClient(EventBridgeClient);
const BATCH = '01KBX7Q2M4T8V1C6N3R9W5Y0ZB';
const at = '2026-12-06T15:00:00.000Z';

function seedBatch(rows: number, overrides: Partial<BatchRecord> = {}) {
  const batch: BatchRecord = {
    tenantId: TENANT,
    batchId: BATCH,
    status: 'ISSUING',
    source: 'json',
    total: rows,
    valid: rows,
    invalid: 0,
    issued: 0,
    failed: 0,
    skipped: 0,
    actor: { type: 'user', id: 'user-1', email: 'u@a.pa' },
    roles: ['USER'],
    demoOnly: false,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
  table.put({ ...keys.batch(TENANT, BATCH), ...batch });
  for (let row = 1; row <= rows; row++) {
    const item: BatchRowRecord = {
      tenantId: TENANT,
      batchId: BATCH,
      row,
      reference: `R-${row}`,
      status: 'VALID',
      updatedAt: at,
    };
    table.put({ ...keys.batchRow(TENANT, BATCH, row), ...item });
  }
  return batch;
}

const rowItem = (row: number) => table.get(keys.batchRow(TENANT, BATCH, row));
const batchItem = () => table.get(keys.batch(TENANT, BATCH));
const message = (rows: number[]) => ({ tenantId: TENANT, batchId: BATCH, rows });

beforeEach(() => {
  table.clear();
  ddb.reset();
  s3.reset();
  sfn.reset();
  events.reset();
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'event-1' }] });
  table.install(ddb);
  const bucket = installBucket(s3);
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec' });
  for (const item of [tenantProfile, branch, pointOfSale, hkaCredentialsItem]) table.put(item);
  const input: BatchInput = {
    source: 'json',
    entries: [1, 2].map((row) => ({ reference: `R-${row}`, input: exampleInvoice() })),
  };
  bucket.objects.set(workFileKeys(TENANT).batchRows(BATCH), Buffer.from(JSON.stringify(input)));
});

describe('issueBatchRows', () => {
  it('issues each row once through the issue service, records its document and closes the batch', async () => {
    // Prepare
    seedBatch(2);

    // Act
    await issueBatchRows(message([1, 2]));
    await issueBatchRows(message([1, 2]));

    // Assess
    const [first, second] = [rowItem(1), rowItem(2)];
    expect(first).toMatchObject({ status: 'ISSUED', documentId: expect.any(String), number: '0000000001' });
    expect(second).toMatchObject({ status: 'ISSUED', number: '0000000002' });
    expect(table.get(keys.document(TENANT, String(first?.documentId)))).toMatchObject({
      status: 'PROCESSING',
      createdBy: 'user:user-1',
    });
    expect(batchItem()).toMatchObject({ status: 'DONE', issued: 2, finishedAt: expect.any(String) });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(2);
  });

  it('a row redelivered after its document was created (the row not yet marked) returns that document', async () => {
    // Prepare: the first delivery created the document, then died before marking the row.
    seedBatch(1);
    await issueBatchRows(message([1]));
    const created = rowItem(1);
    table.put({ ...created, status: 'VALID', documentId: undefined, number: undefined });
    table.put({ ...batchItem(), issued: 0, status: 'ISSUING', finishedAt: undefined });

    // Act
    await issueBatchRows(message([1]));

    // Assess
    expect(rowItem(1)).toMatchObject({
      status: 'ISSUED',
      documentId: created?.documentId,
      number: '0000000001',
    });
    expect(table.get(keys.seriesCounter(TENANT, '0000', '001'))).toMatchObject({ lastNumber: 1 });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
    expect(batchItem()).toMatchObject({ status: 'DONE', issued: 1 });
  });

  it('skips the rows of a cancelled batch, and closes it once every row has ended', async () => {
    // Prepare
    seedBatch(2, { status: 'CANCELLED' });

    // Act
    await issueBatchRows(message([1, 2]));

    // Assess
    expect(rowItem(1)).toMatchObject({ status: 'SKIPPED' });
    expect(rowItem(2)).toMatchObject({ status: 'SKIPPED' });
    expect(batchItem()).toMatchObject({ status: 'CANCELLED', skipped: 2, finishedAt: expect.any(String) });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('ends a row FAILED with FOLIOS_EXHAUSTED when the folios run out, and goes on with the next', async () => {
    // Prepare
    seedBatch(2);
    table.put(folioPool(1));

    // Act
    await issueBatchRows(message([1, 2]));

    // Assess
    expect(rowItem(1)).toMatchObject({ status: 'ISSUED' });
    expect(rowItem(2)).toMatchObject({
      status: 'FAILED',
      errors: [expect.objectContaining({ row: 2, path: '(document)', code: 'FOLIOS_EXHAUSTED' })],
    });
    expect(batchItem()).toMatchObject({ status: 'DONE', issued: 1, failed: 1 });
  });
});
