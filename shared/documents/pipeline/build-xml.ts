import { buildRfeXml } from '#shared/fiscal/rfe-xml';
import { documentObjectKeys } from '#shared/storage/keys';
import { putObject } from '#shared/storage/s3';
import { loadComputed, loadDocument, type PipelineState, rfeContextOf } from './common.ts';

/**
 * Builds our unsigned rFE from the accepted document and stores it (claim check: the state carries the
 * key only). For hka-integration it is the local proof the document is well-formed and our copy of what
 * was sent; for emitter-signed it is what gets signed.
 */
export async function buildXml(state: PipelineState): Promise<PipelineState> {
  const doc = await loadDocument(state);
  const computed = await loadComputed(doc);
  const { xml } = buildRfeXml(computed, rfeContextOf(doc));
  const key = documentObjectKeys(doc.tenantId, doc.documentId).unsignedXml;
  await putObject(key, xml, 'application/xml');
  return { ...state, unsignedXmlKey: key };
}
