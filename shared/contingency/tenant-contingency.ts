/**
 * A tenant's contingency while it lasts: one item (`keys.contingency`) with when the outage started, in
 * which HKA environment, how many documents were issued in it, and whether `contingency.started` was
 * published. It exists from the tenant's first contingency document of an outage until none of its
 * documents is left in CONTINGENCY, when `contingency.ended` is published and the item deleted.
 *
 * Announcements are claimed before they are published (a conditional write), so concurrent documents
 * publish each event once; a publication that fails gives its claim back and the error surfaces.
 */
import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '#shared/data/client';
import { documentsRepository } from '#shared/data/documents';
import { isConditionalCheckFailed } from '#shared/data/errors';
import { INDEXES } from '#shared/data/indexes';
import { gsiKeys, keys } from '#shared/data/keys';
import type { TransactItem } from '#shared/data/transactions';
import { publishEvent } from '#shared/events/bus';

export type TenantContingency = {
  startedAt: string;
  environment: 'demo' | 'prod';
  /** Documents issued in contingency during this outage. */
  documents: number;
  announcedAt?: string;
  endingAt?: string;
};

const CONTINGENCY_STATUS = 'CONTINGENCY';

async function read(tenantId: string): Promise<TenantContingency | undefined> {
  const out = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: keys.contingency(tenantId), ConsistentRead: true }),
  );
  return out.Item as TenantContingency | undefined;
}

/** A conditional update; false when its condition does not hold. */
async function updateIf(
  tenantId: string,
  update: { expression: string; condition: string; values: Record<string, unknown> },
): Promise<boolean> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.contingency(tenantId),
        UpdateExpression: update.expression,
        ConditionExpression: update.condition,
        ExpressionAttributeValues: update.values,
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

export const tenantContingency = {
  read,

  /**
   * The write that counts a document issued in contingency, made in the same transaction as its move to
   * CONTINGENCY: the item of this outage is created by its first document; an item of an earlier outage
   * (one whose end was never announced, e.g. its publication failed) is replaced.
   */
  countDocument(tenantId: string, outage: { startedAt: string; environment: 'demo' | 'prod' }): TransactItem {
    return {
      Update: {
        TableName: tableName(),
        Key: keys.contingency(tenantId),
        UpdateExpression: 'SET #startedAt = :startedAt, #environment = :environment ADD #documents :one',
        ConditionExpression: 'attribute_not_exists(pk) OR #startedAt = :startedAt',
        ExpressionAttributeNames: {
          '#startedAt': 'startedAt',
          '#environment': 'environment',
          '#documents': 'documents',
        },
        ExpressionAttributeValues: {
          ':startedAt': outage.startedAt,
          ':environment': outage.environment,
          ':one': 1,
        },
      },
    };
  },

  /** Deletes the item of an earlier outage so this one's first document starts afresh. */
  async forgetEarlierOutage(tenantId: string, startedAt: string): Promise<void> {
    try {
      await documentClient().send(
        new DeleteCommand({
          TableName: tableName(),
          Key: keys.contingency(tenantId),
          ConditionExpression: 'startedAt <> :startedAt',
          ExpressionAttributeValues: { ':startedAt': startedAt },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  },

  /** Publishes `contingency.started` once per outage (the first document to claim it does). */
  async announceStart(tenantId: string, now: Date): Promise<boolean> {
    const claimed = await updateIf(tenantId, {
      expression: 'SET announcedAt = :now',
      condition: 'attribute_exists(pk) AND attribute_not_exists(announcedAt)',
      values: { ':now': now.toISOString() },
    });
    if (!claimed) return false;
    const item = await read(tenantId);
    if (!item) return false;
    try {
      await publishEvent({
        type: 'contingency.started',
        detail: { tenantId, environment: item.environment, startedAt: item.startedAt },
      });
    } catch (error) {
      await documentClient().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.contingency(tenantId),
          UpdateExpression: 'REMOVE announcedAt',
        }),
      );
      throw error;
    }
    return true;
  },

  /**
   * After a contingency document left CONTINGENCY: when none of the tenant's documents is left there,
   * publishes `contingency.ended` and deletes the item. The status index is eventually consistent, so each
   * document it still lists is read again before it counts.
   */
  async endIfNoneLeft(tenantId: string, settledDocumentId: string, now: Date): Promise<boolean> {
    const item = await read(tenantId);
    if (!item || item.endingAt) return false;
    if (await anyLeftInContingency(tenantId, settledDocumentId)) return false;
    const claimed = await updateIf(tenantId, {
      expression: 'SET endingAt = :now',
      condition: 'startedAt = :startedAt AND attribute_not_exists(endingAt)',
      values: { ':now': now.toISOString(), ':startedAt': item.startedAt },
    });
    if (!claimed) return false;
    try {
      await publishEvent({
        type: 'contingency.ended',
        detail: {
          tenantId,
          environment: item.environment,
          startedAt: item.startedAt,
          endedAt: now.toISOString(),
          documents: item.documents,
        },
      });
    } catch (error) {
      await documentClient().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.contingency(tenantId),
          UpdateExpression: 'REMOVE endingAt',
        }),
      );
      throw error;
    }
    await documentClient().send(
      new DeleteCommand({
        TableName: tableName(),
        Key: keys.contingency(tenantId),
        ConditionExpression: 'startedAt = :startedAt',
        ExpressionAttributeValues: { ':startedAt': item.startedAt },
      }),
    );
    return true;
  },
};

/** Whether any document of the tenant other than `exceptId` is still in CONTINGENCY (read consistently). */
async function anyLeftInContingency(tenantId: string, exceptId: string): Promise<boolean> {
  const index = INDEXES.byStatus;
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': index.pk },
        ExpressionAttributeValues: {
          ':pk': gsiKeys.documentsByStatus(tenantId, CONTINGENCY_STATUS, '', '').gsi2pk,
        },
        Limit: 25,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const listed of out.Items ?? []) {
      const documentId = String(listed.pk).slice(String(listed.pk).lastIndexOf('#') + 1);
      if (documentId === exceptId) continue;
      const doc = await documentsRepository.get(tenantId, documentId);
      if (doc?.status === CONTINGENCY_STATUS) return true;
    }
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return false;
}
