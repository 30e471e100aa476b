import { createHash } from 'node:crypto';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { type AuditChange, auditPut } from '#shared/audit/entries';
import { config } from '#shared/config/config';
import { branchesRepository } from '#shared/data/branches';
import { documentClient, tableName } from '#shared/data/client';
import { cancellationCodes } from '#shared/data/errors';
import { keys } from '#shared/data/keys';
import { type TenantLogo, type TenantProfile, tenantsRepository } from '#shared/data/tenants';
import type { TransactItem } from '#shared/data/transactions';
import { ConflictError, ValidationError } from '#shared/errors';
import { locationCodes, locationNames } from '#shared/fiscal/catalogs/catalogs.generated';
import { dgiEmailSchema } from '#shared/fiscal/email';
import { xmlSafeText } from '#shared/fiscal/text';
import { tenantObjectKeys } from '#shared/storage/keys';
import { presignGet, putObject } from '#shared/storage/s3';
import type { TenantContext } from './context.ts';
import { inspectLogo } from './profile-logo.ts';
import { phoneSchema } from './provisioning.ts';

/**
 * The tenant's own profile: legal and trade name, legal address (also the head office's, branch `0000`,
 * which the rFE prints), phone, e-mail, and the logo printed on the CAFEs we render. The RUC and DV are
 * fixed at onboarding and only shown.
 */

export const profileInputSchema = z.object({
  name: xmlSafeText({ trim: true, min: 2, max: 100 }),
  tradeName: xmlSafeText({ trim: true, min: 1, max: 100 }).optional(),
  address: xmlSafeText({ trim: true, min: 5, max: 100 }),
  locationCode: z
    .string()
    .refine((code) => locationCodes.has(code), 'must be a code of the DGI location catalogue (e.g. "8-8-7")'),
  phone: phoneSchema.optional(),
  email: dgiEmailSchema.optional(),
  logo: z
    .base64()
    .max(280_000)
    .nullable()
    .optional()
    .describe('PNG or JPEG, base64, ≤ 200 KB, 32–1024 px a side; null removes it; absent keeps it'),
});
export type ProfileInput = z.input<typeof profileInputSchema>;

export type ProfileResource = {
  ruc: string;
  dv: string;
  name: string;
  tradeName: string | null;
  address: string | null;
  locationCode: string | null;
  phone: string | null;
  email: string | null;
  logo: { url: string; contentType: string; width: number; height: number; updatedAt: string } | null;
};

async function currentProfile(tenantId: string): Promise<TenantProfile> {
  const profile = await tenantsRepository.getProfile(tenantId);
  if (!profile) throw new ConflictError('The tenant has no profile yet', 'TENANT_NOT_CONFIGURED');
  return profile;
}

async function toResource(profile: TenantProfile): Promise<ProfileResource> {
  const logo = profile.logo
    ? {
        url: await presignGet(profile.logo.objectKey, {
          expiresInSeconds: config().downloadUrlTtlSeconds,
          contentType: profile.logo.contentType,
        }),
        contentType: profile.logo.contentType,
        width: profile.logo.width,
        height: profile.logo.height,
        updatedAt: profile.logo.updatedAt,
      }
    : null;
  return {
    ruc: profile.ruc,
    dv: profile.dv,
    name: profile.name,
    tradeName: profile.tradeName ?? null,
    address: profile.address ?? null,
    locationCode: profile.location?.code ?? null,
    phone: profile.phones?.[0] ?? null,
    email: profile.emails?.[0] ?? null,
    logo,
  };
}

export async function getProfile(ctx: TenantContext): Promise<ProfileResource> {
  return toResource(await currentProfile(ctx.tenantId));
}

/** The logo's bytes decoded and checked, or a 422 on `logo`. */
function decodeLogo(tenantId: string, base64: string, now: Date): { bytes: Buffer; logo: TenantLogo } {
  const bytes = Buffer.from(base64, 'base64');
  const image = inspectLogo(bytes);
  if (typeof image === 'string') throw new ValidationError([{ path: 'logo', message: image }]);

  const objectKey = tenantObjectKeys(tenantId).logo(
    createHash('sha256').update(bytes).digest('hex').slice(0, 32),
  );
  return { bytes, logo: { objectKey, ...image, bytes: bytes.length, updatedAt: now.toISOString() } };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Replaces the profile (a logo left out is kept, `null` removes it). The new logo is stored first under the
 * tenant's prefix, then the profile, the head office's address and the `profile.changed` audit entry (the
 * names of the changed fields with their values; the logo only as its type and size) in one transaction.
 */
export async function putProfile(
  ctx: TenantContext,
  input: ProfileInput,
  now: Date = new Date(),
): Promise<ProfileResource> {
  const p = profileInputSchema.parse(input);
  const before = await currentProfile(ctx.tenantId);
  const [province, district, corregimiento] = locationNames[p.locationCode] ?? [];
  if (!province || !district || !corregimiento) {
    throw new ValidationError([{ path: 'locationCode', message: 'has no names in the DGI catalogue' }]);
  }
  const upload = typeof p.logo === 'string' ? decodeLogo(ctx.tenantId, p.logo, now) : undefined;
  const after: TenantProfile = {
    ...before,
    name: p.name,
    tradeName: p.tradeName,
    address: p.address,
    location: { code: p.locationCode, province, district, corregimiento },
    phones: p.phone ? [p.phone] : undefined,
    emails: p.email ? [p.email] : undefined,
    logo: p.logo === null ? undefined : (upload?.logo ?? before.logo),
  };
  const changes: Record<string, AuditChange> = {};
  for (const field of ['name', 'tradeName', 'address', 'location', 'phones', 'emails'] as const) {
    if (!same(before[field], after[field])) changes[field] = { from: before[field], to: after[field] };
  }
  if (p.logo !== undefined) {
    const describe = (logo: TenantLogo | undefined) =>
      logo && { contentType: logo.contentType, width: logo.width, height: logo.height, bytes: logo.bytes };
    if (upload || before.logo) changes.logo = { from: describe(before.logo), to: describe(after.logo) };
  }
  if (Object.keys(changes).length === 0) return toResource(before);

  if (upload) await putObject(upload.logo.objectKey, upload.bytes, upload.logo.contentType);
  const { tenantId: _t, ...stored } = after;
  const items: TransactItem[] = [
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...stored,
          tenantId: ctx.tenantId,
          updatedAt: now.toISOString(),
          ...keys.tenantProfile(ctx.tenantId),
        },
        // The profile read above is the one replaced: a concurrent change is not overwritten unseen.
        ConditionExpression: before.updatedAt ? 'updatedAt = :seen' : 'attribute_not_exists(updatedAt)',
        ...(before.updatedAt ? { ExpressionAttributeValues: { ':seen': before.updatedAt } } : {}),
      },
    },
    auditPut(
      ctx,
      ctx.tenantId,
      { action: 'profile.changed', target: { type: 'profile', id: ctx.tenantId }, changes },
      now,
    ),
  ];
  const headOffice = await branchesRepository.getBranch(ctx.tenantId, '0000');
  if (headOffice) {
    items.push({
      Update: {
        TableName: tableName(),
        Key: keys.branch(ctx.tenantId, '0000'),
        UpdateExpression: 'SET address = :address, #location = :location',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#location': 'location' },
        ExpressionAttributeValues: { ':address': p.address, ':location': after.location },
      },
    });
  }
  try {
    await documentClient().send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') {
      throw new ConflictError('The profile changed meanwhile; read it again', 'PROFILE_CHANGED');
    }
    throw error;
  }
  return toResource({ ...after, updatedAt: now.toISOString() });
}
