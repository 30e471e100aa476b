import * as z from 'zod';
import { AUDIT_ACTIONS } from '#shared/audit/actions';

const calendarDate = z.iso.date();

/**
 * The audit screen's address bar: the API's filters (whole Panama days, an action, who did it); a value the
 * API would refuse is dropped here rather than sent.
 */
export const auditSearchSchema = z.object({
  from: calendarDate.optional().catch(undefined),
  to: calendarDate.optional().catch(undefined),
  action: z.enum(AUDIT_ACTIONS).optional().catch(undefined),
  actorId: z.string().trim().min(1).max(128).optional().catch(undefined),
});

export type AuditSearch = z.infer<typeof auditSearchSchema>;

/** An audit change as one line: `lowFolioThreshold: 50 → 100` (absent sides left out). */
export function describeChange(field: string, change: { from?: unknown; to?: unknown }): string {
  const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  const from = 'from' in change && change.from !== undefined ? show(change.from) : undefined;
  const to = 'to' in change && change.to !== undefined ? show(change.to) : undefined;
  if (from !== undefined && to !== undefined) return `${field}: ${from} → ${to}`;
  if (to !== undefined) return `${field}: ${to}`;
  if (from !== undefined) return `${field}: ${from} → —`;
  return field;
}
