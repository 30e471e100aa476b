import { can, type Permission } from '#shared/tenancy/context';
import type { Session } from './auth/session';

/**
 * What the signed-in person may do, by the API's own permission table: a button the API would refuse is not
 * shown at all.
 */
export function allowed(session: Session | undefined, permission: Permission): boolean {
  return session !== undefined && can(session, permission);
}
