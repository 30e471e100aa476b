import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '#shared/data/client';
import { isConditionalCheckFailed } from '#shared/data/errors';
import { ALERT_DIGESTS_DUE_PARTITION, alertKeys, keys, ttlEpochSeconds } from '#shared/data/keys';
import { ALERT_KINDS, type AlertKind } from './kinds.ts';
import type { AlertUser } from './recipients.ts';

/** How long an alert's "sent" mark is kept: longer than EventBridge retries an event (24 h). */
const SENT_MARK_TTL_SECONDS = 7 * 24 * 3600;

/** How long a claim to send protects the e-mail from a duplicate delivery: past the consumer's timeout. */
export const SEND_CLAIM_MS = 90_000;

/** A problem document waiting in the digest: what the e-mail lists. */
export type DigestProblem = {
  documentId: string;
  number: string;
  status: string;
  reason: string;
  at: string;
};

async function queryAll(pk: string, skPrefix: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
        // Strongly consistent: a digest must see the problem another delivery has just written.
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Runs a conditional write whose failed condition means "already done". */
async function unlessConditionFails(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}

const knownKinds = (value: unknown): AlertKind[] =>
  Array.isArray(value) ? ALERT_KINDS.filter((kind) => value.includes(kind)) : [];

/** Reads and writes of the alert items (as the tenant: run inside its tenant scope). */
export const alertStore = {
  /** Every user of the tenant with what deciding a recipient needs. */
  async listUsers(tenantId: string): Promise<AlertUser[]> {
    const { pk, skPrefix } = keys.userPrefix(tenantId);
    const items = await queryAll(pk, skPrefix);
    return items.map((item) => ({
      userId: String(item.userId),
      email: String(item.email),
      role: String(item.role),
      enabled: item.enabled === true,
      ...(item.deleting === true ? { deleting: true as const } : {}),
    }));
  },

  async optOuts(tenantId: string): Promise<Map<string, Set<AlertKind>>> {
    const { pk, skPrefix } = alertKeys.preferencesPrefix(tenantId);
    const items = await queryAll(pk, skPrefix);
    return new Map(items.map((item) => [String(item.userId), new Set(knownKinds(item.optOut))]));
  },

  async getOptOut(tenantId: string, userId: string): Promise<AlertKind[]> {
    const out = await documentClient().send(
      new GetCommand({ TableName: tableName(), Key: alertKeys.preferences(tenantId, userId) }),
    );
    return knownKinds(out.Item?.optOut);
  },

  async putOptOut(tenantId: string, userId: string, optOut: AlertKind[], now: Date): Promise<void> {
    await documentClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...alertKeys.preferences(tenantId, userId),
          userId,
          optOut,
          updatedAt: now.toISOString(),
        },
      }),
    );
  },

  /**
   * Claims the sending of an event's alert: true when this delivery should send it — no other delivery has
   * sent it, and none is sending it now (a claim older than SEND_CLAIM_MS belongs to a delivery that died).
   */
  async claimSend(tenantId: string, eventId: string, now: Date): Promise<boolean> {
    try {
      await documentClient().send(
        new PutCommand({
          TableName: tableName(),
          Item: {
            ...alertKeys.sent(tenantId, eventId),
            state: 'SENDING',
            claimUntil: new Date(now.getTime() + SEND_CLAIM_MS).toISOString(),
            expiresAt: ttlEpochSeconds(now, SENT_MARK_TTL_SECONDS),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR (#state = :sending AND claimUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':sending': 'SENDING', ':now': now.toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  },

  async markSent(tenantId: string, eventId: string, recipients: number): Promise<void> {
    await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: alertKeys.sent(tenantId, eventId),
        UpdateExpression: 'SET #state = :sent, recipients = :recipients REMOVE claimUntil',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':sent': 'SENT', ':recipients': recipients },
      }),
    );
  },

  /** Gives a claim back after a failed send, so the redelivery sends at once. */
  async releaseClaim(tenantId: string, eventId: string): Promise<void> {
    await unlessConditionFails(() =>
      documentClient().send(
        new DeleteCommand({
          TableName: tableName(),
          Key: alertKeys.sent(tenantId, eventId),
          ConditionExpression: '#state = :sending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':sending': 'SENDING' },
        }),
      ),
    );
  },

  /** Adds a problem document to the digest (once per document: its first problem is the one listed). */
  async addProblem(tenantId: string, problem: DigestProblem): Promise<void> {
    await unlessConditionFails(() =>
      documentClient().send(
        new PutCommand({
          TableName: tableName(),
          Item: { ...alertKeys.digestProblem(tenantId, problem.documentId), ...problem },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  },

  /** Opens the digest window ending at `windowEndsAt` unless one is open; returns the open window's end. */
  async openWindow(tenantId: string, windowEndsAt: string): Promise<string> {
    try {
      await documentClient().send(
        new PutCommand({
          TableName: tableName(),
          Item: { ...alertKeys.digestWindow(tenantId), windowEndsAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return windowEndsAt;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const open = await alertStore.getWindow(tenantId);
    // Closed between the two calls (its e-mail went out): open the next one.
    return open ?? alertStore.openWindow(tenantId, windowEndsAt);
  },

  async getWindow(tenantId: string): Promise<string | undefined> {
    const out = await documentClient().send(
      new GetCommand({ TableName: tableName(), Key: alertKeys.digestWindow(tenantId), ConsistentRead: true }),
    );
    return out.Item ? String(out.Item.windowEndsAt) : undefined;
  },

  async listProblems(tenantId: string): Promise<DigestProblem[]> {
    const { pk, skPrefix } = alertKeys.digestProblemPrefix(tenantId);
    const items = await queryAll(pk, skPrefix);
    return items.map((item) => ({
      documentId: String(item.documentId),
      number: String(item.number),
      status: String(item.status),
      reason: String(item.reason),
      at: String(item.at),
    }));
  },

  async removeProblem(tenantId: string, documentId: string): Promise<void> {
    await documentClient().send(
      new DeleteCommand({ TableName: tableName(), Key: alertKeys.digestProblem(tenantId, documentId) }),
    );
  },

  /** Closes the window that ends at `windowEndsAt` (a newer one is left alone). */
  async closeWindow(tenantId: string, windowEndsAt: string): Promise<void> {
    await unlessConditionFails(() =>
      documentClient().send(
        new DeleteCommand({
          TableName: tableName(),
          Key: alertKeys.digestWindow(tenantId),
          ConditionExpression: 'windowEndsAt = :end',
          ExpressionAttributeValues: { ':end': windowEndsAt },
        }),
      ),
    );
  },

  /** Whether a certificate's threshold was already alerted. */
  async thresholdAlerted(tenantId: string, fingerprint: string, days: number): Promise<boolean> {
    const out = await documentClient().send(
      new GetCommand({
        TableName: tableName(),
        Key: alertKeys.certificateThreshold(tenantId, fingerprint, days),
      }),
    );
    return out.Item !== undefined;
  },

  async recordThreshold(tenantId: string, fingerprint: string, days: number, now: Date): Promise<void> {
    await documentClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...alertKeys.certificateThreshold(tenantId, fingerprint, days),
          alertedAt: now.toISOString(),
        },
      }),
    );
  },
};

/**
 * The due-digests partition across tenants (`T#_platform#ALERT_DIGEST`), written and read with the
 * function's own role, outside any tenant scope: it holds only tenant ids and window ends.
 */
export const dueDigests = {
  async add(tenantId: string, windowEndsAt: string): Promise<void> {
    await documentClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...alertKeys.digestDue(tenantId, windowEndsAt), tenantId, windowEndsAt },
      }),
    );
  },

  async listDue(bound: string): Promise<Array<{ tenantId: string; windowEndsAt: string }>> {
    const due: Array<{ tenantId: string; windowEndsAt: string }> = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documentClient().send(
        new QueryCommand({
          TableName: tableName(),
          KeyConditionExpression: 'pk = :pk AND sk <= :bound',
          ExpressionAttributeValues: { ':pk': ALERT_DIGESTS_DUE_PARTITION, ':bound': bound },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? [])
        due.push({ tenantId: String(item.tenantId), windowEndsAt: String(item.windowEndsAt) });
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return due;
  },

  async remove(tenantId: string, windowEndsAt: string): Promise<void> {
    await documentClient().send(
      new DeleteCommand({ TableName: tableName(), Key: alertKeys.digestDue(tenantId, windowEndsAt) }),
    );
  },
};
