import { createHash } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from './client.ts';
import { isConditionalCheckFailed } from './errors.ts';
import { keys, ttlEpochSeconds } from './keys.ts';

/** How long a response is replayed for the same key (issue 5: kept 24 h). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/** The HTTP response the caller got the first time; replayed verbatim for the same key and body. */
export type StoredResponse = { statusCode: number; headers: Record<string, string>; body: string };

export type IdempotencyRecord = {
  bodyHash: string;
  response: StoredResponse;
  /** TTL attribute (epoch seconds); DynamoDB deletes lazily, so reads check it too. */
  expiresAt: number;
};

/**
 * The record as stored: the response body compressed, so a typical record stays within one write unit
 * (1 KB) instead of three; it is written with every accepted document.
 */
type StoredRecord = {
  bodyHash: string;
  statusCode: number;
  headers: Record<string, string>;
  body: Uint8Array;
  expiresAt: number;
};

function compress(text: string): Uint8Array {
  return brotliCompressSync(Buffer.from(text, 'utf8'), {
    params: { [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT },
  });
}

function fromStored(item: Record<string, unknown> | undefined): IdempotencyRecord | undefined {
  if (!item) return undefined;
  const stored = item as unknown as StoredRecord;
  return {
    bodyHash: stored.bodyHash,
    expiresAt: stored.expiresAt,
    response: {
      statusCode: stored.statusCode,
      headers: stored.headers ?? {},
      body: brotliDecompressSync(stored.body).toString('utf8'),
    },
  };
}

/** The request's identity for idempotency: which key, under which operation, for which body. */
export type IdempotencyScope = { tenantId: string; operation: string; key: string; bodyHash: string };

/**
 * The stored key is a hash of (operation, client key): bounded length, no `#` injection into our keys, and
 * the same client key on two different operations never collides. Tenant scoping comes from the pk.
 */
export function idempotencyKeyHash(operation: string, key: string): string {
  return createHash('sha256').update(`${operation}\n${key}`).digest('hex');
}

/**
 * Canonical JSON (sorted keys), so `{"a":1,"b":2}` and `{"b":2,"a":1}` count as the same body. Written with
 * an explicit work stack instead of recursion: however deep the value, the call stack stays flat.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  // Popped from the end: a value still to write, or text to emit as it is.
  const work: Array<{ text: string } | { value: unknown }> = [{ value }];
  for (let task = work.pop(); task !== undefined; task = work.pop()) {
    if ('text' in task) {
      out.push(task.text);
      continue;
    }
    const current = task.value;
    if (Array.isArray(current)) {
      work.push({ text: ']' });
      for (let i = current.length - 1; i >= 0; i--) {
        work.push({ value: current[i] });
        if (i > 0) work.push({ text: ',' });
      }
      work.push({ text: '[' });
    } else if (current && typeof current === 'object') {
      const record = current as Record<string, unknown>;
      const keys = Object.keys(record)
        .sort()
        .filter((k) => record[k] !== undefined);
      work.push({ text: '}' });
      for (let i = keys.length - 1; i >= 0; i--) {
        work.push({ value: record[keys[i]!] });
        work.push({ text: `${i > 0 ? ',' : ''}${JSON.stringify(keys[i])}:` });
      }
      work.push({ text: '{' });
    } else {
      out.push(JSON.stringify(current) ?? 'null');
    }
  }
  return out.join('');
}

export function bodyHash(body: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(body ?? null))
    .digest('hex');
}

export type IdempotencyDecision =
  | { kind: 'new' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'mismatch' };

/** Pure rule: same key + same body → replay; same key + another body → mismatch (409); expired → new. */
export function decide(
  record: IdempotencyRecord | undefined,
  scope: IdempotencyScope,
  now: Date,
): IdempotencyDecision {
  if (!record || record.expiresAt <= Math.floor(now.getTime() / 1000)) return { kind: 'new' };
  if (record.bodyHash !== scope.bodyHash) return { kind: 'mismatch' };
  return { kind: 'replay', response: record.response };
}

export function idempotencyItem(scope: IdempotencyScope, response: StoredResponse, now: Date) {
  const record: StoredRecord = {
    bodyHash: scope.bodyHash,
    statusCode: response.statusCode,
    headers: response.headers,
    body: compress(response.body),
    expiresAt: ttlEpochSeconds(now, IDEMPOTENCY_TTL_SECONDS),
  };
  return { ...record, ...keys.idempotency(scope.tenantId, idempotencyKeyHash(scope.operation, scope.key)) };
}

/** The write condition: no record yet, or only an expired one that TTL has not removed. */
export const IDEMPOTENCY_PUT_CONDITION = 'attribute_not_exists(pk) OR expiresAt <= :nowEpoch';

export const idempotencyRepository = {
  async get(scope: Omit<IdempotencyScope, 'bodyHash'>): Promise<IdempotencyRecord | undefined> {
    const out = await documentClient().send(
      new GetCommand({
        TableName: tableName(),
        Key: keys.idempotency(scope.tenantId, idempotencyKeyHash(scope.operation, scope.key)),
        ConsistentRead: true,
      }),
    );
    return fromStored(out.Item);
  },

  /** Saves a completed response; false when a concurrent request with the same key saved first. */
  async save(scope: IdempotencyScope, response: StoredResponse, now: Date = new Date()): Promise<boolean> {
    try {
      await documentClient().send(
        new PutCommand({
          TableName: tableName(),
          Item: idempotencyItem(scope, response, now),
          ConditionExpression: IDEMPOTENCY_PUT_CONDITION,
          ExpressionAttributeValues: { ':nowEpoch': Math.floor(now.getTime() / 1000) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  },
};
