import { documentOperations } from '#shared/documents/api';
import { countDocuments } from '#shared/documents/counts';
import { createApiHandler } from '#shared/http/handler';

/** GET /v1/documents/counts?from&to&type&branch&pointOfSale&receiverRuc */
export const handler = createApiHandler(documentOperations.countDocuments, async ({ ctx, query }) => ({
  data: await countDocuments(ctx, query),
}));
