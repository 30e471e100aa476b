import {
  constants,
  createCipheriv,
  createDecipheriv,
  createPublicKey,
  type KeyObject,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
} from 'node:crypto';

/** RFC 5649 alternative initial value, the fixed IV of AES Key Wrap with Padding (`id-aes256-wrap-pad`). */
const KWP_IV = Buffer.from('A65959A6', 'hex');

/**
 * KMS `RSA_AES_KEY_WRAP_SHA_256` (PKCS#11 CKM_RSA_AES_KEY_WRAP): a fresh AES-256 key wraps the key material
 * with AES-KWP (RFC 5649), the KMS wrapping public key encrypts that AES key with RSA-OAEP (SHA-256, MGF1
 * SHA-256), and the result is `rsaOaep(aesKey) || aesKwp(material)`.
 *
 * Why not `RSAES_OAEP_SHA_256` alone: OAEP-SHA-256 under an RSA-2048 wrapping key fits at most 190 bytes,
 * and a PKCS#8 RSA-2048 private key is ~1.2 KB; KMS documents that RSA private keys can only be imported
 * with an RSA_AES wrapping algorithm.
 */
export function wrapKeyMaterialRsaAes(material: Buffer, wrappingPublicKeyDer: Uint8Array): Buffer {
  const wrappingKey = createPublicKey({
    key: Buffer.from(wrappingPublicKeyDer),
    format: 'der',
    type: 'spki',
  });
  const aesKey = randomBytes(32);
  try {
    const wrappedAesKey = publicEncrypt(
      { key: wrappingKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      aesKey,
    );
    const cipher = createCipheriv('id-aes256-wrap-pad', aesKey, KWP_IV);
    return Buffer.concat([wrappedAesKey, cipher.update(material), cipher.final()]);
  } finally {
    aesKey.fill(0);
  }
}

/** The inverse, as KMS performs it; used by tests and by a local KMS stand-in holding the wrapping key. */
export function unwrapKeyMaterialRsaAes(wrapped: Uint8Array, wrappingPrivateKey: KeyObject): Buffer {
  const rsaBytes = (wrappingPrivateKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
  const data = Buffer.from(wrapped);
  if (rsaBytes === 0 || data.length <= rsaBytes) throw new Error('wrapped key material is too short');
  const aesKey = privateDecrypt(
    { key: wrappingPrivateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    data.subarray(0, rsaBytes),
  );
  const decipher = createDecipheriv('id-aes256-wrap-pad', aesKey, KWP_IV);
  return Buffer.concat([decipher.update(data.subarray(rsaBytes)), decipher.final()]);
}
