import { createApiHandler } from '#shared/http/handler';
import { reportOperations } from '#shared/reports/api';
import { salesBookReport } from '#shared/reports/service';

/** GET /v1/reports/sales-book?month&branch&pointOfSale&format */
export const handler = createApiHandler(reportOperations.getSalesBook, async ({ ctx, query }) => ({
  data: await salesBookReport(ctx, query),
}));
