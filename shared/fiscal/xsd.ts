/**
 * XSD validation with libxml2 (WebAssembly) against the patched DGI schemas in `./xsd/` (shipped with
 * the product; see README there). Each schema is compiled once per process and reused.
 *
 * Unsigned documents: `Signature` and `gNoFirm` are mandatory in `FE_v1.00.xsd`, but we build and check
 * the rFE before it is signed (contracts.md: `buildRfeXml` is unsigned). Rather than maintain a relaxed
 * copy of the schema — which would drift from the DGI's — `validateRfeXml` validates a copy of the
 * document with a structurally valid placeholder `Signature` / `gNoFirm` added when they are absent.
 * Only their presence is faked; everything else is checked against the real schema. Signed documents
 * are validated as they are. Only libxml2 reads the document (see `validateRfeXml`).
 *
 * The patched XSD lost the "not all zeros" look-aheads of `dNroDF`, `dPtoFacDF` and `dSeg`, so they are
 * enforced here in code.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { XmlDocument, XmlValidateError, XsdValidator } from 'libxml2-wasm';
import { xmlRegisterFsInputProviders } from 'libxml2-wasm/lib/nodejs.mjs';
import { RFE_NAMESPACE } from './rfe-xml';

export type XsdResult = { valid: true } | { valid: false; errors: string[] };

export const RFE_SCHEMA = 'FE_v1.00.xsd';
export const RECEPTION_SCHEMAS = ['feRecepFE_v1.00.xsd', 'ProtProcesFE_v1.00.xsd'] as const;
type SchemaFile = typeof RFE_SCHEMA | (typeof RECEPTION_SCHEMAS)[number];

const XMLDSIG_NAMESPACE = 'http://www.w3.org/2000/09/xmldsig#';
const schemaDirectory = fileURLToPath(new URL('./xsd/', import.meta.url));

let fsProvidersRegistered = false;
const validators = new Map<SchemaFile, XsdValidator>();

/** Compiles a schema on first use; `xs:include`/`xs:import` resolve relative to its file URL. */
function validatorFor(schema: SchemaFile): XsdValidator {
  const cached = validators.get(schema);
  if (cached) return cached;
  if (!fsProvidersRegistered) {
    xmlRegisterFsInputProviders();
    fsProvidersRegistered = true;
  }
  const path = `${schemaDirectory}${schema}`;
  const schemaDoc = XmlDocument.fromBuffer(readFileSync(path), { url: path });
  try {
    const validator = XsdValidator.fromDoc(schemaDoc);
    validators.set(schema, validator);
    return validator;
  } finally {
    schemaDoc.dispose();
  }
}

function describe(error: unknown): string[] {
  if (error instanceof XmlValidateError && error.details.length > 0) {
    return error.details.map((d) => `line ${d.line}: ${d.message.trim()}`);
  }
  return [error instanceof Error ? error.message.trim() : String(error)];
}

function validateWith(schema: SchemaFile, xml: string): XsdResult {
  return withParsed(xml, (doc) => validateDoc(schema, doc));
}

/** Parses once, runs `check` on the document, disposes it; a parse error is an invalid result. */
function withParsed(xml: string, check: (doc: XmlDocument) => XsdResult): XsdResult {
  let doc: XmlDocument;
  try {
    // Same parse as `fromString` (both pass no encoding: libxml2 reads the declaration), but Node's UTF-8
    // encoder is ~0.1 ms faster on a 50-item rFE than libxml2-wasm's string copy.
    doc = XmlDocument.fromBuffer(Buffer.from(xml, 'utf8'));
  } catch (error) {
    return { valid: false, errors: describe(error) };
  }
  try {
    return check(doc);
  } finally {
    doc.dispose();
  }
}

function validateDoc(schema: SchemaFile, doc: XmlDocument): XsdResult {
  try {
    validatorFor(schema).validate(doc);
    return { valid: true };
  } catch (error) {
    return { valid: false, errors: describe(error) };
  }
}

/** Validates XML against one of the DGI reception schemas (for the HKA sandbox / PAC path). */
export function validateAgainst(schemaFile: SchemaFile, xml: string): XsdResult {
  return validateWith(schemaFile, xml);
}

/** A base64 value that satisfies `ds:DigestValue` / `ds:SignatureValue` (never a real signature). */
const PLACEHOLDER_BASE64 = 'AAAA';
/** `dQRCode` must be 100..600 characters. */
const PLACEHOLDER_QR = `https://placeholder.invalid/${'0'.repeat(100)}`;

/**
 * The placeholders as text, inserted just before the root's end tag (or Signature before an existing
 * gNoFirm). They carry their own namespace declarations, so they land in the right namespaces whatever
 * prefix the document uses for `rFE`.
 */
const SIGNATURE_PLACEHOLDER =
  `<Signature xmlns="${XMLDSIG_NAMESPACE}"><SignedInfo>` +
  '<CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>' +
  '<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>' +
  '<Reference URI=""><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>' +
  `<DigestValue>${PLACEHOLDER_BASE64}</DigestValue></Reference></SignedInfo>` +
  `<SignatureValue>${PLACEHOLDER_BASE64}</SignatureValue></Signature>`;
const NO_FIRM_PLACEHOLDER = `<gNoFirm xmlns="${RFE_NAMESPACE}"><dQRCode>${PLACEHOLDER_QR}</dQRCode></gNoFirm>`;

/** The root's end tag (any prefix), then only trailing whitespace: nothing after the root can hide it. */
const ROOT_END = /^<\/(?:[A-Za-z_][\w.-]*:)?rFE\s*>\s*$/;

/** `text` with `insert` placed before its last end tag, when that end tag is the rFE root's and ends it. */
function beforeRootEnd(text: string, insert: string): string | undefined {
  const end = text.lastIndexOf('</');
  if (end < 0 || !ROOT_END.test(text.slice(end))) return undefined;
  return `${text.slice(0, end)}${insert}${text.slice(end)}`;
}

/**
 * The unsigned rFE with both placeholders inserted as text before `</rFE>`, or `undefined` when that
 * shortcut does not apply (the text mentions Signature/gNoFirm anywhere, or the document does not end
 * with the root's end tag) and the parsed document must decide. The last `</` of a document that ends
 * with `</rFE>` plus whitespace is the root's end tag, so the placeholders become the root's last
 * children. Malformed input stays malformed (libxml2 reports it).
 */
function withPlaceholderText(xml: string): string | undefined {
  if (xml.includes('Signature') || xml.includes('gNoFirm')) return undefined;
  return beforeRootEnd(xml, SIGNATURE_PLACEHOLDER + NO_FIRM_PLACEHOLDER);
}

const NAMESPACES = { fe: RFE_NAMESPACE, ds: XMLDSIG_NAMESPACE };
/** A `gNoFirm` start tag as libxml2 writes it (any prefix). */
const NO_FIRM_START = /<(?:[A-Za-z_][\w.-]*:)?gNoFirm[\s/>]/g;

/**
 * The rFE root as libxml2 writes it again, completed with the placeholders it lacks, or `undefined` when
 * it lacks none (a signed document) or is no rFE at all (the schema says so). Writing it with libxml2
 * keeps every text exactly as libxml2 read it: escaped `&`, `<` and `>` stay escaped, so nothing that was
 * well-formed becomes an undefined entity (`AT&amp;T;` read back as `&T;`) on the way to the schema.
 */
function completedByLibxml2(doc: XmlDocument): string | undefined {
  const root = doc.root;
  if (root.name !== 'rFE' || root.namespaceUri !== RFE_NAMESPACE) return undefined;
  const hasSignature = doc.get('/fe:rFE/ds:Signature', NAMESPACES) !== null;
  const hasNoFirm = doc.get('/fe:rFE/fe:gNoFirm', NAMESPACES) !== null;
  if (hasSignature && hasNoFirm) return undefined;
  const text = root.toString({ format: false });
  if (hasSignature) return beforeRootEnd(text, NO_FIRM_PLACEHOLDER);
  if (!hasNoFirm) return beforeRootEnd(text, SIGNATURE_PLACEHOLDER + NO_FIRM_PLACEHOLDER);
  // Signature goes before gNoFirm: the last gNoFirm start tag is the root's (libxml2 escapes `<` in text).
  const starts = [...text.matchAll(NO_FIRM_START)];
  const at = starts.at(-1)?.index;
  return at === undefined ? undefined : `${text.slice(0, at)}${SIGNATURE_PLACEHOLDER}${text.slice(at)}`;
}

const NOT_ALL_ZEROS: [string, RegExp, string][] = [
  ['dNroDF', /^0+$/, 'dNroDF must not be all zeros'],
  ['dPtoFacDF', /^0+$/, 'dPtoFacDF must not be all zeros'],
  ['dSeg', /^0+$/, 'dSeg must not be all zeros'],
];

/** The "not all zeros" rules on the first `gDGen` fields, on an already parsed document. */
function notAllZerosErrors(doc: XmlDocument): string[] {
  const errors: string[] = [];
  for (const [name, zeros, message] of NOT_ALL_ZEROS) {
    const node = doc.get(`/fe:rFE/fe:gDGen/fe:${name}`, NAMESPACES);
    if (node && zeros.test(node.content)) errors.push(message);
  }
  return errors;
}

/** Schema validation and the "not all zeros" rules on a parsed document. */
function checkRfe(doc: XmlDocument): XsdResult {
  const result = validateDoc(RFE_SCHEMA, doc);
  const zeros = notAllZerosErrors(doc);
  if (result.valid && zeros.length === 0) return { valid: true };
  return { valid: false, errors: [...(result.valid ? [] : result.errors), ...zeros] };
}

/**
 * Validates an rFE against the patched `FE_v1.00.xsd` plus the "not all zeros" rules. Unsigned
 * documents are checked with placeholder Signature/gNoFirm; signed ones as they are. Only libxml2 parses
 * the document, so what is well-formed XML is read as such and nothing else is.
 *
 * The common case — an unsigned rFE as `buildRfeXml` writes it — gets its placeholders by text insertion
 * and is parsed once for both checks; a signed document is parsed once and checked as it is; anything
 * else is completed from libxml2's own serialization of its root (`completedByLibxml2`).
 */
export function validateRfeXml(xml: string): XsdResult {
  const fast = withPlaceholderText(xml);
  if (fast !== undefined) return withParsed(fast, checkRfe);
  return withParsed(xml, (doc) => {
    const completed = completedByLibxml2(doc);
    return completed === undefined ? checkRfe(doc) : withParsed(completed, checkRfe);
  });
}

// Compile the rFE schema when the module loads (a Lambda's init phase, not its first request). A failure
// here is not fatal: validatorFor retries and reports it on first use.
try {
  validatorFor(RFE_SCHEMA);
} catch {
  // reported on first use
}
