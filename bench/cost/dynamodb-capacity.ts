/**
 * DynamoDB capacity accounting for the cost model: read (RRU) and write (WRU) request units from the
 * `ConsumedCapacity` DynamoDB returns when asked (`ReturnConsumedCapacity: INDEXES`), item and index-entry
 * sizes by DynamoDB's documented rules, and the units of a `TransactWriteItems` computed from the items'
 * images before and after — DynamoDB Local reports those wrong (one small Put: 4 WRU instead of 2; eight
 * small Puts: 4 instead of 16; it charges the largest item of each table four times), while its reports for
 * every other operation match AWS's rules.
 */
import type { GsiModel, TableModel } from './template-model';

/** A DynamoDB JSON attribute value (`{ S: "x" }`, `{ N: "1" }`, `{ M: {...} }`, …). */
export type AttributeValue = Record<string, unknown>;
export type Item = Record<string, AttributeValue>;

export type Units = {
  rru: number;
  wru: number;
  /** Of which on the base table and on each index, for the reader. */
  table: number;
  indexes: Record<string, number>;
};

const READ_OPERATIONS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);

/** Operations that accept `ReturnConsumedCapacity` (and so report what they consumed). */
export const CAPACITY_REPORTING_OPERATIONS = new Set([
  'GetItem',
  'BatchGetItem',
  'Query',
  'Scan',
  'TransactGetItems',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
  'ExecuteStatement',
  'BatchExecuteStatement',
  'ExecuteTransaction',
]);

export const emptyUnits = (): Units => ({ rru: 0, wru: 0, table: 0, indexes: {} });

export function addUnits(into: Units, more: Units): Units {
  into.rru += more.rru;
  into.wru += more.wru;
  into.table += more.table;
  for (const [name, units] of Object.entries(more.indexes)) {
    into.indexes[name] = (into.indexes[name] ?? 0) + units;
  }
  return into;
}

const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/**
 * The units of one response's `ConsumedCapacity` (an object, or an array for batch and transactional
 * operations). An entry names its units `ReadCapacityUnits`/`WriteCapacityUnits` when DynamoDB says which;
 * otherwise `CapacityUnits` counts as reads or writes by the operation.
 */
export function consumedUnits(operation: string, consumed: unknown): Units {
  const entries = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  const isRead = READ_OPERATIONS.has(operation);
  const out = emptyUnits();
  for (const raw of entries as Array<Record<string, unknown>>) {
    const reads = num(raw.ReadCapacityUnits);
    const writes = num(raw.WriteCapacityUnits);
    const total = num(raw.CapacityUnits);
    if (reads > 0 || writes > 0) {
      out.rru += reads;
      out.wru += writes;
    } else if (isRead) out.rru += total;
    else out.wru += total;
    const table = (raw.Table ?? {}) as Record<string, unknown>;
    out.table += num(table.CapacityUnits);
    for (const [name, index] of Object.entries(
      (raw.GlobalSecondaryIndexes ?? {}) as Record<string, unknown>,
    )) {
      out.indexes[name] = (out.indexes[name] ?? 0) + num((index as Record<string, unknown>).CapacityUnits);
    }
  }
  return out;
}

const SINGLE_READS = new Set(['GetItem', 'Query', 'Scan']);

/**
 * A GetItem, Query or Scan costs at least one read: 0.5 RRU eventually consistent, 1 strongly consistent
 * (AWS documents it for a GetItem of a missing item, which DynamoDB Local reports so; for an empty Query
 * DynamoDB Local reports 0, and the same minimum is assumed).
 */
export function withMinimumRead(operation: string, consistentRead: boolean, units: Units): Units {
  if (!SINGLE_READS.has(operation)) return units;
  const minimum = consistentRead ? 1 : 0.5;
  if (units.rru >= minimum) return units;
  const missing = minimum - units.rru;
  return { ...units, rru: minimum, table: units.table + missing };
}

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/** A number's size: one byte per two significant digits, plus one (leading and trailing zeros trimmed). */
export function numberSizeBytes(text: string): number {
  const digits = text
    .replace(/^[-+]/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

const base64Bytes = (value: unknown) => (typeof value === 'string' ? Buffer.from(value, 'base64').length : 0);

/** The size of an attribute value by DynamoDB's rules (names are added by the caller). */
export function attributeValueSize(value: AttributeValue): number {
  if ('S' in value) return utf8(String(value.S));
  if ('N' in value) return numberSizeBytes(String(value.N));
  if ('B' in value) return base64Bytes(value.B);
  if ('BOOL' in value || 'NULL' in value) return 1;
  if ('SS' in value) return (value.SS as string[]).reduce((sum, s) => sum + utf8(s), 0);
  if ('NS' in value) return (value.NS as string[]).reduce((sum, n) => sum + numberSizeBytes(n), 0);
  if ('BS' in value) return (value.BS as string[]).reduce((sum, b) => sum + base64Bytes(b), 0);
  if ('L' in value) {
    return 3 + (value.L as AttributeValue[]).reduce((sum, element) => sum + attributeValueSize(element), 0);
  }
  if ('M' in value) return 3 + itemSizeBytes(value.M as Item);
  return 0;
}

/** An item's size: each attribute's name (UTF-8) plus its value. */
export function itemSizeBytes(item: Item | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + attributeValueSize(value), 0);
}

const kilobytes = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

/** What an item puts in an index (keys of the index and of the table, plus the projection), if it is in it. */
export function indexEntry(item: Item | undefined, gsi: GsiModel, table: TableModel): Item | undefined {
  if (!item || !(gsi.hashKey in item) || (gsi.rangeKey && !(gsi.rangeKey in item))) return undefined;
  const keys = [gsi.hashKey, gsi.rangeKey, table.hashKey, table.rangeKey].filter(
    (name): name is string => name !== undefined,
  );
  if (gsi.projection === 'ALL') return { ...item };
  const names = gsi.projection === 'INCLUDE' ? [...keys, ...gsi.nonKeyAttributes] : keys;
  return Object.fromEntries(names.filter((name) => name in item).map((name) => [name, item[name]!]));
}

const same = (a: Item | undefined, b: Item | undefined) => JSON.stringify(a) === JSON.stringify(b);
const indexKey = (entry: Item, gsi: GsiModel) =>
  JSON.stringify([entry[gsi.hashKey], gsi.rangeKey ? entry[gsi.rangeKey] : undefined]);

/**
 * Write units one index takes when an item changes from `before` to `after` (either may be absent): an
 * entry put or removed costs its size in KB; a moved entry (its index key changed) costs both; an entry
 * whose projected attributes did not change costs nothing.
 */
export function indexWriteUnits(
  before: Item | undefined,
  after: Item | undefined,
  gsi: GsiModel,
  table: TableModel,
): number {
  const old = indexEntry(before, gsi, table);
  const now = indexEntry(after, gsi, table);
  if (!old && !now) return 0;
  if (!old) return kilobytes(itemSizeBytes(now));
  if (!now) return kilobytes(itemSizeBytes(old));
  if (indexKey(old, gsi) !== indexKey(now, gsi)) {
    return kilobytes(itemSizeBytes(old)) + kilobytes(itemSizeBytes(now));
  }
  return same(old, now) ? 0 : kilobytes(Math.max(itemSizeBytes(old), itemSizeBytes(now)));
}

export type TransactAction = {
  kind: 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
  before?: Item;
  after?: Item;
};

/**
 * The units of a committed `TransactWriteItems`, by AWS's rule: DynamoDB performs two underlying writes of
 * every item in the transaction (prepare and commit), each sized by the larger of the item's images (a
 * condition check by the item as it is). Index entries are written after the commit, as ordinary writes.
 */
export function transactWriteUnits(actions: readonly TransactAction[], table: TableModel): Units {
  const out = emptyUnits();
  for (const action of actions) {
    const after = action.kind === 'Delete' || action.kind === 'ConditionCheck' ? action.before : action.after;
    const size = Math.max(itemSizeBytes(action.before), itemSizeBytes(after));
    out.table += 2 * kilobytes(size);
    if (action.kind === 'ConditionCheck') continue;
    const written = action.kind === 'Delete' ? undefined : action.after;
    for (const gsi of table.gsis) {
      const units = indexWriteUnits(action.before, written, gsi, table);
      if (units > 0) out.indexes[gsi.name] = (out.indexes[gsi.name] ?? 0) + units;
    }
  }
  out.wru = out.table + Object.values(out.indexes).reduce((sum, units) => sum + units, 0);
  return out;
}

/**
 * Write units of a write refused by its condition (AWS still charges it: the item's size in KB, at least
 * one); a cancelled transaction is charged its prepare phase, one write per item.
 */
export function refusedWriteUnits(existing: readonly (Item | undefined)[]): number {
  return existing.reduce((sum, item) => sum + kilobytes(itemSizeBytes(item)), 0);
}

/** Bytes billed as storage: each item plus 100 bytes, and each index entry plus 100 bytes. */
export function storageBytes(items: readonly Item[], table: TableModel): { table: number; indexes: number } {
  let tableBytes = 0;
  let indexBytes = 0;
  for (const item of items) {
    tableBytes += itemSizeBytes(item) + 100;
    for (const gsi of table.gsis) {
      const entry = indexEntry(item, gsi, table);
      if (entry) indexBytes += itemSizeBytes(entry) + 100;
    }
  }
  return { table: tableBytes, indexes: indexBytes };
}

/** The primary key of an item of a table (as DynamoDB JSON), to fetch its images. */
export function keyOf(item: Item, table: TableModel): Item {
  const key: Item = {};
  for (const name of [table.hashKey, table.rangeKey]) {
    if (name && item[name]) key[name] = item[name];
  }
  return key;
}
