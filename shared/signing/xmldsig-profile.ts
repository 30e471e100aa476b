import { type Element, type Node, XMLSerializer } from '@xmldom/xmldom';

/**
 * The rFE signature profile (domain brief §3.1, §3.2) and the DOM helpers both signing and verification use.
 */
export const RFE_NAMESPACE = 'http://dgi-fep.mef.gob.pa';
export const DSIG_NAMESPACE = 'http://www.w3.org/2000/09/xmldsig#';

export const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
export const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
export const ENVELOPED_SIGNATURE = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
export const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

/** Elements of the root that are not part of the signed content (§3.1 "Campos fuera de la Firma Digital"). */
export const UNSIGNED_ELEMENT = 'gNoFirm';

export function childElements(parent: Node): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1) out.push(node as Element);
  }
  return out;
}

export function isElement(
  node: Node | null | undefined,
  namespace: string,
  localName: string,
): node is Element {
  return (
    node?.nodeType === 1 &&
    (node as Element).namespaceURI === namespace &&
    (node as Element).localName === localName
  );
}

/** All descendants of `root` (inclusive) with that namespace and local name. */
export function findElements(root: Element, namespace: string, localName: string): Element[] {
  const out: Element[] = [];
  const walk = (node: Element) => {
    if (isElement(node, namespace, localName)) out.push(node);
    for (const child of childElements(node)) walk(child);
  };
  walk(root);
  return out;
}

export function escapeXmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Serializes without losing carriage returns. A CR reaches the DOM only through `&#xD;` (the parser turns
 * raw CRs into LFs), xmldom writes it back raw in text, and the next parse would turn it into an LF and
 * break the digest — item descriptions pasted from Windows carry CRLFs. Same fix as xml-crypto's own
 * serializer. (Inside a CDATA section this would change the text; c14n-signed rFEs carry no CDATA.)
 */
export function serializeXml(node: Node): string {
  return new XMLSerializer().serializeToString(node).replace(/\r/g, '&#xD;');
}
