import { documentOperations } from '#shared/documents/api';
import { validateForTenant } from '#shared/documents/preflight';
import { createApiHandler } from '#shared/http/handler';

/** POST /v1/documents/validate → 200 `{ valid, errors, warnings, totals }`; nothing is issued or stored. */
export const handler = createApiHandler(documentOperations.validateDocument, async ({ ctx, body }) => ({
  data: await validateForTenant(ctx, body),
}));
