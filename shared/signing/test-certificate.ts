import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export type TestCertificateOptions = {
  ruc: string;
  dv: string;
  /** Razón social as it appears in the CN (may contain accents and `&`). */
  name: string;
  notBefore?: Date;
  notAfter?: Date;
  /** RSA modulus size; 2048 by default. Smaller sizes exist only to exercise UnsupportedKeyTypeError. */
  keyBits?: number;
};

export type TestCertificate = {
  privateKeyPem: string;
  certificatePem: string;
  /** PEM of the test CA that issued the certificate (the chain in `toP12`). */
  caCertificatePem: string;
  /** PKCS#12 with the key, the certificate and the test CA, protected by `pin` (AES-256, SHA-256 MAC). */
  toP12(pin: string): Buffer;
};

const DAY_MS = 86_400_000;

/**
 * Issues a throwaway certificate shaped like the Panamanian qualified ones (issuer "CA PANAMA CLASE 2",
 * subject `CN=[F] <RAZÓN SOCIAL> - <RUC> - <DV> - …, OU=FACTURA ELECTRONICA`) so tests, the local cloud
 * seed and the CLI exercise the same parsing as production. It is signed by a per-call test CA, never by
 * anything trusted, and is generated at run time — test keys are never committed.
 *
 * Keys come from node:crypto (OpenSSL keygen takes milliseconds; forge's pure-JS keygen takes seconds);
 * forge only assembles and signs the X.509 structures and the PKCS#12.
 */
export function generateTestCertificate(options: TestCertificateOptions): TestCertificate {
  const now = Date.now();
  const notBefore = options.notBefore ?? new Date(now - DAY_MS);
  const notAfter = options.notAfter ?? new Date(now + 365 * DAY_MS);

  const caKeys = rsaKeyPair(2048);
  const caSubject = [
    { shortName: 'C', value: 'PA' },
    { shortName: 'O', value: 'FIRMA ELECTRONICA (PRUEBAS FACTU)' },
    { shortName: 'CN', value: 'CA PANAMA CLASE 2 - PRUEBAS' },
  ];
  const ca = newCertificate(caKeys.publicKey, caSubject, caSubject, notBefore, notAfter, true);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const keys = rsaKeyPair(options.keyBits ?? 2048);
  const subject: forge.pki.CertificateField[] = [
    { shortName: 'C', value: 'PA' },
    { shortName: 'OU', value: 'FACTURA ELECTRONICA' },
    {
      shortName: 'CN',
      value: `[F] ${options.name} - ${options.ruc} - ${options.dv} - PRUEBA`,
      // UTF8String, so "RAZÓN SOCIAL" keeps its accents (PrintableString cannot hold them). The forge
      // typings declare this field as a tag class although forge reads it as a universal type.
      valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class,
    },
  ];
  const cert = newCertificate(keys.publicKey, subject, caSubject, notBefore, notAfter, false);
  cert.sign(caKeys.privateKey, forge.md.sha256.create());

  const certificatePem = forge.pki.certificateToPem(cert);
  const caCertificatePem = forge.pki.certificateToPem(ca);
  return {
    privateKeyPem: keys.privateKeyPem,
    certificatePem,
    caCertificatePem,
    toP12(pin: string): Buffer {
      // forge derives PBES2 keys from non-ASCII PINs one byte per character instead of UTF-8, producing
      // files OpenSSL and Windows cannot open; refuse rather than hand out such a file.
      if (/[^\x20-\x7e]/.test(pin)) throw new RangeError('test PKCS#12 PINs must be printable ASCII');
      const asn1 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert, ca], pin, {
        algorithm: 'aes256',
        generateLocalKeyId: true,
        friendlyName: 'factu test certificate',
      });
      return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
    },
  };
}

function rsaKeyPair(bits: number) {
  const pair = generateKeyPairSync('rsa', { modulusLength: bits });
  const privateKeyPem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    privateKeyPem,
    privateKey: forge.pki.privateKeyFromPem(privateKeyPem),
    publicKey: forge.pki.publicKeyFromPem(publicKeyPem),
  };
}

function newCertificate(
  publicKey: forge.pki.PublicKey,
  subject: forge.pki.CertificateField[],
  issuer: forge.pki.CertificateField[],
  notBefore: Date,
  notAfter: Date,
  isCa: boolean,
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // Positive 128-bit serial: a leading 0 nibble keeps the DER INTEGER non-negative.
  cert.serialNumber = `0${randomBytes(16).toString('hex').slice(1)}`;
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  cert.setExtensions(
    isCa
      ? [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
          { name: 'subjectKeyIdentifier' },
        ]
      : [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
          { name: 'subjectKeyIdentifier' },
        ],
  );
  return cert;
}
