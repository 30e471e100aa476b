import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DocumentRecord } from '#shared/data/documents';
import { type IdempotencyClaim, type IdempotencyScope, idempotencyKeyHash } from '#shared/data/idempotency';
import { keys } from '#shared/data/keys';
import {
  createDocumentWithNumber,
  DocumentOutcomeUnknownError,
  IdempotencyKeyTakenError,
  MAX_DOCUMENT_NUMBER,
  type NewDocument,
  NumberContentionError,
  SeriesExhaustedError,
} from '#shared/data/numbering';
import { auditSeries, storedClaim } from '#shared/data/series-audit';
import { ConflictingTable } from './conflicting-table.ts';
import { documentRecord } from './fixtures.ts';
import { setTestEnv, TENANT } from './helpers.ts';
import { heldClaim, lostClaim } from './idempotency-claims.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
let table: ConflictingTable;
const now = new Date('2026-11-22T15:00:00Z');

beforeEach(() => {
  ddb.reset();
  table = new ConflictingTable();
  table.install(ddb);
});

let nextId = 0;
/**
 * A request for a new document on series 0000-`pos`, optionally with an Idempotency-Key: the first request
 * built for a key holds its claim (as the middleware took it), later ones carry a claim taken over since.
 */
function request(options: { pos?: string; key?: string } = {}): NewDocument & { documentId: string } {
  const documentId = `DOC${String(++nextId).padStart(6, '0')}`;
  const pointOfSale = options.pos ?? '001';
  return {
    documentId,
    tenantId: TENANT,
    branch: '0000',
    pointOfSale,
    now,
    build: (number) => documentRecord({ documentId, pointOfSale, number }),
    ...(options.key
      ? {
          idempotency: {
            scope: claimFor(
              { tenantId: TENANT, operation: 'issueDocument', key: options.key, bodyHash: 'h' },
              documentId,
            ),
            response: (doc: DocumentRecord) => ({ statusCode: 202, headers: {}, body: doc.documentId }),
          },
        }
      : {}),
  };
}

function claimFor(scope: IdempotencyScope, owner: string): IdempotencyClaim {
  const stored = table.get(keys.idempotency(TENANT, idempotencyKeyHash(scope.operation, scope.key)));
  return stored ? lostClaim(scope, owner, now) : heldClaim(table, scope, owner, now);
}

function lastNumber(pos = '001'): number {
  return Number(table.get(keys.seriesCounter(TENANT, '0000', pos))?.lastNumber ?? 0);
}

function claims(pos = '001') {
  return table
    .partition(keys.numberClaimPrefix(TENANT, '0000', pos).pk)
    .filter((item) => String(item.sk).startsWith('NUMBER#'))
    .map(storedClaim);
}

const auditOf = (pos = '001') => auditSeries(lastNumber(pos), claims(pos));
const documentExists = (id: string) => table.get(keys.document(TENANT, id)) !== undefined;

const cancelled = (codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('createDocumentWithNumber', () => {
  it('numbers a series 1, 2, 3 and claims each number for its document', async () => {
    const docs = [];
    for (let i = 0; i < 3; i++) docs.push(await createDocumentWithNumber(request()));

    expect(docs.map((doc) => doc.number)).toEqual(['0000000001', '0000000002', '0000000003']);
    expect(lastNumber()).toBe(3);
    expect(claims().map((claim) => [claim.number, claim.status, claim.documentId])).toEqual(
      docs.map((doc) => [doc.number, 'ISSUED', doc.documentId]),
    );
    for (const doc of docs) expect(table.get(keys.document(TENANT, doc.documentId))?.number).toBe(doc.number);
  });

  it('continues from the stored counter', async () => {
    table.put({ ...keys.seriesCounter(TENANT, '0000', '001'), lastNumber: 41 });
    const doc = await createDocumentWithNumber(request());
    expect(doc.number).toBe('0000000042');
  });

  it('50 concurrent documents on one point of sale: numbers 1–50, one transaction each, none cancelled', async () => {
    const docs = await Promise.all(Array.from({ length: 50 }, () => createDocumentWithNumber(request())));

    const numbers = docs.map((doc) => Number(doc.number)).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(table.transactions).toEqual({ calls: 50, cancelled: 0, conflicts: 0 });
    expect(auditOf()).toEqual({ lastNumber: 50, issued: 50, voided: [], missing: [], beyondCounter: [] });
  });

  it('series of different points of sale never wait on each other', async () => {
    const docs = await Promise.all(
      Array.from({ length: 40 }, (_, i) => createDocumentWithNumber(request({ pos: i % 2 ? '001' : '002' }))),
    );
    expect(docs.filter((doc) => doc.pointOfSale === '002').map((doc) => Number(doc.number))).toHaveLength(20);
    expect(lastNumber('001')).toBe(20);
    expect(lastNumber('002')).toBe(20);
    expect(table.transactions.cancelled).toBe(0);
  });

  it('10 concurrent requests with one Idempotency-Key, one holding its claim: one document, the other numbers voided with the reason', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => createDocumentWithNumber(request({ key: 'same-key' }))),
    );

    const created = results.filter((result) => result.status === 'fulfilled');
    expect(created).toHaveLength(1);
    for (const result of results.filter((r) => r.status === 'rejected')) {
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(IdempotencyKeyTakenError);
    }
    const audit = auditOf();
    expect(audit).toMatchObject({ lastNumber: 10, issued: 1, missing: [], beyondCounter: [] });
    expect(audit.voided).toHaveLength(9);
    for (const voided of audit.voided) {
      expect(voided.reason).toBe('IDEMPOTENCY_KEY_TAKEN');
      expect(documentExists(voided.documentId)).toBe(false);
    }
  });

  it('retries a conflicting transaction with the same number', async () => {
    const handle = (input: Parameters<ConflictingTable['handleTransactWrite']>[0]) =>
      table.handleTransactWrite(input);
    let conflicts = 2;
    ddb.on(TransactWriteCommand).callsFake((input) => {
      if (conflicts-- > 0) throw cancelled(['None', 'None', 'None', 'TransactionConflict']);
      return handle(input);
    });

    const doc = await createDocumentWithNumber(request({ key: 'k' }));

    expect(doc.number).toBe('0000000001');
    expect(lastNumber()).toBe(1);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(3);
    expect(auditOf()).toMatchObject({ issued: 1, voided: [], missing: [] });
  });

  it('voids the number (WRITE_CONFLICT) when the conflicts do not clear, and creates nothing', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(['None', 'None', 'None', 'TransactionConflict']));
    const req = request({ key: 'k' });

    await expect(createDocumentWithNumber(req)).rejects.toBeInstanceOf(NumberContentionError);

    expect(auditOf().voided).toEqual([
      { number: '0000000001', reason: 'WRITE_CONFLICT', documentId: req.documentId },
    ]);
    expect(documentExists(req.documentId)).toBe(false);
  });

  it('a transaction that committed but whose answer was lost is the document, not a void', async () => {
    ddb.on(TransactWriteCommand).callsFakeOnce((input) => {
      table.handleTransactWrite(input);
      throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    });
    const req = request();

    const doc = await createDocumentWithNumber(req);

    expect(doc.documentId).toBe(req.documentId);
    expect(auditOf()).toMatchObject({ lastNumber: 1, issued: 1, voided: [], missing: [] });
  });

  it('a refused write voids its number (WRITE_REFUSED) and the next document takes the next number', async () => {
    const refusal = Object.assign(new Error('Item size has exceeded the maximum allowed size'), {
      name: 'ValidationException',
    });
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(refusal)
      .callsFake((input) => table.handleTransactWrite(input));
    const refused = request();

    await expect(createDocumentWithNumber(refused)).rejects.toBe(refusal);
    const next = await createDocumentWithNumber(request());

    expect(next.number).toBe('0000000002');
    expect(auditOf()).toEqual({
      lastNumber: 2,
      issued: 1,
      voided: [{ number: '0000000001', reason: 'WRITE_REFUSED', documentId: refused.documentId }],
      missing: [],
      beyondCounter: [],
    });
  });

  it('when even the void cannot be written, the outcome is reported unknown (the number shows as missing)', async () => {
    const down = Object.assign(new Error('connect ECONNREFUSED'), { name: 'Error' });
    ddb.on(TransactWriteCommand).rejects(down);
    ddb.on(PutCommand).rejects(down);

    const error = await createDocumentWithNumber(request()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DocumentOutcomeUnknownError);
    expect(auditOf().missing).toEqual(['0000000001']);
  });

  it('never reuses a claimed number: a counter set back below issued numbers steps past them', async () => {
    table.put({ ...keys.seriesCounter(TENANT, '0000', '001'), lastNumber: 4 });
    table.put({
      ...keys.numberClaim(TENANT, '0000', '001', '0000000005'),
      number: '0000000005',
      status: 'ISSUED',
      documentId: 'EARLIER',
    });

    const doc = await createDocumentWithNumber(request());

    expect(doc.number).toBe('0000000006');
    expect(table.get(keys.numberClaim(TENANT, '0000', '001', '0000000005'))?.documentId).toBe('EARLIER');
  });

  it('refuses once the series has used every 10-digit number, consuming nothing', async () => {
    table.put({ ...keys.seriesCounter(TENANT, '0000', '001'), lastNumber: MAX_DOCUMENT_NUMBER });
    await expect(createDocumentWithNumber(request())).rejects.toBeInstanceOf(SeriesExhaustedError);
    expect(lastNumber()).toBe(MAX_DOCUMENT_NUMBER);
    expect(table.transactions.calls).toBe(0);
  });

  it('property: under concurrency, shared keys, conflicts, lost answers and refusals, every number handed out is claimed exactly once', async () => {
    const fault = fc.constantFrom('none', 'none', 'conflict', 'lost-answer', 'refused');
    const plan = fc.array(
      fc.record({ key: fc.option(fc.constantFrom('k1', 'k2', 'k3'), { nil: undefined }), fault }),
      { minLength: 1, maxLength: 25 },
    );
    await fc.assert(
      fc.asyncProperty(plan, async (requests) => {
        ddb.reset();
        table = new ConflictingTable();
        table.install(ddb);
        const faults = new Map<string, string>();
        ddb.on(TransactWriteCommand).callsFake(async (input) => {
          const claimItem = input.TransactItems[0].Put.Item as { documentId: string };
          const planned = faults.get(claimItem.documentId);
          faults.delete(claimItem.documentId);
          if (planned === 'conflict') throw cancelled(input.TransactItems.map(() => 'TransactionConflict'));
          if (planned === 'refused')
            throw Object.assign(new Error('refused'), { name: 'ValidationException' });
          const out = await table.transact(input);
          if (planned === 'lost-answer') throw Object.assign(new Error('lost'), { name: 'TimeoutError' });
          return out;
        });

        const reqs = requests.map((planned) => {
          const req = request({ key: planned.key });
          faults.set(req.documentId, planned.fault);
          return req;
        });
        const results = await Promise.allSettled(reqs.map((req) => createDocumentWithNumber(req)));

        const audit = auditOf();
        const created = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
        // Consecutive: every number handed out ends as one claim, none missing, none beyond the counter.
        expect(audit.missing).toEqual([]);
        expect(audit.beyondCounter).toEqual([]);
        expect(audit.issued + audit.voided.length).toBe(audit.lastNumber);
        // Never twice: one document per number, and each created document holds the claim of its number.
        expect(new Set(created.map((doc) => doc.number)).size).toBe(created.length);
        expect(audit.issued).toBe(created.length);
        for (const doc of created) {
          const claim = table.get(keys.numberClaim(TENANT, '0000', '001', doc.number));
          expect(claim).toMatchObject({ status: 'ISSUED', documentId: doc.documentId });
          expect(documentExists(doc.documentId)).toBe(true);
        }
        for (const voided of audit.voided) expect(documentExists(voided.documentId)).toBe(false);
        // One document per Idempotency-Key.
        for (const key of ['k1', 'k2', 'k3']) {
          const withKey = reqs
            .filter((req) => req.idempotency?.scope.key === key)
            .map((req) => req.documentId);
          expect(created.filter((doc) => withKey.includes(doc.documentId)).length).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 60 },
    );
  });
});
