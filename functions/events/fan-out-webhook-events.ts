import { sqsTenantBatchHandler } from '#shared/events/sqs-batch';
import { busEventOf, fanOutEvent } from '#shared/webhooks/fan-out';

/** Webhook fan-out queue (EventBridge events) → one delivery per subscribed endpoint, queued, as the tenant. */
export const handler = sqsTenantBatchHandler('fan-out-webhook-events', busEventOf, fanOutEvent);
