import { createApiHandler } from '#shared/http/handler';
import { webhookOperations } from '#shared/webhooks/api';
import { createWebhook } from '#shared/webhooks/endpoints';

/** POST /v1/webhooks → 201 with the signing secret (shown this once). */
export const handler = createApiHandler(webhookOperations.createWebhook, async ({ ctx, body }) => {
  const created = await createWebhook(ctx, body);
  return {
    statusCode: 201,
    data: created,
    headers: { location: `/v1/webhooks/${encodeURIComponent(created.id)}` },
  };
});
