import { batchOperations } from '#shared/batches/api';
import { cancelBatch } from '#shared/batches/batches';
import { createApiHandler } from '#shared/http/handler';

/** POST /v1/batches/{id}/cancel */
export const handler = createApiHandler(batchOperations.cancelBatch, async ({ ctx, params }) => ({
  data: await cancelBatch(ctx, params.id),
}));
