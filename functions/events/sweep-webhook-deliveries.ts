import { logger } from '#shared/observability/logger';
import { logFailure, withPowertools } from '#shared/observability/middlewares';
import { sweepDueDeliveries } from '#shared/webhooks/sweep';

/** Schedule → the pending webhook deliveries whose next attempt is due, queued. */
export const handler = withPowertools(async () => {
  const result = await sweepDueDeliveries();
  if (result.due > 0) logger.info('Webhook delivery sweep', result);
  return result;
}, logFailure('Webhook delivery sweep failed'));
