/**
 * The HKA circuit breaker: failures in a row open it, one probe per interval goes through while it is open,
 * the first success closes it and remembers the outage; a clean breaker costs no write on success.
 */
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { keys } from '#shared/data/keys';
import {
  FAILURE_THRESHOLD,
  forgetBreakerCacheForTests,
  hkaBreaker,
  hkaUnreachableSince,
  PROBE_INTERVAL_SECONDS,
} from '#shared/hka/breaker';
import { FakeTable } from '../app/fake-table.ts';
import { setTestEnv } from '../app/helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const table = new FakeTable();
const t0 = new Date('2026-12-06T15:00:00.000Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

beforeEach(() => {
  ddb.reset();
  table.clear();
  table.install(ddb);
  forgetBreakerCacheForTests();
});

describe('hkaBreaker', () => {
  it('opens on the threshold-th failure in a row, dated from the first failure', async () => {
    // Prepare / Act
    const results = [];
    for (let i = 0; i < FAILURE_THRESHOLD; i++) {
      results.push(await hkaBreaker.recordFailure('demo', `timeout ${i}`, at(i * 10)));
    }
    // Assess
    expect(results.slice(0, -1).every((r) => r.state === 'closed' && !r.opened)).toBe(true);
    const opened = results.at(-1)!;
    expect(opened).toMatchObject({ state: 'open', opened: true, downSince: t0.toISOString() });
    expect(opened.nextProbeAt).toBe(at((FAILURE_THRESHOLD - 1) * 10 + PROBE_INTERVAL_SECONDS).toISOString());
    expect(hkaUnreachableSince(opened)).toBe(t0.toISOString());
    const stored = await hkaBreaker.read('demo', { fresh: true });
    expect(stored).toMatchObject({ state: 'open', lastError: `timeout ${FAILURE_THRESHOLD - 1}` });
    // The other environment is untouched.
    expect(await hkaBreaker.read('prod')).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it('a success between failures resets the count: the breaker stays closed', async () => {
    for (let i = 0; i < FAILURE_THRESHOLD - 1; i++) await hkaBreaker.recordFailure('demo', 'http 503', at(i));
    await hkaBreaker.recordSuccess('demo', at(5));
    const after = await hkaBreaker.recordFailure('demo', 'http 503', at(6));
    expect(after).toMatchObject({ state: 'closed', consecutiveFailures: 1, downSince: at(6).toISOString() });
  });

  it('lets one probe through per interval while open, none while closed', async () => {
    expect(await hkaBreaker.claimProbe('demo', at(0))).toBe(false);
    for (let i = 0; i < FAILURE_THRESHOLD; i++) await hkaBreaker.recordFailure('demo', 'reset', at(0));
    expect(await hkaBreaker.claimProbe('demo', at(PROBE_INTERVAL_SECONDS - 1))).toBe(false);
    const claims = await Promise.all(
      [0, 1, 2].map(() => hkaBreaker.claimProbe('demo', at(PROBE_INTERVAL_SECONDS))),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await hkaBreaker.claimProbe('demo', at(2 * PROBE_INTERVAL_SECONDS - 1))).toBe(false);
    expect(await hkaBreaker.claimProbe('demo', at(2 * PROBE_INTERVAL_SECONDS))).toBe(true);
  });

  it('the first success closes it and records the outage', async () => {
    for (let i = 0; i < FAILURE_THRESHOLD; i++) await hkaBreaker.recordFailure('demo', 'timeout', at(i));
    const first = await hkaBreaker.recordSuccess('demo', at(600));
    const second = await hkaBreaker.recordSuccess('demo', at(601));
    expect(first).toEqual({ closed: true });
    expect(second).toEqual({ closed: false });
    const stored = await hkaBreaker.read('demo', { fresh: true });
    expect(stored).toMatchObject({
      state: 'closed',
      consecutiveFailures: 0,
      lastOutage: { from: at(0).toISOString(), to: at(600).toISOString() },
    });
    expect(stored.downSince).toBeUndefined();
    expect(hkaUnreachableSince(stored)).toBeUndefined();
    expect(table.get(keys.hkaBreaker('demo'))).toMatchObject({ state: 'closed' });
  });

  it('a success on a clean breaker writes nothing', async () => {
    await hkaBreaker.recordSuccess('demo', at(0));
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });
});
