import type { AlertKind } from './kinds.ts';

export type AlertUser = {
  userId: string;
  email: string;
  role: string;
  enabled: boolean;
  deleting?: true;
};

/**
 * Who receives an alert of `kind`: the tenant's enabled ADMINs (not being deleted) who did not opt out of
 * it, each address once.
 */
export function alertRecipients(
  users: readonly AlertUser[],
  optOuts: ReadonlyMap<string, ReadonlySet<AlertKind>>,
  kind: AlertKind,
): string[] {
  const to = users
    .filter((user) => user.role === 'ADMIN' && user.enabled && !user.deleting)
    .filter((user) => !optOuts.get(user.userId)?.has(kind))
    .map((user) => user.email);
  return [...new Set(to)];
}
