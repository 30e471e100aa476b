import { X509Certificate } from 'node:crypto';
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { toCertificatePem } from './x509-pem.ts';
import {
  childElements,
  DSIG_NAMESPACE,
  findElements,
  isElement,
  RFE_NAMESPACE,
  serializeXml,
  UNSIGNED_ELEMENT,
} from './xmldsig-profile.ts';

export type VerifyResult = { valid: boolean; reason?: string };

/**
 * Algorithms we accept when verifying. Wider than what we sign with (documents signed by HKA or another
 * PAC use inclusive c14n, §3.2), but never SHA-1: a SHA-1 signature would let a forged document pass.
 */
const ACCEPTED_SIGNATURE_METHODS = new Set([
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
]);
const ACCEPTED_DIGEST_METHODS = new Set([
  'http://www.w3.org/2001/04/xmlenc#sha256',
  'http://www.w3.org/2001/04/xmlenc#sha512',
]);

/**
 * Verifies the enveloped signature of a signed rFE.
 *
 * `gNoFirm` is removed first: it is appended after signing (it holds the QR, built from the DigestValue)
 * and so is outside the signature by design (domain brief §3.1).
 *
 * Structural checks come before the cryptographic one, to rule out signature wrapping: exactly one
 * `Signature`, a direct child of `rFE`, with exactly one `Reference URI=""` — so what verifies is the
 * whole document, not some fragment next to unsigned amounts.
 *
 * @param certificatePem the certificate to trust. Without it the certificate embedded in `KeyInfo` is
 *   used, which proves integrity only: anyone can sign with their own certificate. Pass the tenant's
 *   certificate when the signer's identity matters.
 */
export function verifyRfeSignature(signedXml: string, certificatePem?: string): VerifyResult {
  let doc: Document;
  try {
    doc = new DOMParser({ onError: throwOnXmlError }).parseFromString(signedXml, 'text/xml');
  } catch (error) {
    return invalid(`malformed XML: ${(error as Error).message}`);
  }
  const root = doc.documentElement;
  if (!isElement(root, RFE_NAMESPACE, 'rFE')) return invalid('the root element is not rFE');

  const signatures = findElements(root, DSIG_NAMESPACE, 'Signature');
  if (signatures.length !== 1) return invalid(`expected exactly one Signature, found ${signatures.length}`);
  const signature = signatures[0]!;
  if (signature.parentNode !== root) return invalid('the Signature is not a child of rFE');

  const structural = checkSignedInfo(signature);
  if (structural) return invalid(structural);

  let publicCert: string;
  try {
    publicCert = certificatePem ?? embeddedCertificate(signature);
    new X509Certificate(publicCert);
  } catch (error) {
    return invalid(`no usable certificate: ${(error as Error).message}`);
  }

  removeUnsignedFields(root);
  const signedContent = serializeXml(doc);

  const verifier = new SignedXml({ publicCert, getCertFromKeyInfo: () => null });
  try {
    verifier.loadSignature(signature);
    if (!verifier.checkSignature(signedContent)) {
      return invalid('the document does not match the signed digest (content changed after signing)');
    }
    return { valid: true };
  } catch (error) {
    return invalid(describe(error));
  }
}

/**
 * The signed rFE without `gNoFirm`: exactly what the signature covers. Useful to check a document with a
 * generic XMLDSig verifier, e.g. `xmlsec1 --verify --pubkey-cert-pem cert.pem stripped.xml`, which would
 * otherwise count `gNoFirm` into the enveloped reference and report a digest mismatch.
 */
export function withoutUnsignedFields(signedXml: string): string {
  const doc = new DOMParser({ onError: throwOnXmlError }).parseFromString(signedXml, 'text/xml');
  removeUnsignedFields(doc.documentElement!);
  return serializeXml(doc);
}

function removeUnsignedFields(root: Element): void {
  for (const child of childElements(root)) {
    if (isElement(child, RFE_NAMESPACE, UNSIGNED_ELEMENT)) root.removeChild(child);
  }
}

function checkSignedInfo(signature: Element): string | undefined {
  const signedInfo = childElements(signature).find((e) => isElement(e, DSIG_NAMESPACE, 'SignedInfo'));
  if (!signedInfo) return 'the Signature has no SignedInfo';
  const method = childElements(signedInfo).find((e) => isElement(e, DSIG_NAMESPACE, 'SignatureMethod'));
  const algorithm = method?.getAttribute('Algorithm') ?? '';
  if (!ACCEPTED_SIGNATURE_METHODS.has(algorithm)) return `unsupported SignatureMethod ${algorithm}`;
  const references = childElements(signedInfo).filter((e) => isElement(e, DSIG_NAMESPACE, 'Reference'));
  if (references.length !== 1) return `expected exactly one Reference, found ${references.length}`;
  const reference = references[0]!;
  if (!reference.hasAttribute('URI') || reference.getAttribute('URI') !== '') {
    return 'the Reference does not cover the whole document (URI must be "")';
  }
  const digest = childElements(reference).find((e) => isElement(e, DSIG_NAMESPACE, 'DigestMethod'));
  const digestAlgorithm = digest?.getAttribute('Algorithm') ?? '';
  if (!ACCEPTED_DIGEST_METHODS.has(digestAlgorithm)) return `unsupported DigestMethod ${digestAlgorithm}`;
  return undefined;
}

function embeddedCertificate(signature: Element): string {
  const [certificate] = findElements(signature, DSIG_NAMESPACE, 'X509Certificate');
  const body = certificate?.textContent?.trim();
  if (!body) throw new Error('the Signature carries no X509Certificate and none was given');
  return toCertificatePem(body);
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // xml-crypto puts the whole SignatureValue in this message; the reason only needs to say what failed.
  if (message.startsWith('invalid signature'))
    return 'the SignatureValue does not verify with the certificate';
  return message;
}

function invalid(reason: string): VerifyResult {
  return { valid: false, reason };
}

function throwOnXmlError(level: string, message: string): void {
  if (level !== 'warning') throw new Error(message);
}
