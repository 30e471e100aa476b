/**
 * The signing port. XMLDSig needs one private-key operation: RSASSA-PKCS1-v1_5 over the SHA-256 digest of
 * the canonical SignedInfo. Everything else (canonicalization, digests, XML) happens in our process, so the
 * key can live anywhere that signs a digest: in memory (tests, local cloud) or in AWS KMS (production,
 * where the key never leaves the HSM).
 */
export interface Signer {
  /**
   * @param digest the 32-byte SHA-256 digest of the data to sign (NOT the data, NOT DigestInfo-wrapped)
   * @returns the raw RSASSA-PKCS1-v1_5 signature (modulus length bytes)
   */
  signSha256Digest(digest: Uint8Array): Promise<Uint8Array>;
}

/** A signer and the X.509 certificate (PEM) of its public key, published in `KeyInfo`. */
export type SigningIdentity = {
  signer: Signer;
  certificatePem: string;
  /**
   * The certificate's subject in RFC 4514 form (`X509SubjectName`), when already known — stored with the key
   * at upload (shared/signing/p12.ts computes it the same way). Saves parsing the certificate with a large
   * library at every cold start of the signing function; computed from `certificatePem` when absent.
   */
  subjectName?: string;
};

export const SHA256_DIGEST_LENGTH = 32;

/** Rejects anything that is not a SHA-256 digest, so a caller cannot make us sign arbitrary data. */
export function assertSha256Digest(digest: Uint8Array): void {
  if (!(digest instanceof Uint8Array) || digest.length !== SHA256_DIGEST_LENGTH) {
    throw new TypeError(`expected a ${SHA256_DIGEST_LENGTH}-byte SHA-256 digest`);
  }
}
