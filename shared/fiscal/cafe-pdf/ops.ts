// Layout produces pages of absolute drawing operations; paint.ts replays them on pdfkit. Splitting the two
// lets the ticket know its height before its page exists (a PDF page size is fixed when it is added) and
// lets the letter layout paginate with plain arithmetic instead of pdfkit's implicit page breaks.

/** Standard 14 fonts only: nothing to embed, nothing to parse at render time. */
export type FontName = 'Helvetica' | 'Helvetica-Bold' | 'Courier';

export type TextOp = {
  kind: 'text';
  x: number;
  y: number;
  width: number;
  text: string;
  font: FontName;
  size: number;
  align: 'left' | 'right' | 'center';
  color: string;
  lineGap: number;
  /** false: one line placed at (x, y), never wrapped (alignment is already resolved into x). */
  lineBreak: boolean;
};

export type RectOp = {
  kind: 'rect';
  x: number;
  y: number;
  w: number;
  h: number;
  fill?: string;
  stroke?: string;
  lineWidth?: number;
};

export type LineOp = {
  kind: 'line';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  color: string;
  width: number;
  dash?: number;
};

/** QR symbol for `url`, quiet zone included, in a `size` × `size` square. */
export type QrOp = { kind: 'qr'; x: number; y: number; size: number; url: string };

/** A PNG or JPEG (the issuer's logo) drawn into a `w` × `h` box, its proportions already fitted by layout. */
export type ImageOp = { kind: 'image'; x: number; y: number; w: number; h: number; data: Uint8Array };

/**
 * One line of text centred on (x, y), turned `angle` degrees (clockwise, as pdfkit rotates) and drawn
 * with `opacity`: a watermark over everything else on the page. `text` is already folded to WinAnsi.
 */
export type WatermarkOp = {
  kind: 'watermark';
  x: number;
  y: number;
  angle: number;
  text: string;
  textWidth: number;
  font: FontName;
  size: number;
  color: string;
  opacity: number;
};

export type Op = TextOp | RectOp | LineOp | QrOp | ImageOp | WatermarkOp;

export type PageLayout = { width: number; height: number; ops: Op[] };
