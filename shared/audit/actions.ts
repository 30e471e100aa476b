/** Every sensitive action the audit trail records; one list, read by the API's filter, the docs
 * and the console (so this file imports nothing). */
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
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
