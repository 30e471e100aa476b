// Reads back what the renderer drew, from an uncompressed PDF (renderCafePdf({ compress: false })): text
// per page (one BT…ET block = one drawn line) and the QR rectangles. No PDF library needed.
import { execFileSync } from 'node:child_process';

const winAnsi = new TextDecoder('windows-1252');

/** Content streams in page order (pdfkit writes each page's content as the page ends). */
export function pageStreams(pdf: Buffer): string[] {
  const text = pdf.toString('latin1');
  const streams: string[] = [];
  const re = /stream\n([\s\S]*?)\nendstream/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1]!.includes(' cm')) streams.push(m[1]!);
  }
  return streams;
}

/** Lines of text drawn on each page. */
export function pageLines(pdf: Buffer): string[][] {
  return pageStreams(pdf).map((stream) => {
    const lines: string[] = [];
    const block = /BT\n([\s\S]*?)\nET/g;
    for (let b = block.exec(stream); b; b = block.exec(stream)) {
      let line = '';
      for (const hex of b[1]!.matchAll(/<([0-9a-f]*)>/g)) line += winAnsi.decode(Buffer.from(hex[1]!, 'hex'));
      lines.push(line);
    }
    return lines;
  });
}

/** All text of the document, one drawn line per line. */
export function pdfText(pdf: Buffer): string {
  return pageLines(pdf)
    .map((lines) => lines.join('\n'))
    .join('\n');
}

export type Rect = { x: number; y: number; w: number; h: number };

/**
 * Rectangles of the largest single filled path: the QR (every other fill is one rectangle), in page
 * coordinates: a scale-and-translate `cm` inside the path's chunk (the QR is drawn in module units) is
 * applied.
 */
export function qrRects(pdf: Buffer): Rect[] {
  let best: Rect[] = [];
  for (const stream of pageStreams(pdf)) {
    // Split at every path-painting operator (fill, stroke, both) so each chunk holds one path.
    for (const path of stream.split(/\n(?:f|S|B|b|s|n)\n/)) {
      const cm = [...path.matchAll(/(-?[\d.]+) 0 0 (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) cm/g)].at(-1);
      const [sx, sy, dx, dy] = cm ? cm.slice(1, 5).map(Number) : [1, 1, 0, 0];
      const rects = [...path.matchAll(/(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re/g)].map((m) => ({
        x: sx! * Number(m[1]) + dx!,
        y: sy! * Number(m[2]) + dy!,
        w: sx! * Number(m[3]),
        h: sy! * Number(m[4]),
      }));
      if (rects.length > best.length) best = rects;
    }
  }
  return best;
}

export function pageSizes(pdf: Buffer): [number, number][] {
  return [...pdf.toString('latin1').matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [
    Number(m[1]),
    Number(m[2]),
  ]);
}

export function hasCommand(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
