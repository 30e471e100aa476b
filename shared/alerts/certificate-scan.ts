import { tenantsRepository } from '#shared/data/tenants';
import { publishEvent } from '#shared/events/bus';
import { logger } from '#shared/observability/logger';
import { runAsTenant } from '#shared/tenancy/tenant-scope';
import { crossedThreshold, daysUntil } from './certificate-thresholds.ts';
import { alertStore } from './store.ts';

export type CertificateScanOutcome = { tenantId: string; daysLeft: number; threshold: number };

/**
 * The daily scan: every registered tenant's certificate within 30, 7 or 1 days of its expiry gets
 * `certificate.expiring` once per threshold (recorded after the publication: a crash in between publishes
 * it again on the next run, never loses it). Tenants are scanned one by one; one's failure is logged and
 * the others still scanned.
 */
export async function scanCertificateExpiry(now: Date): Promise<CertificateScanOutcome[]> {
  const tenantIds = await tenantsRepository.listRegisteredTenantIds();
  const published: CertificateScanOutcome[] = [];
  for (const tenantId of tenantIds) {
    try {
      const outcome = await runAsTenant(tenantId, () => scanTenant(tenantId, now));
      if (outcome) published.push(outcome);
    } catch (error) {
      logger.error('Certificate expiry scan failed for a tenant', { tenantId, error: error as Error });
    }
  }
  return published;
}

async function scanTenant(tenantId: string, now: Date): Promise<CertificateScanOutcome | undefined> {
  const record = await tenantsRepository.getSigningKey(tenantId);
  if (!record?.notAfter) return undefined;
  const daysLeft = daysUntil(new Date(record.notAfter), now);
  const threshold = crossedThreshold(daysLeft);
  if (threshold === undefined) return undefined;
  const certificateId = record.fingerprintSha256 ?? 'current';
  if (await alertStore.thresholdAlerted(tenantId, certificateId, threshold)) return undefined;
  await publishEvent({
    type: 'certificate.expiring',
    detail: { tenantId, certificateId, notAfter: record.notAfter, daysLeft },
  });
  await alertStore.recordThreshold(tenantId, certificateId, threshold, now);
  logger.info('Certificate expiring', { tenantId, daysLeft, threshold });
  return { tenantId, daysLeft, threshold };
}
