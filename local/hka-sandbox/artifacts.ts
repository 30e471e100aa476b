/**
 * Documents HKA hands out after authorization: the rFE XML (DescargaXML) and the CAFE PDF (DescargaPDF).
 * The XML is the rFE signed at authorization; the PDF comes from the product's own CAFE renderer.
 */
import { renderCafePdf } from '#shared/fiscal/cafe-pdf/render';
import { cafeViewOf } from './cafe-view.ts';
import type { SandboxTenant, StoredDocument } from './state.ts';

export function createArtifacts() {
  return {
    async rfeXml(doc: StoredDocument, _tenant: SandboxTenant): Promise<string> {
      // Signed at authorization (Enviar) or received signed (PAC reception): returned as stored.
      return doc.rfeXml;
    },
    async cafePdf(doc: StoredDocument, tenant: SandboxTenant): Promise<Buffer> {
      const formato = String(
        (doc.documento?.datosTransaccion as Record<string, unknown> | undefined)?.formatoCAFE ?? '',
      );
      return renderCafePdf(cafeViewOf(doc, tenant), { layout: formato === '2' ? 'ticket' : 'letter' });
    },
  };
}
