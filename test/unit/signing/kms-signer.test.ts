import { constants, createHash, generateKeyPairSync, privateEncrypt, verify } from 'node:crypto';
import { KMSClient, SignCommand, type SignCommandInput } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { KmsSigner } from '#shared/signing/kms-signer';
import { signRfeXml, verifyRfeSignature, withoutUnsignedFields } from '#shared/signing/xmldsig';
import {
  qrUrl,
  testCertificate,
  UNSIGNED_RFE,
  withPubkeyCert,
  xmlsec1Available,
  xmlsec1Verify,
} from './helpers.ts';

const KEY_ID = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * A stand-in for KMS `Sign` with `MessageType: DIGEST` and RSASSA_PKCS1_V1_5_SHA_256, as the service
 * documents it: the message is the digest, KMS wraps it in DigestInfo and applies PKCS#1 v1.5.
 */
function fakeKms(privateKeyPem: string) {
  const kms = mockClient(KMSClient);
  kms.on(SignCommand).callsFake((input: SignCommandInput) => {
    if (input.MessageType !== 'DIGEST' || input.SigningAlgorithm !== 'RSASSA_PKCS1_V1_5_SHA_256') {
      throw new Error('unexpected Sign parameters');
    }
    const digestInfo = Buffer.concat([SHA256_DIGEST_INFO, Buffer.from(input.Message!)]);
    const signature = privateEncrypt(
      { key: privateKeyPem, padding: constants.RSA_PKCS1_PADDING },
      digestInfo,
    );
    return {
      KeyId: input.KeyId,
      Signature: new Uint8Array(signature),
      SigningAlgorithm: input.SigningAlgorithm,
    };
  });
  return kms;
}

describe('KmsSigner', () => {
  const mocks: ReturnType<typeof mockClient>[] = [];
  afterEach(() => {
    for (const m of mocks.splice(0)) m.restore();
  });

  it('sends only the digest with MessageType DIGEST and RSASSA_PKCS1_V1_5_SHA_256', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kms = fakeKms(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    mocks.push(kms);
    const signer = new KmsSigner(new KMSClient({ region: 'us-east-1' }), KEY_ID);

    const data = Buffer.from('canonical SignedInfo');
    const digest = createHash('sha256').update(data).digest();
    const signature = await signer.signSha256Digest(digest);

    const calls = kms.commandCalls(SignCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      KeyId: KEY_ID,
      Message: digest,
      MessageType: 'DIGEST',
      SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
    });
    expect(verify('sha256', data, publicKey, signature)).toBe(true);
  });

  it('signs an rFE whose signature verifies against the certificate (xml-crypto and xmlsec1)', async () => {
    const cert = testCertificate();
    mocks.push(fakeKms(cert.privateKeyPem));
    const identity = {
      signer: new KmsSigner(new KMSClient({ region: 'us-east-1' }), KEY_ID),
      certificatePem: cert.certificatePem,
    };
    const { xml } = await signRfeXml(UNSIGNED_RFE, identity, { qrUrl });
    expect(verifyRfeSignature(xml, cert.certificatePem)).toEqual({ valid: true });
    if (xmlsec1Available) {
      const result = xmlsec1Verify(withoutUnsignedFields(xml), withPubkeyCert(cert.certificatePem));
      expect(result.ok, result.output).toBe(true);
    }
  });

  it('surfaces KMS errors and rejects an empty signature', async () => {
    const kms = mockClient(KMSClient);
    mocks.push(kms);
    const signer = new KmsSigner(new KMSClient({ region: 'us-east-1' }), KEY_ID);
    const digest = createHash('sha256').update('x').digest();

    kms.on(SignCommand).rejects(Object.assign(new Error('key is disabled'), { name: 'DisabledException' }));
    await expect(signer.signSha256Digest(digest)).rejects.toThrow('key is disabled');

    kms.on(SignCommand).resolves({});
    await expect(signer.signSha256Digest(digest)).rejects.toThrow(/no signature/);
    await expect(signer.signSha256Digest(new Uint8Array(31))).rejects.toThrow(/32-byte/);
  });
});
