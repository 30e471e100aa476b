import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, type Mock, vi } from 'vitest';
import { type DocumentRecord, documentItem } from '#shared/data/documents';
import { keys } from '#shared/data/keys';
import { AttemptSupersededError } from '#shared/documents/attempts';
import { PipelineStateError, qrOfRfe } from '#shared/documents/pipeline/common';
import { finalizeDocument } from '#shared/documents/pipeline/finalize';
import { SigningKeyMissingError, signXml } from '#shared/documents/pipeline/sign-xml';
import { submitSigned } from '#shared/documents/pipeline/submit-signed';
import type { PipelineState } from '#shared/events/pipeline';
import { validateDocument } from '#shared/fiscal/validate';
import { HkaRejectedError, HkaTransientError } from '#shared/hka/errors';
import { LocalKeySigner } from '#shared/signing/local-key-signer';
import { generateTestCertificate } from '#shared/signing/test-certificate';
import { verifyRfeSignature } from '#shared/signing/xmldsig';
import { type PacReceptionClient, setPacReceptionClientForTests } from '#shared/tenancy/hka';
import { installBucket } from './fake-bucket.ts';
import { FakeTable } from './fake-table.ts';
import { documentRecord } from './fixtures.ts';
import { setTestEnv, TENANT } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const secrets = mockClient(SecretsManagerClient);
const table = new FakeTable();
let bucket: ReturnType<typeof installBucket>;

const ID = '01KAQ0000000000000000000AB';
const PREFIX = `tenants/${TENANT}/documents/${ID}`;
const SIGNED_KEY = `${PREFIX}/rfe.xml`;
const EXECUTION = 'arn:aws:states:us-east-1:111111111111:express:issuing:e1:run-1';
const now = new Date('2026-11-22T12:00:10.000Z');

const template = documentRecord({ channel: 'emitter-signed' });
const certificate = generateTestCertificate({
  ruc: template.issuer.ruc,
  dv: template.issuer.dv,
  name: template.issuer.name,
});
const signer = new LocalKeySigner(certificate.privateKeyPem);
const validated = validateDocument(
  {
    type: 'invoice',
    receiver: { type: 'final-consumer', name: 'CONSUMIDOR FINAL' },
    items: [{ description: 'Café americano', unit: 'und', quantity: 2, unitPrice: 1.75, itbmsRate: '7' }],
    payments: [{ method: 'cash', amount: '3.75' }],
  },
  { now: new Date('2026-11-22T12:00:00Z') },
);
if (!validated.ok) throw new Error(JSON.stringify(validated.violations));

const state = (overrides: Partial<PipelineState> = {}): PipelineState => ({
  tenantId: TENANT,
  documentId: ID,
  attempt: 1,
  channel: 'emitter-signed',
  executionId: EXECUTION,
  ...overrides,
});
function seed(overrides: Partial<DocumentRecord> = {}): DocumentRecord {
  const doc = documentRecord({ channel: 'emitter-signed', ...overrides });
  table.put(documentItem(doc));
  return doc;
}
const stored = () => table.get(keys.document(TENANT, ID))!;
const lastEvent = () =>
  table
    .partition(`T#${TENANT}#DOC#${ID}`)
    .filter((item) => String(item.sk).startsWith('EVENT#'))
    .sort((a, b) => String(a.sk).localeCompare(String(b.sk)))
    .at(-1);

const accepted = {
  duplicate: false,
  code: '0260',
  message: 'Autorizado el uso de la FE',
  cufe: 'FE01-cufe',
  protocol: '20260000000000000001',
  digestValue: 'd',
  processedAt: '2026-11-22T17:00:00.000Z',
  results: [{ code: '0260', message: 'Autorizado el uso de la FE' }],
  responseXml: '<rProtFe>0260</rProtFe>',
};
let send: Mock;

beforeEach(() => {
  for (const mock of [ddb, s3, kms, secrets]) mock.reset();
  table.clear();
  table.install(ddb);
  table.put({
    ...keys.signingKey(TENANT),
    kmsKeyId: 'key-1',
    certificatePem: certificate.certificatePem,
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  bucket = installBucket(s3);
  bucket.objects.set(`${PREFIX}/computed.json`, Buffer.from(JSON.stringify(validated.document)));
  kms
    .on(SignCommand)
    .callsFake(async (input: { Message: Uint8Array; MessageType: string; KeyId: string }) => {
      expect(input).toMatchObject({ MessageType: 'DIGEST', KeyId: 'key-1' });
      return { Signature: await signer.signSha256Digest(input.Message) };
    });
  secrets
    .on(GetSecretValueCommand)
    .resolves({ SecretString: JSON.stringify({ qrHmacSecret: 'a'.repeat(64) }) });
  send = vi.fn(async () => accepted);
  setPacReceptionClientForTests('demo', { send, close() {} } as unknown as PacReceptionClient);
});

describe('SignXml', () => {
  it('begins the attempt without counting a submission, signs in KMS and stores the rFE once, where the authorized rFE lives', async () => {
    seed();
    const next = await signXml(state(), now);

    expect(next).toEqual({ ...state(), signedXmlKey: SIGNED_KEY, issueInContingency: false });
    expect(stored()).toMatchObject({ attemptOwner: EXECUTION, signedXmlKey: SIGNED_KEY });
    expect(stored().submissionAttempts).toBeUndefined();
    const xml = bucket.text(SIGNED_KEY)!;
    expect(verifyRfeSignature(xml, certificate.certificatePem).valid).toBe(true);
    const qr = qrOfRfe(xml);
    expect(qr).toMatch(/^https:\/\/dgi-fep-test\.mef\.gob\.pa:40001\/Consultas\/FacturasPorQR\?chFE=FE01/);
    expect(qr).toContain('&iAmb=2&digestValue=');
    expect(kms.commandCalls(SignCommand)).toHaveLength(1);
  });

  it('a later attempt re-sends the same signed bytes: no second KMS Sign, nothing rewritten', async () => {
    seed({ attempt: 2, signedXmlKey: SIGNED_KEY });
    bucket.objects.set(SIGNED_KEY, Buffer.from('<rFE>signed by attempt 1</rFE>'));
    const next = await signXml(state({ attempt: 2 }), now);
    expect(next.signedXmlKey).toBe(SIGNED_KEY);
    expect(kms.commandCalls(SignCommand)).toHaveLength(0);
    expect(bucket.text(SIGNED_KEY)).toBe('<rFE>signed by attempt 1</rFE>');
    expect(stored().attemptOwner).toBe(EXECUTION);
  });

  it('without a signing key (removed after the document was accepted): SigningKeyMissingError, nothing signed', async () => {
    seed();
    table.delete(keys.signingKey(TENANT));
    const error = await signXml(state(), now).catch((e) => e);
    expect(error).toBeInstanceOf(SigningKeyMissingError);
    expect(error.name).toBe('SigningKeyMissingError');
    expect(bucket.objects.has(SIGNED_KEY)).toBe(false);
  });

  it('a superseded attempt signs nothing', async () => {
    seed({ attemptOwner: 'arn:other-execution' });
    await expect(signXml(state(), now)).rejects.toBeInstanceOf(AttemptSupersededError);
    expect(kms.commandCalls(SignCommand)).toHaveLength(0);
  });
});

describe('SubmitSigned', () => {
  const signedRfe = (qr: string) =>
    `<rFE xmlns="http://dgi-fep.mef.gob.pa"><gNoFirm><dQRCode>${qr.replace(/&/g, '&amp;')}</dQRCode></gNoFirm></rFE>`;
  const qr = 'https://dgi-fep-test.mef.gob.pa:40001/Consultas/FacturasPorQR?chFE=FE01&iAmb=2&digestValue=ZA';

  beforeEach(() => bucket.objects.set(SIGNED_KEY, Buffer.from(signedRfe(qr))));

  it('counts the submission before sending the stored bytes, then returns the PAC’s authorization', async () => {
    seed({ attemptOwner: EXECUTION, signedXmlKey: SIGNED_KEY });
    send.mockImplementationOnce(async () => {
      expect(stored()).toMatchObject({ submissionAttempts: 1, lastSubmissionAt: now.toISOString() });
      return accepted;
    });

    const next = await submitSigned(state({ signedXmlKey: SIGNED_KEY }), now);

    expect(send).toHaveBeenCalledWith(signedRfe(qr), { environment: '2' });
    expect(next.authorization).toEqual({
      cufe: 'FE01-cufe',
      qr,
      protocol: '20260000000000000001',
      authorizedAt: '2026-11-22T17:00:00.000Z',
    });
    expect(bucket.text(`${PREFIX}/hka-response.xml`)).toBe('<rProtFe>0260</rProtFe>');
    expect(lastEvent()).toMatchObject({
      type: 'SUBMISSION_ATTEMPT',
      message: 'Attempt 1, submission 1 (PAC reception, signed by the emitter)',
    });
  });

  it('an answer without a processing date is authorized now', async () => {
    seed({ signedXmlKey: SIGNED_KEY });
    send.mockResolvedValueOnce({ ...accepted, processedAt: undefined });
    expect((await submitSigned(state({ signedXmlKey: SIGNED_KEY }), now)).authorization?.authorizedAt).toBe(
      now.toISOString(),
    );
  });

  it('keeps the PAC’s rejection on the document and rethrows it as the document’s rejection', async () => {
    seed({ signedXmlKey: SIGNED_KEY });
    send.mockRejectedValueOnce(new HkaRejectedError('RecepcionFE', '0130', 'Firma inválida', []));
    await expect(submitSigned(state({ signedXmlKey: SIGNED_KEY }), now)).rejects.toMatchObject({
      name: 'DocumentRejectedError',
    });
    expect(stored().reasons).toEqual([
      {
        path: '',
        message: 'Firma inválida',
        code: 'PAC_SIGNATURE_INVALID',
        hkaCode: '0130',
        hint: { es: expect.stringContaining('certificado'), en: expect.stringContaining('certificate') },
      },
    ]);
  });

  it('a 1002 carrying our own CUFE is our document; one carrying another CUFE is another document under our number', async () => {
    // Prepare
    const ours = 'FE0120000155596713-2-2015-5900002026112200000000010010121234567897';
    bucket.objects.set(
      SIGNED_KEY,
      Buffer.from(signedRfe(qr).replace('<gNoFirm>', `<dId>${ours}</dId><gNoFirm>`)),
    );
    seed({ signedXmlKey: SIGNED_KEY });
    const duplicate = { ...accepted, duplicate: true, code: '1002', message: 'Documento duplicado' };
    send.mockResolvedValueOnce({ ...duplicate, cufe: ours });
    send.mockResolvedValueOnce({ ...duplicate, cufe: `${ours.slice(0, -10)}9876543210` });

    // Act
    const adopted = await submitSigned(state({ signedXmlKey: SIGNED_KEY }), now);
    const refused = await submitSigned(state({ signedXmlKey: SIGNED_KEY }), now).catch((e) => e);

    // Assess
    expect(adopted.authorization?.cufe).toBe(ours);
    expect(refused.name).toBe('DocumentRejectedError');
    expect(stored().reasons).toEqual([
      expect.objectContaining({ path: 'number', code: 'NUMBER_TAKEN_BY_OTHER_DOCUMENT', hkaCode: '1002' }),
    ]);
  });

  it('records a submission the PAC never received', async () => {
    seed({ signedXmlKey: SIGNED_KEY });
    send.mockRejectedValueOnce(new HkaTransientError('RecepcionFE', 'not-sent', 'ECONNREFUSED'));
    await expect(submitSigned(state({ signedXmlKey: SIGNED_KEY }), now)).rejects.toBeInstanceOf(
      HkaTransientError,
    );
    expect(stored()).toMatchObject({ submissionAttempts: 1, notSentAttempts: 1 });
  });

  it('refuses a state without the signed rFE, or a signed rFE without its QR, before sending', async () => {
    seed({ signedXmlKey: SIGNED_KEY });
    await expect(submitSigned(state(), now)).rejects.toBeInstanceOf(PipelineStateError);
    bucket.objects.set(SIGNED_KEY, Buffer.from('<rFE/>'));
    await expect(submitSigned(state({ signedXmlKey: SIGNED_KEY }), now)).rejects.toBeInstanceOf(
      PipelineStateError,
    );
    expect(send).not.toHaveBeenCalled();
  });
});

describe('the emitter-signed attempt end to end', () => {
  it('SignXml → SubmitSigned → FinalizeDocument: AUTHORIZED, our signed rFE archived, the CAFE rendered', async () => {
    seed();
    const signed = await signXml(state(), now);
    const submitted = await submitSigned(signed, now);
    const final = await finalizeDocument(submitted, now);

    expect(final.outcome).toBe('authorized');
    const item = stored();
    expect(item).toMatchObject({
      status: 'AUTHORIZED',
      cufe: 'FE01-cufe',
      protocol: '20260000000000000001',
      artifacts: { xmlKey: SIGNED_KEY, pdfKey: `${PREFIX}/cafe.pdf` },
      submissionAttempts: 1,
    });
    expect(item.qr).toBe(qrOfRfe(bucket.text(SIGNED_KEY)!));
    expect(verifyRfeSignature(bucket.text(SIGNED_KEY)!, certificate.certificatePem).valid).toBe(true);
    expect(bucket.text(`${PREFIX}/cafe.pdf`)!.startsWith('%PDF-')).toBe(true);
    expect(kms.commandCalls(SignCommand)).toHaveLength(1);
  });
});
