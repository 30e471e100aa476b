import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '#shared/data/client';
import { type CursorBinding, openCursor, sealCursor } from '#shared/data/cursor';
import { cancellationCodes, isConditionalCheckFailed } from '#shared/data/errors';
import { gsiKeys, keys, ttlEpochSeconds } from '#shared/data/keys';
import { IdempotencyKeyTakenError } from '#shared/data/numbering';
import type { TransactItem } from '#shared/data/transactions';
import type { WebhookEventType } from '#shared/events/catalog';
import type { DELIVERY_STATUSES, WEBHOOK_STATUSES } from './api.ts';

/** The endpoint item `WEBHOOK#<id>`: the secret only as KMS ciphertext (tenant as encryption context). */
export type EndpointRecord = {
  id: string;
  url: string;
  events: WebhookEventType[];
  description?: string;
  status: (typeof WEBHOOK_STATUSES)[number];
  createdAt: string;
  secretCiphertext: string;
  /** Deliveries marked failed since the last success. */
  failedDeliveries?: number;
  /** The first failed attempt since the last success. */
  failingSince?: string;
  disabledAt?: string;
};

export type DeliveryRecord = {
  id: string;
  webhookId: string;
  eventId: string;
  type: string;
  /** The exact bytes every attempt sends (and signs). */
  body: string;
  status: (typeof DELIVERY_STATUSES)[number];
  attempts: number;
  createdAt: string;
  nextAttemptAt?: string;
  lastAttemptAt?: string;
  lastResponseCode?: number;
  lastDurationMs?: number;
  lastError?: string;
  test?: boolean;
};

/** Deliveries are kept for their listing this long, then expire (TTL). */
const DELIVERY_RETENTION_SECONDS = 30 * 24 * 60 * 60;

const INDEX_ATTRIBUTES = ['pk', 'sk', 'gsi4pk', 'gsi4sk', 'expiresAt'];

function strip<T>(item: Record<string, unknown>): T {
  const out = { ...item };
  for (const name of INDEX_ATTRIBUTES) delete out[name];
  return out as T;
}

export class InvalidDeliveryCursorError extends Error {
  override readonly name = 'InvalidDeliveryCursorError';
}

export const webhookStore = {
  /**
   * The endpoints the tenant holds: its counter (`stored`) or, for a tenant whose endpoints predate the
   * counter, a count of its endpoint items (which the next creation stores as the counter's first value).
   */
  async heldEndpoints(tenantId: string): Promise<{ count: number; stored: boolean }> {
    const held = await storedCount(tenantId);
    if (held !== undefined) return { count: held, stored: true };
    return { count: (await this.listEndpoints(tenantId)).length, stored: false };
  },

  /**
   * The endpoint item and its count in one transaction (with `alongside`, e.g. the request's idempotency
   * record): the counter's condition holds the limit under concurrent creations, which may all have read
   * `held` below it. False when the counter refused (the limit reached, or a concurrent creation moved it or
   * held it at the same moment): read it again. A request whose idempotency key was taken over meanwhile (its
   * claim lapsed) gets IdempotencyKeyTakenError, and the request is answered as the record now says.
   */
  async createEndpoint(
    tenantId: string,
    endpoint: EndpointRecord,
    held: { count: number; stored: boolean },
    limit: number,
    alongside: TransactItem[] = [],
  ): Promise<boolean> {
    try {
      await documentClient().send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName(),
                Key: keys.webhookCounter(tenantId),
                ...(held.stored
                  ? {
                      UpdateExpression: 'ADD held :one',
                      ConditionExpression: 'held < :max',
                      ExpressionAttributeValues: { ':one': 1, ':max': limit },
                    }
                  : {
                      // The first counted creation stores the count; a concurrent one finds the counter and fails.
                      UpdateExpression: 'SET held = :held',
                      ConditionExpression: 'attribute_not_exists(held)',
                      ExpressionAttributeValues: { ':held': held.count + 1 },
                    }),
              },
            },
            {
              Put: {
                TableName: tableName(),
                Item: { ...keys.webhook(tenantId, endpoint.id), ...endpoint },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...alongside,
          ],
        }),
      );
      return true;
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.slice(2).includes('ConditionalCheckFailed'))
        throw new IdempotencyKeyTakenError('idempotency key already used');
      if (codes?.[0] === 'ConditionalCheckFailed' || codes?.includes('TransactionConflict')) return false;
      throw error;
    }
  },

  async getEndpoint(tenantId: string, webhookId: string): Promise<EndpointRecord | undefined> {
    const out = await documentClient().send(
      new GetCommand({
        TableName: tableName(),
        Key: keys.webhook(tenantId, webhookId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? strip<EndpointRecord>(out.Item) : undefined;
  },

  /** Every endpoint of the tenant (at most MAX_WEBHOOKS_PER_TENANT: one page). */
  async listEndpoints(tenantId: string): Promise<EndpointRecord[]> {
    const prefix = keys.webhookPrefix(tenantId);
    const found: EndpointRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documentClient().send(
        new QueryCommand({
          TableName: tableName(),
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
          ExpressionAttributeValues: { ':pk': prefix.pk, ':sk': prefix.skPrefix },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) found.push(strip<EndpointRecord>(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return found;
  },

  /** The endpoint and its count, in one transaction. False when there was nothing to delete. */
  async deleteEndpoint(tenantId: string, webhookId: string): Promise<boolean> {
    const counted = (await storedCount(tenantId)) !== undefined;
    try {
      await documentClient().send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: tableName(),
                Key: keys.webhook(tenantId, webhookId),
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
            // Endpoints created before the counter existed are counted when the next one is created.
            ...(counted
              ? [
                  {
                    Update: {
                      TableName: tableName(),
                      Key: keys.webhookCounter(tenantId),
                      UpdateExpression: 'ADD held :minusOne',
                      ExpressionAttributeValues: { ':minusOne': -1 },
                    },
                  },
                ]
              : []),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
      throw error;
    }
  },

  /** A success: the endpoint is healthy again. */
  async markEndpointHealthy(tenantId: string, webhookId: string): Promise<void> {
    try {
      await documentClient().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.webhook(tenantId, webhookId),
          UpdateExpression: 'SET failedDeliveries = :zero REMOVE failingSince',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_exists(failingSince) OR failedDeliveries > :zero)',
          ExpressionAttributeValues: { ':zero': 0 },
        }),
      );
    } catch (error) {
      // Already healthy (the common case), or deleted meanwhile.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  },

  /**
   * A failed attempt (and, with `deliveryFailed`, a delivery given up): `failingSince` set if it was not, the
   * count of failed deliveries raised; answers the endpoint after it (undefined once deleted).
   */
  async recordEndpointFailure(
    tenantId: string,
    webhookId: string,
    now: Date,
    deliveryFailed: boolean,
  ): Promise<EndpointRecord | undefined> {
    const key = keys.webhook(tenantId, webhookId);
    try {
      // Only the first failure since the last success starts the clock (a condition, not a read: concurrent
      // deliveries cannot move it later).
      await documentClient().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: key,
          UpdateExpression: 'SET failingSince = :now',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(failingSince)',
          ExpressionAttributeValues: { ':now': now.toISOString() },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    if (!deliveryFailed) return this.getEndpoint(tenantId, webhookId);
    try {
      const out = await documentClient().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: key,
          UpdateExpression: 'ADD failedDeliveries :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? strip<EndpointRecord>(out.Attributes) : undefined;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  },

  /** enabled → disabled; false when it was not enabled (disabled by a concurrent delivery, or deleted). */
  async disableEndpoint(tenantId: string, webhookId: string, now: Date): Promise<boolean> {
    try {
      await documentClient().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.webhook(tenantId, webhookId),
          UpdateExpression: 'SET #status = :disabled, disabledAt = :now',
          ConditionExpression: '#status = :enabled',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':disabled': 'disabled',
            ':enabled': 'enabled',
            ':now': now.toISOString(),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  },

  /**
   * A new pending delivery, due for the sweep at `dueAt` (a safety net should its queue message be lost);
   * false when the delivery already exists (the same event fanned out again).
   */
  async createDelivery(tenantId: string, delivery: DeliveryRecord, dueAt: Date, now: Date): Promise<boolean> {
    try {
      await documentClient().send(
        new PutCommand({
          TableName: tableName(),
          Item: {
            ...keys.webhookDelivery(tenantId, delivery.webhookId, delivery.id),
            ...gsiKeys.webhookDeliveryDue(tenantId, delivery.webhookId, delivery.id, dueAt.toISOString()),
            ...delivery,
            expiresAt: ttlEpochSeconds(now, DELIVERY_RETENTION_SECONDS),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  },

  async getDelivery(
    tenantId: string,
    webhookId: string,
    deliveryId: string,
  ): Promise<DeliveryRecord | undefined> {
    const out = await documentClient().send(
      new GetCommand({
        TableName: tableName(),
        Key: keys.webhookDelivery(tenantId, webhookId, deliveryId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? strip<DeliveryRecord>(out.Item) : undefined;
  },

  /**
   * Takes attempt `attempts + 1` of a pending delivery: only one taker per attempt number, so two queue
   * messages for the same delivery make one HTTP request. The sweep sees it again after `leaseUntil` should
   * this attempt die with its function. Undefined when the attempt was taken or the delivery is settled.
   */
  async claimAttempt(
    tenantId: string,
    delivery: Pick<DeliveryRecord, 'webhookId' | 'id'>,
    attempts: number,
    leaseUntil: Date,
    now: Date,
  ): Promise<DeliveryRecord | undefined> {
    try {
      const out = await documentClient().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.webhookDelivery(tenantId, delivery.webhookId, delivery.id),
          UpdateExpression: 'SET attempts = :next, lastAttemptAt = :now, gsi4pk = :gpk, gsi4sk = :gsk',
          ConditionExpression: '#status = :pending AND attempts = :attempts',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':next': attempts + 1,
            ':attempts': attempts,
            ':pending': 'pending',
            ':now': now.toISOString(),
            ...dueValues(tenantId, delivery, leaseUntil),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? strip<DeliveryRecord>(out.Attributes) : undefined;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  },

  /**
   * Records how attempt `attempts` went: settled (`succeeded`/`failed`, out of the due index) or pending again
   * until `nextAttemptAt`. Conditioned on the attempt still being the delivery's latest.
   */
  async recordAttempt(
    tenantId: string,
    delivery: Pick<DeliveryRecord, 'webhookId' | 'id' | 'attempts'>,
    result: {
      status: DeliveryRecord['status'];
      responseCode: number | null;
      durationMs: number;
      error: string | null;
      nextAttemptAt?: Date;
    },
  ): Promise<void> {
    const pending = result.status === 'pending' && result.nextAttemptAt;
    const sets = ['#status = :status', 'lastDurationMs = :duration'];
    const removes: string[] = [];
    const values: Record<string, unknown> = {
      ':status': result.status,
      ':duration': result.durationMs,
      ':attempts': delivery.attempts,
      ':pending': 'pending',
    };
    if (result.responseCode === null) removes.push('lastResponseCode');
    else {
      sets.push('lastResponseCode = :code');
      values[':code'] = result.responseCode;
    }
    if (result.error === null) removes.push('lastError');
    else {
      sets.push('lastError = :error');
      values[':error'] = result.error;
    }
    if (pending) {
      sets.push('nextAttemptAt = :nextAt', 'gsi4pk = :gpk', 'gsi4sk = :gsk');
      values[':nextAt'] = result.nextAttemptAt!.toISOString();
      Object.assign(values, dueValues(tenantId, delivery, result.nextAttemptAt!));
    } else removes.push('nextAttemptAt', 'gsi4pk', 'gsi4sk');
    try {
      await documentClient().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.webhookDelivery(tenantId, delivery.webhookId, delivery.id),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: '#status = :pending AND attempts = :attempts',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      // A later attempt took over (this one outlived its lease): its outcome is the one that counts.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  },

  /**
   * A pending delivery given up (its endpoint was deleted or disabled), conditioned on its attempt count
   * `attempts` (the claim's, when it was claimed first).
   */
  async abandonDelivery(
    tenantId: string,
    delivery: Pick<DeliveryRecord, 'webhookId' | 'id' | 'attempts'>,
    reason: string,
  ): Promise<void> {
    try {
      await documentClient().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.webhookDelivery(tenantId, delivery.webhookId, delivery.id),
          UpdateExpression: 'SET #status = :failed, lastError = :reason REMOVE nextAttemptAt, gsi4pk, gsi4sk',
          ConditionExpression: '#status = :pending AND attempts = :attempts',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':failed': 'failed',
            ':pending': 'pending',
            ':reason': reason,
            ':attempts': delivery.attempts,
          },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  },

  /**
   * Moves a due delivery's index entry `seenDueSk` to `leaseUntil` (the sweep hands it to the queue once per
   * lease); undefined when someone moved it first (a concurrent sweep, or the attempt settled).
   */
  async leaseDueDelivery(
    tenantId: string,
    delivery: Pick<DeliveryRecord, 'webhookId' | 'id'>,
    seenDueSk: string,
    leaseUntil: Date,
  ): Promise<DeliveryRecord | undefined> {
    try {
      const out = await documentClient().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.webhookDelivery(tenantId, delivery.webhookId, delivery.id),
          UpdateExpression: 'SET gsi4pk = :gpk, gsi4sk = :gsk',
          ConditionExpression: '#status = :pending AND gsi4sk = :seen',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':pending': 'pending',
            ':seen': seenDueSk,
            ...dueValues(tenantId, delivery, leaseUntil),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? strip<DeliveryRecord>(out.Attributes) : undefined;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  },

  /** A page of an endpoint's deliveries, newest first; the cursor is sealed to the tenant and endpoint. */
  async listDeliveries(
    tenantId: string,
    webhookId: string,
    page: { limit: number; cursor?: string; cursorSecret: string },
  ): Promise<{ deliveries: DeliveryRecord[]; nextCursor?: string }> {
    const binding: CursorBinding = { tenantId, listing: [['webhookDeliveries', webhookId]] };
    const prefix = keys.webhookDeliveryPrefix(tenantId, webhookId);
    let startKey: Record<string, unknown> | undefined;
    if (page.cursor !== undefined) {
      startKey = openCursor(page.cursor, binding, page.cursorSecret);
      const valid =
        startKey !== undefined &&
        Object.keys(startKey).length === 2 &&
        startKey.pk === prefix.pk &&
        typeof startKey.sk === 'string' &&
        startKey.sk.startsWith(prefix.skPrefix);
      if (!valid) throw new InvalidDeliveryCursorError('cursor not valid for this listing');
    }
    const out = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': prefix.pk, ':sk': prefix.skPrefix },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: startKey,
      }),
    );
    const last = out.LastEvaluatedKey;
    return {
      deliveries: (out.Items ?? []).map((item) => strip<DeliveryRecord>(item)),
      nextCursor: last ? sealCursor({ pk: last.pk, sk: last.sk }, binding, page.cursorSecret) : undefined,
    };
  },
};

/** The tenant's counter of endpoints, when one exists. */
async function storedCount(tenantId: string): Promise<number | undefined> {
  const out = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: keys.webhookCounter(tenantId), ConsistentRead: true }),
  );
  return typeof out.Item?.held === 'number' ? out.Item.held : undefined;
}

function dueValues(tenantId: string, delivery: Pick<DeliveryRecord, 'webhookId' | 'id'>, dueAt: Date) {
  const due = gsiKeys.webhookDeliveryDue(tenantId, delivery.webhookId, delivery.id, dueAt.toISOString());
  return { ':gpk': due.gsi4pk, ':gsk': due.gsi4sk };
}
