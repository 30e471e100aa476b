import { exportOperations } from '#shared/exports/api';
import { getExport } from '#shared/exports/exports';
import { createApiHandler } from '#shared/http/handler';

/** GET /v1/exports/{id} → progress, and once DONE a presigned URL of the ZIP. */
export const handler = createApiHandler(exportOperations.getExport, async ({ ctx, params }) => ({
  data: await getExport(ctx, params.id),
}));
