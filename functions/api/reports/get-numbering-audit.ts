import { createApiHandler } from '#shared/http/handler';
import { reportOperations } from '#shared/reports/api';
import { numberingReport } from '#shared/reports/service';

/** GET /v1/reports/numbering?branch&pointOfSale&from&to&format */
export const handler = createApiHandler(reportOperations.getNumberingAudit, async ({ ctx, query }) => ({
  data: await numberingReport(ctx, query),
}));
