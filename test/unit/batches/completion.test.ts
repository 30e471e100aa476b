import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { COMPLETION_CLAIM_MS, closeBatchIfFinished } from '#shared/batches/completion';
import { issueBatchRows } from '#shared/batches/issue-rows';
import { resetConfigForTests } from '#shared/config/config';
import type { BatchRecord } from '#shared/data/batches';
import { keys } from '#shared/data/keys';
import { installBucket } from '../app/fake-bucket.ts';
import { FakeTable } from '../app/fake-table.ts';
import { setTestEnv, TENANT } from '../app/helpers.ts';

setTestEnv();
resetConfigForTests();
const table = new FakeTable();
const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const events = mockClient(EventBridgeClient);
const BATCH = '01KBX7Q2M4T8V1C6N3R9W5Y0ZB';
const at = new Date('2026-12-06T15:00:00.000Z');
const later = (ms: number) => new Date(at.getTime() + ms);

/** A batch of `total` rows whose rows have all ended (issued), as the last row worker finds it. */
function seedEndedBatch(total: number, overrides: Partial<BatchRecord> = {}) {
  const batch: BatchRecord = {
    tenantId: TENANT,
    batchId: BATCH,
    status: 'ISSUING',
    source: 'json',
    total,
    valid: total,
    invalid: 0,
    issued: total,
    failed: 0,
    skipped: 0,
    actor: { type: 'user', id: 'user-1', email: 'u@a.pa' },
    roles: ['USER'],
    demoOnly: false,
    createdAt: at.toISOString(),
    updatedAt: at.toISOString(),
    ...overrides,
  };
  table.put({ ...keys.batch(TENANT, BATCH), ...batch });
  for (let row = 1; row <= total; row++) {
    table.put({
      ...keys.batchRow(TENANT, BATCH, row),
      tenantId: TENANT,
      batchId: BATCH,
      row,
      reference: `R-${row}`,
      status: 'ISSUED',
      updatedAt: at.toISOString(),
    });
  }
}

const completions = () =>
  events
    .commandCalls(PutEventsCommand)
    .flatMap((call) => call.args[0].input.Entries ?? [])
    .filter((entry) => entry.DetailType === 'batch.completed')
    .map((entry) => JSON.parse(entry.Detail ?? '{}'));
const batchItem = () => table.get(keys.batch(TENANT, BATCH));

beforeEach(() => {
  table.clear();
  ddb.reset();
  s3.reset();
  events.reset();
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'event-1' }] });
  table.install(ddb);
  installBucket(s3);
});

describe('batch.completed exactly once', () => {
  it('two row workers finishing at once close the batch once and publish once, with its final counts', async () => {
    // Prepare
    seedEndedBatch(2);

    // Act
    await Promise.all([closeBatchIfFinished(TENANT, BATCH, at), closeBatchIfFinished(TENANT, BATCH, at)]);
    await closeBatchIfFinished(TENANT, BATCH, later(1000));

    // Assess
    expect(completions()).toEqual([
      {
        tenantId: TENANT,
        batchId: BATCH,
        status: 'DONE',
        total: 2,
        counts: { valid: 2, invalid: 0, issued: 2, failed: 0, skipped: 0 },
        finishedAt: at.toISOString(),
      },
    ]);
    expect(batchItem()).toMatchObject({ status: 'DONE', completionPublishedAt: at.toISOString() });
    expect(batchItem()).not.toHaveProperty('completionClaimedUntil');
  });

  it('a failed publication fails the call and gives the claim back: its retry publishes at once', async () => {
    // Prepare
    seedEndedBatch(1);
    events
      .on(PutEventsCommand)
      .rejectsOnce(new Error('EventBridge unavailable'))
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'event-2' }] });

    // Act
    const first = closeBatchIfFinished(TENANT, BATCH, at);
    await expect(first).rejects.toThrow('EventBridge unavailable');
    const afterFailure = batchItem();
    await closeBatchIfFinished(TENANT, BATCH, later(1000));

    // Assess
    expect(afterFailure).toMatchObject({ status: 'DONE', finishedAt: at.toISOString() });
    expect(afterFailure).not.toHaveProperty('completionClaimedUntil');
    // Two PutEvents calls: the failed one and the retry's; one event reached the bus.
    expect(completions()).toHaveLength(2);
    expect(batchItem()).toHaveProperty('completionPublishedAt');
  });

  it('a writer that died between closing and publishing is replaced once its claim is stale, not before', async () => {
    // Prepare: closed and claimed at `at`, never published.
    seedEndedBatch(1, {
      status: 'DONE',
      finishedAt: at.toISOString(),
      completionClaimedUntil: later(COMPLETION_CLAIM_MS).toISOString(),
    });

    // Act
    await closeBatchIfFinished(TENANT, BATCH, later(COMPLETION_CLAIM_MS - 1000));
    const whileHeld = completions().length;
    await closeBatchIfFinished(TENANT, BATCH, later(COMPLETION_CLAIM_MS + 1000));

    // Assess
    expect(whileHeld).toBe(0);
    expect(completions()).toHaveLength(1);
  });

  it('a redelivered row message finds its row ended and the batch closed but unannounced: it publishes', async () => {
    // Prepare: the worker ended the last row and closed the batch, then died before publishing.
    seedEndedBatch(1, { status: 'DONE', finishedAt: at.toISOString() });

    // Act
    await issueBatchRows({ tenantId: TENANT, batchId: BATCH, rows: [1] });
    await issueBatchRows({ tenantId: TENANT, batchId: BATCH, rows: [1] });

    // Assess
    expect(completions()).toHaveLength(1);
    expect(completions()[0]).toMatchObject({ batchId: BATCH, status: 'DONE' });
  });

  it('nothing is published while rows are left', async () => {
    // Prepare
    seedEndedBatch(2, { issued: 1 });

    // Act
    await closeBatchIfFinished(TENANT, BATCH, at);

    // Assess
    expect(completions()).toHaveLength(0);
    expect(batchItem()).toMatchObject({ status: 'ISSUING' });
    expect(batchItem()).not.toHaveProperty('finishedAt');
  });
});
