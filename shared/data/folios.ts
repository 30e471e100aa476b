import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from './client.ts';
import { isConditionalCheckFailed } from './errors.ts';
import { keys } from './keys.ts';
import type { TransactItem } from './transactions.ts';

/**
 * HKA's folio counters as last reported by FoliosRestantes (folios are quota, not numbers), plus the
 * tenant pool `poolAvailable`: reset to HKA's `cycleAvailable` at every sync, debited by each accepted
 * document in its creation transaction, credited back when a document is rejected.
 */
export type FolioBalance = {
  tenantId: string;
  environment: 'demo' | 'prod';
  licence: string;
  licenceFrom?: string;
  licenceTo?: string;
  cycle: string;
  cycleFrom?: string;
  cycleTo?: string;
  cycleTotal: number;
  cycleUsed: number;
  cycleAvailable: number;
  licenceTotal: number;
  poolAvailable: number;
  syncedAt: string;
};

/** Quota an ADMIN gave a user; issuing debits it together with the tenant pool. */
export type FolioAssignment = {
  tenantId: string;
  userId: string;
  assigned: number;
  remaining: number;
  updatedAt: string;
};

const strip = (item: Record<string, unknown>) => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest;
};

export const foliosRepository = {
  async get(tenantId: string): Promise<FolioBalance | undefined> {
    const out = await documentClient().send(
      new GetCommand({ TableName: tableName(), Key: keys.folioBalance(tenantId), ConsistentRead: true }),
    );
    return out.Item ? (strip(out.Item) as FolioBalance) : undefined;
  },

  async put(balance: FolioBalance): Promise<void> {
    await documentClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...balance, ...keys.folioBalance(balance.tenantId) },
      }),
    );
  },

  async getAssignment(tenantId: string, userId: string): Promise<FolioAssignment | undefined> {
    const out = await documentClient().send(
      new GetCommand({
        TableName: tableName(),
        Key: keys.folioAssignment(tenantId, userId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? (strip(out.Item) as FolioAssignment) : undefined;
  },

  async listAssignments(tenantId: string): Promise<FolioAssignment[]> {
    const { pk, skPrefix } = keys.folioAssignmentPrefix(tenantId);
    const out = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
      }),
    );
    return (out.Items ?? []).map((item) => strip(item) as FolioAssignment);
  },

  /** Adds quota to a user's assignment (creating it); returns the new totals. */
  async addToAssignment(
    tenantId: string,
    userId: string,
    quantity: number,
    now = new Date(),
  ): Promise<FolioAssignment> {
    const out = await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.folioAssignment(tenantId, userId),
        UpdateExpression: 'ADD assigned :q, remaining :q SET tenantId = :t, userId = :u, updatedAt = :now',
        ExpressionAttributeValues: {
          ':q': quantity,
          ':t': tenantId,
          ':u': userId,
          ':now': now.toISOString(),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return strip(out.Attributes ?? {}) as FolioAssignment;
  },

  /** Gives one folio back (a rejected document consumed none at HKA); absent items are left absent. */
  async credit(tenantId: string, debit: { pool: boolean; assignmentUserId?: string }): Promise<void> {
    const updates: Array<{ key: { pk: string; sk: string }; field: string }> = [];
    if (debit.pool) updates.push({ key: keys.folioBalance(tenantId), field: 'poolAvailable' });
    if (debit.assignmentUserId) {
      updates.push({ key: keys.folioAssignment(tenantId, debit.assignmentUserId), field: 'remaining' });
    }
    for (const { key, field } of updates) {
      try {
        await documentClient().send(
          new UpdateCommand({
            TableName: tableName(),
            Key: key,
            UpdateExpression: 'ADD #f :one',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#f': field },
            ExpressionAttributeValues: { ':one': 1 },
          }),
        );
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    }
  },
};

/** The conditional debit of one folio, as a transaction item of the document's creation. */
export function folioDebitItem(
  key: { pk: string; sk: string },
  field: 'poolAvailable' | 'remaining',
): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: key,
      UpdateExpression: 'ADD #f :minusOne',
      ConditionExpression: '#f > :zero',
      ExpressionAttributeNames: { '#f': field },
      ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
    },
  };
}

/** The debits that reserve a document's folios again (a retry of a FAILED document), named for the error. */
export function folioReservationItems(
  tenantId: string,
  debit: { pool: boolean; assignmentUserId?: string },
): Array<{ name: string; item: TransactItem }> {
  const items: Array<{ name: string; item: TransactItem }> = [];
  if (debit.pool)
    items.push({ name: 'pool', item: folioDebitItem(keys.folioBalance(tenantId), 'poolAvailable') });
  if (debit.assignmentUserId) {
    items.push({
      name: 'assignment',
      item: folioDebitItem(keys.folioAssignment(tenantId, debit.assignmentUserId), 'remaining'),
    });
  }
  return items;
}
