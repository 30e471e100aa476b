import { BATCH_COUNTERS, batchesRepository } from '#shared/data/batches';
import { publishEvent } from '#shared/events/bus';

/**
 * `batch.completed`, once the batch has closed (DONE, or CANCELLED with every row ended): its final status and
 * counts. Called by whoever closed it, so it is published once per closing.
 */
export async function publishBatchCompleted(tenantId: string, batchId: string): Promise<void> {
  const batch = await batchesRepository.get(tenantId, batchId, true);
  if (!batch?.finishedAt) return;
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
}

/** Closes the batch if its last row has ended and, if this call closed it, publishes `batch.completed`. */
export async function closeBatchIfFinished(tenantId: string, batchId: string, now: Date): Promise<void> {
  if (await batchesRepository.closeIfFinished(tenantId, batchId, now))
    await publishBatchCompleted(tenantId, batchId);
}
