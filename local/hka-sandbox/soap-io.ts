/**
 * SOAP in and out for the sandbox. Requests are read with fast-xml-parser, prefix-agnostic (HKA's own
 * examples use `soapenv`/`tem`/`ser`, node-soap uses `soap`/default ns/`q1`), values kept as text so
 * "01" stays "01". Responses are written the way HKA's WCF service writes them (brief §8.1).
 */
import { XMLParser } from 'fast-xml-parser';
import { DOCUMENTO_FIELDS, type SchemaField } from '#shared/hka/documento-schema';
import { NS } from '#shared/hka/namespaces';

/** Names of repeating elements: always parsed as arrays, even with one entry. */
const REPEATED = new Set<string>(['listTracking']);
(function collect(fields: readonly SchemaField[]) {
  for (const field of fields) {
    if (field.repeated) REPEATED.add(field.name);
    if (field.children) collect(field.children);
  }
})(DOCUMENTO_FIELDS);

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  processEntities: true,
  isArray: (name) => REPEATED.has(name),
});

export type XmlObject = { [key: string]: XmlValue };
export type XmlValue = string | XmlObject | XmlValue[];

export class SoapRequestError extends Error {
  override readonly name = 'SoapRequestError';
}

/** The operation element (`tem:<Op>`) and its content, from a SOAP 1.1 envelope. */
export function parseSoapRequest(xml: string): { operation: string; body: XmlObject } {
  let parsed: XmlObject;
  try {
    parsed = parser.parse(xml, true) as XmlObject;
  } catch (error) {
    throw new SoapRequestError(`The request is not well-formed XML: ${(error as Error).message}`);
  }
  const envelope = parsed.Envelope as XmlObject | undefined;
  const body = envelope?.Body as XmlObject | undefined;
  if (!body || typeof body !== 'object') throw new SoapRequestError('No SOAP Envelope/Body in the request');
  const [operation] = Object.keys(body);
  if (!operation) throw new SoapRequestError('Empty SOAP Body');
  const content = body[operation];
  return { operation, body: typeof content === 'object' && !Array.isArray(content) ? content : {} };
}

/** Text of a child element; '' when absent or empty (`<x/>` counts as not informed, like HKA). */
export function text(obj: XmlObject | undefined, key: string): string {
  const value = obj?.[key];
  return typeof value === 'string' ? value : '';
}

export function child(obj: XmlObject | undefined, key: string): XmlObject | undefined {
  const value = obj?.[key];
  return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

export function children(obj: XmlObject | undefined, key: string): XmlObject[] {
  const value = obj?.[key];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is XmlObject => typeof v === 'object' && !Array.isArray(v));
}

export function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A Result field: text, nil (`null`), or nested fields / a list of nested fields. */
export type ResultValue = string | null | ResultField[] | ResultField[][];
export type ResultField = [name: string, value: ResultValue, listEntryName?: string];

function renderFields(fields: ResultField[]): string {
  return fields
    .map(([name, value, entryName]) => {
      if (value === null) return `<a:${name} i:nil="true"/>`;
      if (typeof value === 'string') return `<a:${name}>${escapeXml(value)}</a:${name}>`;
      if (entryName) {
        const entries = value as ResultField[][];
        return `<a:${name}>${entries.map((e) => `<a:${entryName}>${renderFields(e)}</a:${entryName}>`).join('')}</a:${name}>`;
      }
      return `<a:${name}>${renderFields(value as ResultField[])}</a:${name}>`;
    })
    .join('');
}

/** `<s:Envelope>…<OpResponse xmlns="http://tempuri.org/"><OpResult xmlns:a=… xmlns:i=…>` like WCF. */
export function soapResponse(operation: string, fields: ResultField[]): string {
  return (
    `<s:Envelope xmlns:s="${NS.soapEnvelope}"><s:Body>` +
    `<${operation}Response xmlns="${NS.tempuri}">` +
    `<${operation}Result xmlns:a="${NS.response}" xmlns:i="${NS.xsi}">${renderFields(fields)}</${operation}Result>` +
    `</${operation}Response></s:Body></s:Envelope>`
  );
}

/** A WCF-style SOAP 1.1 fault (faultcode in the WCF dispatcher namespace). */
export function soapFault(faultcode: string, faultstring: string): string {
  return (
    `<s:Envelope xmlns:s="${NS.soapEnvelope}"><s:Body><s:Fault>` +
    `<faultcode xmlns:a="http://schemas.microsoft.com/net/2005/12/windowscommunicationfoundation/dispatcher">${escapeXml(faultcode)}</faultcode>` +
    `<faultstring xml:lang="en-US">${escapeXml(faultstring)}</faultstring>` +
    `</s:Fault></s:Body></s:Envelope>`
  );
}
