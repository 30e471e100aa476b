import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '#shared/data/client';
import { documentsRepository } from '#shared/data/documents';
import { GSI, IN_FLIGHT_SHARDS, inFlightPartition } from '#shared/data/keys';
import { logger } from '#shared/observability/logger';
import { MetricUnit, metrics } from '#shared/observability/metrics';
import { runAsTenant } from '#shared/tenancy/tenant-scope';
import {
  claimNextAttempt,
  longestRedriveDelay,
  redriveDelayAfter,
  scheduleNextAttempt,
  startClaimedAttempt,
} from './attempts.ts';

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

/** The documents of one shard whose lease ended at or before `now`, oldest first. */
export async function dueDocuments(shard: number, now: Date, limit: number): Promise<DueDocument[]> {
  const out = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: GSI.inFlight.name,
      KeyConditionExpression: '#pk = :pk AND #sk < :bound',
      ExpressionAttributeNames: { '#pk': GSI.inFlight.pk, '#sk': GSI.inFlight.sk },
      // Sort keys are `<leaseUntil>#<tenant>#<id>`; `$` sorts right after `#`, so every lease ≤ now is below.
      ExpressionAttributeValues: { ':pk': inFlightPartition(shard), ':bound': `${now.toISOString()}$` },
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

/**
 * The scheduled re-drive: every PROCESSING document whose attempt's lease has passed — its attempt ended
 * on a transient failure and the next one is due, or it never started — gets its next attempt claimed and
 * started; one whose attempt died (timeout, crash, stop) gets its next attempt claimed for after the wait a
 * failed attempt would have had, and started by a later sweep. Claiming is conditional on the attempt seen in the index, so
 * overlapping sweeps (or a POST /retry at the same moment) start each attempt once.
 */
export async function redriveDueDocuments(now: Date = new Date()): Promise<{ due: number; started: number }> {
  const shards = Array.from({ length: IN_FLIGHT_SHARDS }, (_, shard) => shard);
  const due = (
    await Promise.all(shards.map((shard) => dueDocuments(shard, now, REDRIVE_BATCH_PER_SHARD)))
  ).flat();
  let started = 0;
  for (const document of due) {
    // The index is read with the sweep's own role; each document is claimed with its tenant's session.
    const ok = await runAsTenant(document.tenantId, () => redrive(document, now));
    if (ok) started++;
  }
  if (started > 0) metrics.addMetric('DocumentsRedriven', MetricUnit.Count, started);
  return { due: due.length, started };
}

async function redrive(document: DueDocument, now: Date): Promise<boolean> {
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
    return false;
  }
  const claimed = await claimNextAttempt(document, now);
  if (!claimed) return false;
  await documentsRepository.appendEvent(claimed.tenantId, claimed.documentId, {
    at: now.toISOString(),
    type: 'REDRIVEN',
    status: claimed.status,
    message: `Attempt ${claimed.attempt} started by the re-drive (attempt ${document.attempt} ended without a final state)`,
  });
  return startClaimedAttempt(claimed, (error) =>
    logger.error('Re-driven attempt did not start; the next sweep tries again', {
      documentId: claimed.documentId,
      error: error as Error,
    }),
  );
}
