/**
 * WCF's DataContractSerializer reads members in their declared order: an element that comes after a
 * later member has been read is silently ignored, which HKA then reports as "El campo X es requerido"
 * (brief §8.1: "element order is order-sensitive"). The sandbox re-reads `Enviar.documento` the same
 * way, from an order-preserving parse, so a client that gets the order wrong fails here as at HKA.
 */
import { XMLParser } from 'fast-xml-parser';
import { DOCUMENTO_FIELDS, type SchemaField } from '#shared/hka/documento-schema';
import type { XmlObject, XmlValue } from './soap-io.ts';

type OrderedNode = { [tag: string]: OrderedNode[] | string };

const orderedParser = new XMLParser({
  preserveOrder: true,
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
});

const tagOf = (node: OrderedNode) => Object.keys(node).find((k) => k !== ':@' && k !== '#comment');
const childrenOf = (node: OrderedNode, tag: string) =>
  Array.isArray(node[tag]) ? (node[tag] as OrderedNode[]) : [];

function find(nodes: OrderedNode[], tag: string): OrderedNode | undefined {
  return nodes.find((n) => tagOf(n) === tag);
}

function textOf(nodes: OrderedNode[]): string {
  return nodes.map((n) => (typeof n['#text'] === 'string' ? n['#text'] : '')).join('');
}

/** Reads an element's children member by member, in WCF order; collects the paths it had to ignore. */
function readMembers(
  nodes: OrderedNode[],
  fields: readonly SchemaField[],
  path: string,
  ignored: string[],
): XmlObject {
  const out: XmlObject = {};
  let position = 0;
  for (const node of nodes) {
    const tag = tagOf(node);
    if (!tag || tag === '#text') continue;
    const index = fields.findIndex((f, i) => i >= position && f.name === tag);
    const known = fields.some((f) => f.name === tag);
    if (index === -1) {
      // A known member arriving after a later one is dropped; unknown elements are extension data.
      if (known) ignored.push(`${path}${tag}`);
      continue;
    }
    const field = fields[index]!;
    position = field.repeated ? index : index + 1;
    const value = readValue(childrenOf(node, tag), field, `${path}${tag}.`, ignored);
    if (field.repeated) out[tag] = [...((out[tag] as XmlValue[] | undefined) ?? []), value];
    else out[tag] = value;
  }
  return out;
}

function readValue(nodes: OrderedNode[], field: SchemaField, path: string, ignored: string[]): XmlValue {
  if (field.children) return readMembers(nodes, field.children, path, ignored);
  return textOf(nodes);
}

/** `documento` of an Enviar request read as WCF would, or undefined if there is none. */
export function readDocumentoInWcfOrder(
  requestXml: string,
): { documento: XmlObject; ignored: string[] } | undefined {
  const root = orderedParser.parse(requestXml) as OrderedNode[];
  const envelope = find(root, 'Envelope');
  const body = envelope && find(childrenOf(envelope, 'Envelope'), 'Body');
  const enviar = body && find(childrenOf(body, 'Body'), 'Enviar');
  const documento = enviar && find(childrenOf(enviar, 'Enviar'), 'documento');
  if (!documento) return undefined;
  const ignored: string[] = [];
  return {
    documento: readMembers(childrenOf(documento, 'documento'), DOCUMENTO_FIELDS, '', ignored),
    ignored,
  };
}
