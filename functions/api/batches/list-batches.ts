import { batchOperations } from '#shared/batches/api';
import { listBatches } from '#shared/batches/batches';
import { createApiHandler } from '#shared/http/handler';

/** GET /v1/batches */
export const handler = createApiHandler(batchOperations.listBatches, async ({ ctx, query }) => ({
  data: await listBatches(ctx, query),
}));
