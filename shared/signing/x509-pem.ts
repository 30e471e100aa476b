/** The base64 body of a PEM certificate (what `X509Certificate` holds), whitespace removed. */
export function pemBody(certificatePem: string): string {
  const match = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(certificatePem);
  if (!match?.[1]) throw new TypeError('expected a PEM certificate');
  return match[1].replace(/\s+/g, '');
}

/** Wraps base64 DER as PEM with 64-column lines. */
export function toCertificatePem(base64Der: string): string {
  const body = base64Der
    .replace(/\s+/g, '')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}
