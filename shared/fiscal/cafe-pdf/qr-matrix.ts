// The QR is drawn as vector rectangles (one per horizontal run of dark modules) instead of a PNG: no PNG
// encode/decode, no image XObject, crisp at any printer resolution, and the drawn matrix can be checked
// in tests against qrcode's own matrix.
import QRCode from 'qrcode';

export type QrMatrix = { size: number; data: Uint8Array };
/** A horizontal run of dark modules in `row`, from `col`, `length` modules long. */
export type QrRun = { row: number; col: number; length: number };

/** Modules of white border the QR spec requires around the symbol. */
export const QR_QUIET_ZONE = 4;

// Letter and ticket of the same document are often rendered back to back: keep the last few matrices.
const CACHE_LIMIT = 16;
const cache = new Map<string, QrRun[] & { size: number }>();

export function qrMatrix(url: string): QrMatrix {
  // Level M (15 % recovery) keeps the symbol small enough for an 80 mm ticket with a ~400-char DGI URL.
  const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
  return { size: qr.modules.size, data: qr.modules.data };
}

export function darkRuns(matrix: QrMatrix): QrRun[] {
  const runs: QrRun[] = [];
  const { size, data } = matrix;
  for (let row = 0; row < size; row++) {
    let col = 0;
    while (col < size) {
      if (!data[row * size + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < size && data[row * size + col]) col++;
      runs.push({ row, col: start, length: col - start });
    }
  }
  return runs;
}

/** Runs of the QR for `url`, memoized: rendering the same document twice builds the symbol once. */
export function qrRuns(url: string): { size: number; runs: QrRun[] } {
  let hit = cache.get(url);
  if (!hit) {
    const matrix = qrMatrix(url);
    hit = Object.assign(darkRuns(matrix), { size: matrix.size });
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(url, hit);
  }
  return { size: hit.size, runs: hit };
}
