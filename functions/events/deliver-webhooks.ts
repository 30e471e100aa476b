import { sqsTenantBatchHandler } from '#shared/events/sqs-batch';
import { attemptDelivery } from '#shared/webhooks/delivery';
import { deliveryMessageOf } from '#shared/webhooks/queue';

/** Webhook delivery queue → one signed POST per message (an attempt), its outcome recorded, as the tenant. */
export const handler = sqsTenantBatchHandler('deliver-webhooks', deliveryMessageOf, attemptDelivery);
