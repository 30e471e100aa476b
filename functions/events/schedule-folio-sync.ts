import { enqueueFolioSyncForAllTenants } from '#shared/events/folio-fan-out';
import { beginInvocation, logger } from '#shared/observability/logger';

/** Schedule → one folio-sync message per tenant. */
export const handler = async (_event: unknown, context?: unknown) => {
  beginInvocation(context);
  const tenants = await enqueueFolioSyncForAllTenants();
  logger.info('Folio sync enqueued', { tenants });
  return { tenants };
};
