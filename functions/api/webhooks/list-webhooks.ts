import { createApiHandler } from '#shared/http/handler';
import { webhookOperations } from '#shared/webhooks/api';
import { listWebhooks } from '#shared/webhooks/endpoints';

/** GET /v1/webhooks */
export const handler = createApiHandler(webhookOperations.listWebhooks, async ({ ctx }) => ({
  data: await listWebhooks(ctx),
}));
