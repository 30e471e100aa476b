// Replays layout operations on a pdfkit document. Page margins are 0 and every op is placed absolutely,
// so pdfkit never breaks pages on its own.
import type { Op, PageLayout } from './ops';
import { QR_QUIET_ZONE, qrPath } from './qr-matrix';

export function paintPages(doc: PDFKit.PDFDocument, pages: PageLayout[]): void {
  for (const page of pages) {
    doc.addPage({ size: [page.width, page.height], margin: 0 });
    for (const op of page.ops) paintOp(doc, op);
  }
}

function paintOp(doc: PDFKit.PDFDocument, op: Op): void {
  switch (op.kind) {
    case 'text':
      doc.font(op.font).fontSize(op.size).fillColor(op.color);
      if (op.lineBreak) {
        doc.text(op.text, op.x, op.y, { width: op.width, align: op.align, lineGap: op.lineGap });
      } else {
        doc.text(op.text, op.x, op.y, { lineBreak: false, lineGap: op.lineGap });
      }
      return;
    case 'rect': {
      doc.save();
      doc.rect(op.x, op.y, op.w, op.h);
      if (op.fill && op.stroke) {
        doc.lineWidth(op.lineWidth ?? 0.5).fillAndStroke(op.fill, op.stroke);
      } else if (op.fill) {
        doc.fill(op.fill);
      } else {
        doc.lineWidth(op.lineWidth ?? 0.5).stroke(op.stroke ?? '#000000');
      }
      doc.restore();
      return;
    }
    case 'line':
      doc.save();
      if (op.dash) doc.dash(op.dash, { space: op.dash });
      doc.moveTo(op.x1, op.y1).lineTo(op.x2, op.y2).lineWidth(op.width).stroke(op.color);
      doc.restore();
      return;
    case 'watermark':
      doc.save();
      doc.rotate(op.angle, { origin: [op.x, op.y] });
      doc.font(op.font).fontSize(op.size).fillColor(op.color, op.opacity);
      doc.text(op.text, op.x - op.textWidth / 2, op.y - op.size / 2, { lineBreak: false });
      doc.restore();
      return;
    case 'image':
      doc.image(Buffer.from(op.data), op.x, op.y, { width: op.w, height: op.h });
      return;
    case 'qr': {
      // The symbol is drawn in module units under one transform: integer rectangles (see `qrPath`) make
      // a content stream ~3x smaller than absolute coordinates, and the path is built once per URL.
      const { size, path } = qrPath(op.url);
      const module = op.size / (size + 2 * QR_QUIET_ZONE);
      doc.save();
      doc.transform(module, 0, 0, module, op.x + QR_QUIET_ZONE * module, op.y + QR_QUIET_ZONE * module);
      doc.addContent(path);
      doc.fill('#000000');
      doc.restore();
      return;
    }
  }
}
