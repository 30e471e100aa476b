import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { type DocumentRecord, documentItem } from '#shared/data/documents';
import { inFlightPartition, inFlightShard, keys } from '#shared/data/keys';
import { cancelDocument, retryDocument } from '#shared/documents/actions';
import { ConflictError, ServiceUnavailableError, ValidationError } from '#shared/errors';
import type { HkaClient } from '#shared/hka/client';
import { HkaRejectedError } from '#shared/hka/errors';
import type { TenantContext } from '#shared/tenancy/context';
import { setHkaClientForTests } from '#shared/tenancy/hka';
import { FakeTable } from './fake-table.ts';
import { documentRecord, folioAssignment, folioPool, hkaCredentialsItem } from './fixtures.ts';
import { setTestEnv, TENANT } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const kms = mockClient(KMSClient);
const sfn = mockClient(SFNClient);
const events = mockClient(EventBridgeClient);
const table = new FakeTable();

const ctx: TenantContext = {
  tenantId: TENANT,
  actor: { type: 'user', id: 'u1', email: undefined },
  roles: ['USER'],
};
const id = '01KAQ0000000000000000000AB';

function seed(overrides: Partial<DocumentRecord> = {}): DocumentRecord {
  const doc = documentRecord(overrides);
  table.put(documentItem(doc));
  return doc;
}
const stored = () => table.get(keys.document(TENANT, id))!;
const history = () =>
  table
    .partition(`T#${TENANT}#DOC#${id}`)
    .filter((item) => String(item.sk).startsWith('EVENT#'))
    .sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
const startedInputs = () =>
  sfn.commandCalls(StartExecutionCommand).map((c) => JSON.parse(c.args[0].input.input!) as unknown);
const pool = () => table.get({ pk: `T#${TENANT}`, sk: 'FOLIOS' })?.poolAvailable;
const assignment = () => table.get({ pk: `T#${TENANT}`, sk: 'FOLIO_ASSIGNMENT#user-1' })?.remaining;

beforeEach(() => {
  ddb.reset();
  kms.reset();
  sfn.reset();
  events.reset();
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'event-1' }] });
  table.clear();
  table.install(ddb);
  table.put(hkaCredentialsItem);
  kms.on(DecryptCommand).resolves({
    Plaintext: new TextEncoder().encode(JSON.stringify({ tokenEmpresa: 'te', tokenPassword: 'tp' })),
  });
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec' });
});

describe('cancelDocument', () => {
  const authorized = (authorizedAt: string) =>
    seed({ status: 'AUTHORIZED', leaseUntil: undefined, authorizedAt, cufe: 'FE01', qr: 'q', protocol: 'p' });

  it('cancels through HKA inside the 7-day window', async () => {
    authorized('2026-11-20T12:00:00.000Z');
    const anulacionDocumento = vi.fn(async () => ({ codigo: '200', mensaje: 'ok' }));
    setHkaClientForTests('demo', { anulacionDocumento } as unknown as HkaClient);
    const doc = await cancelDocument(
      ctx,
      id,
      'Error en el monto facturado al cliente',
      new Date('2026-11-22T12:00:00Z'),
    );
    expect(anulacionDocumento).toHaveBeenCalledWith(
      { tokenEmpresa: 'te', tokenPassword: 'tp' },
      expect.objectContaining({ numeroDocumentoFiscal: '0000000001', tipoDocumento: '01' }),
      'Error en el monto facturado al cliente',
    );
    expect(doc.status).toBe('CANCELLED');
    expect(stored()).toMatchObject({
      status: 'CANCELLED',
      gsi2pk: `T#${TENANT}#STATUS#CANCELLED`,
      cancellation: { reason: 'Error en el monto facturado al cliente', by: 'user:u1' },
    });
    expect(history().at(-1)).toMatchObject({ type: 'CANCELLED', actor: 'user:u1' });
    // Webhooks and integrators learn of it: one document.cancelled for the tenant's document.
    const published = events.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries?.[0]);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ DetailType: 'document.cancelled', Source: 'factu.documents' });
    expect(JSON.parse(published[0]!.Detail!)).toMatchObject({ tenantId: TENANT, documentId: id });
  });

  it('answers 422 with the credit-note advice after the window', async () => {
    authorized('2026-11-01T12:00:00.000Z');
    const error = await cancelDocument(
      ctx,
      id,
      'Error en el monto facturado',
      new Date('2026-11-22T12:00:00Z'),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe('CANCELLATION_WINDOW_EXPIRED');
    expect(error.message).toMatch(/credit note/);
  });

  it('shows HKA’s refusal as 422', async () => {
    authorized('2026-11-21T12:00:00.000Z');
    setHkaClientForTests('demo', {
      anulacionDocumento: vi.fn(async () => {
        throw new HkaRejectedError(
          'AnulacionDocumento',
          '113',
          'Plazo de anulación vencido',
          [],
          'cancellation-window',
        );
      }),
    } as unknown as HkaClient);
    const error = await cancelDocument(
      ctx,
      id,
      'Error en el monto facturado',
      new Date('2026-11-22T12:00:00Z'),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe('CANCELLATION_REFUSED');
    expect(stored().status).toBe('AUTHORIZED');
  });

  it('refuses documents that are not authorized', async () => {
    seed();
    await expect(cancelDocument(ctx, id, 'Error en el monto facturado')).rejects.toBeInstanceOf(
      ConflictError,
    );
  });
});

describe('retryDocument', () => {
  const now = new Date('2026-11-22T14:00:00.000Z');
  const lease = '2026-11-22T14:01:30.000Z';

  describe('a FAILED document', () => {
    const failed = (overrides: Partial<DocumentRecord> = {}) =>
      seed({
        status: 'FAILED',
        attempt: 9,
        leaseUntil: undefined,
        submissionAttempts: 9,
        notSentAttempts: 9,
        reasons: [{ path: '', message: 'connection refused', code: 'HkaTransientError' }],
        folioDebit: { pool: true, assignmentUserId: 'user-1' },
        ...overrides,
      });

    it('gets a new attempt: back to PROCESSING in the in-flight index, its folios reserved again, started', async () => {
      failed();
      table.put(folioPool(3));
      table.put(folioAssignment('user-1', 1));

      const resource = await retryDocument(ctx, id, now);

      expect(resource).toMatchObject({ id, status: 'PROCESSING', reasons: [] });
      expect(stored()).toMatchObject({
        status: 'PROCESSING',
        attempt: 10,
        leaseUntil: lease,
        reasons: [],
        gsi2pk: `T#${TENANT}#STATUS#PROCESSING`,
        gsi4pk: inFlightPartition(inFlightShard(id)),
        gsi4sk: `${lease}#${TENANT}#${id}`,
        // The submissions so far stay counted: the new attempt asks HKA first when one may have reached it.
        submissionAttempts: 9,
      });
      expect(pool()).toBe(2);
      expect(assignment()).toBe(0);
      expect(history().at(-1)).toMatchObject({
        type: 'RETRY_REQUESTED',
        status: 'PROCESSING',
        message: 'Attempt 10',
        actor: 'user:u1',
      });
      expect(startedInputs()).toEqual([
        {
          tenantId: TENANT,
          documentId: id,
          attempt: 10,
          channel: 'hka-integration',
          environment: 'demo',
          probe: false,
        },
      ]);
    });

    it.each([
      ['the company pool', 0, 1, /no folios left/],
      ['the user’s assignment', 3, 0, /assigned to the user/],
    ])('answers 409 FOLIOS_EXHAUSTED when %s is used up, and stays FAILED', async (_quota, p, a, message) => {
      failed();
      table.put(folioPool(p));
      table.put(folioAssignment('user-1', a));
      const before = stored();
      const error = await retryDocument(ctx, id, now).catch((e) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.code).toBe('FOLIOS_EXHAUSTED');
      expect(error.message).toMatch(message);
      expect(stored()).toEqual(before);
      expect(pool()).toBe(p);
      expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    });

    it('a document that reserved no folio reserves none', async () => {
      failed({ folioDebit: undefined });
      await retryDocument(ctx, id, now);
      expect(stored()).toMatchObject({ status: 'PROCESSING', attempt: 10 });
    });
  });

  describe('a PROCESSING document', () => {
    it('whose attempt is over (lease passed): its next attempt now, without waiting for the sweep', async () => {
      seed({ attempt: 2, leaseUntil: '2026-11-22T13:59:00.000Z' });
      const resource = await retryDocument(ctx, id, now);
      expect(resource.status).toBe('PROCESSING');
      expect(stored()).toMatchObject({ attempt: 3, leaseUntil: lease });
      expect(history().at(-1)).toMatchObject({
        type: 'RETRY_REQUESTED',
        message: 'Attempt 3',
        actor: 'user:u1',
      });
      expect(startedInputs()).toEqual([
        {
          tenantId: TENANT,
          documentId: id,
          attempt: 3,
          channel: 'hka-integration',
          environment: 'demo',
          probe: false,
        },
      ]);
    });

    it('waiting for HKA: its next attempt now, not at the end of its backoff', async () => {
      seed({
        status: 'WAITING_FOR_HKA',
        attempt: 4,
        leaseUntil: '2026-11-22T14:20:00.000Z',
        nextAttemptAt: '2026-11-22T14:20:00.000Z',
        waitingSince: '2026-11-22T13:00:00.000Z',
      });
      const resource = await retryDocument(ctx, id, now);
      expect(resource.status).toBe('WAITING_FOR_HKA');
      expect(stored()).toMatchObject({ status: 'WAITING_FOR_HKA', attempt: 5, leaseUntil: lease });
      expect(stored()).not.toHaveProperty('nextAttemptAt');
      expect(startedInputs()).toEqual([
        {
          tenantId: TENANT,
          documentId: id,
          attempt: 5,
          channel: 'hka-integration',
          environment: 'demo',
          probe: false,
        },
      ]);
    });

    it('with a live attempt: 409 ATTEMPT_IN_PROGRESS, nothing started twice', async () => {
      seed({ attemptOwner: 'arn:exec-1', leaseUntil: '2026-11-22T14:05:00.000Z' });
      const before = stored();
      const error = await retryDocument(ctx, id, now).catch((e) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.code).toBe('ATTEMPT_IN_PROGRESS');
      expect(error.message).toContain('2026-11-22T14:05:00.000Z');
      expect(stored()).toEqual(before);
      expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    });

    it('when the sweep claims the attempt first: 409 DOCUMENT_CHANGED, and only the sweep’s attempt exists', async () => {
      seed({ leaseUntil: '2026-11-22T13:59:00.000Z' });
      ddb
        .on(GetCommand)
        .callsFakeOnce((input: { Key: { pk: string; sk: string } }) => {
          const read = table.handleGet(input);
          table.put({ ...stored(), attempt: 2, leaseUntil: lease });
          return read;
        })
        .callsFake((input: { Key: { pk: string; sk: string } }) => table.handleGet(input));
      const error = await retryDocument(ctx, id, now).catch((e) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.code).toBe('DOCUMENT_CHANGED');
      expect(stored().attempt).toBe(2);
      expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    });
  });

  it('a claimed attempt that cannot start now answers 503 and stays claimed for the sweep', async () => {
    seed({ leaseUntil: '2026-11-22T13:59:00.000Z' });
    sfn
      .on(StartExecutionCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const error = await retryDocument(ctx, id, now).catch((e) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(stored()).toMatchObject({ status: 'PROCESSING', attempt: 2, leaseUntil: lease });
  });

  it.each(['AUTHORIZED', 'REJECTED', 'CANCELLED'] as const)('refuses a %s document', async (status) => {
    seed({ status, leaseUntil: undefined });
    const error = await retryDocument(ctx, id, now).catch((e) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.code).toBe('DOCUMENT_NOT_RETRYABLE');
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});
