import { enqueueFolioSyncForAllTenants } from '#shared/events/folio-fan-out';
import { logger } from '#shared/observability/logger';
import { logFailure, withPowertools } from '#shared/observability/middlewares';

/** Schedule → one folio-sync message per tenant. */
export const handler = withPowertools(async () => {
  const tenants = await enqueueFolioSyncForAllTenants();
  logger.info('Folio sync enqueued', { tenants });
  return { tenants };
}, logFailure('Folio sync fan-out failed'));
