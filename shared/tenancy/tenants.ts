import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { cursorSecret } from '#shared/config/secrets';
import { ConflictError, NotFoundError, ValidationError } from '#shared/errors';
import { locationCodes, locationNames } from '#shared/fiscal/catalogs/catalogs.generated';
import { dgiEmailSchema, mailboxSchema } from '#shared/fiscal/email';
import { computeRucDv, RucFormatError } from '#shared/fiscal/ruc-dv';
import { xmlSafeText } from '#shared/fiscal/text';
import type { PlatformContext, TenantContext } from './context.ts';
import { createTenant, phoneSchema } from './provisioning.ts';
import { runAsTenant } from './tenant-scope.ts';
import { type TenantRegistryEntry, type TenantStatus, tenantRegistry } from './tenants-registry.ts';
import { inviteUser } from './users.ts';
import { usersDirectory } from './users-directory.ts';

/**
 * Tenant onboarding and suspension, for the platform (SUPER_ADMIN). These read and write the platform's
 * registry of tenants only, never a tenant's documents; creating a tenant provisions its own items once,
 * through the same code as the local seed (./provisioning.ts).
 */

/** Who acts on the platform routes: the principal, whatever tenant it may also belong to. */
export type PlatformPrincipal = Pick<PlatformContext, 'actor' | 'roles' | 'origin'>;

export const newTenantSchema = z.object({
  ruc: xmlSafeText({ trim: true, min: 5, max: 20 }),
  dv: z.string().regex(/^[0-9]{2}$/, 'must be the 2 digits of the RUC check digit'),
  rucType: z
    .enum(['1', '2'])
    .default('2')
    .describe('1 natural person, 2 legal entity (the default): the DV is computed for this type'),
  name: xmlSafeText({ trim: true, min: 2, max: 100 }),
  tradeName: xmlSafeText({ trim: true, min: 1, max: 100 }).optional(),
  address: xmlSafeText({ trim: true, min: 5, max: 100 }),
  locationCode: z
    .string()
    .refine((code) => locationCodes.has(code), 'must be a code of the DGI location catalogue (e.g. "8-8-7")'),
  phone: phoneSchema.optional(),
  email: dgiEmailSchema.optional(),
  adminEmail: mailboxSchema.transform((email) => email.toLowerCase()),
  adminName: xmlSafeText({ trim: true, min: 1, max: 100 }),
});
export type NewTenant = z.input<typeof newTenantSchema>;

export type TenantResource = {
  id: string;
  ruc: string;
  dv: string;
  name: string;
  tradeName: string | null;
  status: TenantStatus;
  createdAt: string;
  updatedAt: string | null;
  admin: { email: string; name: string; invited: boolean } | null;
};

function toResource(entry: TenantRegistryEntry): TenantResource {
  return {
    id: entry.tenantId,
    ruc: entry.ruc,
    dv: entry.dv,
    name: entry.name,
    tradeName: entry.tradeName ?? null,
    status: entry.status,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt ?? null,
    admin: entry.admin ? { ...entry.admin, invited: entry.adminInvitedAt !== undefined } : null,
  };
}

/** `cafe-del-istmo-s-a-4k2p9x`: readable in keys and logs, unique by its random suffix, within TENANT_ID_PATTERN. */
export function newTenantId(name: string): string {
  const slug = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 30)
    .replace(/-+$/, '');
  const suffix = randomBytes(8).readBigUInt64BE().toString(36).slice(0, 6).padStart(6, '0');
  return `${slug || 'tenant'}-${suffix}`;
}

function checkRuc(input: z.output<typeof newTenantSchema>): void {
  let expected: string;
  try {
    expected = computeRucDv(input.ruc, input.rucType);
  } catch (error) {
    if (error instanceof RucFormatError) {
      throw new ValidationError([{ path: 'ruc', message: error.message }]);
    }
    throw error;
  }
  if (expected !== input.dv) {
    throw new ValidationError([
      {
        path: 'dv',
        message: `does not match the RUC (its check digit is ${expected} for type ${input.rucType})`,
      },
    ]);
  }
}

/**
 * Creates the tenant and invites its first ADMIN (Cognito's invitation e-mail). A RUC already registered is a
 * 409, except to the tenant an earlier, unfinished call of the same onboarding created (same first admin):
 * then the invitation is completed and that tenant returned, so a retry converges.
 */
export async function onboardTenant(
  ctx: PlatformPrincipal,
  input: NewTenant,
  now: Date = new Date(),
): Promise<TenantResource> {
  const t = newTenantSchema.parse(input);
  checkRuc(t);
  const admin = { email: t.adminEmail, name: t.adminName };
  const owner = await tenantRegistry.rucOwner(t.ruc);
  let entry: TenantRegistryEntry;
  if (owner) {
    const existing = await tenantRegistry.get(owner);
    const unfinished = existing && !existing.adminInvitedAt && existing.admin?.email === admin.email;
    if (!unfinished) {
      throw new ConflictError('This RUC is already registered to a tenant', 'RUC_ALREADY_REGISTERED', [
        { path: 'ruc', message: 'already registered to a tenant' },
      ]);
    }
    entry = existing;
  } else {
    // The first ADMIN must be a new person: an e-mail of another account would leave the tenant without one.
    if (await usersDirectory.find(admin.email)) {
      throw new ConflictError('This e-mail already belongs to another account', 'EMAIL_TAKEN', [
        { path: 'adminEmail', message: 'already belongs to another account' },
      ]);
    }
    const [province, district, corregimiento] = locationNames[t.locationCode] ?? [];
    if (!province || !district || !corregimiento) {
      throw new ValidationError([{ path: 'locationCode', message: 'has no names in the DGI catalogue' }]);
    }
    ({ entry } = await createTenant(
      {
        tenantId: newTenantId(t.name),
        ruc: t.ruc,
        dv: t.dv,
        rucType: t.rucType,
        name: t.name,
        tradeName: t.tradeName,
        address: t.address,
        location: { code: t.locationCode, province, district, corregimiento },
        ...(t.phone ? { phones: [t.phone] } : {}),
        ...(t.email ? { emails: [t.email] } : {}),
      },
      { now, source: ctx, admin },
    ));
  }
  const inTenant: TenantContext = {
    tenantId: entry.tenantId,
    actor: ctx.actor,
    roles: ctx.roles,
    ...(ctx.origin ? { origin: ctx.origin } : {}),
  };
  await runAsTenant(entry.tenantId, () =>
    inviteUser(inTenant, { email: admin.email, name: admin.name, role: 'ADMIN' }, now),
  ).catch((error: unknown) => {
    // Already invited by the call that did not finish: the invitation stands.
    if ((error as { code?: string }).code !== 'USER_EXISTS') throw error;
  });
  const invitedAt = now.toISOString();
  await tenantRegistry.markAdminInvited(entry.tenantId, invitedAt);
  return toResource({ ...entry, admin, adminInvitedAt: invitedAt });
}

export async function listTenants(page: {
  limit: number;
  cursor?: string;
}): Promise<{ items: TenantResource[]; nextCursor: string | null }> {
  const result = await tenantRegistry.list({ ...page, cursorSecret: await cursorSecret() });
  return { items: result.items.map(toResource), nextCursor: result.nextCursor };
}

export async function getTenant(tenantId: string): Promise<TenantResource> {
  const entry = await tenantRegistry.get(tenantId);
  if (!entry) throw new NotFoundError('Tenant not found', 'TENANT_NOT_FOUND');
  return toResource(entry);
}

/** Suspends (its users and keys get 403 TENANT_SUSPENDED; documents already in the pipeline finish) or reactivates. */
export async function setTenantStatus(
  ctx: PlatformPrincipal,
  tenantId: string,
  status: TenantStatus,
  now: Date = new Date(),
): Promise<TenantResource> {
  const { entry } = await tenantRegistry.setStatus(ctx, tenantId, status, now);
  return toResource(entry);
}
