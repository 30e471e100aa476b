import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { type DocumentRecord, documentItem } from '#shared/data/documents';
import { IN_FLIGHT_SHARDS, inFlightPartition, inFlightShard, keys } from '#shared/data/keys';
import { dueDocuments, REDRIVE_BATCH_PER_SHARD, redriveDueDocuments } from '#shared/documents/redrive';
import { forgetBreakerCacheForTests } from '#shared/hka/breaker';
import { currentTenantId } from '#shared/tenancy/tenant-scope';
import { FakeTable } from './fake-table.ts';
import { documentRecord } from './fixtures.ts';
import { setTestEnv, TENANT } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const events = mockClient(EventBridgeClient);
const table = new FakeTable();

const now = new Date('2026-11-22T13:00:00.000Z');

/** A document id that lands in `shard` of the in-flight index (ids are ULID-like, 26 characters). */
function idInShard(shard: number, salt = 0): string {
  for (let n = salt * 1000; ; n++) {
    const id = `01KAQ${String(n).padStart(21, '0')}`;
    if (inFlightShard(id) === shard) return id;
  }
}

function seed(overrides: Partial<DocumentRecord>): DocumentRecord {
  const doc = documentRecord(overrides);
  table.put(documentItem(doc));
  return doc;
}
const stored = (documentId: string, tenantId = TENANT) => table.get(keys.document(tenantId, documentId))!;
const started = () =>
  sfn
    .commandCalls(StartExecutionCommand)
    .map(
      (c) => JSON.parse(c.args[0].input.input!) as { documentId: string; attempt: number; probe: boolean },
    );

beforeEach(() => {
  ddb.reset();
  sfn.reset();
  events.reset();
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
  forgetBreakerCacheForTests();
  table.clear();
  table.install(ddb);
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec' });
});

describe('dueDocuments', () => {
  it('queries one shard of the in-flight index for leases ended at or before now, oldest first', async () => {
    await dueDocuments(2, now, 7);
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).toEqual({
      TableName: 'factu-test',
      IndexName: 'gsi4',
      KeyConditionExpression: '#pk = :pk AND #sk < :bound',
      ExpressionAttributeNames: { '#pk': 'gsi4pk', '#sk': 'gsi4sk' },
      ExpressionAttributeValues: { ':pk': 'T#_platform#INFLIGHT#2', ':bound': '2026-11-22T13:00:00.000Z$' },
      Limit: 7,
    });
  });

  it('lists exactly the PROCESSING documents whose lease has passed, from what the index projects', async () => {
    const shard = 1;
    const [late, onTime, live, failed] = [0, 1, 2, 3].map((salt) => idInShard(shard, salt));
    seed({
      documentId: late!,
      attempt: 2,
      leaseUntil: '2026-11-22T12:30:00.000Z',
      attemptOwner: 'arn:exec:2',
    });
    seed({ documentId: onTime!, leaseUntil: '2026-11-22T13:00:00.000Z' });
    seed({ documentId: live!, leaseUntil: '2026-11-22T13:00:00.001Z' });
    // Left the index with PROCESSING: a final state carries no in-flight keys.
    seed({ documentId: failed!, status: 'FAILED', leaseUntil: '2026-11-22T12:00:00.000Z' });
    seed({ documentId: idInShard(shard + 1), leaseUntil: '2026-11-22T12:00:00.000Z' });

    expect(await dueDocuments(shard, now, 50)).toEqual([
      { tenantId: TENANT, documentId: late, attempt: 2, died: true },
      { tenantId: TENANT, documentId: onTime, attempt: 1, died: false },
    ]);
    expect(await dueDocuments(shard, now, 1)).toHaveLength(1);
  });
});

describe('redriveDueDocuments', () => {
  it('an attempt that died (its execution owned it and never ended) is not started again at once: the next one waits as after a failure', async () => {
    const id = idInShard(0);
    seed({
      documentId: id,
      attempt: 2,
      leaseUntil: '2026-11-22T12:59:00.000Z',
      attemptOwner: 'arn:exec:dead',
    });

    expect(await redriveDueDocuments(now)).toEqual({ due: 1, started: 0 });
    expect(started()).toEqual([]);
    // Attempt 2 lets go; attempt 3 is due after the wait that follows attempt 2 (120 s by default).
    expect(stored(id)).toMatchObject({ attempt: 2, leaseUntil: '2026-11-22T13:02:00.000Z' });
    expect(stored(id).attemptOwner).toBeUndefined();
    const events = table.partition(keys.document(TENANT, id).pk).filter((item) => item.sk !== 'DOC');
    expect(events.map((event) => event.type)).toContain('ATTEMPT_LOST');

    // Once the wait has passed, a later sweep starts attempt 3 like any due attempt.
    expect(await redriveDueDocuments(new Date('2026-11-22T13:02:00.000Z'))).toEqual({ due: 1, started: 1 });
    expect(started()).toEqual([expect.objectContaining({ documentId: id, attempt: 3 })]);
  });

  it('sweeps every shard, claims each due document’s next attempt, records it, then starts it', async () => {
    const ids = Array.from({ length: IN_FLIGHT_SHARDS }, (_, shard) => idInShard(shard));
    for (const id of ids) seed({ documentId: id, attempt: 3, leaseUntil: '2026-11-22T12:59:00.000Z' });
    const order: string[] = [];
    ddb.on(UpdateCommand).callsFake((input) => {
      order.push(`claim ${input.Key.pk}`);
      return table.handleUpdate(input);
    });
    sfn.on(StartExecutionCommand).callsFake((input: { input: string }) => {
      order.push(`start T#${TENANT}#DOC#${JSON.parse(input.input).documentId}`);
      return { executionArn: 'arn:exec' };
    });

    expect(await redriveDueDocuments(now)).toEqual({ due: 4, started: 4 });

    const queried = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(queried.map((q) => q.ExpressionAttributeValues?.[':pk']).sort()).toEqual(
      [0, 1, 2, 3].map(inFlightPartition),
    );
    expect(queried.every((q) => q.Limit === REDRIVE_BATCH_PER_SHARD)).toBe(true);
    for (const id of ids) {
      const claimAt = order.indexOf(`claim T#${TENANT}#DOC#${id}`);
      expect(claimAt).toBeGreaterThanOrEqual(0);
      expect(order.indexOf(`start T#${TENANT}#DOC#${id}`)).toBeGreaterThan(claimAt);
      expect(stored(id)).toMatchObject({ attempt: 4, leaseUntil: '2026-11-22T13:01:30.000Z' });
      const events = table.partition(`T#${TENANT}#DOC#${id}`).filter((item) => item.type === 'REDRIVEN');
      expect(events).toEqual([
        expect.objectContaining({
          status: 'PROCESSING',
          message: 'Attempt 4 started by the re-drive (attempt 3 ended without a final state)',
        }),
      ]);
    }
    expect(started().map((s) => s.attempt)).toEqual([4, 4, 4, 4]);
  });

  it('runs each document’s work in its tenant’s scope', async () => {
    seed({ documentId: idInShard(0), leaseUntil: '2026-11-22T12:59:00.000Z' });
    seed({ tenantId: 'tenant-b', documentId: idInShard(3), leaseUntil: '2026-11-22T12:59:00.000Z' });
    const tenants: Array<string | undefined> = [];
    sfn.on(StartExecutionCommand).callsFake(() => {
      tenants.push(currentTenantId());
      return { executionArn: 'arn:exec' };
    });
    await redriveDueDocuments(now);
    expect(tenants.sort()).toEqual([TENANT, 'tenant-b']);
    expect(stored(idInShard(3), 'tenant-b').attempt).toBe(2);
  });

  it('a claim lost to someone else starts nothing (the index lags: the lease was renewed meanwhile)', async () => {
    const id = idInShard(0);
    // The index entry still shows the passed lease; the document's lease was renewed (another claim began it).
    const doc = documentRecord({ documentId: id, leaseUntil: '2026-11-22T12:59:00.000Z' });
    table.put({ ...documentItem(doc), leaseUntil: '2026-11-22T13:05:00.000Z' });
    expect(await redriveDueDocuments(now)).toEqual({ due: 1, started: 0 });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    expect(stored(id).attempt).toBe(1);
    expect(table.partition(`T#${TENANT}#DOC#${id}`).some((item) => item.type === 'REDRIVEN')).toBe(false);
  });

  it('overlapping sweeps start each attempt once', async () => {
    const ids = [idInShard(0), idInShard(1), idInShard(1, 1)];
    for (const id of ids) seed({ documentId: id, leaseUntil: '2026-11-22T12:59:00.000Z' });
    const results = await Promise.all([redriveDueDocuments(now), redriveDueDocuments(now)]);
    expect(results.reduce((sum, r) => sum + r.started, 0)).toBe(3);
    expect(
      started()
        .map((s) => s.documentId)
        .sort(),
    ).toEqual([...ids].sort());
    for (const id of ids) expect(stored(id).attempt).toBe(2);
  });

  it('a failed start is left to the next sweep, once the claimed attempt’s start grace has passed', async () => {
    const id = idInShard(2);
    seed({ documentId: id, leaseUntil: '2026-11-22T12:59:00.000Z' });
    sfn
      .on(StartExecutionCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    expect(await redriveDueDocuments(now)).toEqual({ due: 1, started: 0 });
    expect(stored(id)).toMatchObject({ attempt: 2, leaseUntil: '2026-11-22T13:01:30.000Z' });

    // Within the grace the claimed attempt is not due; after it, the next sweep claims and starts attempt 3.
    expect(await redriveDueDocuments(new Date('2026-11-22T13:01:00.000Z'))).toEqual({ due: 0, started: 0 });
    expect(await redriveDueDocuments(new Date('2026-11-22T13:01:30.000Z'))).toEqual({ due: 1, started: 1 });
    expect(started().at(-1)).toMatchObject({ documentId: id, attempt: 3 });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(2);
  });

  it('does nothing when no lease has passed', async () => {
    seed({ documentId: idInShard(0), leaseUntil: '2026-11-22T13:10:00.000Z' });
    const onStart = vi.fn();
    sfn.on(StartExecutionCommand).callsFake(onStart);
    expect(await redriveDueDocuments(now)).toEqual({ due: 0, started: 0 });
    expect(onStart).not.toHaveBeenCalled();
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });
});

describe('the re-drive sweep and HKA outages', () => {
  const DUE = '2026-11-22T12:59:00.000Z';
  /** A document waiting for HKA, due, number `n` of point of sale `pos`. */
  function waiting(n: number, overrides: Partial<DocumentRecord> = {}): DocumentRecord {
    return seed({
      documentId: idInShard(n % IN_FLIGHT_SHARDS, n),
      status: 'WAITING_FOR_HKA',
      number: String(n).padStart(10, '0'),
      issuedAt: `2026-11-22T07:00:0${n}-05:00`,
      leaseUntil: DUE,
      nextAttemptAt: DUE,
      waitingSince: '2026-11-22T12:50:00.000Z',
      waits: 1,
      ...overrides,
    });
  }
  const breaker = (fields: Record<string, unknown>) =>
    table.put({ pk: 'T#_platform#HKA#demo', sk: 'BREAKER', consecutiveFailures: 0, ...fields });
  const published = () =>
    events
      .commandCalls(PutEventsCommand)
      .flatMap((call) => call.args[0].input.Entries ?? [])
      .map((entry) => ({ type: entry.DetailType, detail: JSON.parse(entry.Detail ?? '{}') }));

  it('breaker open: one probe per interval — the lowest-numbered waiting document — and every other due document pushed back', async () => {
    breaker({ state: 'open', consecutiveFailures: 4, openedAt: DUE, nextProbeAt: DUE });
    const [second, first, otherPos] = [
      waiting(2),
      waiting(1, { leaseUntil: '2026-11-22T12:59:30.000Z' }),
      waiting(3, { pointOfSale: '002' }),
    ];

    await redriveDueDocuments(now);

    // The probe: point of sale 001's lowest number, although its lease was not the oldest.
    expect(started()).toEqual([expect.objectContaining({ documentId: first!.documentId, probe: true })]);
    const nextProbeAt = '2026-11-22T13:01:00.000Z';
    expect(table.get({ pk: 'T#_platform#HKA#demo', sk: 'BREAKER' })).toMatchObject({ nextProbeAt });
    // The others wait for the next probe or their own (growing) backoff, whichever is later.
    for (const doc of [second!, otherPos!]) {
      expect(stored(doc.documentId)).toMatchObject({
        attempt: 1,
        waits: 2,
        nextAttemptAt: '2026-11-22T13:01:00.000Z',
      });
    }

    // Another sweep in the same interval starts nothing: no polling of each document.
    await redriveDueDocuments(new Date('2026-11-22T13:00:30.000Z'));
    expect(started()).toHaveLength(1);
  });

  it('breaker closed: a point of sale drains in number order, one at a time', async () => {
    const docs = [waiting(3), waiting(1), waiting(2)];
    await redriveDueDocuments(now);
    expect(started().map((s) => s.documentId)).toEqual([docs[1]!.documentId]);
    // The others wait their turn: the chain pulls them forward, the sweep does not start them.
    await redriveDueDocuments(now);
    expect(started()).toHaveLength(1);
    expect(stored(docs[0]!.documentId)).toMatchObject({
      attempt: 1,
      nextAttemptAt: '2026-11-22T13:30:00.000Z',
    });
  });

  it('after an outage, waiting documents do not sit out their backoff: each point of sale starts draining', async () => {
    breaker({
      state: 'closed',
      lastSuccessAt: '2026-11-22T12:59:50.000Z',
      lastOutage: { from: '2026-11-22T12:00:00.000Z', to: '2026-11-22T12:59:50.000Z' },
    });
    const later = '2026-11-22T13:25:00.000Z';
    const [a, b] = [
      waiting(1, { leaseUntil: later, nextAttemptAt: later }),
      waiting(2, { pointOfSale: '002', leaseUntil: later, nextAttemptAt: later }),
    ];
    expect(await redriveDueDocuments(now)).toEqual({ due: 0, started: 2 });
    expect(
      started()
        .map((s) => s.documentId)
        .sort(),
    ).toEqual([a!.documentId, b!.documentId].sort());
  });

  it('tells the tenant once per outage that its documents have waited over an hour, and how many wait', async () => {
    breaker({
      state: 'open',
      consecutiveFailures: 9,
      downSince: '2026-11-22T11:30:00.000Z',
      nextProbeAt: '2026-11-22T13:00:30.000Z',
    });
    waiting(1, { waitingSince: '2026-11-22T11:30:05.000Z' });
    waiting(2, { waitingSince: '2026-11-22T11:40:00.000Z' });
    await redriveDueDocuments(now);
    await redriveDueDocuments(new Date('2026-11-22T14:00:00.000Z'));
    expect(published()).toEqual([
      {
        type: 'hka.waiting-long',
        detail: expect.objectContaining({
          tenantId: TENANT,
          environment: 'demo',
          since: '2026-11-22T11:30:00.000Z',
          waiting: 2,
        }),
      },
    ]);
  });
});
