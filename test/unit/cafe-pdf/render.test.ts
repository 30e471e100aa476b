import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import {
  CafeRenderError,
  CONSULTATION_LEGEND,
  QR_LEGEND,
  renderCafePdf,
  TEST_ENVIRONMENT_LEGEND,
  warmUpCafeRenderer,
} from '#shared/fiscal/cafe-pdf/index';
import { QR_SEAM_OVERLAP } from '#shared/fiscal/cafe-pdf/qr-matrix';
import type { CafeLayout } from '#shared/fiscal/cafe-pdf/view';
import { CUFE, manyItemsView, oneItemView, QR_URL, sampleView } from './fixtures';
import { hasCommand, pageLines, pageSizes, pdfText, qrRects } from './pdf-inspect';

const layouts: CafeLayout[] = ['letter', 'ticket'];
const render = (view = sampleView(), layout: CafeLayout = 'letter') =>
  renderCafePdf(view, { layout, compress: false });
/** Wrapped lines joined: long tokens (the CUFE on the ticket) may be split over two drawn lines. */
const flat = (pdf: Buffer) => pdfText(pdf).replaceAll('\n', '');

describe.each(layouts)('renderCafePdf (%s)', (layout) => {
  it('prints the issuer, document, receiver, items, totals, payments and authorization', async () => {
    const pdf = await render(sampleView(), layout);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf);
    for (const expected of [
      'Distribuidora Ñandú, S.A.',
      '521-136-113133',
      'FACTURA DE OPERACIÓN INTERNA',
      '001-0000000891',
      '15/05/2022 01:00:00',
      'Constructora del Istmo, S.A.',
      '155596713-2-2015',
      'Filtro HEPA',
      '12.345678',
      '108.02',
      '109.39',
      '10.61',
      'Tarjeta de crédito',
      '20220000000000001234',
      '15/05/2022 01:00:05',
      'Gracias por su compra.',
    ]) {
      expect(text).toContain(expected);
    }
    expect(flat(pdf)).toContain(CUFE);
    expect(flat(pdf)).toContain(CONSULTATION_LEGEND);
    expect(flat(pdf).replaceAll(' ', '')).toContain(QR_LEGEND.replaceAll(' ', ''));
  });

  it('prints the test-environment legend only in environment 2', async () => {
    const test = flat(await render(sampleView({ environment: '2' }), layout)).toUpperCase();
    const prod = flat(await render(sampleView({ environment: '1' }), layout)).toUpperCase();
    expect(test).toContain(TEST_ENVIRONMENT_LEGEND.toUpperCase());
    expect(prod).not.toContain('AMBIENTE DE PRUEBAS');
    expect(prod).not.toContain('SIN VALOR COMERCIAL');
  });

  it('is deterministic: the same view renders to the same bytes', async () => {
    const a = await renderCafePdf(sampleView(), { layout });
    const b = await renderCafePdf(sampleView(), { layout });
    expect(a.equals(b)).toBe(true);
  });

  it('draws exactly the QR matrix of the authorized URL', async () => {
    const rects = qrRects(await render(sampleView(), layout));
    // One byte-mode segment at level M, mask chosen by qrcode's own penalty rules (see qr-matrix.ts).
    const { modules } = QRCode.create([{ data: Buffer.from(QR_URL), mode: 'byte' }], {
      errorCorrectionLevel: 'M',
    });
    const module = Math.min(...rects.map((r) => r.h)) / (1 + QR_SEAM_OVERLAP); // rows overlap a little
    const x0 = Math.min(...rects.map((r) => r.x));
    const y0 = Math.min(...rects.map((r) => r.y));
    const drawn = new Uint8Array(modules.size * modules.size);
    for (const r of rects) {
      const row = Math.round((r.y - y0) / module);
      const col = Math.round((r.x - x0) / module);
      const length = Math.round(r.w / module);
      for (let c = col; c < col + length; c++) drawn[row * modules.size + c] = 1;
    }
    expect(Buffer.from(drawn).equals(Buffer.from(modules.data))).toBe(true);
    // Modules must be large enough to scan: ≥ 0.4 mm on paper.
    expect(module).toBeGreaterThanOrEqual((0.4 / 25.4) * 72);
  });

  it('folds characters the standard fonts cannot print instead of printing garbage', async () => {
    const view = sampleView();
    view.items[0]!.description = 'Café ☕ Erdős “premium”';
    const text = pdfText(await render(view, layout));
    expect(text).toContain('Café ? Erdos “premium”');
  });
});

describe('letter layout', () => {
  it('fits a one-item document on one US Letter page', async () => {
    const pdf = await render(oneItemView());
    expect(pageSizes(pdf)).toEqual([[612, 792]]);
  });

  it('paginates 60 items with the table header repeated and every item printed once', async () => {
    const pdf = await render(manyItemsView(60));
    const pages = pageLines(pdf);
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((lines, i) => {
      expect(lines).toContain(`Página ${i + 1} de ${pages.length}`);
      expect(lines.join('\n')).toContain(TEST_ENVIRONMENT_LEGEND);
    });
    const itemPages = pages.filter((lines) => lines.some((line) => /^PRD-\d{3}$/.test(line)));
    for (const lines of itemPages) expect(lines).toContain('Descripción');
    const codes = pages.flat().filter((line) => /^PRD-\d{3}$/.test(line));
    expect(codes).toEqual(Array.from({ length: 60 }, (_, i) => `PRD-${String(i + 1).padStart(3, '0')}`));
    // Totals come after the last item; the authorization block closes the last page.
    const lastItemPage = pages.findLastIndex((lines) => lines.includes('PRD-060'));
    const totalsPage = pages.findIndex((lines) => lines.includes('TOTAL B/.'));
    expect(totalsPage).toBeGreaterThanOrEqual(lastItemPage);
    expect(pages.at(-1)).toContain('20220000000000001234');
  });
});

describe('ticket layout', () => {
  it('is 80 mm wide and as tall as its content', async () => {
    const [[width, short]] = pageSizes(await render(oneItemView(), 'ticket')) as [[number, number]];
    const [[, long]] = pageSizes(await render(manyItemsView(60), 'ticket')) as [[number, number]];
    expect(width).toBeCloseTo(226.77, 1);
    expect(short).toBeGreaterThan(400);
    expect(long).toBeGreaterThan(short + 60 * 15);
  });
});

describe('ticket layout at the 1000-item limit', () => {
  it('continues on a next page, between items, rather than exceed what PDF viewers render', async () => {
    const pdf = await render(manyItemsView(1000), 'ticket');
    const sizes = pageSizes(pdf);
    expect(sizes.length).toBeGreaterThan(1);
    for (const [, height] of sizes) expect(height).toBeLessThanOrEqual(14_400);
    const lines = pageLines(pdf).flat();
    expect(lines.filter((line) => /^\d+\. \[PRD-\d+\]/.test(line))).toHaveLength(1000);
    expect(lines.at(-1)).toBe('Comprobante Auxiliar de Factura Electrónica');
  });
});

describe('renderCafePdf input checks', () => {
  it('rejects a view without a valid emission instant (it fixes the PDF metadata)', async () => {
    await expect(renderCafePdf(sampleView({ issuedAtIso: 'ayer' }))).rejects.toBeInstanceOf(CafeRenderError);
  });
});

describe('performance', () => {
  // Measured in CPU time of this process: wall time on a shared 2-core machine running other suites
  // measures the neighbours. Alone, wall time ≈ CPU time (≈ 5–8 ms per one-item document).
  it('renders a one-item document in a median ≤ 20 ms of CPU (both layouts)', async () => {
    await warmUpCafeRenderer(oneItemView());
    for (const layout of layouts) {
      const times: number[] = [];
      for (let i = 0; i < 31; i++) {
        // A new QR URL each time, as in production: the QR cache must not flatter the measure.
        const view = { ...oneItemView(), qrUrl: `${QR_URL}&n=${layout}${i}` };
        const start = process.cpuUsage();
        await renderCafePdf(view, { layout });
        const used = process.cpuUsage(start);
        times.push((used.user + used.system) / 1000);
      }
      times.sort((a, b) => a - b);
      expect(times[15]).toBeLessThanOrEqual(20);
    }
  });
});

// Optional cross-checks with real tools (poppler-utils, zbar-tools) when the machine has them.
describe.skipIf(!hasCommand('pdftotext'))('pdftotext', () => {
  it.each(layouts)('extracts the CUFE, protocol, total and legends (%s)', async (layout) => {
    const dir = mkdtempSync(join(tmpdir(), 'cafe-'));
    try {
      writeFileSync(join(dir, 'cafe.pdf'), await renderCafePdf(sampleView(), { layout }));
      const text = execFileSync('pdftotext', [join(dir, 'cafe.pdf'), '-'], { encoding: 'utf8' });
      const joined = text.replace(/\s+/g, '');
      expect(joined).toContain(CUFE);
      expect(text).toContain('20220000000000001234');
      expect(text).toContain('109.39');
      expect(joined).toContain(CONSULTATION_LEGEND.replace(/\s+/g, ''));
      expect(joined.toUpperCase()).toContain(TEST_ENVIRONMENT_LEGEND.replace(/\s+/g, '').toUpperCase());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!hasCommand('pdftoppm') || !hasCommand('zbarimg'))('QR scan', () => {
  it.each(layouts)('decodes to the authorized URL at 150 dpi (%s)', async (layout) => {
    const dir = mkdtempSync(join(tmpdir(), 'cafe-'));
    try {
      writeFileSync(join(dir, 'cafe.pdf'), await renderCafePdf(sampleView(), { layout }));
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
      expect(decoded.trim()).toBe(QR_URL);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
