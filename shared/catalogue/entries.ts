/**
 * What customers and products share as services: reading one (404 for anything not the tenant's), replacing
 * and deleting under the version read (retried when the caller sent no version: last writer wins, and never
 * leaves a stale index item), listing by search key or unique value, and the domain errors of each kind.
 */
import { cursorSecret } from '#shared/config/secrets';
import type { IdempotencyClaim, StoredResponse } from '#shared/data/idempotency';
import { isId } from '#shared/data/ids';
import { BadRequestError, ConflictError, NotFoundError } from '#shared/errors';
import {
  CatalogueCursorError,
  type CatalogueKind,
  catalogueRepository,
  EntryChangedError,
  type EntryIndexing,
  type EntryStamps,
  UniqueValueTakenError,
} from './repository.ts';

/** How many times a write without `version` re-reads and retries after a concurrent change. */
const LAST_WRITER_ATTEMPTS = 3;

export type Stored<T> = T & EntryStamps & { indexing: EntryIndexing };

export type SaveOptions<R> = {
  now?: Date;
  /** Completes the request's idempotency record in the creation's transaction. */
  idempotency?: { scope: IdempotencyClaim; storedResponse: (saved: R) => StoredResponse };
};

const WHAT: Record<CatalogueKind, { name: string; unique: string }> = {
  customer: { name: 'Customer', unique: 'ruc' },
  product: { name: 'Product', unique: 'code' },
};

export function notFound(kind: CatalogueKind): NotFoundError {
  return kind === 'customer'
    ? new NotFoundError('Customer not found', 'CUSTOMER_NOT_FOUND')
    : new NotFoundError('Product not found', 'PRODUCT_NOT_FOUND');
}

function changed(kind: CatalogueKind): ConflictError {
  const message = `The ${kind} changed meanwhile; read it again and retry`;
  return kind === 'customer'
    ? new ConflictError(message, 'CUSTOMER_CHANGED')
    : new ConflictError(message, 'PRODUCT_CHANGED');
}

function taken(kind: CatalogueKind, value: string, holder: string | undefined): ConflictError {
  const field = WHAT[kind].unique;
  const message = `Another ${kind} has ${field} ${value}`;
  const details = [
    { path: field, message: 'is taken by another entry', ...(holder !== undefined && { hint: holder }) },
  ];
  return kind === 'customer'
    ? new ConflictError(message, 'CUSTOMER_RUC_TAKEN', details)
    : new ConflictError(message, 'PRODUCT_CODE_TAKEN', details);
}

/** Another tenant's id and a malformed id answer exactly like a missing one. */
export async function loadEntry<T>(kind: CatalogueKind, tenantId: string, id: string): Promise<Stored<T>> {
  const entry = isId(id) ? await catalogueRepository.get<T>(kind, tenantId, id) : undefined;
  if (!entry) throw notFound(kind);
  return entry;
}

export async function createEntry<T extends object>(
  kind: CatalogueKind,
  tenantId: string,
  entry: T & EntryStamps,
  indexing: EntryIndexing,
  idempotency?: { scope: IdempotencyClaim; response: StoredResponse },
): Promise<void> {
  try {
    await catalogueRepository.create(kind, tenantId, entry, indexing, { idempotency });
  } catch (error) {
    if (error instanceof UniqueValueTakenError) throw taken(kind, indexing.unique ?? '', error.holder);
    throw error;
  }
}

/**
 * Replaces an entry by what `build` makes of the current one. With `expectedVersion` a concurrent change is
 * a 409; without, the write is retried on the fresh entry (the last writer wins).
 */
export async function replaceEntry<T extends object>(
  kind: CatalogueKind,
  tenantId: string,
  id: string,
  expectedVersion: number | undefined,
  build: (current: Stored<T>) => Promise<{ next: T & EntryStamps; indexing: EntryIndexing }>,
): Promise<T & EntryStamps> {
  for (let attempt = 1; ; attempt++) {
    const current = await loadEntry<T>(kind, tenantId, id);
    if (expectedVersion !== undefined && current.version !== expectedVersion) throw changed(kind);
    const { next, indexing } = await build(current);
    try {
      await catalogueRepository.replace(kind, tenantId, current, next, indexing);
      return next;
    } catch (error) {
      if (error instanceof UniqueValueTakenError) throw taken(kind, indexing.unique ?? '', error.holder);
      if (!(error instanceof EntryChangedError)) throw error;
      if (expectedVersion !== undefined || attempt >= LAST_WRITER_ATTEMPTS) throw changed(kind);
    }
  }
}

export async function deleteEntry(kind: CatalogueKind, tenantId: string, id: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const current = await loadEntry<object>(kind, tenantId, id);
    try {
      await catalogueRepository.remove(kind, tenantId, current);
      return;
    } catch (error) {
      if (!(error instanceof EntryChangedError)) throw error;
      if (attempt >= LAST_WRITER_ATTEMPTS) throw changed(kind);
    }
  }
}

/** A page of entries by search key or unique value prefix; with `keep`, only the entries it accepts. */
export async function listEntries<T>(
  kind: CatalogueKind,
  tenantId: string,
  query: { by: 'search' | 'unique'; prefix?: string },
  page: { limit: number; cursor?: string; keep?: (entry: Stored<T>) => boolean },
): Promise<{ items: Stored<T>[]; nextCursor: string | null }> {
  try {
    const result = await catalogueRepository.list<T>(kind, tenantId, query, {
      ...page,
      cursorSecret: await cursorSecret(),
    });
    return { items: result.items, nextCursor: result.nextCursor ?? null };
  } catch (error) {
    if (error instanceof CatalogueCursorError) {
      throw new BadRequestError('The cursor is not valid for this listing', 'INVALID_CURSOR');
    }
    throw error;
  }
}

/** The entry without its bookkeeping (`indexing`). */
export function withoutIndexing<T extends { indexing?: unknown }>(entry: T): Omit<T, 'indexing'> {
  const { indexing: _indexing, ...rest } = entry;
  return rest;
}
