/**
 * The tenant's stored signing certificate has expired: nothing may be signed with it. Final for a document
 * (a retry cannot help until a new certificate is uploaded, and a new upload does not re-sign documents
 * already accepted).
 */
export class SigningCertificateExpiredError extends Error {
  override readonly name = 'SigningCertificateExpiredError';
  constructor(readonly notAfter: string) {
    super(`The signing certificate expired on ${notAfter}; upload a new certificate`);
  }
}

/** Refuses a certificate whose `notAfter` has passed at `now` (one without a recorded date is not judged). */
export function assertCertificateNotExpired(certificate: { notAfter?: string }, now: Date): void {
  if (certificate.notAfter && Date.parse(certificate.notAfter) <= now.getTime())
    throw new SigningCertificateExpiredError(certificate.notAfter);
}
