import { scanCertificateExpiry } from '#shared/alerts/certificate-scan';
import { now } from '#shared/clock';
import { logger } from '#shared/observability/logger';
import { logFailure, withPowertools } from '#shared/observability/middlewares';

/** Daily schedule → `certificate.expiring` for every certificate within 30, 7 or 1 days of its expiry. */
export const handler = withPowertools(async () => {
  const published = await scanCertificateExpiry(now());
  logger.info('Certificate expiry scanned', { published: published.length });
  return { published: published.length };
}, logFailure('Certificate expiry scan failed'));
