import { alertEventOf, handleAlertEvent } from '#shared/alerts/consume';
import { now } from '#shared/clock';
import { sqsBatchHandler } from '#shared/events/sqs-batch';

/** Alert events (EventBridge → alerts queue) → e-mails to the tenant's ADMINs; partial batch failures. */
export const handler = sqsBatchHandler('handle-alert', async (body) => {
  await handleAlertEvent(alertEventOf(body), now());
});
