import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '#shared/data/client';
import { GSI, gsiKeys } from '#shared/data/keys';
import { FORECAST_WINDOW_DAYS, type FolioForecast, forecastFolios } from './forecast.ts';

/**
 * Folios the tenant used over the forecast window: its documents AUTHORIZED and issued in the window,
 * counted through the by-status index (Select COUNT: no item is read or returned, and nothing is written on
 * the issuing path to keep this figure). A rejected or failed document gave its folio back and is not counted.
 */
export async function foliosUsedSince(tenantId: string, from: Date): Promise<number> {
  const { gsi2pk } = gsiKeys.documentsByStatus(tenantId, 'AUTHORIZED', '', '');
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: GSI.byStatus.name,
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk >= :from',
        ExpressionAttributeValues: { ':pk': gsi2pk, ':from': from.toISOString() },
        Select: 'COUNT',
        ExclusiveStartKey: startKey,
      }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
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
