import type { z } from 'zod';
import { newId } from '#shared/data/ids';
import { searchKey, uniqueKey } from '#shared/data/search-key';
import { ValidationError } from '#shared/errors';
import type { TenantContext } from '#shared/tenancy/context';
import type { listProductsQuery, ProductInput, ProductItem, ProductResource } from './api.ts';
import { productErrors } from './checks.ts';
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
import { listProductsByWord } from './product-word-search.ts';
import type { EntryIndexing } from './repository.ts';

const indexingOf = (product: ProductItem): EntryIndexing => ({
  unique: product.code,
  searchKey: searchKey(product.description),
});

const toResource = (entry: Stored<ProductItem>): ProductResource => withoutIndexing(entry) as ProductResource;

function checked(input: ProductInput, now: Date): ProductItem {
  const { version: _version, ...product } = input;
  const errors = productErrors(product, now);
  if (errors.length > 0) throw new ValidationError(errors);
  return product;
}

export async function createProduct(
  ctx: TenantContext,
  input: ProductInput,
  options: SaveOptions<ProductResource> = {},
): Promise<ProductResource> {
  const now = options.now ?? new Date();
  const product = checked(input, now);
  const at = now.toISOString();
  const entry = { ...product, id: newId(now), version: 1, createdAt: at, updatedAt: at };
  const saved = toResource({ ...entry, indexing: indexingOf(product) });
  await createEntry(
    'product',
    ctx.tenantId,
    entry,
    indexingOf(product),
    options.idempotency && {
      scope: options.idempotency.scope,
      response: options.idempotency.storedResponse(saved),
    },
  );
  return saved;
}

/** PUT: the whole product replaced (a field left out is removed). */
export async function updateProduct(
  ctx: TenantContext,
  id: string,
  input: ProductInput,
  now: Date = new Date(),
): Promise<ProductResource> {
  const product = checked(input, now);
  const next = await replaceEntry<ProductItem>(
    'product',
    ctx.tenantId,
    id,
    input.version,
    async (current) => ({
      next: {
        ...product,
        id: current.id,
        version: current.version + 1,
        createdAt: current.createdAt,
        updatedAt: now.toISOString(),
      },
      indexing: indexingOf(product),
    }),
  );
  return toResource({ ...next, indexing: indexingOf(product) });
}

export async function getProduct(ctx: TenantContext, id: string): Promise<ProductResource> {
  return toResource(await loadEntry<ProductItem>('product', ctx.tenantId, id));
}

export async function deleteProduct(ctx: TenantContext, id: string): Promise<void> {
  await deleteEntry('product', ctx.tenantId, id);
}

export type ListProductsQuery = z.output<typeof listProductsQuery>;

/**
 * By description (search key, the index `bySearchKey`) or by code (the uniqueness partition, case-insensitive),
 * each a prefix. Without `by`, one word is looked up as both (product-word-search.ts); several words, or no
 * `q`, by description.
 */
export async function listProducts(
  ctx: TenantContext,
  query: ListProductsQuery,
): Promise<{ items: ProductResource[]; nextCursor: string | null }> {
  const page = { limit: query.limit, cursor: query.cursor };
  if (query.by === undefined && query.q !== undefined && !/\s/.test(query.q)) {
    const found = await listProductsByWord(ctx.tenantId, query.q, page);
    return { items: found.items.map(toResource), nextCursor: found.nextCursor };
  }
  const by = query.by ?? 'description';
  const prefix = query.q === undefined ? undefined : by === 'code' ? uniqueKey(query.q) : searchKey(query.q);
  if (prefix === '') return { items: [], nextCursor: null };
  const found = await listEntries<ProductItem>(
    'product',
    ctx.tenantId,
    { by: by === 'code' ? 'unique' : 'search', prefix },
    page,
  );
  return { items: found.items.map(toResource), nextCursor: found.nextCursor };
}

/** The item fields a document sold with this product carries (its snapshot), without the quantity. */
export function itemOf(entry: Stored<ProductItem>): ProductItem {
  const { id: _id, version: _v, createdAt: _c, updatedAt: _u, indexing: _i, ...item } = entry;
  return item;
}
