import { createHash, createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import {
  CertificateExpiredError,
  CertificateFormatError,
  CertificateNotYetValidError,
  CertificatePinError,
  CertificateRucMismatchError,
  UnsupportedKeyTypeError,
} from './errors.ts';
import { assertSupportedSigningKey } from './key-policy.ts';
import { subjectCarriesRuc } from './ruc-in-subject.ts';
import { nameRfc4514 } from './x509-names.ts';

export {
  CertificateExpiredError,
  CertificateFormatError,
  CertificateNotYetValidError,
  CertificatePinError,
  CertificateRucMismatchError,
  UnsupportedKeyTypeError,
} from './errors.ts';

export type LoadedCertificate = {
  /** PKCS#8 PEM. Secret: hand it to kms-import or a LocalKeySigner, never to a log. */
  privateKeyPem: string;
  certificatePem: string;
  /** The other certificates of the file (intermediates, root), ordered from the issuer of the leaf up. */
  chainPem: string[];
  /** RFC 4514, most specific first: `CN=[F] … - <RUC> - <DV> - …,OU=FACTURA ELECTRONICA,…`. */
  subject: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the certificate DER, lowercase hex. */
  fingerprintSha256: string;
};

export type LoadP12Options = {
  /** The tenant's RUC; the certificate subject must carry it (CN, serialNumber or any other attribute). */
  expectedRuc: string;
  now?: Date;
};

/**
 * Opens the tenant's PKCS#12 (.p12/.pfx, as issued by Firma Electrónica de Panamá) and checks that it can
 * sign that tenant's documents: the PIN opens it, the key is RSA ≥ 2048, a certificate matches the key,
 * it is valid at `now`, and its subject carries the tenant's RUC.
 *
 * forge decodes the container (Node has no PKCS#12 parser); node:crypto inspects key and certificates,
 * because forge only models RSA and would hide an EC key behind a parse error.
 *
 * It throws only the errors of ./errors.ts: a wrong PIN is a CertificatePinError, any damaged or foreign
 * file a CertificateFormatError, whatever forge or node:crypto made of its bytes.
 */
export function loadP12(p12: Buffer, pin: string, options: LoadP12Options): LoadedCertificate {
  try {
    return checkedCertificate(p12, pin, options);
  } catch (error) {
    if (REPORTED_ERRORS.some((reported) => error instanceof reported)) throw error;
    // Anything else forge or node:crypto throws on a damaged file (ASN.1, PEM, DECODER errors…) says the
    // same thing: this is not a usable PKCS#12. Their messages describe bytes, not the caller's mistake.
    throw new CertificateFormatError(
      'the file is not a readable PKCS#12 (.p12/.pfx) with a key and its certificate',
    );
  }
}

/** The errors loadP12 reports as they are; every other failure is a CertificateFormatError. */
const REPORTED_ERRORS = [
  CertificatePinError,
  CertificateExpiredError,
  CertificateNotYetValidError,
  CertificateRucMismatchError,
  CertificateFormatError,
  UnsupportedKeyTypeError,
];

function checkedCertificate(p12: Buffer, pin: string, options: LoadP12Options): LoadedCertificate {
  const now = options.now ?? new Date();
  const container = openContainer(p12, pin);

  const keys = bagsOf(container, forge.pki.oids.pkcs8ShroudedKeyBag!).concat(
    bagsOf(container, forge.pki.oids.keyBag!),
  );
  if (keys.length === 0) throw new CertificateFormatError('the PKCS#12 holds no private key');
  const certificates = bagsOf(container, forge.pki.oids.certBag!).map(certificateOf);
  if (certificates.length === 0) throw new CertificateFormatError('the PKCS#12 holds no certificate');

  // A file may carry several keys (renewals exported together); take the first that has its certificate.
  let privateKey: KeyObject | undefined;
  let leaf: X509Certificate | undefined;
  for (const bag of keys) {
    const key = privateKeyOf(bag);
    const match = certificates.find((certificate) => matchesKey(certificate, key));
    if (match) {
      privateKey = key;
      leaf = match;
      break;
    }
  }
  if (!privateKey || !leaf) {
    // Report an unusable key type before "no matching certificate": it is the more useful message.
    assertSupportedSigningKey(privateKeyOf(keys[0]!));
    throw new CertificateFormatError('no certificate in the PKCS#12 matches its private key');
  }
  assertSupportedSigningKey(privateKey);

  if (Number.isNaN(leaf.validFromDate.getTime()) || Number.isNaN(leaf.validToDate.getTime())) {
    throw new CertificateFormatError('the validity dates of the certificate cannot be read');
  }
  if (now < leaf.validFromDate) {
    throw new CertificateNotYetValidError(
      `the certificate is not valid before ${leaf.validFromDate.toISOString()}`,
      leaf.validFromDate,
    );
  }
  if (now > leaf.validToDate) {
    throw new CertificateExpiredError(
      `the certificate expired on ${leaf.validToDate.toISOString()}`,
      leaf.validToDate,
    );
  }

  const subjectAttributes = forge.pki.certificateFromPem(leaf.toString()).subject.attributes;
  const subject = nameRfc4514(subjectAttributes);
  if (!subjectCarriesRuc(subjectAttributes, options.expectedRuc)) {
    throw new CertificateRucMismatchError(
      `the certificate subject (${subject}) does not carry the RUC ${options.expectedRuc}`,
    );
  }

  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificatePem: leaf.toString(),
    chainPem: orderChain(
      leaf,
      certificates.filter((c) => c !== leaf),
    ).map((c) => c.toString()),
    subject,
    notBefore: leaf.validFromDate,
    notAfter: leaf.validToDate,
    fingerprintSha256: createHash('sha256').update(leaf.raw).digest('hex'),
  };
}

function openContainer(p12: Buffer, pin: string): forge.pkcs12.Pkcs12Pfx {
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(p12.toString('binary'));
  } catch {
    throw new CertificateFormatError('the file is not a PKCS#12 (.p12/.pfx)');
  }
  assertBoundedMacIterations(asn1);
  try {
    return forge.pkcs12.pkcs12FromAsn1(asn1, pin);
  } catch (error) {
    if (!isMacFailure(error) && /[^\x20-\x7e]/.test(pin)) {
      // The MAC (PKCS#12 KDF over the PIN as BMPString, which forge encodes correctly) passed or is
      // absent, but decryption failed. With a non-ASCII PIN that is forge's PBES2 path: it feeds PBKDF2 one
      // byte per character, while RFC 8018 and OpenSSL use the PIN's UTF-8 bytes ("ñ" → C3 B1). Retry the
      // decryption with the UTF-8 bytes, without the MAC, which that encoding would fail.
      try {
        return forge.pkcs12.pkcs12FromAsn1(withoutMac(asn1), forge.util.encodeUtf8(pin));
      } catch {
        // fall through to the original error
      }
    }
    throw classify(error);
  }
}

/**
 * Rounds of the PKCS#12 key derivation forge runs to check the MAC, read before it runs them. Real files use
 * one to a few thousand (OpenSSL 2048, Windows 2000, Java 10,000); forge does about 3,000 a millisecond, so
 * this bound costs at most a few hundred milliseconds, where a damaged count (up to 2^31) would run for hours.
 * The MAC covers everything else in the file, bag encryption parameters included.
 */
const MAX_MAC_ITERATIONS = 1_000_000;

function assertBoundedMacIterations(pfx: forge.asn1.Asn1): void {
  // PFX ::= SEQUENCE { version, authSafe, macData MacData OPTIONAL }
  // MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }
  const macData = Array.isArray(pfx.value) ? pfx.value[2] : undefined;
  const iterations = macData && Array.isArray(macData.value) ? macData.value[2] : undefined;
  if (!iterations || typeof iterations.value !== 'string') return;
  const bytes = iterations.value;
  let count = 0;
  for (let i = 0; i < bytes.length && count <= MAX_MAC_ITERATIONS; i++)
    count = count * 256 + bytes.charCodeAt(i);
  if (count > MAX_MAC_ITERATIONS) {
    throw new CertificateFormatError(`the PKCS#12 asks for more than ${MAX_MAC_ITERATIONS} MAC iterations`);
  }
}

function isMacFailure(error: unknown): boolean {
  return error instanceof Error && /MAC could not be verified/.test(error.message);
}

/** forge's messages for a wrong PIN: MAC mismatch, or contents that do not decrypt. None includes the PIN. */
function classify(error: unknown): Error {
  const message = error instanceof Error ? error.message : '';
  if (/password|MAC could not be verified|decrypt/i.test(message)) {
    return new CertificatePinError('the PIN does not open the certificate file');
  }
  return new CertificateFormatError(`the PKCS#12 cannot be read: ${message}`);
}

/** The PFX without its optional macData (PFX ::= SEQUENCE { version, authSafe, macData OPTIONAL }). */
function withoutMac(pfx: forge.asn1.Asn1): forge.asn1.Asn1 {
  const parts = pfx.value as forge.asn1.Asn1[];
  return forge.asn1.create(pfx.tagClass, pfx.type, true, parts.slice(0, 2));
}

function bagsOf(container: forge.pkcs12.Pkcs12Pfx, bagType: string): forge.pkcs12.Bag[] {
  return container.getBags({ bagType })[bagType] ?? [];
}

type BagWithAsn1 = forge.pkcs12.Bag & { asn1?: forge.asn1.Asn1 };

/** forge parses RSA keys into objects and leaves any other key type as its PrivateKeyInfo ASN.1. */
function privateKeyOf(bag: BagWithAsn1): KeyObject {
  if (bag.key) {
    return createPrivateKey(forge.pki.privateKeyToPem(bag.key));
  }
  if (!bag.asn1) throw new CertificateFormatError('a key bag of the PKCS#12 is empty');
  return createPrivateKey({ key: derOf(bag.asn1), format: 'der', type: 'pkcs8' });
}

function certificateOf(bag: BagWithAsn1): X509Certificate {
  // forge keeps the certificate's original TBSCertificate, so re-encoding it yields the original DER.
  const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
  if (!asn1) throw new CertificateFormatError('a certificate bag of the PKCS#12 is empty');
  return new X509Certificate(derOf(asn1));
}

function derOf(asn1: forge.asn1.Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

function matchesKey(certificate: X509Certificate, key: KeyObject): boolean {
  try {
    return certificate.checkPrivateKey(key);
  } catch {
    return false;
  }
}

/** Leaf's issuer first, then its issuer, …; certificates outside that path keep their file order at the end. */
function orderChain(leaf: X509Certificate, others: X509Certificate[]): X509Certificate[] {
  const remaining = [...others];
  const ordered: X509Certificate[] = [];
  let current = leaf;
  for (;;) {
    const index = remaining.findIndex((candidate) => current.checkIssued(candidate) && candidate !== current);
    if (index < 0) break;
    const [issuer] = remaining.splice(index, 1);
    ordered.push(issuer!);
    current = issuer!;
  }
  return ordered.concat(remaining);
}
