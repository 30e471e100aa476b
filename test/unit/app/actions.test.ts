import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { cancelDocument, retryDocument } from '#shared/documents/actions';
import type { HkaClient } from '#shared/hka/client';
import { HkaRejectedError } from '#shared/hka/errors';
import { ConflictError, ValidationError } from '#shared/http/errors';
import type { TenantContext } from '#shared/tenancy/context';
import { setHkaClientForTests } from '#shared/tenancy/hka';
import { documentRecord, hkaCredentialsItem } from './fixtures.ts';
import { setTestEnv, TENANT } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const kms = mockClient(KMSClient);
const sfn = mockClient(SFNClient);

const ctx: TenantContext = { tenantId: TENANT, userId: 'u1', email: undefined, roles: ['USER'] };
const id = '01KAQ0000000000000000000AB';
let doc = documentRecord();

beforeEach(() => {
  ddb.reset();
  kms.reset();
  sfn.reset();
  ddb.on(GetCommand).callsFake((input: { Key: { sk: string } }) => {
    if (input.Key.sk === 'DOC') return { Item: doc };
    if (input.Key.sk === 'HKA_CREDENTIALS#demo') return { Item: hkaCredentialsItem };
    return {};
  });
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  kms.on(DecryptCommand).resolves({
    Plaintext: new TextEncoder().encode(JSON.stringify({ tokenEmpresa: 'te', tokenPassword: 'tp' })),
  });
  sfn.on(StartExecutionCommand).resolves({});
});

describe('cancelDocument', () => {
  const authorized = (authorizedAt: string) =>
    documentRecord({ status: 'AUTHORIZED', authorizedAt, cufe: 'FE01', qr: 'q', protocol: 'p' });

  it('cancels through HKA inside the 7-day window', async () => {
    doc = authorized('2026-11-20T12:00:00.000Z');
    const anulacionDocumento = vi.fn(async () => ({ codigo: '200', mensaje: 'ok' }));
    setHkaClientForTests('demo', { anulacionDocumento } as unknown as HkaClient);
    await cancelDocument(ctx, id, 'Error en el monto facturado al cliente', new Date('2026-11-22T12:00:00Z'));
    expect(anulacionDocumento).toHaveBeenCalledWith(
      { tokenEmpresa: 'te', tokenPassword: 'tp' },
      expect.objectContaining({ numeroDocumentoFiscal: '0000000001', tipoDocumento: '01' }),
      'Error en el monto facturado al cliente',
    );
    const update = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]!.Update!;
    expect(Object.values(update.ExpressionAttributeValues ?? {})).toContain('CANCELLED');
  });

  it('answers 422 with the credit-note advice after the window', async () => {
    doc = authorized('2026-11-01T12:00:00.000Z');
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
    doc = authorized('2026-11-21T12:00:00.000Z');
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
  });

  it('refuses documents that are not authorized', async () => {
    doc = documentRecord({ status: 'PROCESSING' });
    await expect(cancelDocument(ctx, id, 'Error en el monto facturado')).rejects.toBeInstanceOf(
      ConflictError,
    );
  });
});

describe('retryDocument', () => {
  it('starts a new pipeline attempt for a FAILED document', async () => {
    doc = documentRecord({ status: 'FAILED', pipelineAttempt: 2 });
    await retryDocument(ctx, id);
    expect(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.name).toBe(`${TENANT}-${id}-3`);
    const update = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]!.Update!;
    expect(Object.values(update.ExpressionAttributeValues ?? {})).toEqual(
      expect.arrayContaining(['PROCESSING', 3]),
    );
  });

  it('re-starts the current attempt of a PROCESSING document (a no-op if it runs)', async () => {
    doc = documentRecord({ status: 'PROCESSING' });
    await retryDocument(ctx, id);
    expect(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.name).toBe(`${TENANT}-${id}-1`);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('refuses final states', async () => {
    doc = documentRecord({ status: 'AUTHORIZED' });
    await expect(retryDocument(ctx, id)).rejects.toBeInstanceOf(ConflictError);
  });
});
