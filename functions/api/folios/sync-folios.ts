import { folioOperations } from '#shared/documents/api';
import { syncFolios } from '#shared/documents/folios';
import { createApiHandler } from '#shared/http/handler';

/** POST /v1/folios/sync — FoliosRestantes now. */
export const handler = createApiHandler(folioOperations.syncFolios, async ({ ctx }) => ({
  data: await syncFolios(ctx.tenantId),
}));
