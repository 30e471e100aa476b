import { auditOperations } from '#shared/audit/api';
import { listAuditEvents } from '#shared/audit/queries';
import { createApiHandler } from '#shared/http/handler';

/** GET /v1/audit-events?from&to&action&actorId&limit&cursor — the tenant's trail, or the platform's. */
export const handler = createApiHandler(auditOperations.listAuditEvents, async ({ ctx, query }) => ({
  data: await listAuditEvents(ctx, query),
}));
