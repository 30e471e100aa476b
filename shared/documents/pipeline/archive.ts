import { tenantsRepository } from '#shared/data/tenants';
import { renderCafePdf, toCafeView } from '#shared/fiscal/cafe-pdf/index';
import { documentObjectKeys } from '#shared/storage/keys';
import { getObjectText, putObject } from '#shared/storage/s3';
import { loadHkaCredentials } from '#shared/tenancy/credentials';
import {
  datosDocumentoOf,
  hkaClientFor,
  loadComputed,
  loadDocument,
  type PipelineState,
  PipelineStateError,
  rfeContextOf,
} from './common.ts';

/**
 * Archives the authorized rFE and the CAFE under the tenant's prefix. hka-integration: HKA built and
 * signed the rFE, so its DescargaXML/DescargaPDF are the originals. emitter-signed: our signed rFE is
 * the original and we render the CAFE ourselves. Re-running overwrites with identical content.
 */
export async function archiveDocument(state: PipelineState): Promise<PipelineState> {
  if (!state.authorization) throw new PipelineStateError('archive-document needs authorization');
  const doc = await loadDocument(state);
  const objects = documentObjectKeys(doc.tenantId, doc.documentId);

  if ((state.channel ?? doc.channel) === 'emitter-signed') {
    if (!state.signedXmlKey) throw new PipelineStateError('emitter-signed archive needs signedXmlKey');
    const [signedXml, computed, settings] = await Promise.all([
      getObjectText(state.signedXmlKey),
      loadComputed(doc),
      tenantsRepository.getIssuingSettings(doc.tenantId),
    ]);
    const pdf = await renderCafePdf(toCafeView(computed, rfeContextOf(doc), state.authorization), {
      layout: computed.cafeLayout ?? settings.cafeLayout,
    });
    await Promise.all([
      putObject(objects.authorizedXml, signedXml, 'application/xml'),
      putObject(objects.pdf, pdf, 'application/pdf'),
    ]);
  } else {
    const credentials = await loadHkaCredentials(doc.tenantId, doc.environment);
    const client = hkaClientFor(doc.environment);
    const datos = datosDocumentoOf(doc);
    const [xml, pdf] = await Promise.all([
      client.descargaXml(credentials, datos),
      client.descargaPdf(credentials, datos),
    ]);
    await Promise.all([
      putObject(objects.authorizedXml, xml.content, 'application/xml'),
      putObject(objects.pdf, pdf.content, 'application/pdf'),
    ]);
  }
  return { ...state, artifacts: { xmlKey: objects.authorizedXml, pdfKey: objects.pdf } };
}
