import {
  BatchGetCommand,
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Actor, Role } from '#shared/tenancy/context';
import { documentClient, tableName } from './client.ts';
import { type CursorBinding, openCursor, sealCursor } from './cursor.ts';
import type { DocumentStatus } from './documents.ts';
import { InvalidCursorError } from './documents.ts';
import { cancellationCodes, isConditionalCheckFailed } from './errors.ts';
import { keys } from './keys.ts';

/**
 * VALIDATING (rows being pre-flighted) → ISSUING (valid rows queued) → DONE (every row issued, refused or
 * skipped); CANCELLED from either of the first two (rows not yet started are skipped).
 */
export const BATCH_STATUSES = ['VALIDATING', 'ISSUING', 'DONE', 'CANCELLED'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/**
 * VALID (waiting to be issued) → ISSUED (its document exists; the document's own status tells the rest),
 * FAILED (refused when issuing: folios, configuration), SKIPPED (the batch was cancelled first); INVALID
 * (the pre-flight refused it; never issued).
 */
export const BATCH_ROW_STATUSES = ['VALID', 'INVALID', 'ISSUED', 'FAILED', 'SKIPPED'] as const;
export type BatchRowStatus = (typeof BATCH_ROW_STATUSES)[number];

/** The row counters on the batch item, each changed only by atomic ADDs (or set once by the validation). */
export const BATCH_COUNTERS = ['valid', 'invalid', 'issued', 'failed', 'skipped'] as const;
export type BatchCounter = (typeof BATCH_COUNTERS)[number];

export type BatchRecord = {
  tenantId: string;
  batchId: string;
  status: BatchStatus;
  source: 'json' | 'csv';
  total: number;
  /** Who created it: the documents' `createdBy`, and whose folio assignment they draw on. */
  actor: Actor;
  roles: Role[];
  /** Created with a test API key: its documents go to HKA's demo environment, as the key's would. */
  demoOnly: boolean;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
  /** `batch.completed` was published (shared/batches/completion.ts). */
  completionPublishedAt?: string;
  /** Until when the writer that took the publication of `batch.completed` holds it. */
  completionClaimedUntil?: string;
} & Record<BatchCounter, number>;

export type BatchRowError = { row: number; path: string; message: string; code: string; column?: string };

export type BatchRowRecord = {
  tenantId: string;
  batchId: string;
  row: number;
  reference: string;
  status: BatchRowStatus;
  errors?: BatchRowError[];
  documentId?: string;
  number?: string;
  updatedAt: string;
};

function stripKeys<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
}

const FINISHED_COUNTERS: readonly BatchCounter[] = ['invalid', 'issued', 'failed', 'skipped'];

/** Rows that reached their end (everything but VALID). */
export function rowsFinished(batch: BatchRecord): number {
  return FINISHED_COUNTERS.reduce((sum, counter) => sum + (batch[counter] ?? 0), 0);
}

export const batchesRepository = {
  async create(batch: BatchRecord): Promise<void> {
    await documentClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.batch(batch.tenantId, batch.batchId), ...batch },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  },

  async get(tenantId: string, batchId: string, consistent = false): Promise<BatchRecord | undefined> {
    const out = await documentClient().send(
      new GetCommand({
        TableName: tableName(),
        Key: keys.batch(tenantId, batchId),
        ConsistentRead: consistent,
      }),
    );
    return out.Item ? stripKeys<BatchRecord>(out.Item) : undefined;
  },

  /** Writes rows (25 per request, DynamoDB's limit), retrying what it leaves unprocessed. */
  async putRows(rows: readonly BatchRowRecord[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 25) {
      let pending = rows.slice(i, i + 25).map((row) => ({
        PutRequest: { Item: { ...keys.batchRow(row.tenantId, row.batchId, row.row), ...row } },
      }));
      for (let round = 0; pending.length > 0; round++) {
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** round)));
        if (round > 8) throw new Error('DynamoDB left batch rows unprocessed after 8 rounds');
        const out = await documentClient().send(
          new BatchWriteCommand({ RequestItems: { [tableName()]: pending } }),
        );
        pending = (out.UnprocessedItems?.[tableName()] ?? []) as typeof pending;
      }
    }
  },

  async getRow(tenantId: string, batchId: string, row: number): Promise<BatchRowRecord | undefined> {
    const out = await documentClient().send(
      new GetCommand({
        TableName: tableName(),
        Key: keys.batchRow(tenantId, batchId, row),
        ConsistentRead: true,
      }),
    );
    return out.Item ? stripKeys<BatchRowRecord>(out.Item) : undefined;
  },

  /**
   * The validation's result: the counts, and ISSUING (or DONE when no row is valid) if the batch is still
   * VALIDATING. A batch cancelled meanwhile keeps CANCELLED and gets the counts. Returns the status it has.
   */
  async validated(
    tenantId: string,
    batchId: string,
    counts: { valid: number; invalid: number },
    now: Date,
  ): Promise<BatchStatus> {
    const next: BatchStatus = counts.valid === 0 ? 'DONE' : 'ISSUING';
    const values = { ':valid': counts.valid, ':invalid': counts.invalid, ':now': now.toISOString() };
    try {
      await documentClient().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.batch(tenantId, batchId),
          UpdateExpression: `SET #status = :next, valid = :valid, invalid = :invalid, updatedAt = :now${next === 'DONE' ? ', finishedAt = :now' : ''}`,
          ConditionExpression: '#status = :validating',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ...values, ':next': next, ':validating': 'VALIDATING' },
        }),
      );
      return next;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const batch = await this.get(tenantId, batchId, true);
    if (batch?.status === 'CANCELLED' && batch.valid + batch.invalid === 0) {
      await documentClient().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.batch(tenantId, batchId),
          UpdateExpression: 'SET valid = :valid, invalid = :invalid, updatedAt = :now',
          ConditionExpression: '#status = :cancelled',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ...values, ':cancelled': 'CANCELLED' },
        }),
      );
    }
    if (!batch) throw new Error(`batch ${batchId} vanished during its validation`);
    return batch.status;
  },

  /**
   * A VALID row's end, and its counter on the batch, in one transaction: a row ends once, and counts once.
   * False when the row was no longer VALID (a redelivered message: it ended before).
   */
  async finishRow(
    row: { tenantId: string; batchId: string; row: number },
    status: Exclude<BatchRowStatus, 'VALID' | 'INVALID'>,
    fields: { documentId?: string; number?: string; errors?: BatchRowError[] },
    now: Date,
  ): Promise<boolean> {
    const counter: Record<typeof status, BatchCounter> = {
      ISSUED: 'issued',
      FAILED: 'failed',
      SKIPPED: 'skipped',
    };
    const set: Record<string, unknown> = { status, updatedAt: now.toISOString(), ...fields };
    const names = Object.fromEntries(Object.keys(set).map((name, i) => [`#f${i}`, name]));
    const values = Object.fromEntries(Object.values(set).map((value, i) => [`:f${i}`, value]));
    try {
      await documentClient().send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName(),
                Key: keys.batchRow(row.tenantId, row.batchId, row.row),
                UpdateExpression: `SET ${Object.keys(set)
                  .map((_, i) => `#f${i} = :f${i}`)
                  .join(', ')}`,
                ConditionExpression: '#f0 = :valid',
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: { ...values, ':valid': 'VALID' },
              },
            },
            {
              Update: {
                TableName: tableName(),
                Key: keys.batch(row.tenantId, row.batchId),
                UpdateExpression: 'ADD #counter :one SET updatedAt = :now',
                ExpressionAttributeNames: { '#counter': counter[status] },
                ExpressionAttributeValues: { ':one': 1, ':now': now.toISOString() },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
      throw error;
    }
  },

  /**
   * Closes the batch once every row has ended: ISSUING → DONE, or a CANCELLED batch's `finishedAt`. Called by
   * whoever ended a row, after its own write: the last one to write sees every row ended. Answers the batch
   * when it is closed (by this call or before), undefined while rows are left or when another writer closed
   * it concurrently (that writer goes on to publish its completion).
   */
  async closeIfFinished(tenantId: string, batchId: string, now: Date): Promise<BatchRecord | undefined> {
    const batch = await this.get(tenantId, batchId, true);
    if (!batch) return undefined;
    if (batch.finishedAt) return batch;
    if (rowsFinished(batch) < batch.total) return undefined;
    if (batch.status !== 'ISSUING' && batch.status !== 'CANCELLED') return undefined;
    const next: BatchStatus = batch.status === 'ISSUING' ? 'DONE' : 'CANCELLED';
    try {
      await documentClient().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.batch(tenantId, batchId),
          UpdateExpression: 'SET #status = :next, finishedAt = :now, updatedAt = :now',
          ConditionExpression: '#status = :current AND attribute_not_exists(finishedAt)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':next': next, ':current': batch.status, ':now': now.toISOString() },
        }),
      );
      return { ...batch, status: next, finishedAt: now.toISOString(), updatedAt: now.toISOString() };
    } catch (error) {
      // Closed by another worker, or cancelled meanwhile (whose last row closes it).
      if (!isConditionalCheckFailed(error)) throw error;
      return undefined;
    }
  },

  /** VALIDATING/ISSUING → CANCELLED; undefined when the batch is not in either (the caller reads why). */
  async cancel(tenantId: string, batchId: string, now: Date): Promise<BatchRecord | undefined> {
    try {
      const out = await documentClient().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.batch(tenantId, batchId),
          UpdateExpression: 'SET #status = :cancelled, cancelledAt = :now, updatedAt = :now',
          ConditionExpression: '#status IN (:validating, :issuing)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':cancelled': 'CANCELLED',
            ':validating': 'VALIDATING',
            ':issuing': 'ISSUING',
            ':now': now.toISOString(),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? stripKeys<BatchRecord>(out.Attributes) : undefined;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  },

  /** Row numbers still VALID (a redelivered validation re-queues them; issuing them again is harmless). */
  async validRowNumbers(tenantId: string, batchId: string): Promise<number[]> {
    const prefix = keys.batchRowPrefix(tenantId, batchId);
    const found: number[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documentClient().send(
        new QueryCommand({
          TableName: tableName(),
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
          FilterExpression: '#status = :valid',
          ProjectionExpression: '#row',
          ExpressionAttributeNames: { '#status': 'status', '#row': 'row' },
          ExpressionAttributeValues: { ':pk': prefix.pk, ':sk': prefix.skPrefix, ':valid': 'VALID' },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) found.push(Number(item.row));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return found;
  },

  /**
   * A page of rows in row order, optionally of one status. The cursor is sealed to the tenant, the batch and
   * the filter.
   */
  async listRows(
    tenantId: string,
    batchId: string,
    filter: { status?: BatchRowStatus },
    page: { limit: number; cursor?: string; cursorSecret: string },
  ): Promise<{ rows: BatchRowRecord[]; nextCursor?: string }> {
    const { items, nextCursor } = await pageOfPartition<BatchRowRecord>(
      keys.batchRowPrefix(tenantId, batchId),
      {
        tenantId,
        listing: [
          ['batch', batchId],
          ['status', filter.status ?? null],
        ],
      },
      { ...page, status: filter.status, newestFirst: false },
    );
    return { rows: items, nextCursor };
  },

  /**
   * A page of the tenant's batches, newest first: batch ids are ULIDs, so the tenant partition's `BATCH#`
   * keys read backwards are the batches by creation time, no index needed. The cursor is sealed to the tenant
   * and the filter.
   */
  async list(
    tenantId: string,
    filter: { status?: BatchStatus },
    page: { limit: number; cursor?: string; cursorSecret: string },
  ): Promise<{ batches: BatchRecord[]; nextCursor?: string }> {
    const { items, nextCursor } = await pageOfPartition<BatchRecord>(
      keys.batchPrefix(tenantId),
      {
        tenantId,
        listing: [
          ['batches', null],
          ['status', filter.status ?? null],
        ],
      },
      { ...page, status: filter.status, newestFirst: true },
    );
    return { batches: items, nextCursor };
  },

  /** The current status of documents (a page of rows' documents: ≤ 100 ids, one BatchGetItem round or a few). */
  async documentStatuses(
    tenantId: string,
    documentIds: readonly string[],
  ): Promise<Map<string, DocumentStatus>> {
    const statuses = new Map<string, DocumentStatus>();
    let pending: Array<Record<string, unknown>> = documentIds.map((id) => keys.document(tenantId, id));
    for (let round = 0; pending.length > 0; round++) {
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** round)));
      if (round > 8) throw new Error('DynamoDB left keys unprocessed after 8 rounds');
      const out = await documentClient().send(
        new BatchGetCommand({
          RequestItems: {
            [tableName()]: {
              Keys: pending,
              ProjectionExpression: 'documentId, #status',
              ExpressionAttributeNames: { '#status': 'status' },
            },
          },
        }),
      );
      for (const item of out.Responses?.[tableName()] ?? []) {
        statuses.set(String(item.documentId), item.status as DocumentStatus);
      }
      pending = out.UnprocessedKeys?.[tableName()]?.Keys ?? [];
    }
    return statuses;
  },
};

/**
 * A page of the items under `prefix` in key order (or reversed), optionally of one status: a filter within
 * the partition, so pages may come back under-filled, never skipping an item. The reads are bounded so one
 * request never reads a whole 10,000-row batch, or every batch of a tenant, looking for a rare status. The
 * cursor opens only for the listing it was sealed for and only on a key under `prefix`.
 */
async function pageOfPartition<T>(
  prefix: { pk: string; skPrefix: string },
  binding: CursorBinding,
  page: { limit: number; cursor?: string; cursorSecret: string; status?: string; newestFirst: boolean },
): Promise<{ items: T[]; nextCursor?: string }> {
  let startKey: Record<string, unknown> | undefined;
  if (page.cursor) {
    const key = openCursor(page.cursor, binding, page.cursorSecret);
    const valid =
      key !== undefined &&
      Object.keys(key).length === 2 &&
      key.pk === prefix.pk &&
      typeof key.sk === 'string' &&
      key.sk.startsWith(prefix.skPrefix);
    if (!valid) throw new InvalidCursorError('cursor was not issued for this listing');
    startKey = key;
  }
  const items: T[] = [];
  for (let round = 0; round < 10 && items.length < page.limit; round++) {
    const out = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ...(page.status && {
          FilterExpression: '#status = :status',
          ExpressionAttributeNames: { '#status': 'status' },
        }),
        ExpressionAttributeValues: {
          ':pk': prefix.pk,
          ':sk': prefix.skPrefix,
          ...(page.status && { ':status': page.status }),
        },
        ScanIndexForward: !page.newestFirst,
        Limit: page.limit - items.length,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of out.Items ?? []) items.push(stripKeys<T>(item));
    startKey = out.LastEvaluatedKey;
    if (!startKey) break;
  }
  return { items, nextCursor: startKey ? sealCursor(startKey, binding, page.cursorSecret) : undefined };
}
