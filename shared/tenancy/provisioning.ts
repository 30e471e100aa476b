import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { type AuditChange, type AuditSource, auditPut } from '#shared/audit/entries';
import { CONTINGENCY_AFTER_MINUTES } from '#shared/contingency/decision';
import { type BranchRecord, branchesRepository, type PointOfSaleRecord } from '#shared/data/branches';
import { documentClient, tableName } from '#shared/data/client';
import { cancellationCodes } from '#shared/data/errors';
import { keys } from '#shared/data/keys';
import {
  DEFAULT_ISSUING_SETTINGS,
  type IssuingSettings,
  type TenantProfile,
  tenantsRepository,
} from '#shared/data/tenants';
import type { TransactItem } from '#shared/data/transactions';
import { ConflictError } from '#shared/errors';
import { dgiEmailSchema } from '#shared/fiscal/email';
import { xmlSafeText } from '#shared/fiscal/text';
import { isValidTenantId } from './context.ts';
import { type HkaCredentialsInput, saveHkaCredentials as storeHkaCredentials } from './credentials.ts';
import { runAsTenant } from './tenant-scope.ts';
import { type TenantRegistryEntry, tenantRegistry } from './tenants-registry.ts';

/**
 * Tenant provisioning: used by the local cloud's seeder, platform administration and the settings API.
 * Inputs are validated here (not only at the API edge) because the seeder and scripts call these directly.
 * Issuer texts and e-mails end up in every rFE the tenant issues: they follow the document model's rules
 * (XML-safe text, the DGI e-mail language).
 */

const locationSchema = z.object({
  code: z.string().regex(/^\d{1,2}-\d{1,2}-\d{1,2}$/, 'must look like "8-8-7"'),
  province: xmlSafeText({ min: 1, max: 50 }),
  district: xmlSafeText({ min: 1, max: 50 }),
  corregimiento: xmlSafeText({ min: 1, max: 50 }),
});
export const phoneSchema = z
  .string()
  .regex(/^[0-9]{3,4}-[0-9]{4}$/, 'must look like "999-9999" or "9999-9999"');

export const tenantInputSchema = z.object({
  tenantId: z
    .string()
    .refine(isValidTenantId, 'must be 1..40 letters, digits or dashes, starting with a letter or digit'),
  ruc: xmlSafeText({ trim: true, min: 5, max: 20 }),
  dv: z.string().regex(/^[0-9]{2}$/),
  rucType: z.enum(['1', '2']),
  name: xmlSafeText({ trim: true, min: 2, max: 100 }),
  tradeName: xmlSafeText({ trim: true, min: 1, max: 100 }).optional(),
  emails: z.array(dgiEmailSchema).max(3).optional(),
  phones: z.array(phoneSchema).max(3).optional(),
  /** The legal address: also the head office's (`0000`, created with point of sale `001`). */
  address: xmlSafeText({ trim: true, min: 5, max: 100 }),
  coordinates: xmlSafeText({ max: 30 }).optional(),
  location: locationSchema,
});
export type TenantInput = z.input<typeof tenantInputSchema>;

export const branchInputSchema = z.object({
  code: z.string().regex(/^[a-zA-Z0-9]{4}$/, 'must be 4 letters or digits, "0000" = head office'),
  name: xmlSafeText({ trim: true, min: 1, max: 100 }),
  branchType: z.enum(['1', '2']).optional(),
  address: xmlSafeText({ trim: true, min: 5, max: 100 }),
  coordinates: xmlSafeText({ max: 30 }).default('+8.9833,-79.5167'),
  location: locationSchema,
  phones: z.array(phoneSchema).min(1).max(3),
  emails: z.array(dgiEmailSchema).max(3).optional(),
});
export type BranchInput = z.input<typeof branchInputSchema>;

export const pointOfSaleInputSchema = z.object({
  code: z.string().regex(/^(?!000)[0-9]{3}$/, 'must be 3 digits and not "000"'),
  name: xmlSafeText({ trim: true, min: 1, max: 100 }).optional(),
});
export type PointOfSaleInput = z.input<typeof pointOfSaleInputSchema>;

/** `afterMinutes` absent keeps the tenant's current threshold. */
export const contingencySettingsInputSchema = z.strictObject({
  enabled: z.boolean(),
  afterMinutes: z
    .number()
    .int()
    .min(CONTINGENCY_AFTER_MINUTES.min)
    .max(CONTINGENCY_AFTER_MINUTES.max)
    .optional()
    .describe('How long HKA must have been unreachable before new documents are issued in contingency'),
});

export const issuingSettingsInputSchema = z.object({
  channel: z.enum(['hka-integration', 'emitter-signed']).optional(),
  environment: z.enum(['demo', 'prod']).optional(),
  lowFolioThreshold: z.number().int().min(0).max(1_000_000).optional(),
  defaultBranch: z
    .string()
    .regex(/^[a-zA-Z0-9]{4}$/)
    .optional(),
  defaultPointOfSale: z
    .string()
    .regex(/^(?!000)[0-9]{3}$/)
    .optional(),
  cafeLayout: z.enum(['letter', 'ticket']).optional(),
  promoteWarnings: z.boolean().optional(),
  contingency: contingencySettingsInputSchema.optional(),
});
export type IssuingSettingsInput = z.input<typeof issuingSettingsInputSchema>;

/**
 * Creates a tenant in one transaction: its profile, default issuing settings, head office `0000` with point
 * of sale `001`, user counters, the platform registry entry (`status: active`) and the RUC's registration,
 * with the `tenant.created` audit entry. Everything is a conditional put, so a RUC registered to another
 * tenant refuses the whole creation (409 `RUC_ALREADY_REGISTERED`); finding the RUC already registered to
 * this very tenant means an earlier call created it (`created: false`), so seeding and API retries converge.
 *
 * Written inside the new tenant's scope: on AWS the transaction is signed with a session of the function's
 * tenant role for this tenant, whose provisioning grant reaches only this tenant's items and the platform
 * registry, RUC registrations and audit partition (infra/constructs/grants.ts `provisionTenants`).
 */
export async function createTenant(
  input: TenantInput,
  options: { now?: Date; source?: AuditSource; admin?: { email: string; name: string } } = {},
): Promise<{ entry: TenantRegistryEntry; created: boolean }> {
  const t = tenantInputSchema.parse(input);
  const now = options.now ?? new Date();
  const at = now.toISOString();
  const entry: TenantRegistryEntry = {
    tenantId: t.tenantId,
    ruc: t.ruc,
    dv: t.dv,
    name: t.name,
    ...(t.tradeName ? { tradeName: t.tradeName } : {}),
    status: 'active',
    createdAt: at,
    ...(options.admin ? { admin: options.admin } : {}),
  };
  const profile: TenantProfile = {
    tenantId: t.tenantId,
    ruc: t.ruc,
    dv: t.dv,
    rucType: t.rucType,
    name: t.name,
    tradeName: t.tradeName,
    emails: t.emails,
    phones: t.phones,
    address: t.address,
    location: t.location,
    createdAt: at,
  };
  const headOffice: BranchRecord = {
    tenantId: t.tenantId,
    ...branchInputSchema.parse({
      code: '0000',
      name: 'Casa matriz',
      address: t.address,
      coordinates: t.coordinates ?? '+8.9833,-79.5167',
      location: t.location,
      phones: t.phones && t.phones.length > 0 ? t.phones : ['000-0000'],
      emails: t.emails,
    }),
    createdAt: at,
  };
  const pointOfSale: PointOfSaleRecord = {
    tenantId: t.tenantId,
    branchCode: '0000',
    code: '001',
    name: 'Principal',
    createdAt: at,
  };
  const put = (key: { pk: string; sk: string }, value: object): TransactItem => ({
    Put: {
      TableName: tableName(),
      Item: { ...value, ...key },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
  const items: TransactItem[] = [
    put(keys.rucRegistration(t.ruc), { ruc: t.ruc.toUpperCase(), tenantId: t.tenantId, createdAt: at }),
    put(keys.tenantRegistryEntry(t.tenantId), entry),
    put(keys.tenantProfile(t.tenantId), profile),
    put(keys.issuingSettings(t.tenantId), { ...DEFAULT_ISSUING_SETTINGS, updatedAt: at }),
    put(keys.branch(t.tenantId, '0000'), headOffice),
    put(keys.pointOfSale(t.tenantId, '0000', '001'), pointOfSale),
    put(keys.userCounters(t.tenantId), { enabledAdmins: 0 }),
    auditPut(
      options.source ?? PROVISIONING_SOURCE,
      null,
      {
        action: 'tenant.created',
        target: { type: 'tenant', id: t.tenantId },
        changes: { ruc: { to: t.ruc }, name: { to: t.name } },
      },
      now,
    ),
  ];
  try {
    await runAsTenant(t.tenantId, () =>
      documentClient().send(new TransactWriteCommand({ TransactItems: items })),
    );
    return { entry, created: true };
  } catch (error) {
    const codes = cancellationCodes(error);
    if (!codes) throw error;
    const owner = codes[0] === 'ConditionalCheckFailed' ? await tenantRegistry.rucOwner(t.ruc) : undefined;
    if (owner === t.tenantId) {
      const existing = await tenantRegistry.get(t.tenantId);
      if (existing) return { entry: existing, created: false };
    }
    if (owner) {
      throw new ConflictError('This RUC is already registered to a tenant', 'RUC_ALREADY_REGISTERED', [
        { path: 'ruc', message: 'already registered to a tenant' },
      ]);
    }
    if (codes.includes('ConditionalCheckFailed')) {
      throw new ConflictError(`Tenant ${t.tenantId} already exists`, 'TENANT_EXISTS');
    }
    throw error;
  }
}

/** Who created a tenant outside the API (the local seeder, operators' scripts): recorded as such. */
const PROVISIONING_SOURCE: AuditSource = {
  actor: { type: 'user', id: 'provisioning', email: undefined },
};

/**
 * Throws AlreadyExistsError when the branch exists (branch codes are never reused). With `audit` (who acts)
 * the audit entry is written in the same transaction.
 */
export async function createBranch(
  tenantId: string,
  input: BranchInput,
  now: Date = new Date(),
  audit?: AuditSource,
): Promise<BranchRecord> {
  const b = branchInputSchema.parse(input);
  const record: BranchRecord = { tenantId, ...b, createdAt: now.toISOString() };
  const entry = audit
    ? auditPut(
        audit,
        tenantId,
        {
          action: 'branch.created',
          target: { type: 'branch', id: b.code },
          changes: { name: { to: b.name }, address: { to: b.address } },
        },
        now,
      )
    : undefined;
  await branchesRepository.createBranch(record, entry ? [entry] : []);
  return record;
}

/**
 * Throws AlreadyExistsError when it exists; its number series starts at 0000000001 on first use. With
 * `audit` (who acts) the audit entry is written in the same transaction.
 */
export async function createPointOfSale(
  tenantId: string,
  branchCode: string,
  input: PointOfSaleInput,
  now: Date = new Date(),
  audit?: AuditSource,
): Promise<PointOfSaleRecord> {
  const p = pointOfSaleInputSchema.parse(input);
  const record: PointOfSaleRecord = {
    tenantId,
    branchCode,
    code: p.code,
    name: p.name,
    createdAt: now.toISOString(),
  };
  const entry = audit
    ? auditPut(
        audit,
        tenantId,
        {
          action: 'point-of-sale.created',
          target: { type: 'point-of-sale', id: `${branchCode}/${p.code}` },
          changes: { branchCode: { to: branchCode }, code: { to: p.code }, name: { to: p.name } },
        },
        now,
      )
    : undefined;
  await branchesRepository.createPointOfSale(record, entry ? [entry] : []);
  return record;
}

/**
 * Encrypted with KMS (`DATA_KEY_ID`, encryption context `{tenantId}`); never returned or logged. With `audit`
 * (who acts) the audit entry is written in the same transaction.
 */
export async function saveHkaCredentials(
  tenantId: string,
  input: HkaCredentialsInput,
  audit?: AuditSource,
): Promise<void> {
  const parsed = z
    .object({
      environment: z.enum(['demo', 'prod']),
      tokenEmpresa: z.string().min(1).max(200),
      tokenPassword: z.string().min(1).max(200),
    })
    .parse(input);
  await storeHkaCredentials(tenantId, parsed, audit);
}

/**
 * The tenant's signing key: the private key lives in KMS (`kmsKeyId`); we keep the certificate. With `audit`
 * (who acts) the audit entry — the certificate's public facts only — is written in the same transaction.
 */
export async function saveSigningKey(
  tenantId: string,
  input: {
    kmsKeyId: string;
    certificatePem: string;
    subject?: string;
    notBefore?: string;
    notAfter?: string;
    fingerprintSha256?: string;
  },
  now: Date = new Date(),
  audit?: AuditSource,
): Promise<void> {
  const parsed = z
    .object({
      kmsKeyId: z.string().min(1),
      certificatePem: z.string().includes('BEGIN CERTIFICATE'),
      subject: z.string().optional(),
      notBefore: z.string().optional(),
      notAfter: z.string().optional(),
      fingerprintSha256: z.string().optional(),
    })
    .parse(input);
  const entry = audit
    ? auditPut(
        audit,
        tenantId,
        {
          action: 'certificate.uploaded',
          target: { type: 'certificate', id: parsed.fingerprintSha256 ?? 'current' },
          changes: {
            subject: { to: parsed.subject },
            fingerprintSha256: { to: parsed.fingerprintSha256 },
            notAfter: { to: parsed.notAfter },
          },
        },
        now,
      )
    : undefined;
  await tenantsRepository.putSigningKey(
    tenantId,
    { ...parsed, createdAt: now.toISOString() },
    entry ? [entry] : [],
  );
}

/**
 * Merges with the current settings (defaults for anything never set). With `audit` (who acts) the fields
 * that change are recorded, from → to, in the same transaction (a request that changes nothing records
 * nothing).
 */
export async function setIssuingSettings(
  tenantId: string,
  input: IssuingSettingsInput,
  audit?: AuditSource,
  now: Date = new Date(),
): Promise<IssuingSettings> {
  const patch = issuingSettingsInputSchema.parse(input);
  const current = await tenantsRepository.getIssuingSettings(tenantId);
  const next: IssuingSettings = { ...DEFAULT_ISSUING_SETTINGS, ...current };
  const changes: Record<string, AuditChange> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const before = (current as Record<string, unknown>)[key];
    const after = key === 'contingency' ? { ...next.contingency, ...(value as object) } : value;
    if (JSON.stringify(before) !== JSON.stringify(after)) changes[key] = { from: before, to: after };
    (next as Record<string, unknown>)[key] = after;
  }
  const entry =
    audit && Object.keys(changes).length > 0
      ? auditPut(
          audit,
          tenantId,
          { action: 'issuing-settings.changed', target: { type: 'settings', id: 'issuing' }, changes },
          now,
        )
      : undefined;
  await tenantsRepository.putIssuingSettings(tenantId, next, entry ? [entry] : []);
  return next;
}
