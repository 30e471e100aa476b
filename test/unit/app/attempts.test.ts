import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetConfigForTests } from '#shared/config/config';
import { type DocumentRecord, documentItem } from '#shared/data/documents';
import { inFlightPartition, inFlightShard, keys } from '#shared/data/keys';
import {
  AttemptSupersededError,
  attemptIsLive,
  beginAttempt,
  claimNextAttempt,
  initialLease,
  longestRedriveDelay,
  mayBeAtHka,
  postponeAttempt,
  recordSubmissionNeverSent,
  redriveDelayAfter,
  scheduleNextAttempt,
  startClaimedAttempt,
  waitedTooLong,
  waitForHka,
  waitSecondsAfter,
} from '#shared/documents/attempts';
import { FakeTable } from './fake-table.ts';
import { documentRecord } from './fixtures.ts';
import { setTestEnv, TENANT } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const table = new FakeTable();

const ID = '01KAQ0000000000000000000AB';
const EXECUTION = 'arn:aws:states:us-east-1:111111111111:express:issuing:exec-1:run-1';
const OTHER_EXECUTION = 'arn:aws:states:us-east-1:111111111111:express:issuing:exec-2:run-2';
const at = (iso: string) => new Date(iso);
const plus = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();

function seed(overrides: Partial<DocumentRecord> = {}): DocumentRecord {
  const doc = documentRecord(overrides);
  table.put(documentItem(doc));
  return doc;
}
const stored = () => table.get(keys.document(TENANT, ID))!;
const inFlightKeys = (leaseUntil: string) => ({
  gsi4pk: inFlightPartition(inFlightShard(ID)),
  gsi4sk: `${leaseUntil}#${TENANT}#${ID}`,
});
const lastUpdate = () => ddb.commandCalls(UpdateCommand).at(-1)!.args[0].input;

beforeEach(() => {
  ddb.reset();
  sfn.reset();
  table.clear();
  table.install(ddb);
});

describe('beginAttempt', () => {
  const state = { tenantId: TENANT, documentId: ID, attempt: 1, executionId: EXECUTION };
  const now = at('2026-11-22T12:00:10.000Z');

  it('takes an unowned attempt: owner, the full lease and its place in the in-flight index', async () => {
    seed();
    const doc = await beginAttempt(state, { submission: false, now });

    const leaseUntil = plus('2026-11-22T12:00:10.000Z', 360);
    expect(stored()).toMatchObject({ attemptOwner: EXECUTION, leaseUntil, ...inFlightKeys(leaseUntil) });
    expect(stored().submissionAttempts).toBeUndefined();
    expect(stored().lastSubmissionAt).toBeUndefined();
    // The document as written, without the table's keys.
    expect(doc).toMatchObject({ attempt: 1, attemptOwner: EXECUTION, leaseUntil });
    expect(doc).not.toHaveProperty('gsi4pk');
    expect(lastUpdate().ConditionExpression).toBe(
      'attribute_exists(pk) AND (#st IN (:inflight0, :inflight1, :inflight2) AND #at = :attempt AND (attribute_not_exists(#ow) OR #ow = :owner))',
    );
    expect(lastUpdate().ExpressionAttributeValues).toMatchObject({
      ':inflight0': 'PROCESSING',
      ':inflight1': 'WAITING_FOR_HKA',
      ':inflight2': 'CONTINGENCY',
      ':attempt': 1,
      ':owner': EXECUTION,
    });
  });

  it('counts a submission before it is sent, each time the owner begins again (a retried step)', async () => {
    seed();
    await beginAttempt(state, { submission: true, now });
    const second = await beginAttempt(state, { submission: true, now: at('2026-11-22T12:00:14.000Z') });
    expect(second.submissionAttempts).toBe(2);
    expect(stored()).toMatchObject({
      submissionAttempts: 2,
      lastSubmissionAt: '2026-11-22T12:00:14.000Z',
      attemptOwner: EXECUTION,
    });
  });

  it('refuses a second execution of the same attempt and leaves the document as it was', async () => {
    seed({ attemptOwner: EXECUTION });
    const before = stored();
    const error = await beginAttempt(
      { ...state, executionId: OTHER_EXECUTION },
      { submission: true, now },
    ).catch((e) => e);
    expect(error).toBeInstanceOf(AttemptSupersededError);
    expect(error.name).toBe('AttemptSupersededError');
    expect(stored()).toEqual(before);
  });

  it.each([
    ['a newer attempt was claimed', { attempt: 2 }],
    ['the document left PROCESSING', { status: 'AUTHORIZED' as const, leaseUntil: undefined }],
  ])('refuses a late execution when %s', async (_case, overrides) => {
    seed(overrides);
    const before = stored();
    await expect(beginAttempt(state, { submission: true, now })).rejects.toBeInstanceOf(
      AttemptSupersededError,
    );
    expect(stored()).toEqual(before);
  });

  it('refuses an attempt of a document that does not exist (no item is created)', async () => {
    await expect(beginAttempt(state, { submission: false, now })).rejects.toBeInstanceOf(
      AttemptSupersededError,
    );
    expect(table.get(keys.document(TENANT, ID))).toBeUndefined();
  });
});

describe('claimNextAttempt', () => {
  const now = at('2026-11-22T12:05:00.000Z');

  it('claims the next attempt once the lease has passed: new number, start grace, no owner', async () => {
    seed({ attemptOwner: EXECUTION, leaseUntil: '2026-11-22T12:04:00.000Z' });
    const claimed = await claimNextAttempt({ tenantId: TENANT, documentId: ID, attempt: 1 }, now);

    const leaseUntil = plus('2026-11-22T12:05:00.000Z', 90);
    expect(claimed).toMatchObject({ attempt: 2, leaseUntil, status: 'PROCESSING' });
    expect(claimed).not.toHaveProperty('attemptOwner');
    expect(stored()).toMatchObject({ attempt: 2, leaseUntil, ...inFlightKeys(leaseUntil) });
    expect(stored()).not.toHaveProperty('attemptOwner');
    expect(lastUpdate().ConditionExpression).toBe(
      'attribute_exists(pk) AND (#st IN (:inflight0, :inflight1, :inflight2) AND #at = :attempt AND #lu <= :now)',
    );
    expect(lastUpdate().ExpressionAttributeValues).toMatchObject({
      ':attempt': 1,
      ':now': '2026-11-22T12:05:00.000Z',
    });
  });

  it('a lease ending exactly now has passed', async () => {
    seed({ leaseUntil: '2026-11-22T12:05:00.000Z' });
    expect(await claimNextAttempt({ tenantId: TENANT, documentId: ID, attempt: 1 }, now)).toMatchObject({
      attempt: 2,
    });
  });

  it.each([
    ['the lease is still running', { leaseUntil: '2026-11-22T12:05:00.001Z' }],
    ['another claim took the attempt first', { attempt: 2, leaseUntil: '2026-11-22T12:04:00.000Z' }],
    ['the document is no longer PROCESSING', { status: 'FAILED' as const, leaseUntil: undefined }],
    ['the document has no lease', { leaseUntil: undefined }],
  ])('claims nothing when %s', async (_case, overrides) => {
    seed(overrides);
    const before = stored();
    expect(await claimNextAttempt({ tenantId: TENANT, documentId: ID, attempt: 1 }, now)).toBeUndefined();
    expect(stored()).toEqual(before);
  });

  it('of two claims of the same attempt, exactly one wins', async () => {
    seed({ leaseUntil: '2026-11-22T12:04:00.000Z' });
    const seen = { tenantId: TENANT, documentId: ID, attempt: 1 };
    const results = await Promise.all([claimNextAttempt(seen, now), claimNextAttempt(seen, now)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(stored().attempt).toBe(2);
  });
});

describe('scheduleNextAttempt', () => {
  const now = at('2026-11-22T12:00:20.000Z');

  it('lets go of the attempt and moves the lease (and the in-flight key) to when the next one is due', async () => {
    seed({ attemptOwner: EXECUTION, leaseUntil: '2026-11-22T12:06:00.000Z', submissionAttempts: 1 });
    const dueAt = await scheduleNextAttempt({ tenantId: TENANT, documentId: ID }, 1, 120, now);

    expect(dueAt).toBe('2026-11-22T12:02:20.000Z');
    expect(stored()).toMatchObject({
      status: 'PROCESSING',
      attempt: 1,
      leaseUntil: dueAt,
      submissionAttempts: 1,
      ...inFlightKeys(dueAt!),
    });
    expect(stored()).not.toHaveProperty('attemptOwner');
    expect(lastUpdate().ConditionExpression).toBe(
      'attribute_exists(pk) AND (#st IN (:inflight0, :inflight1, :inflight2) AND #at = :attempt)',
    );
  });

  it.each([
    ['a newer attempt was claimed', { attempt: 2 }],
    ['the document left PROCESSING', { status: 'REJECTED' as const, leaseUntil: undefined }],
  ])('changes nothing when %s', async (_case, overrides) => {
    seed(overrides);
    const before = stored();
    expect(await scheduleNextAttempt({ tenantId: TENANT, documentId: ID }, 1, 30, now)).toBeUndefined();
    expect(stored()).toEqual(before);
  });
});

describe('submissions that may have reached HKA', () => {
  it('counts a submission that never left, only while the attempt is current', async () => {
    const doc = seed({ submissionAttempts: 2 });
    await recordSubmissionNeverSent(doc);
    expect(stored().notSentAttempts).toBe(1);

    table.put({ ...stored(), attempt: 2 });
    await recordSubmissionNeverSent(doc);
    expect(stored().notSentAttempts).toBe(1);
  });

  it.each([
    [undefined, undefined, false],
    [1, undefined, true],
    [1, 1, false],
    [3, 2, true],
    [3, 3, false],
  ])('submissions %s, never sent %s → may be at HKA: %s', (submissionAttempts, notSentAttempts, expected) => {
    expect(mayBeAtHka(documentRecord({ submissionAttempts, notSentAttempts }))).toBe(expected);
  });
});

describe('leases and delays', () => {
  afterEach(() => {
    delete process.env.ISSUING_REDRIVE_DELAYS_SECONDS;
    delete process.env.ISSUING_START_GRACE_SECONDS;
    resetConfigForTests();
  });

  it('a claimed attempt gets the start grace as its lease, in the in-flight index', () => {
    expect(initialLease({ tenantId: TENANT, documentId: ID }, at('2026-11-22T12:00:00.000Z'))).toEqual({
      leaseUntil: '2026-11-22T12:01:30.000Z',
      ...inFlightKeys('2026-11-22T12:01:30.000Z'),
    });
    process.env.ISSUING_START_GRACE_SECONDS = '45';
    resetConfigForTests();
    expect(
      initialLease({ tenantId: TENANT, documentId: ID }, at('2026-11-22T12:00:00.000Z')).leaseUntil,
    ).toBe('2026-11-22T12:00:45.000Z');
  });

  it('an attempt is live while PROCESSING with a lease in the future', () => {
    const now = at('2026-11-22T12:01:00.000Z');
    expect(attemptIsLive(documentRecord(), now)).toBe(true);
    expect(attemptIsLive(documentRecord({ leaseUntil: '2026-11-22T12:01:00.000Z' }), now)).toBe(false);
    expect(attemptIsLive(documentRecord({ leaseUntil: undefined }), now)).toBe(false);
    expect(attemptIsLive(documentRecord({ status: 'FAILED' }), now)).toBe(false);
  });

  it('the delay after attempt n is the n-th configured one; after the last there is none', () => {
    expect([1, 2, 3, 8, 9].map(redriveDelayAfter)).toEqual([30, 120, 600, 28_800, undefined]);
    expect(longestRedriveDelay()).toBe(28_800);
    process.env.ISSUING_REDRIVE_DELAYS_SECONDS = '5,60,20';
    resetConfigForTests();
    expect([1, 2, 3, 4].map(redriveDelayAfter)).toEqual([5, 60, 20, undefined]);
    expect(longestRedriveDelay()).toBe(60);
  });
});

describe('startClaimedAttempt', () => {
  const doc = documentRecord({ attempt: 3, channel: 'emitter-signed' });

  it('starts one execution with the attempt as input and no name (EXPRESS does not de-duplicate)', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec' });
    const onFailure = vi.fn();
    expect(await startClaimedAttempt(doc, onFailure)).toBe(true);
    const start = sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input;
    expect(start.stateMachineArn).toBe(process.env.ISSUING_STATE_MACHINE_ARN);
    expect(start.name).toBeUndefined();
    expect(JSON.parse(start.input!)).toEqual({
      tenantId: TENANT,
      documentId: ID,
      attempt: 3,
      channel: 'emitter-signed',
      environment: 'demo',
      probe: false,
    });
    expect(onFailure).not.toHaveBeenCalled();
  });

  it('flags the open breaker’s probe in the input', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec' });
    await startClaimedAttempt(doc, vi.fn(), { probe: true });
    expect(JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.input!)).toMatchObject({
      probe: true,
    });
  });

  it('reports a failed start instead of throwing (the lease runs out and the sweep starts it)', async () => {
    const refusal = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    sfn.on(StartExecutionCommand).rejects(refusal);
    const onFailure = vi.fn();
    expect(await startClaimedAttempt(doc, onFailure)).toBe(false);
    expect(onFailure).toHaveBeenCalledWith(refusal);
  });
});

describe('waiting for HKA', () => {
  const now = at('2026-11-22T12:00:00.000Z');

  it('waits 30 s, doubling, at most 30 min', () => {
    expect([0, 1, 2, 5, 6, 7, 100].map(waitSecondsAfter)).toEqual([30, 60, 120, 960, 1800, 1800, 1800]);
  });

  it('may end FAILED only after 72 hours of waiting', () => {
    const since = '2026-11-19T12:00:00.000Z';
    expect(waitedTooLong({ waitingSince: since }, at('2026-11-22T11:59:59.999Z'))).toBe(false);
    expect(waitedTooLong({ waitingSince: since }, now)).toBe(true);
    expect(waitedTooLong({}, now)).toBe(false);
  });

  it('a waiting document is claimed early only when pulled forward (the drain, POST /retry)', async () => {
    seed({
      status: 'WAITING_FOR_HKA',
      leaseUntil: plus('2026-11-22T12:00:00.000Z', 600),
      nextAttemptAt: plus('2026-11-22T12:00:00.000Z', 600),
    });
    const doc = { tenantId: TENANT, documentId: ID, attempt: 1 };
    expect(await claimNextAttempt(doc, now)).toBeUndefined();
    const claimed = await claimNextAttempt(doc, now, { pullForward: true });
    expect(claimed).toMatchObject({ status: 'WAITING_FOR_HKA', attempt: 2 });
    expect(claimed).not.toHaveProperty('nextAttemptAt');
    // Claimed and not started yet: not pulled forward a second time.
    expect(await claimNextAttempt({ ...doc, attempt: 2 }, now, { pullForward: true })).toBeUndefined();
  });

  it('a running attempt is never postponed; a waiting one is, counting the wait when asked', async () => {
    seed({ status: 'WAITING_FOR_HKA', attemptOwner: EXECUTION, waits: 2 });
    const dueAt = plus('2026-11-22T12:00:00.000Z', 240);
    expect(
      await postponeAttempt({ tenantId: TENANT, documentId: ID, waits: 2 }, 1, dueAt, now, {
        countWait: true,
      }),
    ).toBe(false);
    seed({ status: 'WAITING_FOR_HKA', waits: 2 });
    expect(
      await postponeAttempt({ tenantId: TENANT, documentId: ID, waits: 2 }, 1, dueAt, now, {
        countWait: true,
      }),
    ).toBe(true);
    expect(stored()).toMatchObject({
      nextAttemptAt: dueAt,
      leaseUntil: dueAt,
      waits: 3,
      ...inFlightKeys(dueAt),
    });
  });

  it('a superseded attempt does not make the document wait', async () => {
    const doc = seed({ attempt: 2 });
    expect(await waitForHka({ ...doc, attempt: 1 }, 1, { lastError: 'x', now })).toBeUndefined();
    expect(stored()).toMatchObject({ status: 'PROCESSING', attempt: 2 });
  });
});
