import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { renderCafePdf } from '#shared/fiscal/cafe-pdf/index';
import { qrMatrix } from '#shared/fiscal/cafe-pdf/qr-matrix';
import type { CafeLayout } from '#shared/fiscal/cafe-pdf/view';
import { QR_URL, sampleView } from './fixtures';
import { hasCommand } from './pdf-inspect';

/** DGI-like URLs of many lengths and contents, so every mask pattern and several versions occur. */
const urls = [
  QR_URL,
  'a',
  'https://example.com/?q=ñandú&x=<>"\'',
  'x'.repeat(900),
  ...Array.from({ length: 300 }, (_, i) => `${QR_URL.slice(0, ((i * 7) % QR_URL.length) + 1)}${i}`),
];

describe('qrMatrix', () => {
  it("is module for module qrcode's own byte-mode symbol at level M (same mask choice)", () => {
    const masks = new Set<number>();
    for (const url of urls) {
      const reference = QRCode.create([{ data: Buffer.from(url), mode: 'byte' }], {
        errorCorrectionLevel: 'M',
      });
      masks.add(reference.maskPattern as number);
      const matrix = qrMatrix(url);
      expect(matrix.size, url).toBe(reference.modules.size);
      expect(Buffer.from(matrix.data).equals(Buffer.from(reference.modules.data)), url).toBe(true);
    }
    // The comparison covered the scoring of every pattern, not just one.
    expect(masks.size).toBe(8);
  });

  it('is no larger than the optimally segmented symbol for DGI QR URLs', () => {
    const mixed = QRCode.create(QR_URL, { errorCorrectionLevel: 'M' });
    expect(qrMatrix(QR_URL).size).toBe(mixed.modules.size);
  });
});

describe.skipIf(!hasCommand('pdftoppm') || !hasCommand('zbarimg'))('QR scan of varied URLs', () => {
  const layouts: CafeLayout[] = ['letter', 'ticket'];
  it.each(layouts)('every symbol decodes to its URL at 150 dpi (%s)', async (layout) => {
    const dir = mkdtempSync(join(tmpdir(), 'cafe-qr-'));
    try {
      // Distinct URLs of the real length: different masks and data each time.
      for (let i = 0; i < 6; i++) {
        const url = `${QR_URL}&n=${layout}${i}`;
        writeFileSync(join(dir, 'cafe.pdf'), await renderCafePdf(sampleView({ qrUrl: url }), { layout }));
        execFileSync('pdftoppm', [
          '-png',
          '-r',
          '150',
          '-singlefile',
          join(dir, 'cafe.pdf'),
          join(dir, 'page'),
        ]);
        const decoded = execFileSync('zbarimg', ['-q', '--raw', join(dir, 'page.png')], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        });
        expect(decoded.trim()).toBe(url);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
