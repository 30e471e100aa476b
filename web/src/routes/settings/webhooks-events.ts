import type { paths } from '../../api/schema.gen';

type WebhookEvent = NonNullable<
  paths['/v1/webhooks']['post']['requestBody']
>['content']['application/json']['events'][number];

/**
 * The event types an endpoint may subscribe to, in the API's order (the generated API types hold the list; the
 * check keeps them equal, and a unit test compares the order with the event catalogue).
 */
export const WEBHOOK_EVENTS = [
  'document.authorized',
  'document.rejected',
  'document.failed',
  'document.cancelled',
  'document.waiting',
  'document.contingency',
  'folios.low',
  'certificate.expiring',
  'batch.completed',
] as const satisfies readonly WebhookEvent[];
type Missing = Exclude<WebhookEvent, (typeof WEBHOOK_EVENTS)[number]>;
const everyEventListed: Missing extends never ? true : Missing = true;
void everyEventListed;
