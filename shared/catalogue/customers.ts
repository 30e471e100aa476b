import type { z } from 'zod';
import type { Finding } from '#shared/data/documents';
import { newId } from '#shared/data/ids';
import { searchKey, uniqueKey } from '#shared/data/search-key';
import { tenantsRepository } from '#shared/data/tenants';
import { verifyReceiver } from '#shared/documents/receiver-verification';
import { ValidationError } from '#shared/errors';
import type { TenantContext } from '#shared/tenancy/context';
import { hasHkaCredentials } from '#shared/tenancy/credentials';
import type { CustomerInput, CustomerReceiver, CustomerResource, listCustomersQuery } from './api.ts';
import { customerErrors } from './checks.ts';
import {
  createEntry,
  deleteEntry,
  listEntries,
  loadEntry,
  replaceEntry,
  type SaveOptions,
  type Stored,
  withoutIndexing,
} from './entries.ts';
import type { EntryIndexing } from './repository.ts';

/** The customer item: the receiver block, and the DGI's name for the RUC when HKA told it. */
type CustomerFields = CustomerReceiver & { dgiName?: string };

export type SavedCustomer = CustomerResource & { warnings: Finding[] };

const indexingOf = (customer: CustomerReceiver): EntryIndexing => ({
  unique: customer.ruc,
  searchKey: searchKey(customer.name),
});

function toResource(entry: Stored<CustomerFields>): CustomerResource {
  const { dgiName, ...rest } = withoutIndexing(entry);
  return { ...rest, dgiName: dgiName ?? null } as CustomerResource;
}

type DgiCheck = { dgiName?: string; warnings: Finding[]; remember(): Promise<void> };

const nothingToKeep = async () => {};

/** Receiver findings are on `receiver.x` in a document; on a customer they are on `x`. */
const relative = (finding: Finding): Finding => ({
  ...finding,
  path: finding.path.replace(/^receiver\.?/, ''),
});

/**
 * The DGI's word on a taxpayer or government customer through HKA (ConsultarRucDV, cached 30 days): a RUC the
 * DGI does not have is refused (422 on `ruc`); no credentials or no answer is a warning and never blocks. The
 * DGI name is kept; when HKA did not answer, the name known for the same RUC before is kept.
 */
async function checkWithDgi(
  ctx: TenantContext,
  customer: CustomerReceiver,
  previous: Stored<CustomerFields> | undefined,
  now: Date,
): Promise<DgiCheck> {
  const sameRuc = previous?.ruc === customer.ruc && previous?.rucType === customer.rucType;
  const known = sameRuc ? previous?.dgiName : undefined;
  if (
    (customer.type !== 'taxpayer' && customer.type !== 'government') ||
    !customer.ruc ||
    !customer.rucType
  ) {
    return { warnings: [], remember: nothingToKeep };
  }
  const settings = await tenantsRepository.getIssuingSettings(ctx.tenantId);
  const environment = ctx.demoOnly ? 'demo' : settings.environment;
  if (!(await hasHkaCredentials(ctx.tenantId, environment))) {
    return {
      dgiName: known,
      warnings: [
        {
          path: 'ruc',
          message: `not verified with the DGI: the company has no HKA credentials for ${environment}`,
          code: 'RUC_NOT_VERIFIED',
          severity: 'warning',
        },
      ],
      remember: nothingToKeep,
    };
  }
  const verification = await verifyReceiver(ctx.tenantId, environment, customer, { now });
  if (verification.errors.length > 0) throw new ValidationError(verification.errors.map(relative));
  return {
    dgiName: verification.registered?.name ?? known,
    warnings: verification.warnings.map((finding) =>
      finding.code === 'RUC_NOT_VERIFIED'
        ? {
            ...relative(finding),
            message: 'could not be verified with HKA (ConsultarRucDV unavailable); saved unverified',
          }
        : relative(finding),
    ),
    remember: verification.remember,
  };
}

function checked(input: CustomerInput, now: Date): CustomerReceiver {
  const { version: _version, ...customer } = input;
  const errors = customerErrors(customer, now);
  if (errors.length > 0) throw new ValidationError(errors);
  return customer;
}

export async function createCustomer(
  ctx: TenantContext,
  input: CustomerInput,
  options: SaveOptions<SavedCustomer> = {},
): Promise<SavedCustomer> {
  const now = options.now ?? new Date();
  const customer = checked(input, now);
  const dgi = await checkWithDgi(ctx, customer, undefined, now);
  const at = now.toISOString();
  const entry = {
    ...customer,
    dgiName: dgi.dgiName,
    id: newId(now),
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const saved = { ...toResource({ ...entry, indexing: indexingOf(customer) }), warnings: dgi.warnings };
  await createEntry(
    'customer',
    ctx.tenantId,
    entry,
    indexingOf(customer),
    options.idempotency && {
      scope: options.idempotency.scope,
      response: options.idempotency.storedResponse(saved),
    },
  );
  await dgi.remember();
  return saved;
}

/** PUT: the whole customer replaced (a field left out is removed). */
export async function updateCustomer(
  ctx: TenantContext,
  id: string,
  input: CustomerInput,
  now: Date = new Date(),
): Promise<SavedCustomer> {
  const customer = checked(input, now);
  let dgi: DgiCheck | undefined;
  const next = await replaceEntry<CustomerFields>(
    'customer',
    ctx.tenantId,
    id,
    input.version,
    async (current) => {
      dgi ??= await checkWithDgi(ctx, customer, current, now);
      return {
        next: {
          ...customer,
          dgiName: dgi.dgiName,
          id: current.id,
          version: current.version + 1,
          createdAt: current.createdAt,
          updatedAt: now.toISOString(),
        },
        indexing: indexingOf(customer),
      };
    },
  );
  await dgi?.remember();
  return { ...toResource({ ...next, indexing: indexingOf(customer) }), warnings: dgi?.warnings ?? [] };
}

export async function getCustomer(ctx: TenantContext, id: string): Promise<CustomerResource> {
  return toResource(await loadEntry<CustomerFields>('customer', ctx.tenantId, id));
}

export async function deleteCustomer(ctx: TenantContext, id: string): Promise<void> {
  await deleteEntry('customer', ctx.tenantId, id);
}

export type ListCustomersQuery = z.output<typeof listCustomersQuery>;

/** Most RUCs start with a digit; the letter-led ones (`E-…`, `PE-…`, `N-…`) are searched with `by=ruc`. */
const looksLikeRuc = (q: string) => /^[0-9]/.test(q);

/**
 * By name (search key, the index `bySearchKey`) or by RUC (the uniqueness partition), each a prefix; `by`
 * defaults from the look of `q`.
 */
export async function listCustomers(
  ctx: TenantContext,
  query: ListCustomersQuery,
): Promise<{ items: CustomerResource[]; nextCursor: string | null }> {
  const by = query.by ?? (query.q !== undefined && looksLikeRuc(query.q) ? 'ruc' : 'name');
  const prefix = query.q === undefined ? undefined : by === 'ruc' ? uniqueKey(query.q) : searchKey(query.q);
  // A text with nothing searchable in it (only punctuation) matches no name.
  if (prefix === '') return { items: [], nextCursor: null };
  const page = await listEntries<CustomerFields>(
    'customer',
    ctx.tenantId,
    { by: by === 'ruc' ? 'unique' : 'search', prefix },
    { limit: query.limit, cursor: query.cursor },
  );
  return { items: page.items.map(toResource), nextCursor: page.nextCursor };
}

/** The receiver block a document issued to this customer carries (its snapshot). */
export function receiverOf(entry: Stored<CustomerFields>): CustomerReceiver {
  const {
    dgiName: _dgi,
    id: _id,
    version: _v,
    createdAt: _c,
    updatedAt: _u,
    indexing: _i,
    ...receiver
  } = entry;
  return receiver;
}

export type { CustomerFields };
