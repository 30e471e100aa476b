import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from './client.ts';
import type { FolioDebit } from './documents.ts';
import { isConditionalCheckFailed } from './errors.ts';
import { keys } from './keys.ts';
import { type TransactItem, writeTogether } from './transactions.ts';

/**
 * HKA's folio counters as last reported by FoliosRestantes (folios are quota, not numbers), plus the
 * tenant pool `poolAvailable`: reset to HKA's `cycleAvailable` at every sync, debited by each accepted
 * document just before its number is taken, credited back when the document is not created, or is
 * rejected or fails without reaching HKA.
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
  /**
   * Folios the tenant used in the forecast window before `syncedAt`, counted at the sync: the forecast reads
   * it instead of counting a month of documents on every balance read. Absent on a balance stored before the
   * figure was kept: no forecast until the next sync (at most six hours later).
   */
  usedInWindow?: number;
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

  /**
   * Adds quota to a user's assignment (creating it) together with `also` (its audit entry) in one
   * transaction, and returns the new totals. A transaction returns no attributes, so they are read back
   * (strongly consistent: this assignment included, and any other added meanwhile).
   */
  async addToAssignment(
    tenantId: string,
    userId: string,
    quantity: number,
    also: readonly TransactItem[],
    now = new Date(),
  ): Promise<FolioAssignment> {
    const update = {
      TableName: tableName(),
      Key: keys.folioAssignment(tenantId, userId),
      UpdateExpression: 'ADD assigned :q, remaining :q SET tenantId = :t, userId = :u, updatedAt = :now',
      ExpressionAttributeValues: {
        ':q': quantity,
        ':t': tenantId,
        ':u': userId,
        ':now': now.toISOString(),
      },
    };
    await writeTogether({ Update: update }, also);
    const assignment = await this.getAssignment(tenantId, userId);
    if (!assignment) throw new Error(`folio assignment of ${userId} is missing right after its write`);
    return assignment;
  },

  /** Gives one folio back (a rejected document consumed none at HKA); absent items are left absent. */
  async credit(tenantId: string, debit: FolioDebit): Promise<void> {
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

/** A folio quota (`pool` of the tenant, or the user's `assignment`) is used up. */
export class QuotaExhaustedError extends Error {
  override readonly name = 'QuotaExhaustedError';
  constructor(readonly quota: 'pool' | 'assignment') {
    super(`${quota} is exhausted`);
  }
}

/**
 * Reserves a new document's folios before its number is taken: one from the tenant pool (once synchronized
 * with HKA) and one from the user's assignment (when an ADMIN gave the user a quota) — `holds` says which
 * of the two exist, as the caller read them. Each is a conditional decrement of its own item, outside any
 * transaction: concurrent documents of a tenant, on every point of sale, queue for a few milliseconds on
 * the pool item instead of cancelling each other's transactions, and the condition keeps the pool from
 * ever going below zero. The caller gives them back with `foliosRepository.credit` if the document is not
 * created.
 */
export async function reserveFolios(
  tenantId: string,
  userId: string,
  holds: { pool: boolean; assignment: boolean },
): Promise<FolioDebit> {
  const [pool, assignment] = await Promise.allSettled([
    holds.pool ? debitOne(keys.folioBalance(tenantId), 'poolAvailable') : ('absent' as const),
    holds.assignment ? debitOne(keys.folioAssignment(tenantId, userId), 'remaining') : ('absent' as const),
  ]);
  const debit: FolioDebit = {
    pool: pool.status === 'fulfilled' && pool.value === 'debited',
    ...(assignment.status === 'fulfilled' && assignment.value === 'debited'
      ? { assignmentUserId: userId }
      : {}),
  };
  const refusal =
    pool.status === 'rejected'
      ? pool.reason
      : assignment.status === 'rejected'
        ? assignment.reason
        : pool.value === 'exhausted'
          ? new QuotaExhaustedError('pool')
          : assignment.value === 'exhausted'
            ? new QuotaExhaustedError('assignment')
            : undefined;
  if (refusal === undefined) return debit;
  await foliosRepository.credit(tenantId, debit);
  throw refusal;
}

/**
 * A single item written by a transaction in progress (a retry reserving folios with its document's
 * transition) refuses other writes for that moment; a few short waits get past it.
 */
const MAX_DEBIT_ATTEMPTS = 5;

/** One folio off `field` if above zero; `absent` when the item does not exist (nothing to debit). */
async function debitOne(
  key: { pk: string; sk: string },
  field: 'poolAvailable' | 'remaining',
): Promise<'debited' | 'absent' | 'exhausted'> {
  for (let attempt = 1; ; attempt++) {
    try {
      await documentClient().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: key,
          UpdateExpression: 'ADD #f :minusOne',
          ConditionExpression: '#f > :zero',
          ExpressionAttributeNames: { '#f': field },
          ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'debited';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return (error as { Item?: unknown }).Item ? 'exhausted' : 'absent';
      const conflict = (error as { name?: string }).name === 'TransactionConflictException';
      if (!conflict || attempt >= MAX_DEBIT_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));
    }
  }
}

/** The conditional debit of one folio, as a transaction item (a retry's transition reserves them again). */
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
  debit: FolioDebit,
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
