import type { DocumentStatus } from '#shared/data/documents';
import { documentOperations } from '#shared/documents/api';
import { listDocuments } from '#shared/documents/queries';
import { createApiHandler } from '#shared/http/handler';

/** GET /v1/documents?status&type&from&to&branch&pointOfSale&receiverRuc&q&cufe&number&limit&cursor */
export const handler = createApiHandler(documentOperations.listDocuments, async ({ ctx, query }) => ({
  data: await listDocuments(ctx, { ...query, status: query.status as DocumentStatus | undefined }),
}));
