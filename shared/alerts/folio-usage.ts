import { countDocumentsInStatus } from '#shared/data/document-counts';
import { toPanamaDateTime } from '#shared/fiscal/panama-time';
import { FORECAST_WINDOW_DAYS, type FolioForecast, forecastFolios } from './forecast.ts';

/**
 * Folios the tenant used over the forecast window: its documents AUTHORIZED and issued in the window,
 * counted through the by-status index (Select COUNT: no item is read or returned, and nothing is written on
 * the issuing path to keep this figure). A rejected or failed document gave its folio back and is not counted.
 */
export function foliosUsedSince(tenantId: string, from: Date): Promise<number> {
  // The index's sort keys are Panama local times: the bound is written the same way.
  return countDocumentsInStatus(tenantId, 'AUTHORIZED', { from: toPanamaDateTime(from) });
}

/** The tenant's forecast for `available` folios at `now` (run in the tenant's scope). */
export async function tenantFolioForecast(
  tenantId: string,
  available: number,
  now: Date,
): Promise<FolioForecast> {
  const from = new Date(now.getTime() - FORECAST_WINDOW_DAYS * 86_400_000);
  const used = await foliosUsedSince(tenantId, from);
  return forecastFolios({ available, used, today: now });
}
