import { createHash, randomUUID } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from './client.ts';
import { isConditionalCheckFailed } from './errors.ts';
import { keys, ttlEpochSeconds } from './keys.ts';
import type { TransactItem } from './transactions.ts';

/** How long a response is replayed for the same key (kept 24 h). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/** The HTTP response the caller got the first time; replayed verbatim for the same key and body. */
export type StoredResponse = {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  /** The resource the response describes: what a record keeps when the body is too large to keep. */
  resourceId?: string;
};

/**
 * The largest compressed body a record keeps. DynamoDB refuses items over 400 KB, and the record is written
 * after the side effect, when failing is no longer an option: a larger response is kept as a reference (status,
 * headers, resource id) and its replay carries only that. No route's bounded input comes near it.
 */
export const MAX_STORED_BODY_BYTES = 300 * 1024;

/**
 * The protocol (as Powertools idempotency's, on our own key shape and inside our own transactions):
 *
 * 1. Before the handler, a conditional put of an IN_PROGRESS record: it succeeds when the key is free — no
 *    record, an expired one, or an IN_PROGRESS one for the same body whose holder's time has run out (it
 *    crashed). Otherwise the record decides: same body and COMPLETED → replay; same body and IN_PROGRESS →
 *    409 "in progress"; another body → 409 "reused".
 * 2. On success the holder turns it into COMPLETED with the response (the issue route does so inside its own
 *    number transaction); on failure it deletes it, so the request may be tried again. Both are conditioned on
 *    the record still being this holder's IN_PROGRESS one.
 * 3. A holder that crashes leaves its IN_PROGRESS record, which stops holding the key when the function's
 *    time would have run out (`inProgressExpiresAt`); the next attempt with the same body takes it over.
 */
export type IdempotencyStatus = 'IN_PROGRESS' | 'COMPLETED';

/** The request's identity for idempotency: which key, under which operation, for which body. */
export type IdempotencyScope = { tenantId: string; operation: string; key: string; bodyHash: string };

/** A key this request holds: its IN_PROGRESS record is `owner`'s until `lockedUntil` (epoch ms). */
export type IdempotencyClaim = IdempotencyScope & { owner: string; lockedUntil: number };

export type IdempotencyRecord =
  | { status: 'IN_PROGRESS'; bodyHash: string; expiresAt: number; inProgressExpiresAt: number }
  | { status: 'COMPLETED'; bodyHash: string; expiresAt: number; response: ReplayedResponse };

/** A stored response as replayed: verbatim, or only its reference when the body was too large to keep. */
export type ReplayedResponse =
  | { statusCode: number; headers: Record<string, string>; body: string }
  | { statusCode: number; headers: Record<string, string>; bodyOmitted: true; resourceId?: string };

/**
 * The record as stored: the response body compressed, so a typical record stays within one write unit
 * (1 KB) instead of three; it is written with every accepted document.
 */
type StoredItem = {
  /** Absent on records written completed before the in-progress protocol. */
  status?: IdempotencyStatus;
  bodyHash: string;
  /** TTL attribute (epoch seconds); DynamoDB deletes lazily, so reads check it too. */
  expiresAt: number;
  /** IN_PROGRESS: when its holder's time runs out (epoch ms). */
  inProgressExpiresAt?: number;
  /** IN_PROGRESS: who holds it (completion and release are conditioned on it). */
  owner?: string;
  statusCode?: number;
  headers?: Record<string, string>;
  body?: Uint8Array;
  bodyOmitted?: boolean;
  resourceId?: string;
};

function compress(text: string): Uint8Array {
  return brotliCompressSync(Buffer.from(text, 'utf8'), {
    params: { [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT },
  });
}

function recordOf(item: Record<string, unknown> | undefined): IdempotencyRecord | undefined {
  if (!item) return undefined;
  const stored = item as unknown as StoredItem;
  if (stored.status === 'IN_PROGRESS') {
    return {
      status: 'IN_PROGRESS',
      bodyHash: stored.bodyHash,
      expiresAt: stored.expiresAt,
      inProgressExpiresAt: stored.inProgressExpiresAt ?? 0,
    };
  }
  const statusCode = stored.statusCode ?? 200;
  const headers = stored.headers ?? {};
  return {
    status: 'COMPLETED',
    bodyHash: stored.bodyHash,
    expiresAt: stored.expiresAt,
    response:
      stored.body === undefined
        ? { statusCode, headers, bodyOmitted: true, resourceId: stored.resourceId }
        : { statusCode, headers, body: brotliDecompressSync(stored.body).toString('utf8') },
  };
}

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
  | { kind: 'replay'; response: ReplayedResponse }
  | { kind: 'mismatch' }
  | { kind: 'in-progress'; retryAfterSeconds: number };

/**
 * How long a caller that found the key in progress should wait: a request usually completes within a
 * second or two; the key frees at the latest when its holder's time runs out.
 */
const IN_PROGRESS_RETRY_AFTER_SECONDS = 2;

/**
 * Pure rule: no record, an expired one, or a lapsed IN_PROGRESS one for the same body → new; another body →
 * mismatch (409); same body COMPLETED → replay; same body IN_PROGRESS → in progress (409, Retry-After).
 */
export function decide(
  record: IdempotencyRecord | undefined,
  scope: IdempotencyScope,
  now: Date,
): IdempotencyDecision {
  if (!record || record.expiresAt <= Math.floor(now.getTime() / 1000)) return { kind: 'new' };
  if (record.bodyHash !== scope.bodyHash) return { kind: 'mismatch' };
  if (record.status === 'COMPLETED') return { kind: 'replay', response: record.response };
  const waitMs = record.inProgressExpiresAt - now.getTime();
  if (waitMs <= 0) return { kind: 'new' };
  return {
    kind: 'in-progress',
    retryAfterSeconds: Math.min(Math.ceil(waitMs / 1000), IN_PROGRESS_RETRY_AFTER_SECONDS),
  };
}

const keyOf = (scope: IdempotencyScope) =>
  keys.idempotency(scope.tenantId, idempotencyKeyHash(scope.operation, scope.key));

function inProgressItem(claim: IdempotencyClaim, now: Date) {
  const item: StoredItem = {
    status: 'IN_PROGRESS',
    bodyHash: claim.bodyHash,
    expiresAt: ttlEpochSeconds(now, IDEMPOTENCY_TTL_SECONDS),
    inProgressExpiresAt: claim.lockedUntil,
    owner: claim.owner,
  };
  return { ...item, ...keyOf(claim) };
}

/** The final record: the response compressed, or only its reference when even compressed it is too large. */
export function completedItem(scope: IdempotencyScope, response: StoredResponse, now: Date) {
  const body = compress(response.body);
  const kept: Pick<StoredItem, 'body' | 'bodyOmitted' | 'resourceId'> =
    body.byteLength <= MAX_STORED_BODY_BYTES
      ? { body }
      : { bodyOmitted: true, ...(response.resourceId ? { resourceId: response.resourceId } : {}) };
  const item: StoredItem = {
    status: 'COMPLETED',
    bodyHash: scope.bodyHash,
    expiresAt: ttlEpochSeconds(now, IDEMPOTENCY_TTL_SECONDS),
    statusCode: response.statusCode,
    headers: response.headers,
    ...kept,
  };
  return { ...item, ...keyOf(scope) };
}

/** The key is free: no record, an expired one, or a lapsed IN_PROGRESS one for the same body. */
const CLAIM_CONDITION =
  'attribute_not_exists(pk) OR expiresAt <= :nowSeconds OR (#status = :inProgress AND inProgressExpiresAt <= :nowMs AND bodyHash = :bodyHash)';

/** Still the holder's: completion and release never touch a record another request has taken over. */
const OWNED_CONDITION = '#status = :inProgress AND #owner = :owner';
const ownedBy = (claim: IdempotencyClaim) => ({
  ConditionExpression: OWNED_CONDITION,
  ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
  ExpressionAttributeValues: { ':inProgress': 'IN_PROGRESS', ':owner': claim.owner },
});

/**
 * The completion as an element of the caller's own transaction (the issue route completes the record with
 * the document it creates); the transaction is cancelled if the claim was lost meanwhile.
 */
export function completionPut(claim: IdempotencyClaim, response: StoredResponse, now: Date): TransactItem {
  return { Put: { TableName: tableName(), Item: completedItem(claim, response, now), ...ownedBy(claim) } };
}

export type ClaimOutcome =
  | { kind: 'claimed'; claim: IdempotencyClaim }
  | Exclude<IdempotencyDecision, { kind: 'new' }>;

/** A record that changes under us this many times in a row (released, taken, released…) is reported busy. */
const MAX_CLAIM_ATTEMPTS = 3;

export const idempotencyRepository = {
  async get(scope: Omit<IdempotencyScope, 'bodyHash'>): Promise<IdempotencyRecord | undefined> {
    const out = await documentClient().send(
      new GetCommand({
        TableName: tableName(),
        Key: keys.idempotency(scope.tenantId, idempotencyKeyHash(scope.operation, scope.key)),
        ConsistentRead: true,
      }),
    );
    return recordOf(out.Item);
  },

  /**
   * Takes the key for this request for `lockMs` (the function's remaining time), or says what the record
   * there decides: replay, in progress, or mismatch.
   */
  async claim(
    scope: IdempotencyScope,
    { lockMs, now = new Date() }: { lockMs: number; now?: Date },
  ): Promise<ClaimOutcome> {
    const claim: IdempotencyClaim = { ...scope, owner: randomUUID(), lockedUntil: now.getTime() + lockMs };
    for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
      try {
        await documentClient().send(
          new PutCommand({
            TableName: tableName(),
            Item: inProgressItem(claim, now),
            ConditionExpression: CLAIM_CONDITION,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':nowSeconds': Math.floor(now.getTime() / 1000),
              ':nowMs': now.getTime(),
              ':inProgress': 'IN_PROGRESS',
              ':bodyHash': scope.bodyHash,
            },
          }),
        );
        return { kind: 'claimed', claim };
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
      const decision = decide(await this.get(scope), scope, now);
      // 'new': the record went away (released, expired) between the write and the read; claim again.
      if (decision.kind !== 'new') return decision;
    }
    return { kind: 'in-progress', retryAfterSeconds: 1 };
  },

  /** Turns the claim into the final record; false when the claim was lost meanwhile (nothing written). */
  async complete(
    claim: IdempotencyClaim,
    response: StoredResponse,
    now: Date = new Date(),
  ): Promise<boolean> {
    try {
      await documentClient().send(
        new PutCommand({
          TableName: tableName(),
          Item: completedItem(claim, response, now),
          ...ownedBy(claim),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  },

  /** Gives the key back after a failed request (so it may be tried again); false when it was not held. */
  async release(claim: IdempotencyClaim): Promise<boolean> {
    try {
      await documentClient().send(
        new DeleteCommand({ TableName: tableName(), Key: keyOf(claim), ...ownedBy(claim) }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  },
};
