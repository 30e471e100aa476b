import type { z } from 'zod';
import { countDocumentsByStatus } from '#shared/data/document-counts';
import { ValidationError } from '#shared/errors';
import { DAY_MS } from '#shared/fiscal/panama-time';
import type { TenantContext } from '#shared/tenancy/context';
import { type countDocumentsQuery, type documentCountsSchema, MAX_COUNT_DAYS } from './api.ts';

export type CountDocumentsQuery = z.output<typeof countDocumentsQuery>;
export type DocumentCounts = z.output<typeof documentCountsSchema>;

/** `GET /v1/documents/counts`: the documents issued in a period (Panama calendar days), by current status. */
export async function countDocuments(
  ctx: TenantContext,
  query: CountDocumentsQuery,
): Promise<DocumentCounts> {
  const { from, to, ...narrowing } = query;
  if (to < from) throw new ValidationError([{ path: 'query.to', message: 'must not be before from' }]);
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
  if (days > MAX_COUNT_DAYS) {
    throw new ValidationError([
      { path: 'query.to', message: `must be at most ${MAX_COUNT_DAYS} days from from (${days} days asked)` },
    ]);
  }
  const byStatus = await countDocumentsByStatus(ctx.tenantId, { from, to, ...narrowing });
  const total = Object.values(byStatus).reduce((sum, count) => sum + count, 0);
  return { from, to, total, byStatus };
}
