/**
 * The single table in memory, behind the document client mock: it evaluates the condition, update, key
 * condition and filter expressions the repositories send (comparisons, AND/OR, IN, BETWEEN, parentheses,
 * attribute_exists/attribute_not_exists/begins_with; SET/REMOVE/ADD) and refuses what DynamoDB refuses
 * (a failed condition, unused or undefined expression names and values, overlapping update paths, two
 * operations on one item in a transaction, an empty or oversized key value, an item over 400 KB, a starting
 * key that is not a key of the queried index and partition), returning the old item with a failed condition
 * when asked (`ReturnValuesOnConditionCheckFailure`). A test can then assert what a write did to the
 * item and whether it was allowed, not only the request's text. Index queries return only what the index
 * projects (shared/data/indexes.ts).
 */
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DynamoDBServiceException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { INDEX_LIST } from '#shared/data/indexes';

export type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };
type Expression = {
  names?: Record<string, string>;
  values?: Record<string, unknown>;
  used: { names: Set<string>; values: Set<string> };
};

class ValidationException extends DynamoDBServiceException {
  constructor(message: string) {
    super({ name: 'ValidationException', $fault: 'client', message, $metadata: {} });
  }
}

/** DynamoDB's limits on key values: partition key ≤ 2048 bytes, sort key ≤ 1024 bytes, never empty. */
function checkKeyValue(name: string, value: unknown, role: 'partition' | 'sort', index?: string): void {
  if (typeof value !== 'string') {
    throw new ValidationException('The provided key element does not match the schema');
  }
  if (value === '') {
    throw new ValidationException(
      index
        ? `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: ${index}, IndexKey: ${name}`
        : `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: ${name}`,
    );
  }
  const bytes = Buffer.byteLength(value);
  if (role === 'partition' && bytes > 2048) {
    throw new ValidationException(
      'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of 2048 bytes',
    );
  }
  if (role === 'sort' && bytes > 1024) {
    throw new ValidationException(
      'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes',
    );
  }
}

/** An item's size as DynamoDB counts it (attribute names plus values), near enough for the 400 KB limit. */
function itemBytes(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number' || typeof value === 'bigint') return Math.ceil(String(value).length / 2) + 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((sum: number, member) => sum + itemBytes(member), 0);
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, member) => sum + 1 + itemBytes(member), 0);
  return (
    3 +
    Object.entries(value as Record<string, unknown>).reduce(
      (sum, [name, member]) => sum + Buffer.byteLength(name) + 1 + itemBytes(member),
      0,
    )
  );
}

const MAX_ITEM_BYTES = 400 * 1024;

const NAME = String.raw`(?:#\w+|[A-Za-z_]\w*)`;
// A name or a document path of names (`#actor.#id`), a value, an operator or punctuation.
const TOKEN = new RegExp(String.raw`\s*(${NAME}(?:\.${NAME})*|:\w+|<=|>=|<>|=|<|>|\(|\)|,)`, 'y');

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const match = TOKEN.exec(text);
    if (!match) throw new ValidationException(`Invalid expression: ${text}`);
    tokens.push(match[1]!);
  }
  return tokens;
}

/** The value at a document path (`actor.id`) of an item, or undefined when any step is missing. */
function valueAt(item: Item, attribute: string): unknown {
  let value: unknown = item;
  for (const name of attribute.split('.')) {
    value = value !== null && typeof value === 'object' ? (value as Item)[name] : undefined;
  }
  return value;
}

/**
 * An attribute name (`#x` resolved, or a bare name; each step of a path `#a.#b` likewise, joined with `.`)
 * or a value (`:x`), as the expression names it.
 */
function operand(token: string, expr: Expression): { attribute: string } | { value: unknown } {
  if (token.includes('.') && !token.startsWith(':')) {
    return {
      attribute: token
        .split('.')
        .map((step) => (operand(step, expr) as { attribute: string }).attribute)
        .join('.'),
    };
  }
  if (token.startsWith('#')) {
    const name = expr.names?.[token];
    if (name === undefined)
      throw new ValidationException(`An expression attribute name is not defined: ${token}`);
    expr.used.names.add(token);
    return { attribute: name };
  }
  if (token.startsWith(':')) {
    if (!expr.values || !(token in expr.values)) {
      throw new ValidationException(`An expression attribute value is not defined: ${token}`);
    }
    expr.used.values.add(token);
    return { value: expr.values[token] };
  }
  return { attribute: token };
}

function compare(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  // Booleans are equal or not; DynamoDB does not order them (NaN: only `<>` holds between different ones).
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : Number.NaN;
  return undefined;
}

const COMPARATORS: Record<string, (c: number) => boolean> = {
  '=': (c) => c === 0,
  '<>': (c) => c !== 0,
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
};

/** Evaluates a condition (or key condition) expression against an item (`{}` when there is none). */
function evaluate(text: string, item: Item, expr: Expression): boolean {
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string) => {
    const token = tokens[at++];
    if (token === undefined || (expected && token.toUpperCase() !== expected)) {
      throw new ValidationException(`Invalid expression (expected ${expected ?? 'more'}): ${text}`);
    }
    return token;
  };
  const resolve = (token: string) => {
    const o = operand(token, expr);
    return 'value' in o ? o.value : valueAt(item, o.attribute);
  };
  const list = () => {
    take('(');
    const values = [resolve(take())];
    while (peek() === ',') {
      take(',');
      values.push(resolve(take()));
    }
    take(')');
    return values;
  };

  const primary = (): boolean => {
    const token = take();
    const upper = token.toUpperCase();
    if (token === '(') {
      const inner = or();
      take(')');
      return inner;
    }
    if (upper === 'ATTRIBUTE_EXISTS' || upper === 'ATTRIBUTE_NOT_EXISTS') {
      take('(');
      const o = operand(take(), expr);
      take(')');
      if (!('attribute' in o)) throw new ValidationException(`${token} needs an attribute: ${text}`);
      return (valueAt(item, o.attribute) !== undefined) === (upper === 'ATTRIBUTE_EXISTS');
    }
    if (upper === 'BEGINS_WITH') {
      const [subject, prefix] = list();
      return typeof subject === 'string' && typeof prefix === 'string' && subject.startsWith(prefix);
    }
    const left = resolve(token);
    const op = take().toUpperCase();
    if (op === 'IN') return list().some((value) => compare(left, value) === 0);
    if (op === 'BETWEEN') {
      const low = resolve(take());
      take('AND');
      const high = resolve(take());
      const fromLow = compare(left, low);
      const toHigh = compare(left, high);
      return fromLow !== undefined && toHigh !== undefined && fromLow >= 0 && toHigh <= 0;
    }
    const comparator = COMPARATORS[op];
    if (!comparator) throw new ValidationException(`Invalid operator ${op}: ${text}`);
    const c = compare(left, resolve(take()));
    return c !== undefined && comparator(c);
  };
  const and = (): boolean => {
    let result = primary();
    while (peek()?.toUpperCase() === 'AND') {
      take();
      // Every operand is parsed (and its names and values counted as used) whatever the result so far.
      const next = primary();
      result = result && next;
    }
    return result;
  };
  const or = (): boolean => {
    let result = and();
    while (peek()?.toUpperCase() === 'OR') {
      take();
      const next = and();
      result = result || next;
    }
    return result;
  };

  const result = or();
  if (at !== tokens.length) throw new ValidationException(`Invalid expression: ${text}`);
  return result;
}

/** Applies `SET a = :v, … REMOVE b, … ADD c :n, …` to a copy of `item`; also names the attributes it touched. */
function applyUpdate(text: string, item: Item, expr: Expression): { next: Item; touched: Set<string> } {
  const tokens = tokenize(text);
  const next: Item = structuredClone(item);
  const touched = new Set<string>();
  const touch = (attribute: string) => {
    if (touched.has(attribute)) {
      throw new ValidationException(`Two document paths overlap with each other: ${attribute}`);
    }
    touched.add(attribute);
  };
  const attributeOf = (token: string) => {
    const o = operand(token, expr);
    if (!('attribute' in o)) throw new ValidationException(`Expected an attribute: ${text}`);
    return o.attribute;
  };
  const valueNamed = (token: string) => {
    const o = operand(token, expr);
    if (!('value' in o)) throw new ValidationException(`Expected a value: ${text}`);
    return o.value;
  };
  let at = 0;
  while (at < tokens.length) {
    const clause = tokens[at++]!.toUpperCase();
    do {
      if (tokens[at] === ',') at++;
      const attribute = attributeOf(tokens[at++]!);
      touch(attribute);
      if (clause === 'SET') {
        if (tokens[at++] !== '=') throw new ValidationException(`Invalid SET: ${text}`);
        if (tokens[at]?.toLowerCase() === 'if_not_exists') {
          // if_not_exists(path, :value): the path's current value, or the value when it has none.
          if (tokens[at + 1] !== '(' || tokens[at + 3] !== ',' || tokens[at + 5] !== ')') {
            throw new ValidationException(`Invalid if_not_exists: ${text}`);
          }
          const existing = valueAt(item, attributeOf(tokens[at + 2]!));
          const fallback = valueNamed(tokens[at + 4]!);
          next[attribute] = structuredClone(existing === undefined ? fallback : existing);
          at += 6;
        } else {
          next[attribute] = structuredClone(valueNamed(tokens[at++]!));
        }
      } else if (clause === 'REMOVE') {
        delete next[attribute];
      } else if (clause === 'ADD') {
        const amount = valueNamed(tokens[at++]!);
        const current = next[attribute] ?? 0;
        if (typeof amount !== 'number' || typeof current !== 'number') {
          throw new ValidationException(`ADD needs numbers: ${text}`);
        }
        next[attribute] = current + amount;
      } else {
        throw new ValidationException(`Unsupported update clause ${clause}: ${text}`);
      }
    } while (tokens[at] === ',');
  }
  return { next, touched };
}

function expression(input: {
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}): Expression {
  return {
    names: input.ExpressionAttributeNames,
    values: input.ExpressionAttributeValues,
    used: { names: new Set(), values: new Set() },
  };
}

/** DynamoDB refuses names and values the request declares but its expressions never use. */
function refuseUnused(expr: Expression): void {
  const unusedNames = Object.keys(expr.names ?? {}).filter((n) => !expr.used.names.has(n));
  const unusedValues = Object.keys(expr.values ?? {}).filter((v) => !expr.used.values.has(v));
  if (unusedNames.length) {
    throw new ValidationException(
      `Value provided in ExpressionAttributeNames unused in expressions: ${unusedNames}`,
    );
  }
  if (unusedValues.length) {
    throw new ValidationException(
      `Value provided in ExpressionAttributeValues unused in expressions: ${unusedValues}`,
    );
  }
}

type UpdateInput = {
  Key?: Record<string, unknown>;
  UpdateExpression?: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
  ReturnValuesOnConditionCheckFailure?: string;
};
type PutInput = {
  Item?: Record<string, unknown>;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
  ReturnValuesOnConditionCheckFailure?: string;
};

type DeleteInput = {
  Key?: Record<string, unknown>;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
};
type QueryInput = {
  IndexName?: string;
  KeyConditionExpression?: string;
  FilterExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
  ScanIndexForward?: boolean;
  Limit?: number;
  ExclusiveStartKey?: Record<string, unknown>;
};

/**
 * The item DynamoDB returns with a failed condition when asked (`ALL_OLD`): in the wire form, since the
 * document client does not convert items carried by errors.
 */
function oldItemOnFailure(
  input: { ReturnValuesOnConditionCheckFailure?: string },
  current: Item | undefined,
): { Item?: Record<string, AttributeValue> } {
  return input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && current
    ? { Item: wireItem(current) }
    : {};
}

function wireItem(item: Item): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(item)) if (value !== undefined) out[name] = wireValue(value);
  return out;
}

function wireValue(value: unknown): AttributeValue {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (value === null) return { NULL: true };
  if (value instanceof Uint8Array) return { B: value };
  if (Array.isArray(value)) return { L: value.map(wireValue) };
  return { M: wireItem(value as Item) };
}

export class FakeTable {
  private readonly items = new Map<string, Item>();
  /** Writes applied so far (puts, updates, deletes; set-up included): a test sees whether a call wrote. */
  writes = 0;
  /** While watched: each touched item's value before its first change (undefined: it did not exist). */
  private journal: Map<string, string | undefined> | undefined;

  private static id(key: Key): string {
    return `${key.pk}\u0000${key.sk}`;
  }

  private static keyOf(input: Record<string, unknown> | undefined): Key {
    if (typeof input?.pk !== 'string' || typeof input.sk !== 'string') {
      throw new ValidationException('The provided key element does not match the schema');
    }
    checkKeyValue('pk', input.pk, 'partition');
    checkKeyValue('sk', input.sk, 'sort');
    return { pk: input.pk, sk: input.sk };
  }

  /** An item DynamoDB would store: valid table and index keys, at most 400 KB. */
  private static checkItem(item: Item): void {
    FakeTable.keyOf(item);
    for (const index of INDEX_LIST) {
      if (item[index.pk] !== undefined) checkKeyValue(index.pk, item[index.pk], 'partition', index.name);
      if (item[index.sk] !== undefined) checkKeyValue(index.sk, item[index.sk], 'sort', index.name);
    }
    if (itemBytes(item) > MAX_ITEM_BYTES) {
      throw new ValidationException('Item size has exceeded the maximum allowed size');
    }
  }

  /** Stores an item as is (test set-up). */
  put(item: Item): void {
    const id = FakeTable.id(FakeTable.keyOf(item));
    this.remember(id);
    this.items.set(id, structuredClone(item));
    this.writes++;
  }

  /** The stored item, or undefined. */
  get(key: Key): Item | undefined {
    const item = this.items.get(FakeTable.id(key));
    return item && structuredClone(item);
  }

  delete(key: Key): void {
    const id = FakeTable.id(key);
    this.remember(id);
    this.items.delete(id);
    this.writes++;
  }

  /**
   * Starts watching the table; the returned function stops and lists the keys whose item differs from what
   * it was when the watch began. A write undone within the watch (a lock taken and released) is no change.
   */
  watch(): () => string[] {
    const journal = new Map<string, string | undefined>();
    this.journal = journal;
    return () => {
      if (this.journal === journal) this.journal = undefined;
      return [...journal]
        .filter(([id, before]) => before !== FakeTable.serialized(this.items.get(id)))
        .map(([id]) => id.replace('\u0000', ' '));
    };
  }

  private remember(id: string): void {
    if (this.journal && !this.journal.has(id)) this.journal.set(id, FakeTable.serialized(this.items.get(id)));
  }

  private static serialized(item: Item | undefined): string | undefined {
    return item && JSON.stringify(item, (_key, value) => (value instanceof Set ? [...value].sort() : value));
  }

  /** Every stored item whose pk is `pk` (e.g. a document and its history events). */
  partition(pk: string): Item[] {
    return [...this.items.values()].filter((item) => item.pk === pk).map((item) => structuredClone(item));
  }

  clear(): void {
    this.items.clear();
  }

  /** Routes the document client's commands to this table (after `mock.reset()`). */
  install(mock: AwsClientStub<DynamoDBDocumentClient>): void {
    mock.on(GetCommand).callsFake((input) => this.handleGet(input));
    mock.on(BatchGetCommand).callsFake((input) => this.handleBatchGet(input));
    mock.on(PutCommand).callsFake((input) => this.handlePut(input));
    mock.on(UpdateCommand).callsFake((input) => this.handleUpdate(input));
    mock.on(DeleteCommand).callsFake((input) => this.handleDelete(input));
    mock.on(TransactWriteCommand).callsFake((input) => this.handleTransactWrite(input));
    mock.on(QueryCommand).callsFake((input) => this.handleQuery(input));
  }

  handleGet(input: { Key?: Record<string, unknown> }) {
    const item = this.get(FakeTable.keyOf(input.Key));
    return item ? { Item: item } : {};
  }

  handleBatchGet(input: { RequestItems?: Record<string, { Keys?: Array<Record<string, unknown>> }> }) {
    const responses: Record<string, Item[]> = {};
    for (const [table, request] of Object.entries(input.RequestItems ?? {})) {
      const keys = (request.Keys ?? []).map((key) => FakeTable.keyOf(key));
      if (keys.length > 100) {
        throw new ValidationException('Too many items requested for the BatchGetItem call');
      }
      if (new Set(keys.map((key) => FakeTable.id(key))).size !== keys.length) {
        throw new ValidationException('Provided list of item keys contains duplicates');
      }
      responses[table] = keys.map((key) => this.get(key)).filter((item): item is Item => item !== undefined);
    }
    return { Responses: responses, UnprocessedKeys: {} };
  }

  handlePut(input: PutInput) {
    const write = this.preparePut(input);
    if (!write.allowed) throw conditionalCheckFailed(oldItemOnFailure(input, write.current));
    write.apply();
    return {};
  }

  handleUpdate(input: UpdateInput & { ReturnValues?: string }) {
    const write = this.prepareUpdate(input);
    if (!write.allowed) throw conditionalCheckFailed(oldItemOnFailure(input, write.current));
    const written = write.apply();
    if (input.ReturnValues === 'ALL_NEW') return { Attributes: written };
    if (input.ReturnValues === 'ALL_OLD') return write.current ? { Attributes: write.current } : {};
    if (input.ReturnValues === 'UPDATED_NEW') {
      return {
        Attributes: Object.fromEntries(Object.entries(written).filter(([name]) => write.touched.has(name))),
      };
    }
    return {};
  }

  handleDelete(input: DeleteInput) {
    const write = this.prepareDelete(input);
    if (!write.allowed) throw conditionalCheckFailed();
    write.apply();
    return {};
  }

  handleTransactWrite(input: {
    TransactItems?: Array<{
      Put?: PutInput;
      Update?: UpdateInput;
      Delete?: DeleteInput;
      ConditionCheck?: DeleteInput;
    }>;
  }) {
    const actions = input.TransactItems ?? [];
    const ids = actions.map((action) =>
      FakeTable.id(
        FakeTable.keyOf(
          action.Put
            ? action.Put.Item
            : (action.Update?.Key ?? action.Delete?.Key ?? action.ConditionCheck?.Key),
        ),
      ),
    );
    if (new Set(ids).size !== ids.length) {
      throw new ValidationException('Transaction request cannot include multiple operations on one item');
    }
    const writes = actions.map((action) => {
      if (action.Put) return this.preparePut(action.Put);
      if (action.Update) return this.prepareUpdate(action.Update);
      if (action.Delete) return this.prepareDelete(action.Delete);
      if (action.ConditionCheck) {
        return { ...this.prepareDelete(action.ConditionCheck), apply: () => undefined };
      }
      throw new ValidationException('A transaction item needs Put, Update, Delete or ConditionCheck');
    });
    if (writes.some((write) => !write.allowed)) {
      throw new TransactionCanceledException({
        message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
        $metadata: {},
        CancellationReasons: writes.map((write, i) =>
          write.allowed
            ? { Code: 'None' }
            : {
                Code: 'ConditionalCheckFailed',
                ...oldItemOnFailure(
                  actions[i]!.Put ?? actions[i]!.Update ?? {},
                  'current' in write ? (write.current as Item | undefined) : undefined,
                ),
              },
        ),
      });
    }
    for (const write of writes) write.apply();
    return {};
  }

  private preparePut(input: PutInput) {
    const item = input.Item ?? {};
    FakeTable.checkItem(item);
    const key = FakeTable.keyOf(item);
    const current = this.get(key);
    const expr = expression(input);
    const allowed = input.ConditionExpression
      ? evaluate(input.ConditionExpression, current ?? {}, expr)
      : true;
    refuseUnused(expr);
    return { allowed, current, apply: () => this.put(item) };
  }

  private prepareUpdate(input: UpdateInput) {
    const key = FakeTable.keyOf(input.Key);
    const current = this.get(key);
    const expr = expression(input);
    const allowed = input.ConditionExpression
      ? evaluate(input.ConditionExpression, current ?? {}, expr)
      : true;
    const { next, touched } = applyUpdate(input.UpdateExpression ?? '', { ...key, ...current }, expr);
    refuseUnused(expr);
    FakeTable.checkItem(next);
    return {
      allowed,
      current,
      touched,
      apply: () => {
        this.put(next);
        return structuredClone(next);
      },
    };
  }

  private prepareDelete(input: DeleteInput) {
    const key = FakeTable.keyOf(input.Key);
    const expr = expression(input);
    const allowed = input.ConditionExpression
      ? evaluate(input.ConditionExpression, this.get(key) ?? {}, expr)
      : true;
    refuseUnused(expr);
    return { allowed, apply: () => this.delete(key) };
  }

  handleQuery(input: QueryInput) {
    const index = input.IndexName ? INDEX_LIST.find((i) => i.name === input.IndexName) : undefined;
    if (input.IndexName && !index) throw new ValidationException(`No index ${input.IndexName}`);
    const pk = index?.pk ?? 'pk';
    const sk = index?.sk ?? 'sk';
    const keyCondition = input.KeyConditionExpression ?? '';
    const expr = expression(input);
    // Parsed once on its own, so its names and values count as used even when no item matches.
    evaluate(keyCondition, {}, expr);
    if (input.FilterExpression) evaluate(input.FilterExpression, {}, expr);
    refuseUnused(expr);
    checkKeyCondition(keyCondition, expr, pk);
    const inKeyRange = (item: Item) => evaluate(keyCondition, item, expr);
    // Index order: its sort key, then the table's key (what makes an index entry unique).
    const order = (item: Item) => [item[sk], item.pk, item.sk];
    const byOrder = (a: Item, b: Item) => compareTuples(order(a), order(b));
    let matches = [...this.items.values()]
      .filter((item) => item[pk] !== undefined && item[sk] !== undefined)
      .filter(inKeyRange)
      .sort(byOrder);
    if (input.ScanIndexForward === false) matches.reverse();
    if (input.ExclusiveStartKey) {
      const start = checkStartKey(input.ExclusiveStartKey, index, inKeyRange);
      const after = (item: Item) => byOrder(item, start) * (input.ScanIndexForward === false ? -1 : 1) > 0;
      matches = matches.filter(after);
    }
    const page = matches.slice(0, input.Limit ?? matches.length);
    const last = page.length < matches.length ? page[page.length - 1] : undefined;
    const filtered = input.FilterExpression
      ? page.filter((item) => evaluate(input.FilterExpression!, item, expr))
      : page;
    const projected = filtered.map((item) => {
      if (!index) return structuredClone(item);
      const attributes = new Set(['pk', 'sk', index.pk, index.sk]);
      if (index.projection.type === 'INCLUDE') for (const a of index.projection.attributes) attributes.add(a);
      return Object.fromEntries(Object.entries(item).filter(([name]) => attributes.has(name)));
    });
    const lastEvaluatedKey =
      last && Object.fromEntries([...new Set(['pk', 'sk', pk, sk])].map((a) => [a, last[a]]));
    return {
      Items: projected,
      Count: projected.length,
      ScannedCount: page.length,
      LastEvaluatedKey: lastEvaluatedKey,
    };
  }
}

function compareTuples(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compare(a[i], b[i]) ?? 0;
    if (c !== 0) return c;
  }
  return 0;
}

/** A key condition's values obey the key limits: not empty, partition ≤ 2048 bytes, sort ≤ 1024 bytes. */
function checkKeyCondition(keyCondition: string, expr: Expression, partitionKey: string): void {
  const partitionPlaceholders = new Set<string>();
  for (const [, name, placeholder] of keyCondition.matchAll(/(#?\w+)\s*=\s*(:\w+)/g)) {
    const attribute = name!.startsWith('#') ? expr.names?.[name!] : name;
    if (attribute === partitionKey) partitionPlaceholders.add(placeholder!);
  }
  for (const placeholder of expr.used.values) {
    if (!keyCondition.includes(placeholder)) continue;
    const value = expr.values?.[placeholder];
    const partition = partitionPlaceholders.has(placeholder);
    checkKeyValue(partition ? partitionKey : 'sort key', value, partition ? 'partition' : 'sort');
  }
}

/**
 * A starting key DynamoDB takes: exactly the table's key and the index's key attributes, valid key values,
 * in the queried partition and within the sort key condition.
 */
function checkStartKey(
  start: Record<string, unknown>,
  index: (typeof INDEX_LIST)[number] | undefined,
  inKeyRange: (item: Item) => boolean,
): Item {
  const expected = new Set(['pk', 'sk', ...(index ? [index.pk, index.sk] : [])]);
  const given = Object.keys(start);
  if (given.length !== expected.size || given.some((name) => !expected.has(name))) {
    throw new ValidationException(
      'The provided starting key is invalid: The provided key element does not match the schema',
    );
  }
  for (const name of given) {
    const partition = name === 'pk' || name === index?.pk;
    checkKeyValue(name, start[name], partition ? 'partition' : 'sort');
  }
  if (!inKeyRange(start)) {
    throw new ValidationException('The provided starting key does not match the range key predicate');
  }
  return start;
}

function conditionalCheckFailed(
  extra: { Item?: Record<string, AttributeValue> } = {},
): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: {},
    ...extra,
  });
}
