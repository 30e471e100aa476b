/**
 * Certificate and key errors. `name` is stable (Step Functions and the API map on it); messages never
 * carry key material or the PIN.
 */
abstract class SigningError extends Error {
  abstract readonly code: string;
}

/** The PKCS#12 could not be opened: wrong PIN (the MAC or the key bag does not decrypt) or a corrupt file. */
export class CertificatePinError extends SigningError {
  override readonly name = 'CertificatePinError';
  readonly code = 'CERTIFICATE_PIN';
}

export class CertificateExpiredError extends SigningError {
  override readonly name = 'CertificateExpiredError';
  readonly code = 'CERTIFICATE_EXPIRED';
  constructor(
    message: string,
    readonly notAfter: Date,
  ) {
    super(message);
  }
}

export class CertificateNotYetValidError extends SigningError {
  override readonly name = 'CertificateNotYetValidError';
  readonly code = 'CERTIFICATE_NOT_YET_VALID';
  constructor(
    message: string,
    readonly notBefore: Date,
  ) {
    super(message);
  }
}

export class CertificateRucMismatchError extends SigningError {
  override readonly name = 'CertificateRucMismatchError';
  readonly code = 'CERTIFICATE_RUC_MISMATCH';
}

/** Not an RSA key, or an RSA key shorter than 2048 bits (the DGI profile is RSA-SHA256; KMS imports RSA_2048+). */
export class UnsupportedKeyTypeError extends SigningError {
  override readonly name = 'UnsupportedKeyTypeError';
  readonly code = 'UNSUPPORTED_KEY_TYPE';
}

/** The PKCS#12 opened but is not usable: no private key, no certificate, or no certificate matching the key. */
export class CertificateFormatError extends SigningError {
  override readonly name = 'CertificateFormatError';
  readonly code = 'CERTIFICATE_FORMAT';
}

/** The signer's key (e.g. the KMS key) does not belong to the certificate published in KeyInfo. */
export class SigningKeyMismatchError extends SigningError {
  override readonly name = 'SigningKeyMismatchError';
  readonly code = 'SIGNING_KEY_MISMATCH';
}
