import { DOMParser, type Element } from '@xmldom/xmldom';

export const RFE_NS = 'http://dgi-fep.mef.gob.pa';

export function parseXml(xml: string): Element {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  return doc.documentElement as Element;
}

/** Local names of the element children of `element`, in document order. */
export function childNames(element: Element): string[] {
  return Array.from(element.childNodes)
    .filter((node) => node.nodeType === 1)
    .map((node) => (node as Element).localName as string);
}

/** First descendant element with this local name. */
export function first(element: Element, name: string): Element {
  const found = element.getElementsByTagNameNS('*', name)[0];
  if (!found) throw new Error(`no <${name}> in the document`);
  return found;
}

export const text = (element: Element, name: string) => first(element, name).textContent;
