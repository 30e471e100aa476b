import { constants, createPrivateKey, type KeyObject, privateEncrypt } from 'node:crypto';
import { UnsupportedKeyTypeError } from './errors.ts';
import { assertSha256Digest, type Signer } from './signer.ts';

/**
 * DER prefix of the PKCS#1 DigestInfo for SHA-256 (RFC 8017 §9.2 note 1). RSASSA-PKCS1-v1_5 signs
 * `DigestInfo = prefix || digest`, not the bare digest.
 */
const SHA256_DIGEST_INFO_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * Signs with a private key held in process memory (tests, the local cloud, the CLI).
 *
 * Why `privateEncrypt` and not `crypto.sign(null, digestInfo, …)`: with an RSA key and a null algorithm,
 * OpenSSL 3 falls back to the key's default digest (SHA-256) and hashes the input again, producing a
 * signature over SHA-256(DigestInfo) that no verifier accepts. `privateEncrypt` with RSA_PKCS1_PADDING is
 * the raw RSA private operation with EMSA-PKCS1-v1_5 (block type 1) padding, which over a DigestInfo is
 * exactly RSASSA-PKCS1-v1_5 — the same operation KMS performs for `MessageType: DIGEST`.
 */
export class LocalKeySigner implements Signer {
  readonly #key: KeyObject;

  constructor(privateKeyPem: string) {
    const key = createPrivateKey(privateKeyPem);
    if (key.asymmetricKeyType !== 'rsa') {
      throw new UnsupportedKeyTypeError(`expected an RSA private key, got ${key.asymmetricKeyType}`);
    }
    this.#key = key;
  }

  async signSha256Digest(digest: Uint8Array): Promise<Uint8Array> {
    assertSha256Digest(digest);
    const digestInfo = Buffer.concat([SHA256_DIGEST_INFO_PREFIX, digest]);
    return new Uint8Array(
      privateEncrypt({ key: this.#key, padding: constants.RSA_PKCS1_PADDING }, digestInfo),
    );
  }
}
