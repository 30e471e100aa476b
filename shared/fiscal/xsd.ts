/**
 * XSD validation with libxml2 (WebAssembly) against the patched DGI schemas in `./xsd/` (shipped with
 * the product; see README there). Each schema is compiled once per process and reused.
 *
 * Unsigned documents: `Signature` and `gNoFirm` are mandatory in `FE_v1.00.xsd`, but we build and check
 * the rFE before it is signed (contracts.md: `buildRfeXml` is unsigned). Rather than maintain a relaxed
 * copy of the schema — which would drift from the DGI's — `validateRfeXml` validates a copy of the
 * document with a structurally valid placeholder `Signature` / `gNoFirm` appended when they are absent.
 * Only their presence is faked; everything else is checked against the real schema. Signed documents
 * are validated as they are.
 *
 * The patched XSD lost the "not all zeros" look-aheads of `dNroDF`, `dPtoFacDF` and `dSeg`, so they are
 * enforced here in code.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { XmlDocument, XmlValidateError, XsdValidator } from 'libxml2-wasm';
import { xmlRegisterFsInputProviders } from 'libxml2-wasm/lib/nodejs.mjs';
import { create } from 'xmlbuilder2';
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
  const validator = validatorFor(schema);
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromString(xml);
  } catch (error) {
    return { valid: false, errors: describe(error) };
  }
  try {
    validator.validate(doc);
    return { valid: true };
  } catch (error) {
    return { valid: false, errors: describe(error) };
  } finally {
    doc.dispose();
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

/** Adds placeholder Signature and/or gNoFirm to a copy of an unsigned rFE (see module comment). */
function withPlaceholders(xml: string): string {
  const doc = create(xml);
  const root = doc.root();
  const children = root.node.childNodes;
  const has = (local: string) =>
    Array.from(children).some((n) => (n as { localName?: string }).localName === local);
  if (!has('Signature')) {
    const signature = root.ele(XMLDSIG_NAMESPACE, 'Signature');
    const signedInfo = signature.ele('SignedInfo');
    signedInfo.ele('CanonicalizationMethod', {
      Algorithm: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
    });
    signedInfo.ele('SignatureMethod', { Algorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256' });
    const reference = signedInfo.ele('Reference', { URI: '' });
    reference.ele('DigestMethod', { Algorithm: 'http://www.w3.org/2001/04/xmlenc#sha256' });
    reference.ele('DigestValue').txt(PLACEHOLDER_BASE64);
    signature.ele('SignatureValue').txt(PLACEHOLDER_BASE64);
  }
  if (!has('gNoFirm')) {
    root.ele(RFE_NAMESPACE, 'gNoFirm').ele('dQRCode').txt(PLACEHOLDER_QR);
  }
  return doc.end({ prettyPrint: false });
}

/** Values of the first elements with these local names in the rFE namespace. */
function notAllZerosErrors(xml: string): string[] {
  const doc = XmlDocument.fromString(xml);
  try {
    const errors: string[] = [];
    const checks: [string, RegExp, string][] = [
      ['dNroDF', /^0+$/, 'dNroDF must not be all zeros'],
      ['dPtoFacDF', /^0+$/, 'dPtoFacDF must not be all zeros'],
      ['dSeg', /^0+$/, 'dSeg must not be all zeros'],
    ];
    for (const [name, zeros, message] of checks) {
      const node = doc.get(`/fe:rFE/fe:gDGen/fe:${name}`, { fe: RFE_NAMESPACE });
      if (node && zeros.test(node.content)) errors.push(message);
    }
    return errors;
  } finally {
    doc.dispose();
  }
}

/**
 * Validates an rFE against the patched `FE_v1.00.xsd` plus the "not all zeros" rules. Unsigned
 * documents are checked with placeholder Signature/gNoFirm; signed ones as they are.
 */
export function validateRfeXml(xml: string): XsdResult {
  let candidate: string;
  try {
    candidate = withPlaceholders(xml);
  } catch (error) {
    return {
      valid: false,
      errors: [`not well-formed XML: ${error instanceof Error ? error.message : String(error)}`],
    };
  }
  const result = validateWith(RFE_SCHEMA, candidate);
  const zeros = notAllZerosErrors(candidate);
  if (result.valid && zeros.length === 0) return { valid: true };
  return { valid: false, errors: [...(result.valid ? [] : result.errors), ...zeros] };
}
