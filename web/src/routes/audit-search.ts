import * as z from 'zod';
import type { paths } from '../api/schema.gen';

type AuditAction = NonNullable<
  NonNullable<paths['/v1/audit-events']['get']['parameters']['query']>['action']
>;

/** Every action the audit trail records (the generated API types hold the list; the check keeps them equal). */
export const AUDIT_ACTIONS = [
  'tenant.created',
  'tenant.suspended',
  'tenant.reactivated',
  'profile.changed',
  'user.invited',
  'user.role-changed',
  'user.enabled',
  'user.disabled',
  'user.deleted',
  'api-key.created',
  'api-key.revoked',
  'hka-credentials.set',
  'hka-credentials.tested',
  'issuing-settings.changed',
  'certificate.uploaded',
  'certificate.deleted',
  'branch.created',
  'point-of-sale.created',
  'folios.assigned',
  'document.cancelled',
  'document.retried',
  'document.emailed',
] as const satisfies readonly AuditAction[];
type Missing = Exclude<AuditAction, (typeof AUDIT_ACTIONS)[number]>;
const everyActionListed: Missing extends never ? true : Missing = true;
void everyActionListed;

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
