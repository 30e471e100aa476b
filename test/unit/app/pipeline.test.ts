import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DocumentRecord } from '#shared/data/documents';
import { archiveDocument } from '#shared/documents/pipeline/archive';
import { buildXml } from '#shared/documents/pipeline/build-xml';
import { setHkaClientForTests } from '#shared/documents/pipeline/common';
import { markAuthorized, markFailed, markRejected } from '#shared/documents/pipeline/mark';
import { prepareDocument } from '#shared/documents/pipeline/prepare';
import { submitToHka } from '#shared/documents/pipeline/submit-to-hka';
import { validateDocument } from '#shared/fiscal/validate';
import type { HkaClient } from '#shared/hka/client';
import { HkaRejectedError, HkaTransientError } from '#shared/hka/errors';
import { documentRecord, exampleInvoice, hkaCredentialsItem } from './fixtures.ts';
import { setTestEnv, TENANT } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);

const validated = validateDocument(exampleInvoice(), { now: new Date('2026-11-22T12:00:00Z') });
if (!validated.ok) throw new Error('example invoice must be valid');
const computedJson = JSON.stringify(validated.document);

const authorization = {
  cufe: 'FE01200001555967132201559000000000000012026112200000000123456789012',
  qr: 'https://dgi-fep-test.mef.gob.pa:40001/Consultas/FacturasPorQR?chFE=FE01&iAmb=2',
  protocol: '0000155596713-2-201520260000000000000001',
  authorizedAt: '2026-11-22T12:00:05.000Z',
};

function fakeHka(overrides: Partial<HkaClient> = {}): HkaClient {
  const base = {
    enviar: vi.fn(async () => ({
      duplicate: false,
      codigo: '200',
      mensaje: 'ok',
      authorization: { ...authorization, authorizedAtRaw: '2026-11-22T12:00:05' },
      responseXml: '<EnviarResponse/>',
    })),
    estadoDocumento: vi.fn(async () => ({ found: false as const, codigo: '404', mensaje: 'no existe' })),
    descargaXml: vi.fn(async () => ({ codigo: '200', mensaje: 'ok', content: Buffer.from('<rFE/>') })),
    descargaPdf: vi.fn(async () => ({ codigo: '200', mensaje: 'ok', content: Buffer.from('%PDF-1.7') })),
  };
  return { ...base, ...overrides } as unknown as HkaClient;
}

let doc: DocumentRecord;
const state = () => ({ tenantId: TENANT, documentId: doc.documentId });

beforeEach(() => {
  ddb.reset();
  s3.reset();
  kms.reset();
  doc = documentRecord();
  ddb.on(GetCommand).callsFake((input: { Key: { sk: string } }) => {
    if (input.Key.sk === 'DOC') return { Item: { ...doc, pk: 'x', sk: 'DOC' } };
    if (input.Key.sk === 'HKA_CREDENTIALS#demo') return { Item: hkaCredentialsItem };
    return {};
  });
  ddb.on(UpdateCommand).resolves({ Attributes: { submissionAttempts: 1 } });
  ddb.on(PutCommand).resolves({});
  ddb.on(TransactWriteCommand).resolves({});
  s3.on(PutObjectCommand).resolves({});
  s3.on(GetObjectCommand).resolves({
    Body: { transformToByteArray: async () => new TextEncoder().encode(computedJson) } as never,
  });
  kms.on(DecryptCommand).resolves({
    Plaintext: new TextEncoder().encode(JSON.stringify({ tokenEmpresa: 'te', tokenPassword: 'tp' })),
  });
});

describe('issuing pipeline steps', () => {
  it('prepare routes the document to its channel', async () => {
    expect(await prepareDocument(state())).toEqual({ ...state(), channel: 'hka-integration' });
  });

  it('build-xml stores the unsigned rFE under the tenant prefix', async () => {
    const next = await buildXml(state());
    expect(next.unsignedXmlKey).toBe(`tenants/${TENANT}/documents/${doc.documentId}/rfe-unsigned.xml`);
    const put = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(String(put.Body)).toContain('<dNroDF>0000000001</dNroDF>');
  });

  it('submit-to-hka records the attempt before sending and returns the authorization', async () => {
    const hka = fakeHka();
    setHkaClientForTests('demo', hka);
    const order: string[] = [];
    ddb.on(UpdateCommand).callsFake(() => {
      order.push('record-attempt');
      return { Attributes: { submissionAttempts: 1 } };
    });
    (hka.enviar as ReturnType<typeof vi.fn>).mockImplementationOnce(async () => {
      order.push('enviar');
      return {
        duplicate: false,
        codigo: '200',
        mensaje: 'ok',
        authorization: { ...authorization, authorizedAtRaw: '' },
        responseXml: '<x/>',
      };
    });
    const next = await submitToHka({ ...state(), channel: 'hka-integration' });
    expect(order).toEqual(['record-attempt', 'enviar']);
    expect(next.authorization).toEqual(authorization);
    expect(hka.estadoDocumento).not.toHaveBeenCalled();
    const [credentials, documento] = (hka.enviar as ReturnType<typeof vi.fn>).mock.calls[0]!;
    expect(credentials).toEqual({ tokenEmpresa: 'te', tokenPassword: 'tp' });
    expect(documento.codigoSucursalEmisor).toBe('0000');
  });

  it('submit-to-hka reconciles with EstadoDocumento after an earlier attempt', async () => {
    doc = documentRecord({ submissionAttempts: 1 });
    const hka = fakeHka();
    setHkaClientForTests('demo', hka);
    await submitToHka(state());
    expect(hka.estadoDocumento).toHaveBeenCalledTimes(1);
    expect((hka.estadoDocumento as ReturnType<typeof vi.fn>).mock.calls[0]![1]).toEqual({
      codigoSucursalEmisor: '0000',
      numeroDocumentoFiscal: '0000000001',
      puntoFacturacionFiscal: '001',
      tipoDocumento: '01',
      tipoEmision: '01',
    });
  });

  it('submit-to-hka keeps the rejection reasons on the document and rethrows by name', async () => {
    const details = [{ path: 'items[0].unit', message: 'El campo unidadMedida es inválido' }];
    setHkaClientForTests(
      'demo',
      fakeHka({
        enviar: vi.fn(async () => {
          throw new HkaRejectedError('Enviar', '201', 'Error al procesar solicitud.', details);
        }),
      }),
    );
    const error = await submitToHka(state()).catch((e) => e);
    expect(error.name).toBe('HkaRejectedError');
    const setReasons = ddb
      .commandCalls(UpdateCommand)
      .map((c) => c.args[0].input)
      .find((input) => JSON.stringify(input.ExpressionAttributeValues).includes('unidadMedida'));
    expect(setReasons).toBeDefined();
  });

  it('submit-to-hka lets transient errors through for the Retry', async () => {
    setHkaClientForTests(
      'demo',
      fakeHka({
        enviar: vi.fn(async () => {
          throw new HkaTransientError('Enviar', 'unknown', 'timeout');
        }),
      }),
    );
    await expect(submitToHka(state())).rejects.toMatchObject({ name: 'HkaTransientError' });
  });

  it('archive-document stores HKA’s XML and PDF under the tenant prefix', async () => {
    const hka = fakeHka();
    setHkaClientForTests('demo', hka);
    const next = await archiveDocument({ ...state(), channel: 'hka-integration', authorization });
    const prefix = `tenants/${TENANT}/documents/${doc.documentId}`;
    expect(next.artifacts).toEqual({ xmlKey: `${prefix}/rfe.xml`, pdfKey: `${prefix}/cafe.pdf` });
    const keys = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key);
    expect(keys.sort()).toEqual([`${prefix}/cafe.pdf`, `${prefix}/rfe.xml`]);
  });

  it('mark-authorized moves PROCESSING → AUTHORIZED with the authorization and a history event', async () => {
    const artifacts = { xmlKey: 'a', pdfKey: 'b' };
    await markAuthorized({ ...state(), authorization, artifacts });
    const tx = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    const update = tx[0]!.Update!;
    expect(update.ConditionExpression).toMatch(/#status IN/);
    const values = Object.values(update.ExpressionAttributeValues ?? {});
    expect(values).toContain('AUTHORIZED');
    expect(values).toContain(authorization.cufe);
    expect(values).toContain(`T#${TENANT}#CUFE#${authorization.cufe}`);
    expect(values).toContain(`T#${TENANT}#STATUS#AUTHORIZED`);
    expect(tx[1]!.Put!.Item).toMatchObject({ type: 'AUTHORIZED', status: 'AUTHORIZED' });
  });

  it('mark-rejected uses the reasons recorded by the submit step', async () => {
    const reasons = [{ path: 'receiver.dv', message: 'DV inválido' }];
    doc = documentRecord({ reasons });
    await markRejected({
      ...state(),
      error: {
        Error: 'HkaRejectedError',
        Cause: JSON.stringify({ errorType: 'HkaRejectedError', errorMessage: 'rechazado' }),
      },
    });
    const tx = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(Object.values(tx[0]!.Update!.ExpressionAttributeValues ?? {})).toContainEqual(reasons);
    expect(tx[1]!.Put!.Item).toMatchObject({ type: 'REJECTED', reasons });
  });

  it('mark-rejected gives the debited folios back', async () => {
    doc = documentRecord({
      reasons: [{ path: '', message: 'x' }],
      folioDebit: { pool: true, assignmentUserId: 'user-1' },
    });
    await markRejected({ ...state(), error: { Error: 'HkaRejectedError', Cause: '{}' } });
    const credits = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(credits.map((c) => c.Key?.sk)).toEqual(['FOLIOS', 'FOLIO_ASSIGNMENT#user-1']);
    expect(credits[0]!.ExpressionAttributeValues).toEqual({ ':one': 1 });
  });

  it('mark-failed records the cause from the Catch', async () => {
    await markFailed({
      ...state(),
      error: {
        Error: 'HkaTransientError',
        Cause: JSON.stringify({ errorType: 'HkaTransientError', errorMessage: 'HKA timed out' }),
      },
    });
    const tx = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(tx[1]!.Put!.Item).toMatchObject({
      type: 'FAILED',
      reasons: [{ path: '', message: 'HKA timed out', code: 'HkaTransientError' }],
    });
  });
});
