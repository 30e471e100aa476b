import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { bodyHash } from '#shared/data/idempotency';
import { keys } from '#shared/data/keys';
import { IdempotencyKeyTakenError } from '#shared/data/numbering';
import { auditSeries, storedClaim } from '#shared/data/series-audit';
import { issueDocument } from '#shared/documents/issue';
import type { TenantContext } from '#shared/tenancy/context';
import { ConflictingTable } from './conflicting-table.ts';
import {
  branch,
  exampleInvoice,
  folioAssignment,
  folioPool,
  hkaCredentialsItem,
  pointOfSale,
  tenantProfile,
} from './fixtures.ts';
import { setTestEnv, TENANT } from './helpers.ts';
import { heldClaim, lostClaim } from './idempotency-claims.ts';

/** Accepting documents under a burst: numbers and folios as DynamoDB would decide them under concurrency. */

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const sfn = mockClient(SFNClient);
let table: ConflictingTable;
const now = new Date('2026-11-22T15:00:00Z');
const user = (userId: string): TenantContext => ({
  tenantId: TENANT,
  actor: { type: 'user', id: userId, email: 'u@a.pa' },
  roles: ['USER'],
});

beforeEach(() => {
  ddb.reset();
  s3.reset();
  sfn.reset();
  s3.on(PutObjectCommand).resolves({});
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec' });
  table = new ConflictingTable();
  table.install(ddb);
  for (const item of [tenantProfile, branch, pointOfSale, hkaCredentialsItem]) table.put(item);
  table.put({ ...pointOfSale, sk: 'BRANCH#0000#POS#002', code: '002' });
});

function audit(pos: string) {
  const lastNumber = Number(table.get(keys.seriesCounter(TENANT, '0000', pos))?.lastNumber ?? 0);
  const claims = table
    .partition(keys.numberClaimPrefix(TENANT, '0000', pos).pk)
    .filter((item) => String(item.sk).startsWith('NUMBER#'))
    .map(storedClaim);
  return auditSeries(lastNumber, claims);
}

const pool = () => table.get(keys.folioBalance(TENANT))?.poolAvailable;

describe('issuing under a burst', () => {
  it('60 concurrent documents on two points of sale with a folio pool: one transaction each, consecutive numbers, folios debited', async () => {
    table.put(folioPool(100));

    const docs = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        issueDocument(
          user(`user-${i % 3}`),
          { ...exampleInvoice(), pointOfSale: i % 2 ? '001' : '002' },
          { now },
        ),
      ),
    );

    for (const pos of ['001', '002']) {
      const numbers = docs
        .filter((doc) => doc.pointOfSale === pos)
        .map((doc) => Number(doc.number))
        .sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      expect(audit(pos)).toMatchObject({ lastNumber: 30, issued: 30, voided: [], missing: [] });
    }
    expect(table.transactions).toEqual({ calls: 60, cancelled: 0, conflicts: 0 });
    expect(pool()).toBe(40);
  });

  it('a pool of 3 and 6 concurrent documents: 3 accepted, 3 FOLIOS_EXHAUSTED, and no number taken by a refusal', async () => {
    table.put(folioPool(3));

    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => issueDocument(user('user-1'), exampleInvoice(), { now })),
    );

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    for (const refused of results.filter((r) => r.status === 'rejected')) {
      expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: 'FOLIOS_EXHAUSTED' });
    }
    expect(audit('001')).toEqual({ lastNumber: 3, issued: 3, voided: [], missing: [], beyondCounter: [] });
    expect(pool()).toBe(0);
  });

  it('a document whose claim of its Idempotency-Key was taken over gives its folios back and voids its number', async () => {
    table.put(folioPool(5));
    table.put(folioAssignment('user-1', 2));
    const input = exampleInvoice();
    const scope = { tenantId: TENANT, operation: 'issueDocument', key: 'k1', bodyHash: bodyHash(input) };
    const storedResponse = () => ({ statusCode: 202, headers: {}, body: '{}' });
    // The first request holds the key's claim; the second's was taken over (its hold lapsed meanwhile).
    const held = { scope: heldClaim(table, scope, 'request-1', now), storedResponse };
    const lost = { scope: lostClaim(scope, 'request-2', now), storedResponse };

    const results = await Promise.allSettled([
      issueDocument(user('user-1'), input, { now, idempotency: held }),
      issueDocument(user('user-1'), input, { now, idempotency: lost }),
    ]);

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(IdempotencyKeyTakenError);
    expect(pool()).toBe(4);
    expect(table.get(keys.folioAssignment(TENANT, 'user-1'))?.remaining).toBe(1);
    expect(audit('001')).toMatchObject({
      issued: 1,
      voided: [{ reason: 'IDEMPOTENCY_KEY_TAKEN' }],
      missing: [],
    });
  });

  it('gives the folios back and takes no number when the computed document cannot be stored', async () => {
    table.put(folioPool(5));
    s3.on(PutObjectCommand).rejects(new Error('SlowDown'));

    await expect(issueDocument(user('user-1'), exampleInvoice(), { now })).rejects.toThrow('SlowDown');

    expect(pool()).toBe(5);
    expect(audit('001').lastNumber).toBe(0);
  });

  it('keeps the folios when the document’s outcome is unknown (it may exist and hold them)', async () => {
    table.put(folioPool(5));
    const down = Object.assign(new Error('connect ECONNREFUSED'), { name: 'Error' });
    ddb.on(TransactWriteCommand).rejects(down);
    ddb.on(PutCommand).rejects(down);

    await expect(issueDocument(user('user-1'), exampleInvoice(), { now })).rejects.toMatchObject({
      name: 'DocumentOutcomeUnknownError',
    });
    expect(pool()).toBe(4);
  });
});
