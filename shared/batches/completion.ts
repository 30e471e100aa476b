import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { BATCH_COUNTERS, type BatchRecord, batchesRepository } from '#shared/data/batches';
import { documentClient, tableName } from '#shared/data/client';
import { isConditionalCheckFailed } from '#shared/data/errors';
import { keys } from '#shared/data/keys';
import { publishEvent } from '#shared/events/bus';

/**
 * How long the writer that took the publication of `batch.completed` holds it: far more than one PutEvents
 * takes, less than the issue queue's visibility timeout, so a message redelivered after its worker died
 * finds the claim stale and publishes in its place.
 */
export const COMPLETION_CLAIM_MS = 60_000;

/**
 * Closes the batch if its last row has ended, then publishes `batch.completed` if nobody has. Safe to call
 * again and concurrently (two row workers finishing at once, a redelivered message, a retried Lambda): the
 * publication follows a conditional transition of the batch item (owed → claimed → published), so the event
 * is published by one writer only, and a writer that died between closing and publishing is replaced by the
 * next call once its claim is stale.
 */
export async function closeBatchIfFinished(tenantId: string, batchId: string, now: Date): Promise<void> {
  const batch = await batchesRepository.closeIfFinished(tenantId, batchId, now);
  if (batch?.finishedAt && !batch.completionPublishedAt) await publishCompletionOnce(tenantId, batchId, now);
}

async function publishCompletionOnce(tenantId: string, batchId: string, now: Date): Promise<void> {
  const claimedUntil = new Date(now.getTime() + COMPLETION_CLAIM_MS).toISOString();
  const batch = await claimCompletion(tenantId, batchId, now, claimedUntil);
  if (!batch) return;
  try {
    await publishEvent({
      type: 'batch.completed',
      detail: {
        tenantId,
        batchId,
        status: batch.status,
        total: batch.total,
        counts: Object.fromEntries(BATCH_COUNTERS.map((counter) => [counter, batch[counter] ?? 0])),
        finishedAt: batch.finishedAt,
      },
    });
  } catch (error) {
    // Not published: the claim goes back, so the retry of this call publishes at once.
    await completionUpdate(tenantId, batchId, {
      expression: 'REMOVE completionClaimedUntil',
      condition: 'completionClaimedUntil = :mine',
      values: { ':mine': claimedUntil },
    });
    throw error;
  }
  await completionUpdate(tenantId, batchId, {
    expression: 'SET completionPublishedAt = :now REMOVE completionClaimedUntil',
    condition: 'attribute_not_exists(completionPublishedAt)',
    values: { ':now': now.toISOString() },
  });
}

/**
 * Takes the publication of a closed batch's completion: only when it is not published and nobody holds a
 * live claim. Answers the batch as claimed, undefined when someone else publishes (or did).
 */
async function claimCompletion(
  tenantId: string,
  batchId: string,
  now: Date,
  claimedUntil: string,
): Promise<BatchRecord | undefined> {
  try {
    const out = await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.batch(tenantId, batchId),
        UpdateExpression: 'SET completionClaimedUntil = :until',
        ConditionExpression:
          'attribute_exists(finishedAt) AND attribute_not_exists(completionPublishedAt) AND ' +
          '(attribute_not_exists(completionClaimedUntil) OR completionClaimedUntil < :now)',
        ExpressionAttributeValues: { ':until': claimedUntil, ':now': now.toISOString() },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const { pk: _pk, sk: _sk, ...batch } = out.Attributes ?? {};
    return batch as BatchRecord;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return undefined;
    throw error;
  }
}

async function completionUpdate(
  tenantId: string,
  batchId: string,
  update: { expression: string; condition: string; values: Record<string, unknown> },
): Promise<void> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.batch(tenantId, batchId),
        UpdateExpression: update.expression,
        ConditionExpression: update.condition,
        ExpressionAttributeValues: update.values,
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}
