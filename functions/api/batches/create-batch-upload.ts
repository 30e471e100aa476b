import { batchOperations } from '#shared/batches/api';
import { createBatchUpload } from '#shared/batches/upload';
import { createApiHandler } from '#shared/http/handler';

/** POST /v1/batch-uploads → 201 with a presigned PUT for the CSV. */
export const handler = createApiHandler(batchOperations.createBatchUpload, async ({ ctx }) => ({
  statusCode: 201,
  data: await createBatchUpload(ctx),
}));
