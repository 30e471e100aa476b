import * as z from 'zod';
import type { AuditInput } from '#shared/audit/entries';
import { cursorSecret } from '#shared/config/secrets';
import { ConflictError, NotFoundError } from '#shared/errors';
import { mailboxSchema } from '#shared/fiscal/email';
import { xmlSafeText } from '#shared/fiscal/text';
import type { TenantContext } from './context.ts';
import { TENANT_ROLES, type TenantRole, usersDirectory } from './users-directory.ts';
import { type UserRecord, usersRepository } from './users-repository.ts';

/**
 * A tenant's people. Cognito holds the sign-in (and the role as a group, the tenant as `custom:tenantId`);
 * the `USER#<sub>` item is what the tenant's routes list and check. The order of the writes is chosen so a
 * failure loses nothing and a retry converges:
 *
 * - invite: Cognito first (the user exists, invited), then the item; a retry finds the Cognito user of this
 *   tenant and writes the missing item;
 * - role / enabled: the item first (its transaction is what keeps one enabled ADMIN), then Cognito is
 *   brought to the item's state, which a retry does again whatever the item already says;
 * - delete: the item is marked `deleting` (and stops counting as an admin), then the Cognito user is
 *   deleted, then the item; a retry resumes from the mark.
 */

export const userInviteSchema = z.object({
  email: mailboxSchema.transform((email) => email.toLowerCase()),
  name: xmlSafeText({ trim: true, min: 1, max: 100 }),
  role: z.enum(TENANT_ROLES),
});
export type UserInvite = z.input<typeof userInviteSchema>;

export const userChangeSchema = z
  .object({ role: z.enum(TENANT_ROLES).optional(), enabled: z.boolean().optional() })
  .refine((change) => change.role !== undefined || change.enabled !== undefined, {
    message: 'give role, enabled or both',
  });
export type UserChange = z.input<typeof userChangeSchema>;

export type UserResource = Omit<UserRecord, 'deleting'>;

const toResource = ({ deleting: _deleting, ...user }: UserRecord): UserResource => user;

async function existingUser(ctx: TenantContext, userId: string): Promise<UserRecord> {
  const user = await usersRepository.get(ctx.tenantId, userId);
  if (!user || user.deleting) throw new NotFoundError('User not found', 'USER_NOT_FOUND');
  return user;
}

export async function inviteUser(
  ctx: TenantContext,
  input: UserInvite,
  now: Date = new Date(),
): Promise<UserResource> {
  const invite = userInviteSchema.parse(input);
  const { user, existing } = await usersDirectory.invite({ email: invite.email, tenantId: ctx.tenantId });
  if (user.tenantId !== ctx.tenantId) {
    throw new ConflictError('This e-mail already belongs to another account', 'EMAIL_TAKEN', [
      { path: 'email', message: 'already belongs to another account' },
    ]);
  }
  if (existing) {
    const known = await usersRepository.get(ctx.tenantId, user.sub);
    if (known) {
      throw new ConflictError('This person is already a user of the tenant', 'USER_EXISTS', [
        { path: 'email', message: 'already a user of this tenant' },
      ]);
    }
  }
  await usersDirectory.setRole(user.sub, invite.role);
  const record: UserRecord = {
    userId: user.sub,
    email: invite.email,
    name: invite.name,
    role: invite.role,
    enabled: true,
    createdAt: now.toISOString(),
  };
  const added = await usersRepository.add(
    ctx,
    ctx.tenantId,
    record,
    {
      action: 'user.invited',
      target: { type: 'user', id: user.sub },
      changes: { email: { to: invite.email }, role: { to: invite.role } },
    },
    now,
  );
  if (!added) {
    throw new ConflictError('This person is already a user of the tenant', 'USER_EXISTS', [
      { path: 'email', message: 'already a user of this tenant' },
    ]);
  }
  return toResource(record);
}

export async function listUsers(
  ctx: TenantContext,
  page: { limit: number; cursor?: string },
): Promise<{ items: UserResource[]; nextCursor: string | null }> {
  const result = await usersRepository.list(ctx.tenantId, { ...page, cursorSecret: await cursorSecret() });
  return { items: result.items.map(toResource), nextCursor: result.nextCursor };
}

export async function getUser(ctx: TenantContext, userId: string): Promise<UserResource> {
  return toResource(await existingUser(ctx, userId));
}

export async function changeUser(
  ctx: TenantContext,
  userId: string,
  input: UserChange,
  now: Date = new Date(),
): Promise<UserResource> {
  const change = userChangeSchema.parse(input);
  const before = await existingUser(ctx, userId);
  const role: TenantRole = change.role ?? before.role;
  const enabled = change.enabled ?? before.enabled;
  const audits: AuditInput[] = [];
  const target = { type: 'user', id: userId };
  if (role !== before.role) {
    audits.push({ action: 'user.role-changed', target, changes: { role: { from: before.role, to: role } } });
  }
  if (enabled !== before.enabled) {
    audits.push({
      action: enabled ? 'user.enabled' : 'user.disabled',
      target,
      changes: { enabled: { from: before.enabled, to: enabled } },
    });
  }
  const after =
    audits.length > 0
      ? await usersRepository.change(ctx, ctx.tenantId, before, { role, enabled }, audits, now)
      : before;
  // Cognito follows the item, also when the item already had this state (a retry after Cognito failed).
  await usersDirectory.setRole(userId, after.role);
  // Signed out before being disabled: sessions of the old role or of a disabled user end with it.
  if (role !== before.role || !after.enabled) await usersDirectory.signOutEverywhere(userId);
  await usersDirectory.setEnabled(userId, after.enabled);
  return toResource(after);
}

export async function deleteUser(ctx: TenantContext, userId: string, now: Date = new Date()): Promise<void> {
  const user = await usersRepository.get(ctx.tenantId, userId);
  if (!user) throw new NotFoundError('User not found', 'USER_NOT_FOUND');
  if (!user.deleting) {
    await usersRepository.change(
      ctx,
      ctx.tenantId,
      user,
      { deleting: true },
      [
        {
          action: 'user.deleted',
          target: { type: 'user', id: userId },
          changes: { email: { from: user.email }, role: { from: user.role } },
        },
      ],
      now,
    );
  }
  await usersDirectory.remove(userId);
  await usersRepository.forget(ctx.tenantId, userId);
}
