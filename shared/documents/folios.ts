import { foliosUsedSince } from '#shared/alerts/folio-usage';
import { FORECAST_WINDOW_DAYS, type FolioForecast, forecastFolios } from '#shared/alerts/forecast';
import { auditPut } from '#shared/audit/entries';
import { now } from '#shared/clock';
import { type FolioAssignment, type FolioBalance, foliosRepository } from '#shared/data/folios';
import { tenantsRepository } from '#shared/data/tenants';
import { ConflictError, ServiceUnavailableError, ValidationError } from '#shared/errors';
import { publishEvent } from '#shared/events/bus';
import { HkaAuthenticationError, HkaRejectedError, HkaTransientError } from '#shared/hka/errors';
import { logger } from '#shared/observability/logger';
import { MetricUnit, metrics } from '#shared/observability/metrics';
import type { TenantContext } from '#shared/tenancy/context';
import { HkaCredentialsMissingError, loadHkaCredentials } from '#shared/tenancy/credentials';
import { hkaClientFor } from '#shared/tenancy/hka';
import { findTenantUser } from '#shared/tenancy/users-repository';

/**
 * Reads the tenant's folio counters from HKA (FoliosRestantes), stores them, and publishes `folios.low`
 * when the cycle's available folios are under the tenant's threshold.
 */
export async function syncFolios(tenantId: string, at: Date = now()): Promise<FolioBalance> {
  const settings = await tenantsRepository.getIssuingSettings(tenantId);
  const credentials = await loadHkaCredentials(tenantId, settings.environment).catch((error: unknown) => {
    // A tenant that has not stored its token pair yet: a configuration state the caller can fix, not a fault.
    if (error instanceof HkaCredentialsMissingError) {
      throw new ConflictError(
        `HKA ${settings.environment} credentials are not configured for this tenant`,
        'HKA_CREDENTIALS_MISSING',
      );
    }
    throw error;
  });
  const result = await hkaClientFor(settings.environment)
    .foliosRestantes(credentials)
    .catch(async (error: unknown) => {
      // Stored credentials HKA refuses are a configuration the tenant's admin must fix, as missing ones are.
      if (error instanceof HkaAuthenticationError || error instanceof HkaRejectedError) {
        await publishEvent({
          type: 'hka.credentials-failing',
          detail: { tenantId, environment: settings.environment, message: error.message },
        });
        throw new ConflictError(
          `HKA refused the tenant's ${settings.environment} credentials: ${error.message}`,
          'HKA_CREDENTIALS_REJECTED',
        );
      }
      if (error instanceof HkaTransientError)
        throw new ServiceUnavailableError('HKA did not answer; try again later');
      throw error;
    });
  const usedInWindow = await foliosUsedSince(
    tenantId,
    new Date(at.getTime() - FORECAST_WINDOW_DAYS * 86_400_000),
  );
  const balance: FolioBalance = {
    tenantId,
    environment: settings.environment,
    licence: result.licencia,
    licenceFrom: result.licenceFrom,
    licenceTo: result.licenceTo,
    cycle: result.ciclo,
    cycleFrom: result.cycleFrom,
    cycleTo: result.cycleTo,
    cycleTotal: result.cycleTotal,
    cycleUsed: result.cycleUsed,
    cycleAvailable: result.cycleAvailable,
    licenceTotal: result.licenceTotal,
    // HKA is the truth at sync time; local debits/credits track it until the next sync.
    poolAvailable: result.cycleAvailable,
    syncedAt: at.toISOString(),
    usedInWindow,
  };
  await foliosRepository.put(balance);
  metrics.addMetric('FolioSyncs', MetricUnit.Count, 1);

  if (balance.cycleAvailable < settings.lowFolioThreshold) {
    await publishEvent({
      type: 'folios.low',
      detail: {
        tenantId,
        available: balance.cycleAvailable,
        threshold: settings.lowFolioThreshold,
        cycle: balance.cycle,
      },
    });
    logger.warn('Folios low', {
      tenantId,
      available: balance.cycleAvailable,
      threshold: settings.lowFolioThreshold,
    });
  }
  return balance;
}

/** SQS body of the folio-sync queue: one tenant per message. */
export function folioSyncMessageOf(body: string): { tenantId: string } {
  const parsed = JSON.parse(body) as { tenantId?: unknown };
  if (typeof parsed.tenantId !== 'string' || parsed.tenantId === '')
    throw new Error('message has no tenantId');
  return { tenantId: parsed.tenantId };
}

/**
 * The balance as last synchronized (null before the first sync), the users' assignments and when the pool
 * runs out at the last 30 days' rate. The rate is the one counted at the last sync (every six hours), so a
 * balance read — the console's home screen reads it on every visit — costs two reads, not a month's count.
 */
export async function getFolios(tenantId: string): Promise<{
  balance: FolioBalance | null;
  assignments: Omit<FolioAssignment, 'tenantId'>[];
  forecast: FolioForecast | null;
}> {
  const [balance, assignments] = await Promise.all([
    foliosRepository.get(tenantId),
    foliosRepository.listAssignments(tenantId),
  ]);
  const forecast =
    balance?.usedInWindow === undefined
      ? null
      : forecastFolios({ available: balance.poolAvailable, used: balance.usedInWindow, today: now() });
  return {
    balance: balance ?? null,
    assignments: assignments.map(({ tenantId: _t, ...a }) => a),
    forecast,
  };
}

/**
 * An ADMIN gives a user of the tenant more quota (audited with it); issuing then debits it together with the tenant pool. The
 * user must be one of the tenant's (another tenant's id looks like no user) and what the user would then
 * hold may not exceed the pool (the last synchronized balance, as debited since): 422 on the field.
 */
export async function assignFolios(
  ctx: TenantContext,
  input: { userId: string; quantity: number },
  now: Date = new Date(),
): Promise<Omit<FolioAssignment, 'tenantId'>> {
  const { tenantId } = ctx;
  const [user, balance, current] = await Promise.all([
    findTenantUser(tenantId, input.userId),
    foliosRepository.get(tenantId),
    foliosRepository.getAssignment(tenantId, input.userId),
  ]);
  if (!user) throw new ValidationError([{ path: 'userId', message: 'is not a user of this tenant' }]);
  const pool = balance?.poolAvailable ?? 0;
  const total = (current?.remaining ?? 0) + input.quantity;
  if (total > pool) {
    throw new ValidationError([
      {
        path: 'quantity',
        message: balance
          ? `would give the user ${total} folios, more than the ${pool} the tenant has`
          : 'the tenant has no folio balance yet; synchronize it first (POST /v1/folios/sync)',
      },
    ]);
  }
  const entry = auditPut(
    ctx,
    ctx.tenantId,
    {
      action: 'folios.assigned',
      target: { type: 'user', id: input.userId },
      changes: { quantity: { to: input.quantity } },
    },
    now,
  );
  const { tenantId: _t, ...assignment } = await foliosRepository.addToAssignment(
    ctx.tenantId,
    input.userId,
    input.quantity,
    [entry],
    now,
  );
  return assignment;
}
