import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { now as clockNow } from '#shared/clock';
import { config } from '#shared/config/config';
import { documentClient, tableName } from '#shared/data/client';
import { type DocumentRecord, documentsRepository, isInFlight } from '#shared/data/documents';
import { isConditionalCheckFailed } from '#shared/data/errors';
import { GSI, IN_FLIGHT_SHARDS, inFlightPartition, keys, ttlEpochSeconds } from '#shared/data/keys';
import { publishEvent } from '#shared/events/bus';
import { type BreakerState, HKA_ENVIRONMENTS, type HkaEnvironment, hkaBreaker } from '#shared/hka/breaker';
import { logger } from '#shared/observability/logger';
import { MetricUnit, metrics } from '#shared/observability/metrics';
import { runAsTenant } from '#shared/tenancy/tenant-scope';
import {
  claimNextAttempt,
  longestRedriveDelay,
  postponeAttempt,
  redriveDelayAfter,
  scheduleNextAttempt,
  startClaimedAttempt,
  waitSecondsAfter,
} from './attempts.ts';
import { isWaiting, startNextOfPointOfSale } from './pipeline/drain.ts';

/**
 * A document whose attempt's lease has passed, as the in-flight index lists it. `died`: the attempt began (an
 * execution owned it) and never ended — a timeout, a crash, a task that keeps failing outside the workflow's
 * Catch — as opposed to a scheduled wait or a start that never happened.
 */
export type DueDocument = { tenantId: string; documentId: string; attempt: number; died: boolean };

/**
 * How many due documents one sweep takes per shard. Bounds the burst HKA sees when it comes back after an
 * outage (the rest wait for the next sweep, a minute later) and keeps one run well inside its timeout.
 */
export const REDRIVE_BATCH_PER_SHARD = 50;

/**
 * The documents of one shard whose lease ended at or before `now`, oldest first; without `now`, every
 * in-flight document of the shard, soonest lease first (the drain after an outage).
 */
export async function dueDocuments(
  shard: number,
  now: Date | undefined,
  limit: number,
): Promise<DueDocument[]> {
  const out = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: GSI.inFlight.name,
      KeyConditionExpression: now ? '#pk = :pk AND #sk < :bound' : '#pk = :pk',
      ExpressionAttributeNames: now
        ? { '#pk': GSI.inFlight.pk, '#sk': GSI.inFlight.sk }
        : { '#pk': GSI.inFlight.pk },
      // Sort keys are `<leaseUntil>#<tenant>#<id>`; `$` sorts right after `#`, so every lease ≤ now is below.
      ExpressionAttributeValues: now
        ? { ':pk': inFlightPartition(shard), ':bound': `${now.toISOString()}$` }
        : { ':pk': inFlightPartition(shard) },
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map((item) => ({
    tenantId: String(item.tenantId),
    documentId: String(item.documentId),
    attempt: Number(item.attempt),
    died: item.attemptOwner !== undefined,
  }));
}

/** How long after HKA answers again the sweep looks for waiting documents beyond the due ones. */
const recoveryWindowMs = () => config().issuing.waitCapSeconds * 1000;

/** How long a document waits before its tenant is told HKA has kept it waiting (`hka.waiting-long`). */
export const WAITING_LONG_SECONDS = 3600;

/** What one sweep knows and has done: the breakers as read at its start, probes taken, points of sale drained. */
type Sweep = {
  now: Date;
  breakers: Record<HkaEnvironment, BreakerState>;
  probed: Set<HkaEnvironment>;
  drained: Set<string>;
  noticed: Set<string>;
  waiting: number;
  started: number;
};

const posKey = (doc: DocumentRecord) => `${doc.tenantId}#${doc.environment}#${doc.branch}#${doc.pointOfSale}`;
const inSeconds = (now: Date, seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();

/**
 * The scheduled re-drive: every in-flight document whose attempt's lease has passed gets its next attempt —
 * gated by its HKA environment's circuit breaker:
 *
 * - an attempt that died (timeout, crash, stop) gets the wait a failed one would have had;
 * - breaker open: no document of that environment starts, except one probe per interval (`claimProbe`: the
 *   lowest-numbered waiting document of the first due one's point of sale, flagged `probe`); every other due
 *   document is pushed to the breaker's next probe or its own growing backoff, whichever is later — no
 *   document is looked at every minute during an outage;
 * - breaker closed, document waiting (WAITING_FOR_HKA, CONTINGENCY): its point of sale is drained in number
 *   order — the lowest-numbered waiting document starts when none of that point of sale is running, and
 *   each one's end starts the next (pipeline/drain.ts); the sweep restarts a broken chain. A due document
 *   behind a running chain is pushed back (the chain pulls it forward in turn);
 * - otherwise (PROCESSING) its next attempt is claimed and started.
 *
 * For a while after an outage ends, the sweep also starts the drain of every point of sale that has waiting
 * documents not yet due, so they do not sit out their backoff. Claims are conditional on the attempt seen,
 * so overlapping sweeps (or a POST /retry at the same moment) start each attempt once. It counts the due
 * documents waiting for HKA (`DocumentsWaitingForHka`) and tells each tenant once per outage when its
 * documents have waited over an hour (`hka.waiting-long`).
 */
export async function redriveDueDocuments(now: Date = clockNow()): Promise<{ due: number; started: number }> {
  const shards = Array.from({ length: IN_FLIGHT_SHARDS }, (_, shard) => shard);
  const [breakers, due] = await Promise.all([
    readBreakers(),
    Promise.all(shards.map((shard) => dueDocuments(shard, now, REDRIVE_BATCH_PER_SHARD))).then((d) =>
      d.flat(),
    ),
  ]);
  const sweep: Sweep = {
    now,
    breakers,
    probed: new Set(),
    drained: new Set(),
    noticed: new Set(),
    waiting: 0,
    started: 0,
  };
  for (const document of due) {
    // The index is read with the sweep's own role; each document is claimed with its tenant's session.
    // One document's fault does not hold up the others: it is still due, the next sweep sees it again.
    await runAsTenant(document.tenantId, () => redrive(document, sweep)).catch((error: unknown) =>
      logger.error('Re-drive of a document failed', {
        documentId: document.documentId,
        error: error as Error,
      }),
    );
  }
  await drainAfterOutage(sweep);
  if (sweep.started > 0) metrics.addMetric('DocumentsRedriven', MetricUnit.Count, sweep.started);
  metrics.addMetric('DocumentsWaitingForHka', MetricUnit.Count, sweep.waiting);
  return { due: due.length, started: sweep.started };
}

async function readBreakers(): Promise<Record<HkaEnvironment, BreakerState>> {
  const states = await Promise.all(HKA_ENVIRONMENTS.map((env) => hkaBreaker.read(env, { fresh: true })));
  return Object.fromEntries(states.map((state) => [state.environment, state])) as Record<
    HkaEnvironment,
    BreakerState
  >;
}

async function redrive(document: DueDocument, sweep: Sweep): Promise<void> {
  const { now } = sweep;
  // An attempt that died gets the wait a failed one gets, so a document whose attempts keep dying the same
  // way is retried on the growing schedule, never every lease.
  if (document.died) {
    const wait = redriveDelayAfter(document.attempt) ?? longestRedriveDelay();
    const dueAt = await scheduleNextAttempt(document, document.attempt, wait, now);
    if (dueAt) {
      await documentsRepository.appendEvent(document.tenantId, document.documentId, {
        at: now.toISOString(),
        type: 'ATTEMPT_LOST',
        status: 'PROCESSING',
        message: `Attempt ${document.attempt} ended without a result (timeout or crash); attempt ${document.attempt + 1} at ${dueAt}`,
      });
      metrics.addMetric('AttemptLost', MetricUnit.Count, 1);
    }
    return;
  }
  const doc = await documentsRepository.get(document.tenantId, document.documentId);
  if (!doc || !isInFlight(doc.status) || doc.attempt !== document.attempt) return;
  const waiting = isWaiting(doc);
  if (doc.status === 'WAITING_FOR_HKA') sweep.waiting++;
  const breaker = sweep.breakers[doc.environment];
  if (waiting) await noticeWaitingLong(doc, breaker, sweep);
  if (breaker.state === 'open') return probeOrPostpone(doc, breaker, sweep);
  if (waiting) return drain(doc, sweep);
  await claimAndStart(doc, sweep, false);
}

/** Breaker open: this document is the interval's probe if the slot is free, else it waits for the breaker. */
async function probeOrPostpone(doc: DocumentRecord, breaker: BreakerState, sweep: Sweep): Promise<void> {
  const { now } = sweep;
  if (!sweep.probed.has(doc.environment) && (await hkaBreaker.claimProbe(doc.environment, now))) {
    sweep.probed.add(doc.environment);
    logger.info('Probing HKA', { environment: doc.environment, documentId: doc.documentId });
    const probe = isWaiting(doc)
      ? await startNextOfPointOfSale(doc, now, { probe: true, fallback: doc })
      : undefined;
    if (probe) sweep.started++;
    else await claimAndStart(doc, sweep, true);
    return;
  }
  const ownBackoff = inSeconds(now, waitSecondsAfter(doc.waits ?? 0));
  const nextProbe = sweep.probed.has(doc.environment) ? undefined : breaker.nextProbeAt;
  const probeAt = nextProbe && nextProbe > now.toISOString() ? nextProbe : inSeconds(now, 60);
  const dueAt = probeAt > ownBackoff ? probeAt : ownBackoff;
  await postponeAttempt(doc, doc.attempt, dueAt, now, { countWait: true });
}

/** Breaker closed, document waiting: its point of sale drains in number order, one at a time. */
async function drain(doc: DocumentRecord, sweep: Sweep): Promise<void> {
  const key = posKey(doc);
  if (!sweep.drained.has(key)) {
    sweep.drained.add(key);
    const started = await startNextOfPointOfSale(doc, sweep.now, { fallback: doc });
    if (started) sweep.started++;
    if (started?.documentId === doc.documentId) return;
  }
  // Behind a running chain (or one started just now): its turn comes when the chain pulls it forward.
  await postponeAttempt(doc, doc.attempt, inSeconds(sweep.now, config().issuing.waitCapSeconds), sweep.now, {
    countWait: false,
  });
}

async function claimAndStart(doc: DocumentRecord, sweep: Sweep, probe: boolean): Promise<void> {
  const claimed = await claimNextAttempt(doc, sweep.now);
  if (!claimed) return;
  await documentsRepository.appendEvent(claimed.tenantId, claimed.documentId, {
    at: sweep.now.toISOString(),
    type: 'REDRIVEN',
    status: claimed.status,
    message: `Attempt ${claimed.attempt} started by the re-drive${probe ? ' (probing HKA)' : ''} (attempt ${doc.attempt} ended without a final state)`,
  });
  const ok = await startClaimedAttempt(
    claimed,
    (error) =>
      logger.error('Re-driven attempt did not start; the next sweep tries again', {
        documentId: claimed.documentId,
        error: error as Error,
      }),
    { probe },
  );
  if (ok) sweep.started++;
}

/**
 * After an outage ends (within the recovery window), waiting documents whose next attempt is not due yet are
 * drained too: one read of each in-flight shard, then each point of sale with waiting documents once.
 */
async function drainAfterOutage(sweep: Sweep): Promise<void> {
  const recovering = HKA_ENVIRONMENTS.filter((env) => {
    const { state, lastOutage } = sweep.breakers[env];
    return (
      state === 'closed' &&
      !!lastOutage &&
      sweep.now.getTime() - Date.parse(lastOutage.to) < recoveryWindowMs()
    );
  });
  if (recovering.length === 0) return;
  const shards = Array.from({ length: IN_FLIGHT_SHARDS }, (_, shard) => shard);
  const inFlight = (
    await Promise.all(shards.map((shard) => dueDocuments(shard, undefined, REDRIVE_BATCH_PER_SHARD)))
  ).flat();
  for (const entry of inFlight) {
    // An attempt running now is not waiting.
    if (entry.died) continue;
    await runAsTenant(entry.tenantId, async () => {
      const doc = await documentsRepository.get(entry.tenantId, entry.documentId);
      if (!doc || !isWaiting(doc) || !doc.nextAttemptAt || !recovering.includes(doc.environment)) return;
      const key = posKey(doc);
      if (sweep.drained.has(key)) return;
      sweep.drained.add(key);
      if (await startNextOfPointOfSale(doc, sweep.now)) sweep.started++;
    });
  }
}

/**
 * Tells the tenant once per outage that its documents have waited for HKA for over an hour: a conditional
 * put of the notice (outage = the breaker's `downSince` while it is open, else the document's first wait)
 * decides who publishes.
 */
async function noticeWaitingLong(doc: DocumentRecord, breaker: BreakerState, sweep: Sweep): Promise<void> {
  if (!doc.waitingSince) return;
  if (sweep.now.getTime() - Date.parse(doc.waitingSince) < WAITING_LONG_SECONDS * 1000) return;
  const since =
    (breaker.state === 'open' ? (breaker.downSince ?? breaker.openedAt) : undefined) ?? doc.waitingSince;
  const once = `${doc.tenantId}#${doc.environment}#${since}`;
  if (sweep.noticed.has(once)) return;
  sweep.noticed.add(once);
  try {
    await documentClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.hkaWaitingLongNotice(doc.tenantId, doc.environment, since),
          at: sweep.now.toISOString(),
          // Kept past the 72-hour wait, then dropped.
          expiresAt: ttlEpochSeconds(sweep.now, 7 * 24 * 3600),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (isConditionalCheckFailed(error)) return;
    throw error;
  }
  try {
    // What the alert tells: how many of the tenant's documents wait to be sent (issued in contingency too).
    const [waiting, inContingency] = await Promise.all([
      documentsRepository.countInStatus(doc.tenantId, 'WAITING_FOR_HKA'),
      documentsRepository.countInStatus(doc.tenantId, 'CONTINGENCY'),
    ]);
    await publishEvent({
      type: 'hka.waiting-long',
      detail: {
        tenantId: doc.tenantId,
        environment: doc.environment,
        since,
        oldestDocumentId: doc.documentId,
        waiting: waiting + inContingency,
      },
    });
  } catch (error) {
    // Not told: the next sweep tries again.
    await documentClient().send(
      new DeleteCommand({
        TableName: tableName(),
        Key: keys.hkaWaitingLongNotice(doc.tenantId, doc.environment, since),
      }),
    );
    throw error;
  }
}
