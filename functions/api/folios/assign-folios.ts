import { folioOperations } from '#shared/documents/api';
import { assignFolios } from '#shared/documents/folios';
import { createApiHandler } from '#shared/http/handler';

/** POST /v1/folios/assignments {userId, quantity} — ADMIN gives a user quota. */
export const handler = createApiHandler(folioOperations.assignFolios, async ({ ctx, body }) => ({
  data: await assignFolios(ctx, body),
}));
