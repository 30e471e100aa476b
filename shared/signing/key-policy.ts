import type { KeyObject } from 'node:crypto';
import { UnsupportedKeyTypeError } from './errors.ts';

export const MIN_RSA_BITS = 2048;

/**
 * The DGI profile signs with RSA-SHA256 (PKCS#1 v1.5), so only RSA keys work, and below 2048 bits neither
 * current CAs nor KMS (`RSA_2048` is its smallest spec) accept them. RSA-PSS-only keys are refused too:
 * they cannot produce PKCS#1 v1.5 signatures.
 */
export function assertSupportedSigningKey(key: KeyObject): void {
  if (key.asymmetricKeyType !== 'rsa') {
    throw new UnsupportedKeyTypeError(
      `the certificate key is ${key.asymmetricKeyType ?? 'unknown'}; an RSA key is required`,
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    throw new UnsupportedKeyTypeError(
      `the certificate key is RSA ${bits}; at least RSA ${MIN_RSA_BITS} is required`,
    );
  }
}
