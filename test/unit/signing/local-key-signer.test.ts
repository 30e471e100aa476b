import { createHash, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UnsupportedKeyTypeError } from '#shared/signing/errors';
import { LocalKeySigner } from '#shared/signing/local-key-signer';

describe('LocalKeySigner', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signer = new LocalKeySigner(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());

  it('produces an RSASSA-PKCS1-v1_5 SHA-256 signature that a standard verifier accepts', async () => {
    const data = Buffer.from('<SignedInfo>…</SignedInfo>');
    const digest = createHash('sha256').update(data).digest();
    const signature = await signer.signSha256Digest(digest);
    expect(signature).toHaveLength(256);
    // verify() hashes `data` itself: it only passes if we signed DigestInfo(SHA-256(data)).
    expect(verify('sha256', data, publicKey, signature)).toBe(true);
    expect(verify('sha256', Buffer.from('other'), publicKey, signature)).toBe(false);
  });

  it('is deterministic (PKCS#1 v1.5 has no salt), like KMS', async () => {
    const digest = createHash('sha256').update('x').digest();
    expect(Buffer.from(await signer.signSha256Digest(digest))).toEqual(
      Buffer.from(await signer.signSha256Digest(digest)),
    );
  });

  it('refuses input that is not a 32-byte digest', async () => {
    await expect(signer.signSha256Digest(new Uint8Array(20))).rejects.toThrow(/32-byte/);
  });

  it('refuses non-RSA keys', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    expect(() => new LocalKeySigner(ec.export({ type: 'pkcs8', format: 'pem' }).toString())).toThrow(
      UnsupportedKeyTypeError,
    );
  });
});
