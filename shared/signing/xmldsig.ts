import { createHash, type KeyObject, verify } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import type { ErrorFirstCallback, SignatureAlgorithm } from 'xml-crypto';
import { SigningKeyMismatchError } from './errors.ts';
import type { Signer, SigningIdentity } from './signer.ts';
import {
  canonicalRfeBody,
  certificateMaterial,
  digestOf,
  serializedText,
  signedInfoOf,
} from './xmldsig-canonical.ts';
import {
  childElements,
  DSIG_NAMESPACE,
  ENVELOPED_SIGNATURE,
  EXC_C14N,
  findElements,
  isElement,
  RFE_NAMESPACE,
  RSA_SHA256,
  SHA256,
  serializeXml,
  UNSIGNED_ELEMENT,
} from './xmldsig-profile.ts';

export { type VerifyResult, verifyRfeSignature, withoutUnsignedFields } from './xmldsig-verify.ts';

export type SignRfeOptions = {
  /** Builds the `dQRCode` URL from the signature's base64 `DigestValue` (domain brief §5). */
  qrUrl: (digestValue: string) => string;
};

/**
 * Signs an unsigned rFE (enveloped XMLDSig, profile of domain brief §3.2) and appends `gNoFirm/dQRCode`.
 *
 * Result layout: `rFE{ …, gTot, [gPedComGl, gInfoLog, gLcEntr], Signature, gNoFirm{dQRCode} }`.
 *
 * The one `Reference URI=""` covers the whole document minus the `Signature` (enveloped-signature
 * transform, then exclusive c14n). `gNoFirm` cannot be covered: the QR inside it carries the
 * `DigestValue`, which exists only once the digest is computed. So, as in DGI-authorised documents, it
 * is appended after signing, and the signature is valid over the document *without* `gNoFirm`:
 * a verifier removes `gNoFirm` first (`verifyRfeSignature` does; with xmlsec1 run it on the document with
 * `gNoFirm` stripped). We deliberately do not add an XPath transform excluding `gNoFirm`: the DGI profile
 * lists only enveloped-signature + c14n, and whether the DGI implements XPath transforms is unknown, so
 * that would risk rejections for a signature the profile does not describe.
 *
 * Two paths, same bytes out. A document already in canonical form — what `buildRfeXml` produces, proven by
 * `canonicalRfeBody` in one linear scan — is signed from string templates: its digest is SHA-256 of the
 * document minus the XML declaration, `SignedInfo`/`Signature` are fixed templates, and `Signature` +
 * `gNoFirm` are inserted before `</rFE>` (~10x faster: no DOM, no XPath, no re-parse). Any other input
 * (whitespace-indented, prefixed, with attributes, CRs, character references…) goes through xml-crypto,
 * which computes the reference digest and builds and canonicalizes `SignedInfo`. Both paths sign through
 * the async `Signer` port (so the key can stay in KMS) and check the signature against the certificate.
 */
export async function signRfeXml(
  unsignedXml: string,
  identity: SigningIdentity,
  options: SignRfeOptions,
): Promise<{ xml: string; digestValue: string }> {
  const canonicalBody = canonicalRfeBody(unsignedXml);
  if (canonicalBody !== undefined) {
    return signCanonicalRfe(unsignedXml, canonicalBody, identity, options);
  }
  return signRfeXmlWithXmlCrypto(unsignedXml, identity, options);
}

/**
 * The fast path: `unsignedXml` is its own exclusive canonical form minus the declaration (`canonicalBody`),
 * so the enveloped reference digest is the SHA-256 of those bytes. The output is byte-identical to
 * `signRfeXmlWithXmlCrypto`'s (tested on many documents and checked with xmlsec1).
 */
async function signCanonicalRfe(
  unsignedXml: string,
  canonicalBody: string,
  identity: SigningIdentity,
  options: SignRfeOptions,
): Promise<{ xml: string; digestValue: string }> {
  const material = await certificateMaterial(identity.certificatePem, identity.subjectName);
  const digestValue = digestOf(canonicalBody);
  const signedInfo = signedInfoOf(digestValue);
  const signatureValue = await signWithPort(identity.signer, material.publicKey, signedInfo.canonical);
  const signature =
    `<Signature xmlns="${DSIG_NAMESPACE}">${signedInfo.serialized}` +
    `<SignatureValue>${signatureValue}</SignatureValue>${material.keyInfo}</Signature>`;
  // gNoFirm directly after Signature, no whitespace (see below); its text escaped as xmldom writes it.
  const gNoFirm = `<${UNSIGNED_ELEMENT}><dQRCode>${serializedText(options.qrUrl(digestValue))}</dQRCode></${UNSIGNED_ELEMENT}>`;
  const close = unsignedXml.length - '</rFE>'.length;
  return { xml: `${unsignedXml.slice(0, close)}${signature}${gNoFirm}</rFE>`, digestValue };
}

/**
 * The general path (any well-formed unsigned rFE): xml-crypto computes the reference digest and builds and
 * canonicalizes `SignedInfo`; the private-key operation goes through the async `Signer` port (xml-crypto's
 * callback form of `computeSignature` and a custom signature algorithm). Exported for the tests that hold
 * the fast path to it.
 */
export async function signRfeXmlWithXmlCrypto(
  unsignedXml: string,
  identity: SigningIdentity,
  options: SignRfeOptions,
): Promise<{ xml: string; digestValue: string }> {
  assertUnsignedRfe(unsignedXml);
  const material = await certificateMaterial(identity.certificatePem, identity.subjectName);
  // Loaded on first use: the documents we build take the fast path, and xml-crypto with xpath is ~190 KB
  // that the signing function would otherwise load at every cold start (bench/bundles.ts).
  const { SignedXml } = await import('xml-crypto');

  const signedXml = new SignedXml({
    // xml-crypto refuses to compute a signature without a private key, but our algorithm never reads it:
    // the key is behind `identity.signer`. This is a marker, not a key.
    privateKey: 'signer-port',
    signatureAlgorithm: RSA_SHA256,
    canonicalizationAlgorithm: EXC_C14N,
    getKeyInfoContent: () => material.x509Data,
  });
  signedXml.SignatureAlgorithms = {
    [RSA_SHA256]: signerPortAlgorithm(identity.signer, material.publicKey),
  };
  signedXml.addReference({
    xpath: '/*',
    isEmptyUri: true,
    transforms: [ENVELOPED_SIGNATURE, EXC_C14N],
    digestAlgorithm: SHA256,
  });

  await new Promise<void>((resolve, reject) => {
    try {
      signedXml.computeSignature(
        unsignedXml,
        { location: { reference: '/*', action: 'append' } },
        (error: Error | null) => (error ? reject(error) : resolve()),
      );
    } catch (error) {
      reject(error);
    }
  });

  const doc = new DOMParser().parseFromString(signedXml.getSignedXml(), 'text/xml');
  const root = doc.documentElement!;
  const digestValue = findElements(root, DSIG_NAMESPACE, 'DigestValue')[0]?.textContent?.trim();
  if (!digestValue) throw new Error('xml-crypto produced a signature without DigestValue');

  // Appended directly after Signature, with no whitespace text node, so removing the element restores
  // exactly the node set that was signed.
  const gNoFirm = doc.createElementNS(RFE_NAMESPACE, UNSIGNED_ELEMENT);
  const dQRCode = doc.createElementNS(RFE_NAMESPACE, 'dQRCode');
  dQRCode.appendChild(doc.createTextNode(options.qrUrl(digestValue)));
  gNoFirm.appendChild(dQRCode);
  root.appendChild(gNoFirm);

  return { xml: serializeXml(doc), digestValue };
}

/**
 * RSASSA-PKCS1-v1_5 over SHA-256 of the canonical SignedInfo through the `Signer` port, checked against the
 * certificate's public key before it is used: a KMS key that does not belong to the certificate (a renewal
 * imported half-way, a wrong key id) would otherwise produce documents the DGI rejects one by one. One RSA
 * public operation is cheap next to that. Returns the base64 `SignatureValue`.
 */
async function signWithPort(signer: Signer, certificateKey: KeyObject, canonicalSignedInfo: string) {
  const material = Buffer.from(canonicalSignedInfo, 'utf8');
  const digest = createHash('sha256').update(material).digest();
  const signature = await signer.signSha256Digest(digest);
  if (!verify('sha256', material, certificateKey, signature)) {
    throw new SigningKeyMismatchError('the signing key does not match the certificate');
  }
  return Buffer.from(signature).toString('base64');
}

function assertUnsignedRfe(xml: string): void {
  const root = new DOMParser({ onError: throwOnXmlError }).parseFromString(xml, 'text/xml').documentElement;
  if (!isElement(root, RFE_NAMESPACE, 'rFE')) {
    throw new TypeError(`expected an rFE root element in namespace ${RFE_NAMESPACE}`);
  }
  if (findElements(root, DSIG_NAMESPACE, 'Signature').length > 0) {
    throw new TypeError('the rFE is already signed');
  }
  if (childElements(root).some((child) => isElement(child, RFE_NAMESPACE, UNSIGNED_ELEMENT))) {
    throw new TypeError('the unsigned rFE already has gNoFirm');
  }
}

function throwOnXmlError(level: string, message: string): void {
  if (level !== 'warning') throw new TypeError(`malformed XML: ${message}`);
}

/**
 * RSA-SHA256 whose private operation is the `Signer` port: SHA-256 of the canonical SignedInfo here,
 * RSASSA-PKCS1-v1_5 over that digest in the signer. Only the asynchronous (callback) form works; the
 * synchronous one cannot wait for KMS and so throws rather than returning a wrong value.
 *
 * The signature is checked against the certificate's public key before it is used (`signWithPort`).
 */
function signerPortAlgorithm(signer: Signer, certificateKey: KeyObject): new () => SignatureAlgorithm {
  return class SignerPortRsaSha256 implements SignatureAlgorithm {
    getSignature(signedInfo: unknown, _privateKey: unknown, callback?: ErrorFirstCallback<string>): string {
      if (!callback)
        throw new Error('the Signer port is asynchronous: call computeSignature with a callback');
      // `.catch` after `.then`: a failure of the signer *or* of xml-crypto's continuation reaches the
      // caller's promise instead of becoming an unhandled rejection.
      signWithPort(signer, certificateKey, signedInfo as string)
        .then((signatureValue) => callback(null, signatureValue))
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
      return undefined as unknown as string;
    }

    verifySignature(): boolean {
      throw new Error('this algorithm only signs; verify with verifyRfeSignature');
    }

    getAlgorithmName(): string {
      return RSA_SHA256;
    }
  };
}
