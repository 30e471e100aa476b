// The QR is drawn as vector rectangles (one per horizontal run of dark modules) instead of a PNG: no PNG
// encode/decode, no image XObject, crisp at any printer resolution, and the drawn matrix can be checked
// in tests against qrcode's own matrix. The runs are kept as a ready PDF path in module units (`qrPath`).
import QRCode from 'qrcode';

export type QrMatrix = { size: number; data: Uint8Array };
/** A horizontal run of dark modules in `row`, from `col`, `length` modules long. */
export type QrRun = { row: number; col: number; length: number };

/** Modules of white border the QR spec requires around the symbol. */
export const QR_QUIET_ZONE = 4;

/**
 * Adjacent module rows are grown by this fraction of a module so anti-aliased viewers show no hairline
 * seams between rows (~0.05 pt at the sizes drawn); far below a printer dot, it never changes how a scanner
 * reads the symbol.
 */
export const QR_SEAM_OVERLAP = 0.03;

// Letter and ticket of the same document are often rendered back to back: keep the last few symbols.
const CACHE_LIMIT = 16;
const cache = new Map<string, QrSymbol>();
type QrSymbol = { size: number; runs: QrRun[]; path: string };

const utf8 = new TextEncoder();

/**
 * The QR symbol of `url` at level M (15 % recovery keeps the symbol small enough for an 80 mm ticket with a
 * ~400-char DGI URL), module for module what `QRCode.create([{ data: url, mode: 'byte' }],
 * { errorCorrectionLevel: 'M' })` builds (the tests hold it to that, and scan rendered symbols with zbar).
 *
 * Two shortcuts, same standard symbol: (1) one byte segment (UTF-8) instead of qrcode's optimal
 * segmentation, which costs ~1.5 ms per URL and for DGI URLs (mostly base64/JWT, byte mode anyway) gives
 * the same version; (2) qrcode's mask choice — the 8 patterns scored with the four ISO/IEC 18004 penalty
 * rules, lowest wins, first on ties — redone here on flat arrays (qrcode scores through per-module method
 * calls): the symbol is encoded once with mask 0, unmasked, and each pattern is scored with its own format
 * information, exactly as qrcode's `getBestMask` does. No fixed mask: the penalty rules exist so that
 * printed symbols stay easy to scan.
 */
export function qrMatrix(url: string): QrMatrix {
  const qr = QRCode.create([{ data: utf8.encode(url), mode: 'byte' }], {
    errorCorrectionLevel: 'M',
    maskPattern: 0,
  });
  const modules = qr.modules as unknown as { size: number; data: Uint8Array; reservedBit: Uint8Array };
  const { size } = modules;
  const masks = maskPatterns(size, modules.reservedBit);
  const unmasked = modules.data.slice();
  const mask0 = masks[0]!;
  for (let i = 0; i < unmasked.length; i++) unmasked[i]! ^= mask0[i]!;

  let best: Uint8Array | undefined;
  let bestPenalty = Number.POSITIVE_INFINITY;
  const candidate = new Uint8Array(unmasked.length);
  for (let pattern = 0; pattern < 8; pattern++) {
    const mask = masks[pattern]!;
    for (let i = 0; i < candidate.length; i++) candidate[i] = unmasked[i]! ^ mask[i]!;
    writeFormatInfo(candidate, size, pattern);
    const score = penalty(candidate, size);
    if (score < bestPenalty) {
      bestPenalty = score;
      best = candidate.slice();
    }
  }
  return { size, data: best! };
}

/** Level M's format bits (BCH(15,5), masked) for a mask pattern: qrcode's `FormatInfo.getEncodedBits`. */
function formatBits(pattern: number): number {
  const G15 = 0b10100110111;
  const G15_MASK = 0b101010000010010;
  const digit = (n: number) => (n === 0 ? 0 : 32 - Math.clz32(n));
  const data = (0b00 << 3) | pattern; // level M is 00
  let d = data << 10;
  while (digit(d) - digit(G15) >= 0) d ^= G15 << (digit(d) - digit(G15));
  return ((data << 10) | d) ^ G15_MASK;
}

/** qrcode's `setupFormatInfo`: the 15 format bits, twice, and the always-dark module. */
function writeFormatInfo(data: Uint8Array, size: number, pattern: number): void {
  const bits = formatBits(pattern);
  const set = (row: number, col: number, value: number) => {
    data[row * size + col] = value;
  };
  for (let i = 0; i < 15; i++) {
    const bit = (bits >> i) & 1;
    if (i < 6) set(i, 8, bit);
    else if (i < 8) set(i + 1, 8, bit);
    else set(size - 15 + i, 8, bit);
    if (i < 8) set(8, size - i - 1, bit);
    else if (i < 9) set(8, 15 - i, bit);
    else set(8, 15 - i - 1, bit);
  }
  set(size - 8, 8, 1);
}

const MASK_FUNCTIONS: ((i: number, j: number) => boolean)[] = [
  (i, j) => (i + j) % 2 === 0,
  (i) => i % 2 === 0,
  (_, j) => j % 3 === 0,
  (i, j) => (i + j) % 3 === 0,
  (i, j) => (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0,
  (i, j) => ((i * j) % 2) + ((i * j) % 3) === 0,
  (i, j) => (((i * j) % 2) + ((i * j) % 3)) % 2 === 0,
  (i, j) => (((i * j) % 3) + ((i + j) % 2)) % 2 === 0,
];

// The 8 mask patterns as XOR arrays (0 on function modules), per symbol size: few sizes occur in practice.
const maskCache = new Map<number, Uint8Array[]>();
function maskPatterns(size: number, reserved: Uint8Array): Uint8Array[] {
  const cached = maskCache.get(size);
  if (cached) return cached;
  const masks = MASK_FUNCTIONS.map((at) => {
    const mask = new Uint8Array(size * size);
    for (let row = 0; row < size; row++) {
      for (let col = 0; col < size; col++) {
        const i = row * size + col;
        mask[i] = reserved[i] ? 0 : at(row, col) ? 1 : 0;
      }
    }
    return mask;
  });
  maskCache.set(size, masks);
  return masks;
}

/** The four penalty rules exactly as qrcode's `getPenaltyN1..N4` compute them (N1 3, N2 3, N3 40, N4 10). */
function penalty(data: Uint8Array, size: number): number {
  // Rows of the symbol, then rows of its transpose (= columns): N1 and N3 read lines one way only.
  const transposed = transposeBuffer(size);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) transposed[col * size + row] = data[row * size + col]!;
  }
  let points = linePenalties(data, size) + linePenalties(transposed, size);
  // N2: 2×2 blocks of one colour.
  let n2 = 0;
  for (let row = 0; row < size - 1; row++) {
    let i = row * size;
    let left = data[i]! + data[i + size]!;
    for (let col = 1; col < size; col++) {
      i++;
      const right = data[i]! + data[i + size]!;
      const sum = left + right;
      if (sum === 4 || sum === 0) n2++;
      left = right;
    }
  }
  points += n2 * 3;
  // N4: deviation of the dark proportion from 50 %.
  let dark = 0;
  for (let i = 0; i < data.length; i++) dark += data[i]!;
  points += Math.abs(Math.ceil((dark * 100) / data.length / 5) - 10) * 10;
  return points;
}

/** N1 (runs of ≥ 5 same-colour modules) and N3 (1:1:3:1:1 finder-like 11-bit patterns) along rows. */
function linePenalties(data: Uint8Array, size: number): number {
  let points = 0;
  let n3 = 0;
  for (let row = 0; row < size; row++) {
    const start = row * size;
    let last = data[start]!;
    let run = 1;
    let bits = last;
    for (let col = 1; col < size; col++) {
      const m = data[start + col]!;
      if (m === last) run++;
      else {
        if (run >= 5) points += run - 2;
        last = m;
        run = 1;
      }
      bits = ((bits << 1) & 0x7ff) | m;
      if (col >= 10 && (bits === 0x5d0 || bits === 0x05d)) n3++;
    }
    if (run >= 5) points += run - 2;
  }
  return points + n3 * 40;
}

let transposeScratch = new Uint8Array(0);
function transposeBuffer(size: number): Uint8Array {
  if (transposeScratch.length !== size * size) transposeScratch = new Uint8Array(size * size);
  return transposeScratch;
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

/** The QR for `url`, memoized: rendering the same document twice builds the symbol once. */
function qrSymbol(url: string): QrSymbol {
  let hit = cache.get(url);
  if (!hit) {
    const matrix = qrMatrix(url);
    const runs = darkRuns(matrix);
    hit = { size: matrix.size, runs, path: runsPath(runs) };
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(url, hit);
  }
  return hit;
}

/** Runs of the QR for `url` (memoized). */
export function qrRuns(url: string): { size: number; runs: QrRun[] } {
  const { size, runs } = qrSymbol(url);
  return { size, runs };
}

/**
 * PDF path operators (`x y w h re`, one per line) of the dark runs in module units, origin at the symbol's
 * top-left module: to be painted under a transform that scales a module to its size in points.
 */
export function qrPath(url: string): { size: number; path: string } {
  const { size, path } = qrSymbol(url);
  return { size, path };
}

function runsPath(runs: QrRun[]): string {
  const height = 1 + QR_SEAM_OVERLAP;
  return runs.map((run) => `${run.col} ${run.row} ${run.length} ${height} re`).join('\n');
}
