import { constants, createDecipheriv, generateKeyPairSync, privateDecrypt } from 'node:crypto';
import {
  CreateKeyCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  KMSClient,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnsupportedKeyTypeError } from '#shared/signing/errors';
import { importPrivateKeyIntoKms } from '#shared/signing/kms-import';
import { unwrapKeyMaterialRsaAes } from '#shared/signing/kms-key-wrap';

const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const IMPORT_TOKEN = new Uint8Array([1, 2, 3, 4]);

describe('importPrivateKeyIntoKms', () => {
  // What KMS holds: the wrapping key pair of GetParametersForImport (RSA_4096).
  const wrapping = generateKeyPairSync('rsa', { modulusLength: 4096 });
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const signingKeyPem = signingKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const kms = mockClient(KMSClient);

  beforeEach(() => {
    kms.reset();
    kms.on(CreateKeyCommand).resolves({ KeyMetadata: { KeyId: KEY_ID, AWSAccountId: '111122223333' } });
    kms.on(GetParametersForImportCommand).resolves({
      KeyId: KEY_ID,
      ImportToken: IMPORT_TOKEN,
      PublicKey: new Uint8Array(wrapping.publicKey.export({ type: 'spki', format: 'der' })),
    });
    kms.on(ImportKeyMaterialCommand).resolves({});
  });
  afterEach(() => kms.reset());

  const client = () => new KMSClient({ region: 'us-east-1' });

  it('creates an EXTERNAL RSA_2048 SIGN_VERIFY key tagged with the tenant', async () => {
    const { keyId } = await importPrivateKeyIntoKms(client(), signingKeyPem, {
      tenantId: 'tenant-1',
      description: 'rFE signing key of tenant-1',
    });
    expect(keyId).toBe(KEY_ID);
    expect(kms.commandCalls(CreateKeyCommand)[0]!.args[0].input).toEqual({
      KeySpec: 'RSA_2048',
      KeyUsage: 'SIGN_VERIFY',
      Origin: 'EXTERNAL',
      Description: 'rFE signing key of tenant-1',
      Tags: [
        { TagKey: 'tenantId', TagValue: 'tenant-1' },
        { TagKey: 'purpose', TagValue: 'rfe-signing' },
      ],
    });
    expect(kms.commandCalls(GetParametersForImportCommand)[0]!.args[0].input).toEqual({
      KeyId: KEY_ID,
      WrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256',
      WrappingKeySpec: 'RSA_4096',
    });
    const importInput = kms.commandCalls(ImportKeyMaterialCommand)[0]!.args[0].input;
    expect(importInput).toMatchObject({
      KeyId: KEY_ID,
      ImportToken: IMPORT_TOKEN,
      ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    });
  });

  it('wraps exactly the PKCS#8 DER of the key, recoverable with the wrapping private key as KMS does', async () => {
    await importPrivateKeyIntoKms(client(), signingKeyPem, { tenantId: 't', description: 'd' });
    const wrapped = Buffer.from(
      kms.commandCalls(ImportKeyMaterialCommand)[0]!.args[0].input.EncryptedKeyMaterial!,
    );
    const expected = signingKey.export({ type: 'pkcs8', format: 'der' });

    // Independent unwrap, step by step (AWS "RSA_AES_KEY_WRAP_SHA_256"): first 512 bytes = RSA-OAEP-SHA256
    // of the AES-256 key, the rest = AES-KWP (RFC 5649) of the key material.
    const aesKey = privateDecrypt(
      { key: wrapping.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      wrapped.subarray(0, 512),
    );
    expect(aesKey).toHaveLength(32);
    const kwp = createDecipheriv('id-aes256-wrap-pad', aesKey, Buffer.from('A65959A6', 'hex'));
    expect(Buffer.concat([kwp.update(wrapped.subarray(512)), kwp.final()])).toEqual(expected);

    expect(unwrapKeyMaterialRsaAes(wrapped, wrapping.privateKey)).toEqual(expected);
  });

  it('picks the KeySpec from the key size', async () => {
    const key4096 = generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey;
    await importPrivateKeyIntoKms(client(), key4096.export({ type: 'pkcs8', format: 'pem' }).toString(), {
      tenantId: 't',
      description: 'd',
    });
    expect(kms.commandCalls(CreateKeyCommand)[0]!.args[0].input.KeySpec).toBe('RSA_4096');
  });

  it('refuses unsupported keys before creating anything in KMS', async () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    for (const key of [small, ec]) {
      await expect(
        importPrivateKeyIntoKms(client(), key.export({ type: 'pkcs8', format: 'pem' }).toString(), {
          tenantId: 't',
          description: 'd',
        }),
      ).rejects.toThrow(UnsupportedKeyTypeError);
    }
    expect(kms.commandCalls(CreateKeyCommand)).toHaveLength(0);
  });

  it('schedules the half-created key for deletion when the import fails, and rethrows', async () => {
    kms
      .on(ImportKeyMaterialCommand)
      .rejects(Object.assign(new Error('token expired'), { name: 'ExpiredImportTokenException' }));
    kms.on(ScheduleKeyDeletionCommand).resolves({});
    await expect(
      importPrivateKeyIntoKms(client(), signingKeyPem, { tenantId: 't', description: 'd' }),
    ).rejects.toThrow('token expired');
    expect(kms.commandCalls(ScheduleKeyDeletionCommand)[0]!.args[0].input).toEqual({
      KeyId: KEY_ID,
      PendingWindowInDays: 7,
    });
  });
});
