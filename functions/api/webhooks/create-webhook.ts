import { createApiHandler } from '#shared/http/handler';
import { webhookOperations } from '#shared/webhooks/api';
import { createWebhook } from '#shared/webhooks/endpoints';

const webhookPath = (id: string) => `/v1/webhooks/${encodeURIComponent(id)}`;

/** POST /v1/webhooks → 201 with the signing secret (once); the stored replay of the response has no secret. */
export const handler = createApiHandler(webhookOperations.createWebhook, async (request) => {
  const { idempotency } = request;
  const created = await createWebhook(request.ctx, request.body, {
    idempotency: idempotency && {
      scope: idempotency.scope,
      storedResponse: (webhook) =>
        idempotency.storedResponse({
          statusCode: 201,
          data: webhook,
          headers: { location: webhookPath(webhook.id) },
        }),
    },
  });
  request.markIdempotencyStored();
  return { statusCode: 201, data: created, headers: { location: webhookPath(created.id) } };
});
