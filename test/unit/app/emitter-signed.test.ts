import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildXml } from '#shared/documents/pipeline/build-xml';
import { signXml } from '#shared/documents/pipeline/sign-xml';
import { qrOfSignedRfe, submitSigned } from '#shared/documents/pipeline/submit-signed';
import { validateDocument } from '#shared/fiscal/validate';
import { HkaRejectedError } from '#shared/hka/errors';
import { LocalKeySigner } from '#shared/signing/local-key-signer';
import { generateTestCertificate } from '#shared/signing/test-certificate';
import { verifyRfeSignature } from '#shared/signing/xmldsig';
import { type PacReceptionClient, setPacReceptionClientForTests } from '#shared/tenancy/hka';
import { documentRecord } from './fixtures.ts';
import { setTestEnv, TENANT } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const secrets = mockClient(SecretsManagerClient);

const doc = documentRecord({ channel: 'emitter-signed' });
const certificate = generateTestCertificate({
  ruc: doc.issuer.ruc,
  dv: doc.issuer.dv,
  name: doc.issuer.name,
});
const signer = new LocalKeySigner(certificate.privateKeyPem);
const validated = validateDocument(
  JSON.parse(
    JSON.stringify({
      type: 'invoice',
      receiver: { type: 'final-consumer', name: 'CONSUMIDOR FINAL' },
      items: [{ description: 'Café americano', unit: 'und', quantity: 2, unitPrice: 1.75, itbmsRate: '7' }],
      payments: [{ method: 'cash', amount: '3.75' }],
    }),
  ),
  { now: new Date('2026-11-22T12:00:00Z') },
);
if (!validated.ok) throw new Error(JSON.stringify(validated.violations));

// A tiny in-memory bucket: build-xml writes, sign-xml reads what it wrote.
const objects = new Map<string, string>();
const state = { tenantId: TENANT, documentId: doc.documentId, channel: 'emitter-signed' as const };

beforeAll(() => {
  objects.set(doc.computedKey, JSON.stringify(validated.document));
});

beforeEach(() => {
  ddb.reset();
  s3.reset();
  kms.reset();
  secrets.reset();
  ddb.on(GetCommand).callsFake((input: { Key: { sk: string } }) => {
    if (input.Key.sk === 'DOC') return { Item: doc };
    if (input.Key.sk === 'SIGNING_KEY') {
      return { Item: { kmsKeyId: 'key-1', certificatePem: certificate.certificatePem, createdAt: 'x' } };
    }
    return {};
  });
  ddb.on(UpdateCommand).resolves({ Attributes: { submissionAttempts: 1 } });
  ddb.on(PutCommand).resolves({});
  s3.on(PutObjectCommand).callsFake((input: { Key: string; Body: string }) => {
    objects.set(input.Key, String(input.Body));
    return {};
  });
  s3.on(GetObjectCommand).callsFake((input: { Key: string }) => ({
    Body: { transformToByteArray: async () => new TextEncoder().encode(objects.get(input.Key) ?? '') },
  }));
  kms
    .on(SignCommand)
    .callsFake(async (input: { Message: Uint8Array; MessageType: string; KeyId: string }) => {
      expect(input).toMatchObject({ MessageType: 'DIGEST', KeyId: 'key-1' });
      return { Signature: await signer.signSha256Digest(input.Message) };
    });
  secrets
    .on(GetSecretValueCommand)
    .resolves({ SecretString: JSON.stringify({ qrHmacSecret: 'a'.repeat(64) }) });
});

describe('emitter-signed channel', () => {
  it('signs the rFE with the tenant key in KMS and adds the QR; the signature verifies', async () => {
    const built = await buildXml(state);
    const signed = await signXml(built);
    expect(signed.signedXmlKey).toBe(`tenants/${TENANT}/documents/${doc.documentId}/rfe-signed.xml`);
    const xml = objects.get(signed.signedXmlKey!)!;
    expect(verifyRfeSignature(xml, certificate.certificatePem).valid).toBe(true);
    const qr = qrOfSignedRfe(xml);
    expect(qr).toMatch(/^https:\/\/dgi-fep-test\.mef\.gob\.pa:40001\/Consultas\/FacturasPorQR\?chFE=FE01/);
    expect(qr).toContain('&iAmb=2&digestValue=');
  });

  it('submits the signed rFE to the PAC reception and returns the authorization', async () => {
    const signed = await signXml(await buildXml(state));
    const send = vi.fn(async () => ({
      duplicate: false,
      code: '0260',
      message: 'Autorizado',
      cufe: 'FE01-cufe',
      protocol: '20260000000000000001',
      digestValue: 'd',
      processedAt: '2026-11-22T17:00:00.000Z',
      results: [],
      responseXml: '<rProtFe/>',
    }));
    setPacReceptionClientForTests('demo', { send, close() {} } as unknown as PacReceptionClient);
    const next = await submitSigned(signed);
    expect(send).toHaveBeenCalledWith(objects.get(signed.signedXmlKey!), { environment: '2' });
    expect(next.authorization).toMatchObject({ cufe: 'FE01-cufe', protocol: '20260000000000000001' });
    expect(next.authorization?.qr).toContain('chFE=FE01');
  });

  it('keeps the PAC rejection on the document and rethrows by name', async () => {
    const signed = await signXml(await buildXml(state));
    setPacReceptionClientForTests('demo', {
      send: vi.fn(async () => {
        throw new HkaRejectedError('RecepcionFE' as never, '0130', 'Firma inválida', []);
      }),
      close() {},
    } as unknown as PacReceptionClient);
    await expect(submitSigned(signed)).rejects.toMatchObject({ name: 'HkaRejectedError' });
  });
});
