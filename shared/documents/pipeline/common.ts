import { type DocumentRecord, documentsRepository } from '#shared/data/documents';
import type { PipelineState } from '#shared/events/pipeline';
import type { ComputedDocument } from '#shared/fiscal/compute';
import type { RfeContext } from '#shared/fiscal/rfe-context';
import type { DatosDocumento } from '#shared/hka/types';
import { getObjectJson } from '#shared/storage/s3';

export type { PipelineState };

/** The workflow was started for a document that does not exist: nothing to issue or to mark. */
export class DocumentNotFoundError extends Error {
  override readonly name = 'DocumentNotFoundError';
}

/** A step's input lacks what an earlier step should have added (a wiring bug of the state machine). */
export class PipelineStateError extends Error {
  override readonly name = 'PipelineStateError';
}

export async function loadDocument(
  state: Pick<PipelineState, 'tenantId' | 'documentId'>,
): Promise<DocumentRecord> {
  if (!state?.tenantId || !state.documentId)
    throw new PipelineStateError('state needs tenantId and documentId');
  const doc = await documentsRepository.get(state.tenantId, state.documentId);
  if (!doc) throw new DocumentNotFoundError(`document ${state.documentId} not found`);
  return doc;
}

/** The validated document as accepted (emission date stamped once, at accept time). */
export function loadComputed(doc: DocumentRecord): Promise<ComputedDocument> {
  return getObjectJson<ComputedDocument>(doc.computedKey);
}

/** rFE `iAmb`: 1 producción, 2 pruebas. */
export const dgiEnvironment = (doc: DocumentRecord): '1' | '2' => (doc.environment === 'prod' ? '1' : '2');

export function rfeContextOf(doc: DocumentRecord): RfeContext {
  return {
    issuer: doc.issuer,
    environment: dgiEnvironment(doc),
    number: doc.number,
    pointOfSale: doc.pointOfSale,
    securityCode: doc.securityCode,
  };
}

/** HKA's identification of the document in every follow-up operation (brief §8.2). */
export function datosDocumentoOf(doc: DocumentRecord): DatosDocumento {
  return {
    codigoSucursalEmisor: doc.branch,
    numeroDocumentoFiscal: doc.number,
    puntoFacturacionFiscal: doc.pointOfSale,
    tipoDocumento: doc.typeCode,
    tipoEmision: doc.emissionType,
  };
}

/** Step Functions passes a Lambda error's Cause as the runtime's JSON: `{errorType, errorMessage, …}`. */
export function parseCause(error: PipelineState['error']): { type: string; message: string } {
  if (!error) return { type: 'Unknown', message: 'unknown error' };
  try {
    const cause = JSON.parse(error.Cause) as { errorType?: string; errorMessage?: string };
    return { type: cause.errorType ?? error.Error, message: cause.errorMessage ?? error.Cause };
  } catch {
    return { type: error.Error, message: error.Cause || error.Error };
  }
}

/** The CUFE (`dId`, the rFE's first element) of an rFE; undefined when absent. */
export function cufeOfRfe(xml: string): string | undefined {
  return /<(?:\w+:)?dId>([^<]+)<\/(?:\w+:)?dId>/.exec(xml)?.[1];
}

/** `dQRCode` of an rFE's gNoFirm, XML-unescaped once (brief §5: never twice); undefined when absent. */
export function qrOfRfe(xml: string): string | undefined {
  const match = /<(?:\w+:)?dQRCode>([^<]+)<\/(?:\w+:)?dQRCode>/.exec(xml);
  if (!match?.[1]) return undefined;
  return match[1]
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
