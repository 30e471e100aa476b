import { createApiHandler } from '#shared/http/handler';
import { webhookOperations } from '#shared/webhooks/api';
import { redeliver } from '#shared/webhooks/deliveries';

/** POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver → the new delivery after its first attempt. */
export const handler = createApiHandler(
  webhookOperations.redeliverWebhookDelivery,
  async ({ ctx, params }) => ({
    statusCode: 201,
    data: await redeliver(ctx, params.id, params.deliveryId),
  }),
);
