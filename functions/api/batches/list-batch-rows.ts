import { batchOperations } from '#shared/batches/api';
import { listBatchRows } from '#shared/batches/batches';
import { createApiHandler } from '#shared/http/handler';

/** GET /v1/batches/{id}/rows */
export const handler = createApiHandler(batchOperations.listBatchRows, async ({ ctx, params, query }) => ({
  data: await listBatchRows(ctx, params.id, query),
}));
