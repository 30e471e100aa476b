import { createApiHandler } from '#shared/http/handler';
import { webhookOperations } from '#shared/webhooks/api';
import { deleteWebhook } from '#shared/webhooks/endpoints';

/** DELETE /v1/webhooks/{id} */
export const handler = createApiHandler(webhookOperations.deleteWebhook, async ({ ctx, params }) => {
  await deleteWebhook(ctx, params.id);
  return { data: { deleted: true } };
});
