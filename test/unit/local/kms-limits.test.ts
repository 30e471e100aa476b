import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  KMSClient,
  SignCommand,
  VerifyCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer } from '#local/emulators/sqs';
import { startJsonProtocolServer } from '#local/standins/json-protocol';
import { kmsService } from '#local/standins/kms/service';
import { KmsKeyStore } from '#local/standins/kms/store';

/** The KMS stand-in refuses what KMS refuses, with KMS's error names; only through `@aws-sdk/client-kms`. */
describe('KMS stand-in limits', () => {
  let server: Server;
  let dir: string;
  let kms: KMSClient;
  let signingKey: string;
  let dataKey: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'factu-kms-limits-'));
    server = await startJsonProtocolServer([kmsService(new KmsKeyStore(join(dir, 'kms')))], { port: 0 });
    kms = new KMSClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    signingKey = (await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })))
      .KeyMetadata!.KeyId!;
    dataKey = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  });

  afterAll(async () => {
    await closeServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  const sign = (
    Message: Uint8Array,
    MessageType: 'RAW' | 'DIGEST',
    SigningAlgorithm = 'RSASSA_PKCS1_V1_5_SHA_256',
  ) =>
    kms.send(
      new SignCommand({
        KeyId: signingKey,
        Message,
        MessageType,
        SigningAlgorithm: SigningAlgorithm as never,
      }),
    );

  it('signs a DIGEST only of exactly the hash length of the algorithm', async () => {
    const digest = createHash('sha256').update('rFE').digest();

    await expect(sign(digest, 'DIGEST')).resolves.toMatchObject({ Signature: expect.any(Uint8Array) });
    for (const wrong of [digest.subarray(0, 31), Buffer.concat([digest, Buffer.from([0])])]) {
      await expect(sign(wrong, 'DIGEST')).rejects.toMatchObject({
        name: 'ValidationException',
        message: 'Digest is invalid length for algorithm RSASSA_PKCS1_V1_5_SHA_256.',
      });
    }
    await expect(sign(digest, 'DIGEST', 'RSASSA_PKCS1_V1_5_SHA_384')).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(
      kms.send(
        new VerifyCommand({
          KeyId: signingKey,
          Message: digest.subarray(0, 20),
          MessageType: 'DIGEST',
          Signature: Buffer.alloc(256),
          SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('signs a RAW message of at most 4096 bytes', async () => {
    await expect(sign(Buffer.alloc(4096, 1), 'RAW')).resolves.toBeDefined();
    await expect(sign(Buffer.alloc(4097, 1), 'RAW')).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/Value at 'message' failed to satisfy constraint: .*4096/),
    });
  });

  it('encrypts at most 4096 bytes of plaintext', async () => {
    await expect(
      kms.send(new EncryptCommand({ KeyId: dataKey, Plaintext: Buffer.alloc(4096, 1) })),
    ).resolves.toBeDefined();
    await expect(
      kms.send(new EncryptCommand({ KeyId: dataKey, Plaintext: Buffer.alloc(4097, 1) })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/Value at 'plaintext' failed to satisfy constraint: .*4096/),
    });
  });

  it('decrypts only with the exact encryption context (none, another value, an extra pair)', async () => {
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({
        KeyId: dataKey,
        Plaintext: Buffer.from('token'),
        EncryptionContext: { tenantId: 't1' },
      }),
    );

    const wrongContexts: Array<Record<string, string> | undefined> = [
      undefined,
      { tenantId: 't2' },
      { tenantId: 't1', extra: 'x' },
    ];
    for (const EncryptionContext of wrongContexts) {
      await expect(kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext }))).rejects.toMatchObject(
        {
          name: 'InvalidCiphertextException',
        },
      );
    }
    const decrypted = await kms.send(
      new DecryptCommand({ CiphertextBlob, EncryptionContext: { tenantId: 't1' } }),
    );
    expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('token');
  });

  it('generates data keys of 1 to 1024 bytes', async () => {
    await expect(
      kms.send(new GenerateDataKeyCommand({ KeyId: dataKey, NumberOfBytes: 1024 })),
    ).resolves.toMatchObject({ Plaintext: expect.any(Uint8Array) });
    await expect(
      kms.send(new GenerateDataKeyCommand({ KeyId: dataKey, NumberOfBytes: 1025 })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
