/**
 * Catalogue entries (customers, products) in the single table. Each entry is one item (`T#<t>` /
 * `CUSTOMER#<id>` or `PRODUCT#<id>`) carrying its name-search keys (index `bySearchKey`), and, when it has
 * a RUC or code, one uniqueness item (`T#<t>#CUSTOMERS#RUC` / `<RUC>`, `T#<t>#PRODUCTS#CODE` / `<CODE>`)
 * written in the same transaction: its conditional put refuses a second entry with the same value, and its
 * partition, sorted by the value, answers prefix searches. Every change writes the entry, moves its search
 * keys and its uniqueness item together, conditioned on the version it read, so no index item is ever left
 * pointing at an entry that no longer has that value.
 */
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '#shared/data/client';
import { type CursorBinding, openCursor, sealCursor } from '#shared/data/cursor';
import { cancellationCodes } from '#shared/data/errors';
import { completionPut, type IdempotencyClaim, type StoredResponse } from '#shared/data/idempotency';
import { INDEX_KEY_ATTRIBUTES, INDEXES } from '#shared/data/indexes';
import { gsiKeys, type Key, keys } from '#shared/data/keys';
import { uniqueKey } from '#shared/data/search-key';
import type { TransactItem } from '#shared/data/transactions';

export type CatalogueKind = 'customer' | 'product';

/** What every entry carries besides its own fields. */
export type EntryStamps = { id: string; version: number; createdAt: string; updatedAt: string };

type KindKeys = {
  entry: (tenantId: string, id: string) => Key;
  unique: (tenantId: string, value: string) => Key;
  uniquePartition: (tenantId: string) => { pk: string };
  search: (tenantId: string, searchKey: string, id: string) => { gsi5pk: string; gsi5sk: string };
};

const KIND_KEYS: Record<CatalogueKind, KindKeys> = {
  customer: {
    entry: keys.customer,
    unique: keys.customerRuc,
    uniquePartition: keys.customerRucPartition,
    search: gsiKeys.customerByName,
  },
  product: {
    entry: keys.product,
    unique: keys.productCode,
    uniquePartition: keys.productCodePartition,
    search: gsiKeys.productByDescription,
  },
};

/** How an entry is indexed: its unique value (RUC, code; absent for a customer without RUC) and search key. */
export type EntryIndexing = { unique?: string; searchKey: string };

/** The unique value is held by another entry (`holder`). */
export class UniqueValueTakenError extends Error {
  override readonly name = 'UniqueValueTakenError';
  constructor(readonly holder: string | undefined) {
    super('the unique value is held by another entry');
  }
}

/** The entry changed (or was deleted) since it was read. */
export class EntryChangedError extends Error {
  override readonly name = 'EntryChangedError';
}

/** A list cursor not sealed for this tenant and listing. */
export class CatalogueCursorError extends Error {
  override readonly name = 'CatalogueCursorError';
}

type StoredEntry = Record<string, unknown> & EntryStamps & { indexing: EntryIndexing };
type StoredOf<T> = T & EntryStamps & { indexing: EntryIndexing };

/** The most index entries one Query of a listing reads. */
const MAX_READ = 100;

const UNIQUE_REF = 'entryId';

function entryItem<T extends object>(
  kind: CatalogueKind,
  tenantId: string,
  entry: T & EntryStamps,
  indexing: EntryIndexing,
) {
  const k = KIND_KEYS[kind];
  return {
    ...k.entry(tenantId, entry.id),
    ...k.search(tenantId, indexing.searchKey, entry.id),
    ...entry,
    indexing,
  };
}

function uniquePut(kind: CatalogueKind, tenantId: string, value: string, id: string): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...KIND_KEYS[kind].unique(tenantId, value), [UNIQUE_REF]: id, value },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

function uniqueDelete(kind: CatalogueKind, tenantId: string, value: string, id: string): TransactItem {
  return {
    Delete: {
      TableName: tableName(),
      Key: KIND_KEYS[kind].unique(tenantId, value),
      // Only our own claim: never free a value another entry holds.
      ConditionExpression: '#ref = :id',
      ExpressionAttributeNames: { '#ref': UNIQUE_REF },
      ExpressionAttributeValues: { ':id': id },
    },
  };
}

const sameUnique = (a?: string, b?: string) => uniqueKey(a ?? '') === uniqueKey(b ?? '');

/** The entry as the service sees it: its fields and stamps, without keys or indexing. */
function fromItem<T>(item: Record<string, unknown>): T & EntryStamps & { indexing: EntryIndexing } {
  const { pk: _pk, sk: _sk, ...rest } = item;
  for (const name of INDEX_KEY_ATTRIBUTES) delete rest[name];
  return rest as T & EntryStamps & { indexing: EntryIndexing };
}

export type CreateOptions = { idempotency?: { scope: IdempotencyClaim; response: StoredResponse } };

export const catalogueRepository = {
  async get<T>(kind: CatalogueKind, tenantId: string, id: string) {
    const { Item } = await documentClient().send(
      new GetCommand({
        TableName: tableName(),
        Key: KIND_KEYS[kind].entry(tenantId, id),
        ConsistentRead: true,
      }),
    );
    return Item ? fromItem<T>(Item) : undefined;
  },

  /** The entries of `ids` that exist (BatchGetItem; duplicates read once). */
  async getMany<T>(kind: CatalogueKind, tenantId: string, ids: readonly string[]) {
    const found = new Map<string, T & EntryStamps & { indexing: EntryIndexing }>();
    const unique = [...new Set(ids)];
    for (let start = 0; start < unique.length; start += 100) {
      let pending: Record<string, unknown>[] = unique
        .slice(start, start + 100)
        .map((id) => KIND_KEYS[kind].entry(tenantId, id));
      for (let round = 0; pending.length > 0; round++) {
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** round)));
        if (round > 8) throw new Error('DynamoDB left keys unprocessed after 8 rounds');
        const out = await documentClient().send(
          new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending } } }),
        );
        for (const item of out.Responses?.[tableName()] ?? []) {
          const entry = fromItem<T>(item);
          found.set(entry.id, entry);
        }
        pending = out.UnprocessedKeys?.[tableName()]?.Keys ?? [];
      }
    }
    return found;
  },

  /** Creates the entry and claims its unique value, in one transaction (with the idempotency record). */
  async create<T extends object>(
    kind: CatalogueKind,
    tenantId: string,
    entry: T & EntryStamps,
    indexing: EntryIndexing,
    options: CreateOptions = {},
  ): Promise<void> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: tableName(),
          Item: entryItem(kind, tenantId, entry, indexing),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    if (indexing.unique !== undefined) items.push(uniquePut(kind, tenantId, indexing.unique, entry.id));
    if (options.idempotency) {
      items.push(
        completionPut(options.idempotency.scope, options.idempotency.response, new Date(entry.createdAt)),
      );
    }
    await this.write(kind, tenantId, items, indexing.unique);
  },

  /**
   * Replaces `current` (as read) by `next`: the entry is written only if it still has the version read; the
   * unique value, when it changed, is released and the new one claimed in the same transaction.
   */
  async replace<T extends object>(
    kind: CatalogueKind,
    tenantId: string,
    current: StoredEntry,
    next: T & EntryStamps,
    indexing: EntryIndexing,
  ): Promise<void> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: tableName(),
          Item: entryItem(kind, tenantId, next, indexing),
          ConditionExpression: 'version = :read',
          ExpressionAttributeValues: { ':read': current.version },
        },
      },
    ];
    const before = current.indexing.unique;
    if (!sameUnique(before, indexing.unique)) {
      if (before !== undefined) items.push(uniqueDelete(kind, tenantId, before, current.id));
      if (indexing.unique !== undefined) items.push(uniquePut(kind, tenantId, indexing.unique, current.id));
    }
    await this.write(kind, tenantId, items, indexing.unique);
  },

  /** Deletes the entry as read (same version) and releases its unique value. */
  async remove(kind: CatalogueKind, tenantId: string, current: StoredEntry): Promise<void> {
    const items: TransactItem[] = [
      {
        Delete: {
          TableName: tableName(),
          Key: KIND_KEYS[kind].entry(tenantId, current.id),
          ConditionExpression: 'version = :read',
          ExpressionAttributeValues: { ':read': current.version },
        },
      },
    ];
    if (current.indexing.unique !== undefined) {
      items.push(uniqueDelete(kind, tenantId, current.indexing.unique, current.id));
    }
    await this.write(kind, tenantId, items, undefined);
  },

  /** Runs the transaction; the entry's condition failing is EntryChangedError, the claim's UniqueValueTakenError. */
  async write(
    kind: CatalogueKind,
    tenantId: string,
    items: TransactItem[],
    claimed: string | undefined,
  ): Promise<void> {
    try {
      await documentClient().send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (codes[0] === 'ConditionalCheckFailed') throw new EntryChangedError();
      const claimFailed = items.some(
        (item, index) =>
          item.Put?.Item?.[UNIQUE_REF] !== undefined && codes[index] === 'ConditionalCheckFailed',
      );
      if (claimFailed && claimed !== undefined) {
        const holder = await documentClient().send(
          new GetCommand({ TableName: tableName(), Key: KIND_KEYS[kind].unique(tenantId, claimed) }),
        );
        throw new UniqueValueTakenError(holder.Item?.[UNIQUE_REF] as string | undefined);
      }
      // Our own unique item was changed under us (a concurrent move): the entry was read stale.
      if (codes.includes('ConditionalCheckFailed')) throw new EntryChangedError();
      throw error;
    }
  },

  /**
   * A page of entries: by search key (index `bySearchKey`, prefix `searchPrefix`) or by unique value (the
   * uniqueness partition, prefix `uniquePrefix`), then the entries themselves by BatchGetItem. The cursor is
   * sealed to the tenant and the listing (shared/data/cursor.ts).
   *
   * With `keep`, only the entries it accepts fill the page: the index is read on (each read twice the last,
   * up to 100) until the page is full or the listing ends. When a read holds more than the page takes, the
   * cursor names the index entry just before the first accepted one left out, so the next page neither
   * repeats nor skips one, and no cursor is handed out when what is left of the listing was all refused.
   */
  async list<T>(
    kind: CatalogueKind,
    tenantId: string,
    query: { by: 'search' | 'unique'; prefix?: string },
    page: { limit: number; cursor?: string; cursorSecret: string; keep?: (entry: StoredOf<T>) => boolean },
  ) {
    const k = KIND_KEYS[kind];
    const bySearch = query.by === 'search';
    const partition = bySearch ? k.search(tenantId, '', '').gsi5pk : k.uniquePartition(tenantId).pk;
    const keyNames = bySearch
      ? { pk: INDEXES.bySearchKey.pk, sk: INDEXES.bySearchKey.sk }
      : { pk: 'pk', sk: 'sk' };
    const binding: CursorBinding = {
      tenantId,
      listing: [
        ['catalogue', kind],
        ['by', query.by],
        ['prefix', query.prefix ?? null],
      ],
    };
    let startKey = page.cursor
      ? checkedStartKey(page.cursor, binding, page.cursorSecret, keyNames, partition, bySearch)
      : undefined;
    const prefix = query.prefix ?? '';
    const idOf = (item: Record<string, unknown>) =>
      bySearch ? String(item.sk).slice(String(item.sk).indexOf('#') + 1) : String(item[UNIQUE_REF]);
    const keyOf = (item: Record<string, unknown>) =>
      Object.fromEntries(
        [...new Set(['pk', 'sk', keyNames.pk, keyNames.sk])].map((name) => [name, item[name]]),
      );
    const items: StoredOf<T>[] = [];
    for (let read = 0; ; read++) {
      const out = await documentClient().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: bySearch ? INDEXES.bySearchKey.name : undefined,
          KeyConditionExpression: prefix ? '#pk = :pk AND begins_with(#sk, :prefix)' : '#pk = :pk',
          ExpressionAttributeNames: prefix
            ? { '#pk': keyNames.pk, '#sk': keyNames.sk }
            : { '#pk': keyNames.pk },
          ExpressionAttributeValues: prefix ? { ':pk': partition, ':prefix': prefix } : { ':pk': partition },
          Limit: Math.min(MAX_READ, page.limit * 2 ** read),
          ExclusiveStartKey: startKey,
        }),
      );
      const indexItems = out.Items ?? [];
      const found = await this.getMany<T>(kind, tenantId, indexItems.map(idOf));
      startKey = out.LastEvaluatedKey;
      let previous: Record<string, unknown> | undefined;
      for (const indexItem of indexItems) {
        // An entry deleted between the index read and the batch read is simply absent from the page.
        const entry = found.get(idOf(indexItem));
        if (entry && (page.keep?.(entry) ?? true)) {
          // One more than the page holds: the next page starts right before it.
          if (items.length === page.limit && previous) {
            startKey = keyOf(previous);
            break;
          }
          items.push(entry);
        }
        previous = indexItem;
      }
      if (!page.keep || items.length === page.limit || !startKey) break;
    }
    return { items, nextCursor: startKey ? sealCursor(startKey, binding, page.cursorSecret) : undefined };
  },
};

/** A sealed cursor's start key, checked again to name a key of this listing's own partition. */
function checkedStartKey(
  cursor: string,
  binding: CursorBinding,
  secret: string,
  keyNames: { pk: string; sk: string },
  partition: string,
  bySearch: boolean,
): Record<string, unknown> {
  const key = openCursor(cursor, binding, secret);
  if (!key) throw new CatalogueCursorError('cursor was not issued for this listing');
  const expected = bySearch ? ['pk', 'sk', keyNames.pk, keyNames.sk] : ['pk', 'sk'];
  const valid =
    Object.keys(key).length === expected.length &&
    expected.every((name) => typeof key[name] === 'string' && key[name] !== '') &&
    key[keyNames.pk] === partition;
  if (!valid) throw new CatalogueCursorError('cursor does not name a key of this listing');
  return key;
}
