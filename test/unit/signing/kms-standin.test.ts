import { createPublicKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeKeyCommand, GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer } from '#local/emulators/sqs';
import { startJsonProtocolServer } from '#local/standins/json-protocol';
import { kmsService } from '#local/standins/kms/service';
import { KmsKeyStore } from '#local/standins/kms/store';
import { demoIssuer } from '#shared/fiscal/demo-issuer';
import { buildQrUrl } from '#shared/fiscal/qr';
import { buildRfeXml } from '#shared/fiscal/rfe-xml';
import { validateDocument } from '#shared/fiscal/validate';
import { validateRfeXml } from '#shared/fiscal/xsd';
import { importPrivateKeyIntoKms } from '#shared/signing/kms-import';
import { KmsSigner } from '#shared/signing/kms-signer';
import { generateTestCertificate, type TestCertificate } from '#shared/signing/test-certificate';
import { signRfeXml, verifyRfeSignature, withoutUnsignedFields } from '#shared/signing/xmldsig';
import { isCi, withPubkeyCert, withTrustedCa, xmlsec1Available, xmlsec1Verify } from './helpers.ts';

const root = new URL('../../../', import.meta.url).pathname;
const EXAMPLES_CLOCK = new Date('2026-11-22T12:00:00-05:00');
const skipXmlsec1 = !xmlsec1Available && !isCi;

/**
 * The production signing path — key imported into KMS (EXTERNAL origin, RSA_AES_KEY_WRAP_SHA_256), rFE
 * signed through `Sign` with `MessageType: DIGEST` — run against the local KMS stand-in over HTTP with the
 * real `@aws-sdk/client-kms`, as the local cloud starts it (one JSON-protocol server, a key store on disk).
 */
describe('KmsSigner against the local KMS stand-in', () => {
  let server: Server;
  let dir: string;
  let kms: KMSClient;
  let certificate: TestCertificate;
  let keyId: string;
  let signedXml: string;
  let cufe: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'factu-kms-standin-'));
    server = await startJsonProtocolServer([kmsService(new KmsKeyStore(join(dir, 'kms')))], {
      port: 0,
      host: '127.0.0.1',
    });
    kms = new KMSClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    certificate = generateTestCertificate({ ruc: demoIssuer.ruc, dv: demoIssuer.dv, name: demoIssuer.name });
    ({ keyId } = await importPrivateKeyIntoKms(kms, certificate.privateKeyPem, {
      tenantId: 'tenant-kms-standin',
      description: 'rFE signing key (test)',
    }));

    const input = JSON.parse(readFileSync(join(root, 'examples/documents/invoice-taxpayer.json'), 'utf8'));
    const validation = validateDocument(input, { now: EXAMPLES_CLOCK });
    if (!validation.ok) throw new Error(JSON.stringify(validation.violations));
    const context = {
      issuer: demoIssuer,
      environment: '2' as const,
      number: '0000000123',
      pointOfSale: validation.document.pointOfSale,
      securityCode: '123456789',
    };
    const built = buildRfeXml(validation.document, context);
    cufe = built.cufe;
    const identity = { signer: new KmsSigner(kms, keyId), certificatePem: certificate.certificatePem };
    ({ xml: signedXml } = await signRfeXml(built.xml, identity, {
      qrUrl: (digestValue) => buildQrUrl({ cufe, environment: '2', digestValue, secret: 'qr-secret' }),
    }));
  });

  afterAll(async () => {
    kms?.destroy();
    if (server) await closeServer(server);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('imports the key as an enabled EXTERNAL SIGN_VERIFY RSA_2048 key', async () => {
    // Act
    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));

    // Assess
    expect(KeyMetadata).toMatchObject({
      KeyState: 'Enabled',
      Origin: 'EXTERNAL',
      KeyUsage: 'SIGN_VERIFY',
      KeySpec: 'RSA_2048',
      SigningAlgorithms: expect.arrayContaining(['RSASSA_PKCS1_V1_5_SHA_256']),
    });
  });

  it('GetPublicKey returns the public key of the certificate', async () => {
    // Act
    const { PublicKey, KeySpec, KeyUsage } = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));

    // Assess
    expect([KeySpec, KeyUsage]).toEqual(['RSA_2048', 'SIGN_VERIFY']);
    const certificateKey = new X509Certificate(certificate.certificatePem).publicKey.export({
      type: 'spki',
      format: 'der',
    });
    expect(Buffer.from(PublicKey!).equals(certificateKey)).toBe(true);
    expect(
      createPublicKey({ key: Buffer.from(PublicKey!), format: 'der', type: 'spki' }).asymmetricKeyType,
    ).toBe('rsa');
  });

  it('signs an rFE built from an example that verifyRfeSignature accepts, and stays XSD-valid', () => {
    // Assess
    expect(signedXml).toContain(`<dId>${cufe}</dId>`);
    expect(signedXml).toMatch(/<gNoFirm><dQRCode>https:\/\/dgi-fep-test\.mef\.gob\.pa:40001\//);
    expect(verifyRfeSignature(signedXml, certificate.certificatePem)).toMatchObject({ valid: true });
    expect(validateRfeXml(signedXml)).toEqual({ valid: true });
    const other = generateTestCertificate({ ruc: demoIssuer.ruc, dv: demoIssuer.dv, name: demoIssuer.name });
    expect(verifyRfeSignature(signedXml, other.certificatePem).valid).toBe(false);
  });

  it.skipIf(skipXmlsec1)('xmlsec1 verifies the KMS signature (gNoFirm stripped)', () => {
    // Act
    const unsignedFieldsRemoved = withoutUnsignedFields(signedXml);
    const byCertificate = xmlsec1Verify(unsignedFieldsRemoved, withPubkeyCert(certificate.certificatePem));
    const byChain = xmlsec1Verify(unsignedFieldsRemoved, withTrustedCa(certificate.caCertificatePem));

    // Assess
    expect(byCertificate.ok, byCertificate.output).toBe(true);
    expect(byChain.ok, byChain.output).toBe(true);
  });
});
