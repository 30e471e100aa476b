import { createApiHandler } from '#shared/http/handler';
import { webhookOperations } from '#shared/webhooks/api';
import { sendTestEvent } from '#shared/webhooks/deliveries';

/** POST /v1/webhooks/{id}/test → the test delivery after its attempt. */
export const handler = createApiHandler(webhookOperations.testWebhook, async ({ ctx, params }) => ({
  statusCode: 201,
  data: await sendTestEvent(ctx, params.id),
}));
