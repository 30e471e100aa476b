import { exportOperations } from '#shared/exports/api';
import { createExport } from '#shared/exports/exports';
import { createApiHandler } from '#shared/http/handler';

/** POST /v1/exports → 202 with the queued job; poll its Location. */
export const handler = createApiHandler(exportOperations.createExport, async ({ ctx, body }) => {
  const job = await createExport(ctx, body);
  return { statusCode: 202, data: job, headers: { location: `/v1/exports/${job.id}` } };
});
