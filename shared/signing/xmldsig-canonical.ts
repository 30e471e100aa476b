import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { pemBody } from './x509-pem.ts';
import {
  DSIG_NAMESPACE,
  ENVELOPED_SIGNATURE,
  EXC_C14N,
  escapeXmlText,
  RFE_NAMESPACE,
  RSA_SHA256,
  SHA256,
  serializeXml,
} from './xmldsig-profile.ts';

/**
 * The fast path of `signRfeXml` for documents that are already in canonical form (what `buildRfeXml`
 * produces), and the per-certificate material both paths share.
 *
 * Why a check and not a brand: the unsigned rFE travels through S3 between the build-xml and sign-xml
 * Lambdas (and through the CLI as a file), so a branded type or a flag set by `buildRfeXml` would not survive
 * to the signer. Instead `canonicalRfeBody` proves the precondition on the string itself in one linear scan
 * (~µs per KB): it accepts only a strict subset of XML whose exclusive canonical form (c14n without
 * comments, enveloped-signature transform over an unsigned document) is the text itself, byte for byte:
 *
 * - an optional `<?xml version="1.0" encoding="UTF-8"?>` (c14n drops it), then exactly
 *   `<rFE xmlns="http://dgi-fep.mef.gob.pa">` as the first bytes of the root (the only namespace
 *   declaration, visibly used, as exc-c14n writes it) and `</rFE>` as the last bytes of the string;
 * - inside, only `<name>` / `</name>` tags without attributes, prefixes or whitespace, properly nested
 *   (c14n writes start/end tags exactly so; `<x/>` would be expanded, so it is refused);
 * - text made of XML characters except CR (the parser turns it into LF), `<`, `>` and `&`, plus only the
 *   references `&amp;` `&lt;` `&gt;` — exactly how c14n escapes text (`&quot;`, `&#…;`, a raw `>` would be
 *   rewritten, so they are refused). C0/C1 controls, lone surrogates and U+FFFE/U+FFFF are refused too;
 * - no element named `Signature` or `gNoFirm` (the general path decides what to do with those).
 *
 * Anything else returns `undefined` and the caller uses xml-crypto, so a wrong "yes" is the only way this
 * could break a signature, and every "yes" is a document that is well-formed and canonical by construction.
 * The tests check fast-path output byte for byte against the xml-crypto path and with xmlsec1.
 */
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
const ROOT_OPEN = `<rFE xmlns="${RFE_NAMESPACE}">`;
const ROOT_CLOSE = '</rFE>';

/**
 * Text: allowed characters (surrogates only in pairs) and the three references c14n writes. Runs of plain
 * characters are taken whole (`+`): one step per run rather than one alternation per character. Nothing
 * follows the outer `*`, so the engine never backtracks into it.
 */
const CANONICAL_TEXT =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the class lists the control characters to refuse.
  /(?:[^<>&\r\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uD800-\uDFFF\uFFFE\uFFFF]+|[\uD800-\uDBFF][\uDC00-\uDFFF]|&(?:amp|lt|gt);)*/y;
/** A start or end tag without attributes, prefix or whitespace. */
const PLAIN_TAG = /<(\/?)([A-Za-z_][A-Za-z0-9_.-]*)>/y;

/**
 * The signed content of an unsigned rFE if the string is already its exclusive canonical form (see above),
 * i.e. the document minus its XML declaration; otherwise `undefined`.
 */
export function canonicalRfeBody(xml: string): string | undefined {
  const start = xml.startsWith(DECLARATION) ? DECLARATION.length : 0;
  if (!xml.startsWith(ROOT_OPEN, start) || !xml.endsWith(ROOT_CLOSE)) return undefined;
  const stack: string[] = ['rFE'];
  let pos = start + ROOT_OPEN.length;
  const end = xml.length;
  while (stack.length > 0) {
    CANONICAL_TEXT.lastIndex = pos;
    CANONICAL_TEXT.exec(xml);
    pos = CANONICAL_TEXT.lastIndex;
    PLAIN_TAG.lastIndex = pos;
    const tag = PLAIN_TAG.exec(xml);
    if (!tag) return undefined;
    pos = PLAIN_TAG.lastIndex;
    const name = tag[2]!;
    if (tag[1]) {
      if (stack.pop() !== name) return undefined;
    } else {
      if (name === 'Signature' || name === 'gNoFirm') return undefined;
      stack.push(name);
    }
  }
  // The root closed: it must have been the final `</rFE>` (nothing may follow it).
  return pos === end ? xml.slice(start) : undefined;
}

/** What a certificate contributes to every signature, computed once per certificate (forge is slow). */
export type CertificateMaterial = {
  /** `X509Data` with `X509SubjectName` + `X509Certificate`, as in the DGI sample (§3.2), no prefix. */
  x509Data: string;
  /** `<KeyInfo>…</KeyInfo>` around it, exactly as the xml-crypto path serializes it in the signed document. */
  keyInfo: string;
  publicKey: KeyObject;
};

// A Lambda signs for many tenants; bound the cache, least recently used out first.
const MATERIAL_CACHE_LIMIT = 64;
const materials = new Map<string, CertificateMaterial>();

export async function certificateMaterial(
  certificatePem: string,
  subjectName?: string,
): Promise<CertificateMaterial> {
  const cached = materials.get(certificatePem);
  if (cached) {
    materials.delete(certificatePem);
    materials.set(certificatePem, cached);
    return cached;
  }
  const subject = escapeXmlText(
    subjectName ?? (await import('./x509-names.ts')).subjectRfc4514(certificatePem),
  );
  const x509Data = `<X509Data><X509SubjectName>${subject}</X509SubjectName><X509Certificate>${pemBody(certificatePem)}</X509Certificate></X509Data>`;
  // Round-trip through the same serializer the xml-crypto path ends with, so both paths write identical
  // bytes whatever the subject contains.
  const wrapped = serializeXml(
    new DOMParser().parseFromString(
      `<Signature xmlns="${DSIG_NAMESPACE}"><KeyInfo>${x509Data}</KeyInfo></Signature>`,
      'text/xml',
    ),
  );
  const open = `<Signature xmlns="${DSIG_NAMESPACE}">`;
  if (!wrapped.startsWith(open) || !wrapped.endsWith('</Signature>')) {
    throw new Error('unexpected KeyInfo serialization');
  }
  const material: CertificateMaterial = {
    x509Data,
    keyInfo: wrapped.slice(open.length, -'</Signature>'.length),
    publicKey: createPublicKey(certificatePem),
  };
  if (materials.size >= MATERIAL_CACHE_LIMIT) materials.delete(materials.keys().next().value!);
  materials.set(certificatePem, material);
  return material;
}

/** SHA-256 of the signed content, base64 (the `DigestValue`). */
export function digestOf(canonicalBody: string): string {
  return createHash('sha256').update(canonicalBody, 'utf8').digest('base64');
}

/**
 * `SignedInfo` as the signature covers it (exclusive c14n, in the scope of the default-namespace
 * `Signature`: the namespace is declared on `SignedInfo`, empty elements are expanded) and as it is written
 * in the document (namespace inherited, empty elements self-closed, as xml-crypto and xmldom write them).
 * Same algorithms and order as the xml-crypto path.
 */
export function signedInfoOf(digestValue: string): { canonical: string; serialized: string } {
  const empty = (name: string, algorithm: string, canonical: boolean) =>
    canonical ? `<${name} Algorithm="${algorithm}"></${name}>` : `<${name} Algorithm="${algorithm}"/>`;
  const body = (canonical: boolean) =>
    empty('CanonicalizationMethod', EXC_C14N, canonical) +
    empty('SignatureMethod', RSA_SHA256, canonical) +
    '<Reference URI=""><Transforms>' +
    empty('Transform', ENVELOPED_SIGNATURE, canonical) +
    empty('Transform', EXC_C14N, canonical) +
    '</Transforms>' +
    empty('DigestMethod', SHA256, canonical) +
    `<DigestValue>${digestValue}</DigestValue></Reference>`;
  return {
    canonical: `<SignedInfo xmlns="${DSIG_NAMESPACE}">${body(true)}</SignedInfo>`,
    serialized: `<SignedInfo>${body(false)}</SignedInfo>`,
  };
}

/** Text content as xmldom writes it, plus the CR escaping of `serializeXml`. */
export function serializedText(value: string): string {
  return escapeXmlText(value).replace(/\r/g, '&#xD;');
}
