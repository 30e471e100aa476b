// CAFE PDF rendering: layout (pure arithmetic on font metrics) then paint (pdfkit). Standard fonts only and
// a vector QR keep a one-item document in single-digit milliseconds; a fixed CreationDate makes the output
// byte-for-byte reproducible.
import { watermarkOps } from './draft';
import { CAFE_TITLE } from './legends';
import { layoutLetter } from './letter-layout';
import { Measurer } from './measure';
import type { PageLayout } from './ops';
import { paintPages } from './paint';
import { layoutTicket } from './ticket-layout';
import type { CafeLayout, CafeView } from './view';

export type RenderCafeOptions = {
  layout?: CafeLayout;
  /** Uncompressed content streams (tests and debugging read the drawing operators). Default true. */
  compress?: boolean;
};

export class CafeRenderError extends Error {
  override readonly name = 'CafeRenderError';
}

export async function renderCafePdf(view: CafeView, options: RenderCafeOptions = {}): Promise<Buffer> {
  const layout = options.layout ?? 'letter';
  const creationDate = new Date(view.issuedAtIso);
  if (Number.isNaN(creationDate.getTime())) {
    throw new CafeRenderError(`issuedAtIso is not a valid date: ${view.issuedAtIso}`);
  }
  // Loaded on first render rather than at module load: pdfkit with fontkit is ~850 KB, and a function that
  // renders CAFEs only on one of its paths (ArchiveDocument, emitter-signed) would pay for it at every cold
  // start (bench/bundles.ts). Bundled as a chunk of its own.
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    autoFirstPage: false,
    compress: options.compress ?? true,
    // pdfkit derives the file ID from the info dictionary: fixed values here mean identical bytes per view.
    info: {
      Title: `${CAFE_TITLE} ${view.documentType.label} ${view.number}`,
      Subject: view.cufe,
      Author: view.issuer.name,
      Creator: 'factu',
      Producer: 'factu',
      CreationDate: creationDate,
    },
    lang: 'es-PA',
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const measurer = new Measurer(doc);
  const pages: PageLayout[] =
    layout === 'ticket' ? layoutTicket(measurer, view) : layoutLetter(measurer, view);
  if (view.draft) for (const page of pages) page.ops.push(...watermarkOps(measurer, page));
  paintPages(doc, pages);
  doc.end();
  return done;
}

/**
 * Renders a throwaway document so pdfkit's font metrics, qrcode's tables and the JIT are ready: the first
 * render in a fresh process costs ~150 ms, the next ones a few. Call it at Lambda init, outside the handler.
 */
export async function warmUpCafeRenderer(sample: CafeView): Promise<void> {
  await renderCafePdf(sample, { layout: 'letter' });
  await renderCafePdf(sample, { layout: 'ticket' });
}
