import { documentOperations } from '#shared/documents/api';
import { previewForTenant } from '#shared/documents/preview';
import { createApiHandler } from '#shared/http/handler';

/** POST /v1/documents/preview → 200 `{ valid, errors, warnings, totals, pdf }`; nothing is issued. */
export const handler = createApiHandler(documentOperations.previewDocument, async ({ ctx, body }) => ({
  data: await previewForTenant(ctx, body),
}));
