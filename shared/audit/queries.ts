import type { z } from 'zod';
import { cursorSecret } from '#shared/config/secrets';
import { BadRequestError, ValidationError } from '#shared/errors';
import { isCalendarDate, parseDateTime } from '#shared/fiscal/panama-time';
import type { PlatformContext, TenantContext } from '#shared/tenancy/context';
import type { listAuditEventsQuery } from './api.ts';
import type { AuditEntry } from './entries.ts';
import { InvalidAuditCursorError, listAuditEntries } from './trail.ts';

export type ListAuditEventsQuery = z.output<typeof listAuditEventsQuery>;

export type AuditEventResource = Omit<AuditEntry, 'entryId' | 'tenantId'> & { id: string };

/**
 * Entries are keyed by their UTC instant (`2026-12-06T14:05:09.123Z`), so a bound becomes one: a date is
 * the whole Panama day (as in the documents list), a date-time without an offset is Panama time, and an upper
 * bound includes its whole second (the filters carry no fractions).
 */
function instantBound(value: string | undefined, side: 'from' | 'to'): string | undefined {
  if (value === undefined) return undefined;
  const text = isCalendarDate(value) ? `${value}T${side === 'from' ? '00:00:00' : '23:59:59'}` : value;
  const instant = parseDateTime(text);
  if (!instant)
    throw new ValidationError([{ path: `query.${side}`, message: `${value} is not a date-time` }]);
  return new Date(instant.getTime() + (side === 'to' ? 999 : 0)).toISOString();
}

/** The caller's trail: its tenant's entries, or the platform's for a principal without a tenant. */
export async function listAuditEvents(
  ctx: TenantContext | PlatformContext,
  query: ListAuditEventsQuery,
): Promise<{ items: AuditEventResource[]; nextCursor: string | null }> {
  const from = instantBound(query.from, 'from');
  const to = instantBound(query.to, 'to');
  if (from !== undefined && to !== undefined && from > to) {
    throw new ValidationError([{ path: 'query.to', message: 'must not be before from' }]);
  }
  try {
    const page = await listAuditEntries(
      ctx.tenantId ?? null,
      { from, to, action: query.action, actorId: query.actorId },
      { limit: query.limit, cursor: query.cursor, cursorSecret: await cursorSecret() },
    );
    return { items: page.entries.map(toAuditEventResource), nextCursor: page.nextCursor ?? null };
  } catch (error) {
    if (error instanceof InvalidAuditCursorError)
      throw new BadRequestError('The cursor is not valid for this listing', 'INVALID_CURSOR');
    throw error;
  }
}

function toAuditEventResource(entry: AuditEntry): AuditEventResource {
  const { entryId, tenantId: _tenant, ...rest } = entry;
  return { id: entryId, ...rest };
}
