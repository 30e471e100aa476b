import { createApiHandler } from '#shared/http/handler';
import { webhookOperations } from '#shared/webhooks/api';
import { listDeliveries } from '#shared/webhooks/deliveries';

/** GET /v1/webhooks/{id}/deliveries */
export const handler = createApiHandler(
  webhookOperations.listWebhookDeliveries,
  async ({ ctx, params, query }) => ({ data: await listDeliveries(ctx, params.id, query) }),
);
