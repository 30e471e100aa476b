import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, type Mock, vi } from 'vitest';
import { type DocumentRecord, documentItem } from '#shared/data/documents';
import { inFlightPartition, inFlightShard, keys } from '#shared/data/keys';
import { AttemptSupersededError } from '#shared/documents/attempts';
import { PipelineStateError } from '#shared/documents/pipeline/common';
import { endAttempt } from '#shared/documents/pipeline/end-attempt';
import { finalizeDocument } from '#shared/documents/pipeline/finalize';
import { submitToHka } from '#shared/documents/pipeline/submit-to-hka';
import type { PipelineState } from '#shared/events/pipeline';
import { validateDocument } from '#shared/fiscal/validate';
import { forgetBreakerCacheForTests } from '#shared/hka/breaker';
import type { HkaClient } from '#shared/hka/client';
import { HkaAuthenticationError, HkaRejectedError, HkaTransientError } from '#shared/hka/errors';
import {
  type PacReceptionClient,
  setHkaClientForTests,
  setPacReceptionClientForTests,
} from '#shared/tenancy/hka';
import { installBucket } from './fake-bucket.ts';
import { FakeTable } from './fake-table.ts';
import {
  documentRecord,
  exampleInvoice,
  folioAssignment,
  folioPool,
  hkaCredentialsItem,
} from './fixtures.ts';
import { setTestEnv, TENANT } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const events = mockClient(EventBridgeClient);
const table = new FakeTable();
let bucket: ReturnType<typeof installBucket>;

const ID = '01KAQ0000000000000000000AB';
const PREFIX = `tenants/${TENANT}/documents/${ID}`;
const EXECUTION = 'arn:aws:states:us-east-1:111111111111:express:issuing:e1:run-1';
const CREDENTIALS = { tokenEmpresa: 'te', tokenPassword: 'tp' };
const DATOS = {
  codigoSucursalEmisor: '0000',
  numeroDocumentoFiscal: '0000000001',
  puntoFacturacionFiscal: '001',
  tipoDocumento: '01',
  tipoEmision: '01',
};
/** The last attempt the default configuration allows (eight waits between nine attempts). */
const LAST_ATTEMPT = 9;
/** Events the step published: detail-type and detail. */
const published = () =>
  events
    .commandCalls(PutEventsCommand)
    .flatMap((call) => call.args[0].input.Entries ?? [])
    .map((entry) => ({ type: entry.DetailType, detail: JSON.parse(entry.Detail ?? '{}') }));

const validated = validateDocument(exampleInvoice(), { now: new Date('2026-11-22T12:00:00Z') });
if (!validated.ok) throw new Error('example invoice must be valid');

const authorization = {
  cufe: 'FE0120000155596713-2-2015-5900002026112200000000010010121234567897',
  qr: 'https://dgi-fep-test.mef.gob.pa:40001/Consultas/FacturasPorQR?chFE=FE01&iAmb=2',
  protocol: '0000155596713-2-201520260000000000000001',
  authorizedAt: '2026-11-22T12:00:05.000Z',
};
const estadoFound = {
  found: true as const,
  codigo: '200',
  mensaje: 'ok',
  cufe: authorization.cufe,
  status: 'Autorizada',
  statusMessage: 'Autorizada',
  receivedAt: '2026-11-22T12:00:04.000Z',
  responseXml: '<EstadoDocumentoResponse/>',
};
const estadoNotFound = { found: false as const, codigo: '404', mensaje: 'no existe' };
/** HKA's authorized rFE: `&` escaped once in dQRCode, as on the wire. */
const hkaRfe = `<rFE xmlns="http://dgi-fep.mef.gob.pa"><gNoFirm><dQRCode>${authorization.qr.replace(/&/g, '&amp;')}</dQRCode></gNoFirm></rFE>`;

type FakeHka = { [K in 'enviar' | 'estadoDocumento' | 'descargaXml' | 'descargaPdf']: Mock };
let hka: FakeHka;

function fakeHka(): FakeHka {
  return {
    enviar: vi.fn(async () => ({
      duplicate: false,
      codigo: '200',
      mensaje: 'ok',
      authorization: { ...authorization, authorizedAtRaw: '2026-11-22T07:00:05-05:00' },
      responseXml: '<EnviarResponse/>',
    })),
    estadoDocumento: vi.fn(async () => estadoNotFound),
    descargaXml: vi.fn(async () => ({ codigo: '200', mensaje: 'ok', content: Buffer.from(hkaRfe) })),
    descargaPdf: vi.fn(async () => ({ codigo: '200', mensaje: 'ok', content: Buffer.from('%PDF-1.7 hka') })),
  };
}

const state = (overrides: Partial<PipelineState> = {}): PipelineState => ({
  tenantId: TENANT,
  documentId: ID,
  attempt: 1,
  channel: 'hka-integration',
  executionId: EXECUTION,
  ...overrides,
});

/** A Catch's `$.error` for a Lambda error of class `type` (Cause is the runtime's JSON). */
const caught = (type: string, message = `${type} happened`) => ({
  Error: type,
  Cause: JSON.stringify({ errorType: type, errorMessage: message, trace: [] }),
});

function seed(overrides: Partial<DocumentRecord> = {}): DocumentRecord {
  const doc = documentRecord(overrides);
  table.put(documentItem(doc));
  return doc;
}
const stored = () => table.get(keys.document(TENANT, ID))!;
const history = () =>
  table
    .partition(`T#${TENANT}#DOC#${ID}`)
    .filter((item) => String(item.sk).startsWith('EVENT#'))
    .sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
const lastEvent = () => history().at(-1);
const inFlightKeys = (leaseUntil: string) => ({
  gsi4pk: inFlightPartition(inFlightShard(ID)),
  gsi4sk: `${leaseUntil}#${TENANT}#${ID}`,
});
const plus = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000).toISOString();
const pool = () => table.get({ pk: `T#${TENANT}`, sk: 'FOLIOS' })?.poolAvailable;
const assignment = () => table.get({ pk: `T#${TENANT}`, sk: 'FOLIO_ASSIGNMENT#user-1' })?.remaining;

beforeEach(() => {
  ddb.reset();
  s3.reset();
  kms.reset();
  events.reset();
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
  forgetBreakerCacheForTests();
  table.clear();
  table.install(ddb);
  table.put(hkaCredentialsItem);
  bucket = installBucket(s3);
  bucket.objects.set(`${PREFIX}/computed.json`, Buffer.from(JSON.stringify(validated.document)));
  kms.on(DecryptCommand).resolves({ Plaintext: new TextEncoder().encode(JSON.stringify(CREDENTIALS)) });
  hka = fakeHka();
  setHkaClientForTests('demo', hka as unknown as HkaClient);
});

describe('SubmitToHka', () => {
  const now = new Date('2026-11-22T12:00:10.000Z');

  it('begins the attempt and counts the submission before sending, then returns HKA’s authorization', async () => {
    seed();
    hka.enviar.mockImplementationOnce(async (credentials, documento) => {
      // What the document says while the request is out: owned, counted, leased for the whole attempt.
      expect(stored()).toMatchObject({
        attemptOwner: EXECUTION,
        submissionAttempts: 1,
        lastSubmissionAt: now.toISOString(),
        leaseUntil: plus(now, 360),
        ...inFlightKeys(plus(now, 360)),
      });
      expect(credentials).toEqual(CREDENTIALS);
      expect(documento).toMatchObject({
        codigoSucursalEmisor: '0000',
        datosTransaccion: { numeroDocumentoFiscal: '0000000001', puntoFacturacionFiscal: '001' },
      });
      return {
        duplicate: false,
        codigo: '200',
        mensaje: 'ok',
        authorization: { ...authorization, authorizedAtRaw: '' },
        responseXml: '<EnviarResponse>authorized</EnviarResponse>',
      };
    });

    const next = await submitToHka(state(), now);

    expect(next).toEqual({ ...state(), authorization });
    expect(hka.estadoDocumento).not.toHaveBeenCalled();
    expect(bucket.text(`${PREFIX}/hka-response.xml`)).toBe('<EnviarResponse>authorized</EnviarResponse>');
    expect(lastEvent()).toMatchObject({
      type: 'SUBMISSION_ATTEMPT',
      status: 'PROCESSING',
      message: 'Attempt 1, submission 1 to HKA',
    });
    // The step does not decide the final state: FinalizeDocument does.
    expect(stored().status).toBe('PROCESSING');
  });

  it('reconciles first when an earlier submission may have reached HKA, and sends nothing when HKA has it', async () => {
    seed({ attempt: 2, submissionAttempts: 1 });
    hka.estadoDocumento.mockResolvedValueOnce(estadoFound);

    const next = await submitToHka(state({ attempt: 2 }), now);

    expect(hka.estadoDocumento).toHaveBeenCalledWith(CREDENTIALS, DATOS);
    expect(hka.enviar).not.toHaveBeenCalled();
    // EstadoDocumento reports neither the QR nor the protocol: FinalizeDocument finds them.
    expect(next.authorization).toEqual({ cufe: estadoFound.cufe, authorizedAt: estadoFound.receivedAt });
    expect(bucket.text(`${PREFIX}/hka-response.xml`)).toBe(estadoFound.responseXml);
    expect(stored().submissionAttempts).toBe(2);
    expect(lastEvent()!.message).toBe('Attempt 2, submission 2 to HKA: asking EstadoDocumento first');
  });

  it('sends after EstadoDocumento answers that HKA does not have it', async () => {
    seed({ attempt: 2, submissionAttempts: 1 });
    const order: string[] = [];
    hka.estadoDocumento.mockImplementationOnce(async () => {
      order.push('estado');
      return estadoNotFound;
    });
    hka.enviar.mockImplementationOnce(async () => {
      order.push('enviar');
      return { duplicate: true, codigo: '102', mensaje: 'ya procesado', authorization, responseXml: '<x/>' };
    });
    expect((await submitToHka(state({ attempt: 2 }), now)).authorization).toEqual(authorization);
    expect(order).toEqual(['estado', 'enviar']);
  });

  it('does not ask HKA first when every earlier submission certainly never left', async () => {
    seed({ attempt: 3, submissionAttempts: 2, notSentAttempts: 2 });
    await submitToHka(state({ attempt: 3 }), now);
    expect(hka.estadoDocumento).not.toHaveBeenCalled();
    expect(hka.enviar).toHaveBeenCalledTimes(1);
    expect(lastEvent()!.message).toBe('Attempt 3, submission 3 to HKA');
  });

  it('records a submission HKA never received, and lets the transient error through for the Retry', async () => {
    seed();
    hka.enviar.mockRejectedValueOnce(new HkaTransientError('Enviar', 'not-sent', 'connection refused'));
    await expect(submitToHka(state(), now)).rejects.toMatchObject({ name: 'HkaTransientError' });
    expect(stored()).toMatchObject({ submissionAttempts: 1, notSentAttempts: 1 });

    // The Retry's submission: nothing may be at HKA, so it is sent without asking first.
    await submitToHka(state(), now);
    expect(hka.estadoDocumento).not.toHaveBeenCalled();
    expect(stored()).toMatchObject({ submissionAttempts: 2, notSentAttempts: 1 });
  });

  it('breaker open: takes the attempt without counting a submission and calls nothing (HkaCircuitOpenError)', async () => {
    table.put({
      pk: 'T#_platform#HKA#demo',
      sk: 'BREAKER',
      state: 'open',
      consecutiveFailures: 3,
      nextProbeAt: '2026-11-22T12:01:00.000Z',
    });
    seed();
    await expect(submitToHka(state({ environment: 'demo', probe: false }), now)).rejects.toMatchObject({
      name: 'HkaCircuitOpenError',
    });
    expect(hka.enviar).not.toHaveBeenCalled();
    expect(stored()).toMatchObject({ attemptOwner: EXECUTION });
    expect(stored().submissionAttempts).toBeUndefined();
  });

  it('the breaker’s probe calls HKA although it is open; a failed probe is not retried within the attempt', async () => {
    table.put({ pk: 'T#_platform#HKA#demo', sk: 'BREAKER', state: 'open', consecutiveFailures: 3 });
    seed();
    hka.enviar.mockRejectedValueOnce(new HkaTransientError('Enviar', 'not-sent', 'HTTP 503'));
    await expect(submitToHka(state({ environment: 'demo', probe: true }), now)).rejects.toMatchObject({
      name: 'HkaProbeFailedError',
    });
    expect(hka.enviar).toHaveBeenCalledTimes(1);
    expect(stored()).toMatchObject({ submissionAttempts: 1, notSentAttempts: 1 });
    // The next probe gets through and HKA's answer closes the breaker.
    await submitToHka(state({ environment: 'demo', probe: true }), now);
    expect(table.get({ pk: 'T#_platform#HKA#demo', sk: 'BREAKER' })).toMatchObject({ state: 'closed' });
  });

  it('an unknown outcome is not counted as never sent: the next submission asks HKA first', async () => {
    seed();
    hka.enviar.mockRejectedValueOnce(new HkaTransientError('Enviar', 'unknown', 'socket hang up'));
    await expect(submitToHka(state(), now)).rejects.toBeInstanceOf(HkaTransientError);
    expect(stored().notSentAttempts).toBeUndefined();

    await submitToHka(state(), now);
    expect(hka.estadoDocumento).toHaveBeenCalledTimes(1);
  });

  it('keeps Enviar’s rejection reasons on the document and rethrows it as the document’s rejection (never retried)', async () => {
    seed();
    const details = [{ path: 'items[0].unit', message: 'El campo unidadMedida es inválido' }];
    hka.enviar.mockRejectedValueOnce(
      new HkaRejectedError('Enviar', '201', 'Error al procesar solicitud.', details),
    );
    const error = await submitToHka(state(), now).catch((e) => e);
    expect(error.name).toBe('DocumentRejectedError');
    expect(error.message).toBe('Error al procesar solicitud.');
    expect(stored().reasons).toEqual(details);
  });

  it('a refusal of EstadoDocumento (an unexpected code) is not the document’s rejection', async () => {
    seed({ submissionAttempts: 1 });
    hka.estadoDocumento.mockRejectedValueOnce(
      new HkaRejectedError('EstadoDocumento', '999', 'Error inesperado', []),
    );
    const error = await submitToHka(state(), now).catch((e) => e);
    expect(error.name).toBe('HkaRejectedError');
    expect(hka.enviar).not.toHaveBeenCalled();
    expect(stored().reasons ?? []).toEqual([]);
  });

  it('an authentication refusal tells the tenant to update its credentials', async () => {
    seed();
    hka.enviar.mockRejectedValueOnce(new HkaAuthenticationError('Enviar', '100', 'Token inválido'));
    await expect(submitToHka(state(), now)).rejects.toMatchObject({ name: 'HkaAuthenticationError' });
    expect(stored().reasons).toEqual([
      { path: '', message: 'HKA refused the tenant credentials; update them in the settings', code: '100' },
    ]);
  });

  it.each([
    ['another execution owns the attempt', { attemptOwner: 'arn:other-execution' }],
    ['a newer attempt was claimed', { attempt: 2 }],
    ['the document already left PROCESSING', { status: 'AUTHORIZED' as const, leaseUntil: undefined }],
  ])('a superseded attempt (%s) sends nothing: AttemptSupersededError', async (_case, overrides) => {
    seed(overrides);
    const before = stored();
    const error = await submitToHka(state(), now).catch((e) => e);
    expect(error).toBeInstanceOf(AttemptSupersededError);
    expect(error.name).toBe('AttemptSupersededError');
    expect(hka.enviar).not.toHaveBeenCalled();
    expect(hka.estadoDocumento).not.toHaveBeenCalled();
    expect(stored()).toEqual(before);
  });
});

describe('FinalizeDocument, hka-integration', () => {
  const now = new Date('2026-11-22T12:00:20.000Z');

  it('archives HKA’s rFE and CAFE, marks AUTHORIZED and takes the document out of the in-flight index', async () => {
    seed({ attemptOwner: EXECUTION, leaseUntil: '2026-11-22T12:06:10.000Z', submissionAttempts: 1 });

    const next = await finalizeDocument(state({ authorization }), now);

    expect(hka.descargaXml).toHaveBeenCalledWith(CREDENTIALS, DATOS);
    expect(hka.descargaPdf).toHaveBeenCalledWith(CREDENTIALS, DATOS);
    expect(bucket.text(`${PREFIX}/rfe.xml`)).toBe(hkaRfe);
    expect(bucket.text(`${PREFIX}/cafe.pdf`)).toBe('%PDF-1.7 hka');
    const artifacts = { xmlKey: `${PREFIX}/rfe.xml`, pdfKey: `${PREFIX}/cafe.pdf` };
    const item = stored();
    expect(item).toMatchObject({
      status: 'AUTHORIZED',
      ...authorization,
      artifacts,
      reasons: [],
      gsi2pk: `T#${TENANT}#STATUS#AUTHORIZED`,
      gsi3pk: `T#${TENANT}#CUFE#${authorization.cufe}`,
    });
    for (const gone of ['attemptOwner', 'leaseUntil', 'gsi4pk', 'gsi4sk'])
      expect(item).not.toHaveProperty(gone);
    expect(lastEvent()).toMatchObject({
      type: 'AUTHORIZED',
      status: 'AUTHORIZED',
      message: `Authorized, protocol ${authorization.protocol}`,
    });
    expect(next).toEqual({
      ...state(),
      authorization,
      artifacts,
      hasRecipients: false,
      outcome: 'authorized',
    });
  });

  it('reconciled: the QR is read from HKA’s rFE (unescaped once); the protocol stays unknown', async () => {
    seed();
    const reconciled = { cufe: authorization.cufe, authorizedAt: estadoFound.receivedAt };
    const next = await finalizeDocument(state({ authorization: reconciled }), now);
    expect(stored()).toMatchObject({ status: 'AUTHORIZED', qr: authorization.qr, cufe: authorization.cufe });
    expect(stored()).not.toHaveProperty('protocol');
    expect(next.authorization).toEqual({ ...reconciled, qr: authorization.qr });
    expect(lastEvent()!.message).toBe(
      'Authorized (found at HKA by EstadoDocumento; HKA does not report the protocol there)',
    );
  });

  it('says whether there is anyone to e-mail (the e-mail rule matches on it)', async () => {
    seed({ receiver: { type: 'taxpayer', name: 'Cliente', emails: ['cliente@example.com'] } });
    expect((await finalizeDocument(state({ authorization }), now)).hasRecipients).toBe(true);
  });

  it('is not fenced by the attempt: HKA’s authorization holds whichever attempt learned it', async () => {
    seed({ attempt: 3, status: 'FAILED', leaseUntil: undefined });
    await finalizeDocument(state({ attempt: 1, authorization }), now);
    expect(stored()).toMatchObject({ status: 'AUTHORIZED', attempt: 3 });
  });

  it('a document already archived and AUTHORIZED is published again without downloading anything', async () => {
    const artifacts = { xmlKey: `${PREFIX}/rfe.xml`, pdfKey: `${PREFIX}/cafe.pdf` };
    seed({ status: 'AUTHORIZED', leaseUntil: undefined, ...authorization, artifacts });
    const next = await finalizeDocument(
      state({ authorization: { cufe: authorization.cufe, authorizedAt: 'later' } }),
      now,
    );
    expect(hka.descargaXml).not.toHaveBeenCalled();
    expect(next).toMatchObject({ authorization, artifacts, outcome: 'authorized' });
    expect(history()).toHaveLength(0);
  });

  it.each(['REJECTED', 'CANCELLED'] as const)(
    'refuses to turn a %s document into AUTHORIZED',
    async (status) => {
      seed({ status, leaseUntil: undefined });
      await expect(finalizeDocument(state({ authorization }), now)).rejects.toBeInstanceOf(
        PipelineStateError,
      );
      expect(stored().status).toBe(status);
    },
  );

  it('needs the authorization in its input', async () => {
    seed();
    await expect(finalizeDocument(state(), now)).rejects.toMatchObject({ name: 'PipelineStateError' });
  });
});

describe('FinalizeDocument, emitter-signed', () => {
  const now = new Date('2026-11-22T12:00:20.000Z');
  const signedKey = `${PREFIX}/rfe.xml`;
  const signedQr =
    'https://dgi-fep-test.mef.gob.pa:40001/Consultas/FacturasPorQR?chFE=FE01&iAmb=2&digestValue=ZGln';
  const signedRfe = `<rFE xmlns="http://dgi-fep.mef.gob.pa"><dId>FE01</dId><gNoFirm><dQRCode>${signedQr.replace(/&/g, '&amp;')}</dQRCode></gNoFirm><Signature/></rFE>`;
  let send: Mock;

  beforeEach(() => {
    bucket.objects.set(signedKey, Buffer.from(signedRfe));
    send = vi.fn(async () => ({
      duplicate: true,
      code: '1002',
      message: 'Ya autorizado',
      cufe: authorization.cufe,
      protocol: '20260000000000000099',
      digestValue: 'ZGln',
      processedAt: '2026-11-22T12:00:04.000Z',
      results: [],
      responseXml: '<rProtFe/>',
    }));
    setPacReceptionClientForTests('demo', { send, close() {} } as unknown as PacReceptionClient);
  });

  it('keeps our signed rFE as the original and renders the CAFE itself', async () => {
    seed({ channel: 'emitter-signed', signedXmlKey: signedKey });
    const signedAuthorization = { ...authorization, qr: signedQr };
    const next = await finalizeDocument(
      state({ channel: 'emitter-signed', signedXmlKey: signedKey, authorization: signedAuthorization }),
      now,
    );
    expect(send).not.toHaveBeenCalled();
    expect(hka.descargaXml).not.toHaveBeenCalled();
    expect(bucket.text(signedKey)).toBe(signedRfe);
    expect(bucket.text(`${PREFIX}/cafe.pdf`)!.startsWith('%PDF-')).toBe(true);
    expect(stored()).toMatchObject({
      status: 'AUTHORIZED',
      ...signedAuthorization,
      artifacts: { xmlKey: signedKey, pdfKey: `${PREFIX}/cafe.pdf` },
    });
    expect(next.outcome).toBe('authorized');
  });

  it('reconciled: the QR comes from the signed rFE and the protocol from re-sending the identical rFE', async () => {
    seed({ channel: 'emitter-signed', signedXmlKey: signedKey });
    const reconciled = { cufe: authorization.cufe, authorizedAt: estadoFound.receivedAt };
    await finalizeDocument(state({ channel: 'emitter-signed', authorization: reconciled }), now);
    expect(send).toHaveBeenCalledWith(signedRfe, { environment: '2' });
    expect(stored()).toMatchObject({
      status: 'AUTHORIZED',
      qr: signedQr,
      protocol: '20260000000000000099',
      authorizedAt: estadoFound.receivedAt,
    });
    expect(lastEvent()!.message).toBe('Authorized, protocol 20260000000000000099');
  });

  it('refuses an emitter-signed document without its signed rFE', async () => {
    seed({ channel: 'emitter-signed' });
    await expect(
      finalizeDocument(state({ channel: 'emitter-signed', authorization }), now),
    ).rejects.toBeInstanceOf(PipelineStateError);
    expect(stored().status).toBe('PROCESSING');
  });
});

describe('EndAttempt', () => {
  const now = new Date('2026-11-22T12:01:00.000Z');
  /** A document that has waited for HKA 73 hours: past the maximum wait. */
  const WAITED_72_H = {
    status: 'WAITING_FOR_HKA' as const,
    waitingSince: new Date(now.getTime() - 73 * 3_600_000).toISOString(),
    waits: 40,
  };

  describe('superseded or settled: nothing changes', () => {
    it('the attempt was never this execution’s', async () => {
      seed({ attemptOwner: 'arn:other-execution' });
      const before = stored();
      const next = await endAttempt(state({ error: caught('AttemptSupersededError') }), now);
      expect(next.outcome).toBe('superseded');
      expect(stored()).toEqual(before);
      expect(history()).toHaveLength(0);
    });

    it('a newer attempt was claimed meanwhile', async () => {
      seed({ attempt: 2 });
      const before = stored();
      expect((await endAttempt(state({ error: caught('HkaTransientError') }), now)).outcome).toBe(
        'superseded',
      );
      expect(stored()).toEqual(before);
    });

    it.each(['AUTHORIZED', 'REJECTED', 'FAILED'] as const)('the document is already %s', async (status) => {
      seed({ status, leaseUntil: undefined });
      const before = stored();
      expect((await endAttempt(state({ error: caught('HkaRejectedError') }), now)).outcome).toBe('settled');
      expect(stored()).toEqual(before);
    });

    it('the document does not exist', async () => {
      expect((await endAttempt(state({ error: caught('DocumentNotFoundError') }), now)).outcome).toBe(
        'settled',
      );
    });
  });

  describe('rejected', () => {
    it('REJECTED with the reasons the submit step kept, out of the in-flight index, folios given back', async () => {
      const reasons = [{ path: 'receiver.dv', message: 'DV inválido' }];
      seed({
        reasons,
        attemptOwner: EXECUTION,
        submissionAttempts: 1,
        folioDebit: { pool: true, assignmentUserId: 'user-1' },
      });
      table.put(folioPool(4));
      table.put(folioAssignment('user-1', 1));

      const next = await endAttempt(
        state({ error: caught('DocumentRejectedError', 'Error al procesar') }),
        now,
      );

      expect(next.outcome).toBe('rejected');
      const item = stored();
      expect(item).toMatchObject({ status: 'REJECTED', reasons, gsi2pk: `T#${TENANT}#STATUS#REJECTED` });
      for (const gone of ['attemptOwner', 'leaseUntil', 'gsi4pk', 'gsi4sk'])
        expect(item).not.toHaveProperty(gone);
      expect(lastEvent()).toMatchObject({ type: 'REJECTED', status: 'REJECTED', reasons });
      expect(pool()).toBe(5);
      expect(assignment()).toBe(2);
    });

    it('without recorded reasons, HKA’s message is the reason; no folio debit, nothing to give back', async () => {
      seed();
      table.put(folioPool(4));
      await endAttempt(state({ error: caught('DocumentRejectedError', 'Firma inválida') }), now);
      expect(stored().reasons).toEqual([{ path: '', message: 'Firma inválida' }]);
      expect(pool()).toBe(4);
    });

    it('the tenant’s last CONTINGENCY document REJECTED ends the contingency (rejected is a final state)', async () => {
      // Prepare
      const startedAt = '2026-11-22T11:00:00.000Z';
      seed({ status: 'CONTINGENCY', emissionType: '02', contingency: { startedAt } });
      table.put({
        ...keys.contingency(TENANT),
        startedAt,
        environment: 'demo',
        documents: 1,
        announcedAt: startedAt,
      });

      // Act
      const next = await endAttempt(
        state({ error: caught('DocumentRejectedError', 'Error al procesar') }),
        now,
      );

      // Assess
      expect(next.outcome).toBe('rejected');
      expect(published()).toContainEqual({
        type: 'contingency.ended',
        detail: {
          tenantId: TENANT,
          environment: 'demo',
          startedAt,
          endedAt: now.toISOString(),
          documents: 1,
        },
      });
      expect(table.get(keys.contingency(TENANT))).toBeUndefined();
    });

    it('a REJECTED contingency document while another is still in CONTINGENCY: the contingency goes on', async () => {
      // Prepare
      const startedAt = '2026-11-22T11:00:00.000Z';
      seed({ status: 'CONTINGENCY', emissionType: '02', contingency: { startedAt } });
      const other = documentRecord({
        documentId: '01KAQ0000000000000000000AC',
        number: '0000000002',
        status: 'CONTINGENCY',
        emissionType: '02',
        contingency: { startedAt },
      });
      table.put(documentItem(other));
      table.put({
        ...keys.contingency(TENANT),
        startedAt,
        environment: 'demo',
        documents: 2,
        announcedAt: startedAt,
      });

      // Act
      await endAttempt(state({ error: caught('DocumentRejectedError', 'Error al procesar') }), now);

      // Assess
      expect(published().map((event) => event.type)).not.toContain('contingency.ended');
      expect(table.get(keys.contingency(TENANT))).toMatchObject({ startedAt, documents: 2 });
    });
  });

  describe('waiting for HKA', () => {
    it.each([
      [0, 30],
      [3, 240],
      [10, 1800],
    ])('after %s waits, HKA not answering makes it wait %s s, durably and visibly', async (waits, delay) => {
      const waitingSince = waits > 0 ? '2026-11-22T11:00:00.000Z' : undefined;
      seed({
        attempt: 4,
        attemptOwner: EXECUTION,
        submissionAttempts: 4,
        leaseUntil: plus(now, 300),
        waits,
        ...(waitingSince ? { status: 'WAITING_FOR_HKA', waitingSince, waitingAnnounced: true } : {}),
      });
      const next = await endAttempt(
        state({ attempt: 4, error: caught('HkaTransientError', 'HKA Enviar sent, no answer') }),
        now,
      );
      expect(next.outcome).toBe('waiting');
      const dueAt = plus(now, delay);
      expect(stored()).toMatchObject({
        status: 'WAITING_FOR_HKA',
        attempt: 4,
        leaseUntil: dueAt,
        nextAttemptAt: dueAt,
        lastError: 'HkaTransientError: HKA Enviar sent, no answer',
        waitingSince: waitingSince ?? now.toISOString(),
        waits: waits + 1,
        gsi2pk: `T#${TENANT}#STATUS#WAITING_FOR_HKA`,
        ...inFlightKeys(dueAt),
      });
      expect(stored()).not.toHaveProperty('attemptOwner');
      expect(lastEvent()).toMatchObject({
        type: waits === 0 ? 'WAITING_FOR_HKA' : 'ATTEMPT_FAILED',
        status: 'WAITING_FOR_HKA',
        message: `Attempt 4: HkaTransientError: HKA Enviar sent, no answer; attempt 5 at ${dueAt}`,
      });
      // Only the first wait is announced, and remembered as announced.
      expect(stored().waitingAnnounced).toBe(true);
      expect(published()).toEqual(
        waits === 0
          ? [
              {
                type: 'document.waiting',
                detail: {
                  tenantId: TENANT,
                  documentId: ID,
                  nextAttemptAt: dueAt,
                  lastError: 'HkaTransientError: HKA Enviar sent, no answer',
                },
              },
            ]
          : [],
      );
      expect(hka.estadoDocumento).not.toHaveBeenCalled();
    });

    it('document.waiting is published at least once: a failed publication fails the step, its retry publishes', async () => {
      seed({ attemptOwner: EXECUTION, submissionAttempts: 1 });
      events
        .on(PutEventsCommand)
        .rejectsOnce(new Error('EventBridge throttled'))
        .resolves({ FailedEntryCount: 0 });
      const failing = state({ error: caught('HkaTransientError', 'reset') });
      await expect(endAttempt(failing, now)).rejects.toThrow('EventBridge throttled');
      expect(stored()).toMatchObject({ status: 'WAITING_FOR_HKA' });
      expect(stored().waitingAnnounced).toBeUndefined();
      expect((await endAttempt(failing, now)).outcome).toBe('waiting');
      expect(stored().waitingAnnounced).toBe(true);
      expect(events.commandCalls(PutEventsCommand)).toHaveLength(2);
    });

    it('a CONTINGENCY document keeps its status while it waits to be sent', async () => {
      seed({ status: 'CONTINGENCY', attemptOwner: EXECUTION, submissionAttempts: 1 });
      await endAttempt(state({ error: caught('HkaTransientError', 'reset') }), now);
      expect(stored()).toMatchObject({ status: 'CONTINGENCY', nextAttemptAt: plus(now, 30) });
    });

    it('held back by the open breaker: no wait counted, its next attempt not before the next probe', async () => {
      const nextProbeAt = plus(now, 45);
      table.put({
        pk: 'T#_platform#HKA#demo',
        sk: 'BREAKER',
        state: 'open',
        consecutiveFailures: 5,
        nextProbeAt,
      });
      seed({
        status: 'WAITING_FOR_HKA',
        waitingSince: '2026-11-22T11:00:00.000Z',
        waitingAnnounced: true,
        waits: 1,
        submissionAttempts: 1,
      });
      const next = await endAttempt(
        state({ error: caught('HkaCircuitOpenError', 'HKA demo is unreachable (circuit breaker open)') }),
        now,
      );
      expect(next.outcome).toBe('waiting');
      expect(stored()).toMatchObject({ status: 'WAITING_FOR_HKA', waits: 1, nextAttemptAt: nextProbeAt });
      expect(published()).toEqual([]);
    });

    it('a failed probe waits like any failure, and not before the breaker’s next probe', async () => {
      const nextProbeAt = plus(now, 59);
      table.put({
        pk: 'T#_platform#HKA#demo',
        sk: 'BREAKER',
        state: 'open',
        consecutiveFailures: 5,
        nextProbeAt,
      });
      seed({ status: 'WAITING_FOR_HKA', waitingSince: '2026-11-22T11:00:00.000Z', waits: 0 });
      await endAttempt(state({ error: caught('HkaProbeFailedError', 'still down') }), now);
      expect(stored()).toMatchObject({ waits: 1, nextAttemptAt: nextProbeAt });
    });

    it('an authentication refusal is announced to the tenant (hka.credentials-failing)', async () => {
      seed({ submissionAttempts: 1, notSentAttempts: 1 });
      await endAttempt(state({ error: caught('HkaAuthenticationError', 'Token inválido') }), now);
      expect(published()).toEqual([
        {
          type: 'hka.credentials-failing',
          detail: { tenantId: TENANT, environment: 'demo', message: 'Token inválido' },
        },
      ]);
    });

    it('a step that timed out (Cause is not the runtime’s JSON) is transient too', async () => {
      seed();
      const next = await endAttempt(
        state({ error: { Error: 'States.Timeout', Cause: 'Task timed out after 60.00 seconds' } }),
        now,
      );
      expect(next.outcome).toBe('waiting');
      expect(lastEvent()!.message).toContain('States.Timeout: Task timed out after 60.00 seconds');
    });

    it('authorized by HKA but not archived yet: waits, however many attempts there were, and never asks to fail', async () => {
      seed({ attempt: LAST_ATTEMPT, submissionAttempts: LAST_ATTEMPT });
      table.put(folioPool(4));
      const next = await endAttempt(
        state({
          attempt: LAST_ATTEMPT,
          authorization,
          error: caught('HkaTransientError', 'DescargaPDF timed out'),
        }),
        now,
      );
      expect(next.outcome).toBe('waiting');
      expect(stored()).toMatchObject({ status: 'PROCESSING', leaseUntil: plus(now, 28_800) });
      expect(lastEvent()!.message).toContain('authorized by HKA, not archived yet: HkaTransientError');
      expect(hka.estadoDocumento).not.toHaveBeenCalled();
      expect(pool()).toBe(4);
    });

    it('a refusal while archiving (DescargaPDF: not found) never makes an authorized document REJECTED', async () => {
      seed({ folioDebit: { pool: true } });
      table.put(folioPool(4));
      const next = await endAttempt(
        state({ authorization, error: caught('HkaRejectedError', 'DescargaPDF: documento no encontrado') }),
        now,
      );
      expect(next.outcome).toBe('waiting');
      expect(stored().status).toBe('PROCESSING');
      expect(pool()).toBe(4);
    });

    it('our side failing while HKA is asked (KMS throttled) is retried, never FAILED', async () => {
      seed({ ...WAITED_72_H, attempt: LAST_ATTEMPT, submissionAttempts: 2, folioDebit: { pool: true } });
      table.put(folioPool(4));
      hka.estadoDocumento.mockRejectedValueOnce(
        Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }),
      );
      await expect(
        endAttempt(state({ attempt: LAST_ATTEMPT, error: caught('HkaTransientError', 'lost') }), now),
      ).rejects.toMatchObject({ name: 'ThrottlingException' });
      expect(stored().status).toBe('WAITING_FOR_HKA');
      expect(pool()).toBe(4);
    });

    it('authorized but not archived on an early attempt: waits the usual delay', async () => {
      seed();
      await endAttempt(state({ authorization, error: caught('PipelineStateError', 'S3 refused') }), now);
      expect(stored().leaseUntil).toBe(plus(now, 30));
    });
  });

  describe('before any FAILED, HKA is asked whether it holds the document', () => {
    it('HKA has it: reconciled, the workflow goes on to archive it (no FAILED, no folio credit)', async () => {
      seed({
        ...WAITED_72_H,
        attempt: LAST_ATTEMPT,
        submissionAttempts: 3,
        notSentAttempts: 1,
        folioDebit: { pool: true },
      });
      table.put(folioPool(4));
      hka.estadoDocumento.mockResolvedValueOnce(estadoFound);

      const next = await endAttempt(
        state({ attempt: LAST_ATTEMPT, error: caught('HkaTransientError') }),
        now,
      );

      expect(hka.estadoDocumento).toHaveBeenCalledWith(CREDENTIALS, DATOS);
      expect(next.outcome).toBe('authorized');
      expect(next.authorization).toEqual({ cufe: estadoFound.cufe, authorizedAt: estadoFound.receivedAt });
      expect(stored().status).toBe('WAITING_FOR_HKA');
      expect(lastEvent()).toMatchObject({ type: 'RECONCILED', status: 'WAITING_FOR_HKA' });
      expect(lastEvent()!.message).toContain('EstadoDocumento: Autorizada');
      expect(pool()).toBe(4);
    });

    it('HKA holds ANOTHER document under our number (its CUFE is of another day): REJECTED, never adopted, folio given back', async () => {
      seed({
        ...WAITED_72_H,
        attempt: LAST_ATTEMPT,
        submissionAttempts: 3,
        notSentAttempts: 1,
        folioDebit: { pool: true },
      });
      table.put(folioPool(4));
      const theirs = 'FE0120000155596713-2-2015-5900002026112100000000010010121234567890';
      hka.estadoDocumento.mockResolvedValueOnce({ ...estadoFound, cufe: theirs });

      const next = await endAttempt(
        state({ attempt: LAST_ATTEMPT, error: caught('HkaTransientError') }),
        now,
      );

      expect(next.outcome).toBe('rejected');
      expect(next.authorization).toBeUndefined();
      expect(stored()).toMatchObject({
        status: 'REJECTED',
        reasons: [
          expect.objectContaining({ path: 'number', code: 'NUMBER_TAKEN_BY_OTHER_DOCUMENT', hkaCode: '200' }),
        ],
      });
      expect((stored().reasons as { message: string }[])[0]!.message).toContain(theirs);
      expect(pool()).toBe(5);
    });

    it('a final error is reconciled first too (an earlier submission may have reached HKA)', async () => {
      seed({ submissionAttempts: 1 });
      hka.estadoDocumento.mockResolvedValueOnce(estadoFound);
      const next = await endAttempt(state({ error: caught('PipelineStateError', 'wiring') }), now);
      expect(next.outcome).toBe('authorized');
    });

    it('EstadoDocumento unreachable after an unknown submission: never FAILED, it keeps waiting', async () => {
      seed({ ...WAITED_72_H, attempt: LAST_ATTEMPT, submissionAttempts: 2, folioDebit: { pool: true } });
      table.put(folioPool(4));
      hka.estadoDocumento.mockRejectedValueOnce(
        new HkaTransientError('EstadoDocumento', 'unknown', 'timeout'),
      );

      const next = await endAttempt(
        state({ attempt: LAST_ATTEMPT, error: caught('HkaTransientError', 'sent, no answer') }),
        now,
      );

      expect(next.outcome).toBe('waiting');
      expect(stored()).toMatchObject({ status: 'WAITING_FOR_HKA', leaseUntil: plus(now, 1800) });
      expect(lastEvent()!.message).toContain('EstadoDocumento did not answer either (timeout)');
      expect(pool()).toBe(4);
    });

    it('HKA refuses to answer at all (revoked credentials): FAILED, saying POST /retry asks again', async () => {
      seed({ ...WAITED_72_H, attempt: LAST_ATTEMPT, submissionAttempts: 1 });
      hka.estadoDocumento.mockRejectedValueOnce(
        new HkaAuthenticationError('EstadoDocumento', '100', 'Token inválido'),
      );
      const next = await endAttempt(
        state({ attempt: LAST_ATTEMPT, error: caught('HkaTransientError', 'gone') }),
        now,
      );
      expect(next.outcome).toBe('failed');
      expect(stored().status).toBe('FAILED');
      expect(stored().reasons).toEqual([
        {
          path: '',
          code: 'HKA_UNREACHABLE',
          message: expect.stringMatching(
            /^HKA did not answer for 73 h \(last error: HkaTransientError: gone\); HKA could not be asked .*POST \/retry asks again/,
          ),
        },
      ]);
    });
  });

  describe('FAILED, with the folio given back, only when HKA cannot hold the document', () => {
    it('waited 72 h and every submission certainly never left: FAILED HKA_UNREACHABLE without asking HKA', async () => {
      seed({
        ...WAITED_72_H,
        attempt: LAST_ATTEMPT,
        submissionAttempts: 4,
        notSentAttempts: 4,
        attemptOwner: EXECUTION,
        folioDebit: { pool: true, assignmentUserId: 'user-1' },
      });
      table.put(folioPool(0));
      table.put(folioAssignment('user-1', 0));

      const next = await endAttempt(
        state({ attempt: LAST_ATTEMPT, error: caught('HkaTransientError', 'connection refused') }),
        now,
      );

      expect(next.outcome).toBe('failed');
      const message = 'HKA did not answer for 73 h (last error: HkaTransientError: connection refused)';
      expect(next.error).toEqual({ Error: 'HKA_UNREACHABLE', Cause: message });
      expect(hka.estadoDocumento).not.toHaveBeenCalled();
      const item = stored();
      expect(item).toMatchObject({
        status: 'FAILED',
        reasons: [{ path: '', message, code: 'HKA_UNREACHABLE' }],
        gsi2pk: `T#${TENANT}#STATUS#FAILED`,
      });
      for (const gone of ['attemptOwner', 'leaseUntil', 'nextAttemptAt', 'gsi4pk', 'gsi4sk'])
        expect(item).not.toHaveProperty(gone);
      expect(lastEvent()).toMatchObject({ type: 'FAILED', status: 'FAILED', message });
      expect(pool()).toBe(1);
      expect(assignment()).toBe(1);
    });

    it('waited 72 h and EstadoDocumento says HKA does not have it: FAILED', async () => {
      seed({ ...WAITED_72_H, attempt: LAST_ATTEMPT, submissionAttempts: 2, folioDebit: { pool: true } });
      table.put(folioPool(0));
      const next = await endAttempt(
        state({ attempt: LAST_ATTEMPT, error: caught('HkaTransientError') }),
        now,
      );
      expect(hka.estadoDocumento).toHaveBeenCalledTimes(1);
      expect(next.outcome).toBe('failed');
      expect(pool()).toBe(1);
    });

    it('a final error before anything was sent fails at once, on the first attempt', async () => {
      seed({ channel: 'emitter-signed', folioDebit: { pool: true } });
      table.put(folioPool(2));
      const next = await endAttempt(
        state({ channel: 'emitter-signed', error: caught('SigningKeyMissingError', 'no signing key') }),
        now,
      );
      expect(next.outcome).toBe('failed');
      expect(stored().reasons).toEqual([
        { path: '', message: 'no signing key', code: 'SigningKeyMissingError' },
      ]);
      expect(pool()).toBe(3);
    });

    it('an authentication refusal keeps the actionable reason the submit step recorded', async () => {
      const reasons = [
        { path: '', message: 'HKA refused the tenant credentials; update them in the settings' },
      ];
      seed({ reasons, submissionAttempts: 1, notSentAttempts: 1 });
      const next = await endAttempt(
        state({ error: caught('HkaAuthenticationError', 'Token inválido') }),
        now,
      );
      expect(next.outcome).toBe('failed');
      expect(stored().reasons).toEqual(reasons);
    });
  });

  it('the rejection of a superseded execution changes nothing (its write is fenced by the attempt)', async () => {
    seed({ folioDebit: { pool: true } });
    table.put(folioPool(4));
    // The sweep claims attempt 2 right after EndAttempt has read the document.
    ddb
      .on(GetCommand)
      .callsFakeOnce((input: { Key: { pk: string; sk: string } }) => {
        const read = table.handleGet(input);
        table.put({ ...stored(), attempt: 2 });
        return read;
      })
      .callsFake((input: { Key: { pk: string; sk: string } }) => table.handleGet(input));
    const next = await endAttempt(state({ error: caught('HkaRejectedError', 'rechazado') }), now);
    expect(next.outcome).toBe('superseded');
    expect(stored()).toMatchObject({ status: 'PROCESSING', attempt: 2 });
    expect(pool()).toBe(4);
  });
});
