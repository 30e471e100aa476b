import { batchOperations } from '#shared/batches/api';
import { createBatch } from '#shared/batches/batches';
import { createApiHandler } from '#shared/http/handler';

const batchPath = (id: string) => `/v1/batches/${encodeURIComponent(id)}`;

/** POST /v1/batches → 202 with the batch (VALIDATING) and its Location. */
export const handler = createApiHandler(batchOperations.createBatch, async ({ ctx, body }) => {
  const batch = await createBatch(ctx, body);
  return { statusCode: 202, data: batch, headers: { location: batchPath(batch.id) } };
});
