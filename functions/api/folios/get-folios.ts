import { folioOperations } from '#shared/documents/api';
import { getFolios } from '#shared/documents/folios';
import { createApiHandler } from '#shared/http/handler';

/** GET /v1/folios — balance (last sync, tenant pool) and user assignments. */
export const handler = createApiHandler(folioOperations.getFolios, async ({ ctx }) => ({
  data: await getFolios(ctx.tenantId),
}));
