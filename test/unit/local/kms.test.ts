import {
  constants,
  createHash,
  createPublicKey,
  generateKeyPairSync,
  publicEncrypt,
  randomBytes,
  verify,
} from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GetParametersForImportCommand,
  GetPublicKeyCommand,
  ImportKeyMaterialCommand,
  KMSClient,
  ListResourceTagsCommand,
  SignCommand,
  TagResourceCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer } from '#local/emulators/sqs';
import { startJsonProtocolServer } from '#local/standins/json-protocol';
import { kmsService } from '#local/standins/kms/service';
import { KmsKeyStore } from '#local/standins/kms/store';
import { importPrivateKeyIntoKms } from '#shared/signing/kms-import';
import { KmsSigner } from '#shared/signing/kms-signer';

/** The KMS stand-in, exercised only through the real `@aws-sdk/client-kms`. */
describe('KMS stand-in', () => {
  let server: Server;
  let dir: string;
  let kms: KMSClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'factu-kms-'));
    server = await startJsonProtocolServer([kmsService(new KmsKeyStore(join(dir, 'kms')))], { port: 0 });
    kms = new KMSClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
  });

  afterAll(async () => {
    await closeServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('encrypts with the encryption context authenticated, and refuses another context', async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'data key' }));
    expect(KeyMetadata).toMatchObject({
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeyState: 'Enabled',
    });
    const context = { tenantId: 'tenant-a', purpose: 'hka' };
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({
        KeyId: KeyMetadata!.KeyId,
        Plaintext: Buffer.from('secret'),
        EncryptionContext: context,
      }),
    );
    // Context key order does not matter; the key id is recovered from the blob.
    const decrypted = await kms.send(
      new DecryptCommand({ CiphertextBlob, EncryptionContext: { purpose: 'hka', tenantId: 'tenant-a' } }),
    );
    expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('secret');
    expect(decrypted.KeyId).toBe(KeyMetadata!.Arn);
    await expect(
      kms.send(
        new DecryptCommand({ CiphertextBlob, EncryptionContext: { tenantId: 'tenant-b', purpose: 'hka' } }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
  });

  it('generates data keys and resolves aliases', async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/test-data', TargetKeyId: KeyMetadata!.KeyId }));
    const dataKey = await kms.send(
      new GenerateDataKeyCommand({ KeyId: 'alias/test-data', KeySpec: 'AES_256' }),
    );
    expect(dataKey.Plaintext).toHaveLength(32);
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob }));
    expect(Buffer.from(decrypted.Plaintext!)).toEqual(Buffer.from(dataKey.Plaintext!));
    await expect(kms.send(new DescribeKeyCommand({ KeyId: 'alias/missing' }))).rejects.toMatchObject({
      name: 'NotFoundException',
    });
  });

  it('imports an RSA private key (EXTERNAL origin) with the application code and signs digests with it', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const { keyId } = await importPrivateKeyIntoKms(kms, pem, {
      tenantId: 'tenant-a',
      description: 'signing',
    });

    const described = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    expect(described.KeyMetadata).toMatchObject({
      Origin: 'EXTERNAL',
      KeyState: 'Enabled',
      KeySpec: 'RSA_2048',
    });
    const tags = await kms.send(new ListResourceTagsCommand({ KeyId: keyId }));
    expect(tags.Tags).toContainEqual({ TagKey: 'tenantId', TagValue: 'tenant-a' });

    const publicKey = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
    expect(
      createPublicKey({ key: Buffer.from(publicKey.PublicKey!), format: 'der', type: 'spki' }).export({
        type: 'spki',
        format: 'pem',
      }),
    ).toBe(createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }));

    const message = Buffer.from('<SignedInfo>…</SignedInfo>');
    const digest = createHash('sha256').update(message).digest();
    const signature = await new KmsSigner(kms, keyId).signSha256Digest(digest);
    // The DIGEST signature is exactly the RSASSA-PKCS1-v1_5/SHA-256 signature of the message.
    expect(verify('sha256', message, createPublicKey(privateKey), Buffer.from(signature))).toBe(true);

    await expect(
      kms.send(
        new SignCommand({
          KeyId: keyId,
          Message: Buffer.alloc(20),
          MessageType: 'DIGEST',
          SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('refuses key material that does not match the key spec, and a stale import token', async () => {
    const { KeyMetadata } = await kms.send(
      new CreateKeyCommand({ KeySpec: 'RSA_3072', KeyUsage: 'SIGN_VERIFY', Origin: 'EXTERNAL' }),
    );
    const keyId = KeyMetadata!.KeyId!;
    expect(KeyMetadata!.KeyState).toBe('PendingImport');
    const parameters = await kms.send(
      new GetParametersForImportCommand({
        KeyId: keyId,
        WrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256',
        WrappingKeySpec: 'RSA_4096',
      }),
    );
    const { wrapKeyMaterialRsaAes } = await import('#shared/signing/kms-key-wrap');
    const wrongSize = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'der',
    });
    await expect(
      kms.send(
        new ImportKeyMaterialCommand({
          KeyId: keyId,
          ImportToken: parameters.ImportToken,
          EncryptedKeyMaterial: wrapKeyMaterialRsaAes(wrongSize, parameters.PublicKey!),
          ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
        }),
      ),
    ).rejects.toMatchObject({ name: 'IncorrectKeyMaterialException' });
    await expect(
      kms.send(
        new ImportKeyMaterialCommand({
          KeyId: keyId,
          ImportToken: Buffer.from('not the token'),
          EncryptedKeyMaterial: Buffer.alloc(600),
          ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidImportTokenException' });
    await expect(
      kms.send(
        new SignCommand({
          KeyId: keyId,
          Message: Buffer.alloc(32),
          MessageType: 'DIGEST',
          SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
        }),
      ),
    ).rejects.toMatchObject({ name: 'KMSInvalidStateException' });
  });

  it('imports symmetric key material wrapped with RSAES_OAEP_SHA_256', async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }));
    const parameters = await kms.send(
      new GetParametersForImportCommand({
        KeyId: KeyMetadata!.KeyId,
        WrappingAlgorithm: 'RSAES_OAEP_SHA_256',
        WrappingKeySpec: 'RSA_2048',
      }),
    );
    const material = randomBytes(32);
    const wrapped = publicEncrypt(
      {
        key: createPublicKey({ key: Buffer.from(parameters.PublicKey!), format: 'der', type: 'spki' }),
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: 'sha256',
      },
      material,
    );
    await kms.send(
      new ImportKeyMaterialCommand({
        KeyId: KeyMetadata!.KeyId,
        ImportToken: parameters.ImportToken,
        EncryptedKeyMaterial: wrapped,
        ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      }),
    );
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({
        KeyId: KeyMetadata!.KeyId,
        Plaintext: Buffer.from('imported'),
        EncryptionContext: { a: 'b' },
      }),
    );
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { a: 'b' } }));
    expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('imported');
  });

  it('tags keys and keeps the key file private to the owner', async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    await kms.send(
      new TagResourceCommand({ KeyId: KeyMetadata!.Arn, Tags: [{ TagKey: 'env', TagValue: 'local' }] }),
    );
    const tags = await kms.send(new ListResourceTagsCommand({ KeyId: KeyMetadata!.KeyId }));
    expect(tags.Tags).toEqual([{ TagKey: 'env', TagValue: 'local' }]);
    expect(statSync(join(dir, 'kms', 'keys.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'kms')).mode & 0o777).toBe(0o700);
  });

  it('keeps keys across a restart of the store', async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: Buffer.from('x') }),
    );
    const reopened = await startJsonProtocolServer([kmsService(new KmsKeyStore(join(dir, 'kms')))], {
      port: 0,
    });
    const other = new KMSClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(reopened.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    const decrypted = await other.send(new DecryptCommand({ CiphertextBlob }));
    expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('x');
    await closeServer(reopened);
  });
});
