// Text measurement with the exact metrics pdfkit will draw with (the same document instance), so wrapped
// heights computed during layout match what is painted.
import type { FontName, TextOp } from './ops';
import { toWinAnsi } from './text';

export type TextStyle = {
  font?: FontName;
  size?: number;
  align?: TextOp['align'];
  color?: string;
  lineGap?: number;
  /** Keep on one line (amounts): aligned within `width` but never wrapped, even if it overflows. */
  noWrap?: boolean;
};

export const DEFAULT_COLOR = '#111111';

export class Measurer {
  constructor(private readonly doc: PDFKit.PDFDocument) {}

  width(text: string, font: FontName, size: number): number {
    return this.doc.font(font).fontSize(size).widthOfString(toWinAnsi(text));
  }

  height(text: string, font: FontName, size: number, width: number, lineGap = 0): number {
    if (text === '') return 0;
    return this.doc.font(font).fontSize(size).heightOfString(toWinAnsi(text), { width, lineGap });
  }

  /**
   * Height of `text` drawn unwrapped. One line of text (no '\n') is one line height — the arithmetic of
   * pdfkit's `heightOfString` (`currentLineHeight(true) + lineGap` per line) without running its line
   * wrapper, which dominated the measurement of amount columns. Anything else asks pdfkit.
   */
  lineHeight(text: string, font: FontName, size: number, lineGap = 0): number {
    if (text === '') return 0;
    if (!text.includes('\n') && /\S/.test(text)) {
      return this.doc.font(font).fontSize(size).currentLineHeight(true) + (lineGap || this.docLineGap());
    }
    return this.height(text, font, size, Number.MAX_SAFE_INTEGER, lineGap);
  }

  /** pdfkit's document-wide line gap, the fallback of its `heightOfString` when `lineGap` is 0. */
  private docLineGap(): number {
    return (this.doc as unknown as { _lineGap?: number })._lineGap || 0;
  }

  /**
   * A text op at (x, y) wrapped to `width`, and the height it takes. Text is folded to WinAnsi here, once,
   * so painting draws exactly what was measured.
   */
  text(
    text: string,
    x: number,
    y: number,
    width: number,
    style: TextStyle = {},
  ): { op: TextOp; height: number } {
    const font = style.font ?? 'Helvetica';
    const size = style.size ?? 8;
    const lineGap = style.lineGap ?? 0;
    const printable = toWinAnsi(text);
    const align = style.align ?? 'left';
    const color = style.color ?? DEFAULT_COLOR;
    if (style.noWrap) {
      // Resolve alignment here: pdfkit aligns only text it wraps.
      const textWidth = this.width(printable, font, size);
      const dx = align === 'right' ? width - textWidth : align === 'center' ? (width - textWidth) / 2 : 0;
      const op: TextOp = {
        kind: 'text',
        x: x + dx,
        y,
        width: textWidth,
        text: printable,
        font,
        size,
        align: 'left',
        color,
        lineGap,
        lineBreak: false,
      };
      return { op, height: this.lineHeight(printable, font, size, lineGap) };
    }
    const op: TextOp = {
      kind: 'text',
      x,
      y,
      width,
      text: printable,
      font,
      size,
      align,
      color,
      lineGap,
      lineBreak: true,
    };
    return { op, height: this.height(printable, font, size, width, lineGap) };
  }

  /**
   * Font size at which `text` fits on one line of `width` (never above `size`, never below `minSize`):
   * amounts must stay on one line to keep columns readable, and a 6-decimal unit price is rare.
   */
  fitSize(text: string, font: FontName, size: number, width: number, minSize = 4): number {
    const natural = this.width(text, font, size);
    if (natural <= width) return size;
    return Math.max(minSize, Math.floor(((size * width) / natural) * 10) / 10);
  }
}
