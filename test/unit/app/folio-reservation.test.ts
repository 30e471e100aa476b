import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { folioReservationItems, QuotaExhaustedError, reserveFolios } from '#shared/data/folios';
import { keys } from '#shared/data/keys';
import { ConflictingTable } from './conflicting-table.ts';
import { folioAssignment, folioPool } from './fixtures.ts';
import { setTestEnv, TENANT } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
let table: ConflictingTable;

beforeEach(() => {
  ddb.reset();
  table = new ConflictingTable();
  table.install(ddb);
});

/** The caller read both items (it debits only those it saw). */
const both = { pool: true, assignment: true };
const pool = () => table.get(keys.folioBalance(TENANT))?.poolAvailable;
const remaining = (userId: string) => table.get(keys.folioAssignment(TENANT, userId))?.remaining;

describe('reserveFolios', () => {
  it('debits one folio from the tenant pool and one from the user’s assignment', async () => {
    table.put(folioPool(5));
    table.put(folioAssignment('user-1', 2));

    const debit = await reserveFolios(TENANT, 'user-1', both);

    expect(debit).toEqual({ pool: true, assignmentUserId: 'user-1' });
    expect(pool()).toBe(4);
    expect(remaining('user-1')).toBe(1);
  });

  it('debits nothing before the first folio sync or without an assignment', async () => {
    const debit = await reserveFolios(TENANT, 'user-1', { pool: false, assignment: false });

    expect(debit).toEqual({ pool: false });
    expect(ddb.calls()).toHaveLength(0);
  });

  it('an item gone since the caller read it is not debited, and not created', async () => {
    const debit = await reserveFolios(TENANT, 'user-1', both);

    expect(debit).toEqual({ pool: false });
    expect(table.get(keys.folioBalance(TENANT))).toBeUndefined();
    expect(table.get(keys.folioAssignment(TENANT, 'user-1'))).toBeUndefined();
  });

  it('refuses with the pool when it is used up, changing nothing', async () => {
    table.put(folioPool(0));
    table.put(folioAssignment('user-1', 2));

    const error = await reserveFolios(TENANT, 'user-1', both).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(QuotaExhaustedError);
    expect((error as QuotaExhaustedError).quota).toBe('pool');
    expect(pool()).toBe(0);
    expect(remaining('user-1')).toBe(2);
  });

  it('refuses with the assignment when it is used up, and gives the pool’s folio back', async () => {
    table.put(folioPool(5));
    table.put(folioAssignment('user-1', 0));

    const error = await reserveFolios(TENANT, 'user-1', both).catch((e: unknown) => e);

    expect((error as QuotaExhaustedError).quota).toBe('assignment');
    expect(pool()).toBe(5);
  });

  it('30 concurrent documents across points of sale on a pool of 10: exactly 10 get a folio, never below zero', async () => {
    table.put(folioPool(10));

    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) => reserveFolios(TENANT, `user-${i}`, both)),
    );

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    for (const refused of results.filter((r) => r.status === 'rejected')) {
      expect((refused as PromiseRejectedResult).reason).toMatchObject({ quota: 'pool' });
    }
    expect(pool()).toBe(0);
  });

  it('waits out a transaction in progress on the pool item (a retry reserving its folios) instead of failing', async () => {
    table.put(folioPool(5));
    // A FAILED document's retry reserves its folio again in its transition's transaction.
    const retry = table.transact({
      TransactItems: folioReservationItems(TENANT, { pool: true }).map((x) => x.item),
    });

    const [debit] = await Promise.all([reserveFolios(TENANT, 'user-1', both), retry]);

    expect(table.singleWriteConflicts).toBeGreaterThan(0);
    expect(debit.pool).toBe(true);
    expect(pool()).toBe(3);
  });
});
