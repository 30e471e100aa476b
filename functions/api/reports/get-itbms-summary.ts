import { createApiHandler } from '#shared/http/handler';
import { reportOperations } from '#shared/reports/api';
import { itbmsSummaryReport } from '#shared/reports/service';

/** GET /v1/reports/itbms-summary?month&branch&pointOfSale&format */
export const handler = createApiHandler(reportOperations.getItbmsSummary, async ({ ctx, query }) => ({
  data: await itbmsSummaryReport(ctx, query),
}));
