import { batchOperations } from '#shared/batches/api';
import { getBatch } from '#shared/batches/batches';
import { createApiHandler } from '#shared/http/handler';

/** GET /v1/batches/{id} */
export const handler = createApiHandler(batchOperations.getBatch, async ({ ctx, params }) => ({
  data: await getBatch(ctx, params.id),
}));
