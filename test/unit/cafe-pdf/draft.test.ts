import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DRAFT_LEGEND,
  DRAFT_PLACEHOLDER,
  renderCafePdf,
  toCafeView,
  toDraftCafeView,
} from '#shared/fiscal/cafe-pdf/index';
import type { CafeLayout, CafeView } from '#shared/fiscal/cafe-pdf/view';
import type { ComputedDocument } from '#shared/fiscal/compute';
import { demoIssuer } from '#shared/fiscal/demo-issuer';
import { validateDocument } from '#shared/fiscal/validate';
import invoiceTaxpayer from '../../../examples/documents/invoice-taxpayer.json' with { type: 'json' };
import { CUFE, manyItemsView, QR_URL } from './fixtures';
import { hasCommand, pageLines, pageStreams } from './pdf-inspect';

const layouts: CafeLayout[] = ['letter', 'ticket'];
const context = { issuer: demoIssuer, environment: '2' as const, pointOfSale: '001' };

function computed(): ComputedDocument {
  const result = validateDocument(invoiceTaxpayer, { now: new Date('2026-11-22T17:00:00Z') });
  if (!result.ok) throw new Error(`example rejected: ${JSON.stringify(result.violations)}`);
  return result.document;
}

/** A long draft: the many-item view as a draft, so every page of a multi-page letter CAFE is checked. */
function longDraft(): CafeView {
  const view = toDraftCafeView(computed(), context);
  return { ...view, items: manyItemsView(120).items };
}

/** `cm` operators that rotate (a non-zero b): the watermark is the only rotated drawing of a CAFE. */
const rotations = (stream: string) =>
  [...stream.matchAll(/^(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) cm$/gm)].filter(
    (m) => Number(m[2]) !== 0,
  );

describe('toDraftCafeView', () => {
  it('keeps every figure of the document and puts a placeholder where the number, CUFE and QR go', () => {
    // Prepare
    const doc = computed();

    // Act
    const draft = toDraftCafeView(doc, context);

    // Assess
    const issued = toCafeView(
      doc,
      { ...context, number: '0000000042' },
      { cufe: CUFE, qr: QR_URL, protocol: '1', authorizedAt: doc.issuedAt },
    );
    expect(draft.draft).toBe(true);
    expect(draft.number).toBe(DRAFT_PLACEHOLDER);
    expect(draft.cufe).toBe('');
    expect(draft.qrUrl).toBe('');
    expect(draft.authorization).toEqual({ protocol: '', authorizedAt: '' });
    expect(draft.totals).toEqual(issued.totals);
    expect(draft.items).toEqual(issued.items);
    expect(draft.receiver).toEqual(issued.receiver);
  });
});

describe.each(layouts)('draft CAFE (%s)', (layout) => {
  it('carries the legend across every page, turned and translucent, and in a banner', async () => {
    // Prepare
    const view = layout === 'letter' ? longDraft() : toDraftCafeView(computed(), context);

    // Act
    const pdf = await renderCafePdf(view, { layout, compress: false });

    // Assess
    const streams = pageStreams(pdf);
    if (layout === 'letter') expect(streams.length).toBeGreaterThan(2);
    for (const [page, lines] of pageLines(pdf).entries()) {
      const legends = lines.filter((line) => line === DRAFT_LEGEND).length;
      // The banner and at least one watermark on every page.
      expect(legends, `page ${page + 1}`).toBeGreaterThanOrEqual(2);
      expect(rotations(streams[page]!).length, `page ${page + 1}`).toBeGreaterThanOrEqual(1);
    }
    // The watermark's fill opacity (an ExtGState with /ca).
    expect(pdf.toString('latin1')).toMatch(/\/ca 0\.18/);
  });

  it('prints no number, CUFE, protocol or QR', async () => {
    // Prepare
    const view = toDraftCafeView(computed(), context);

    // Act
    const pdf = await renderCafePdf(view, { layout, compress: false });

    // Assess
    const text = pageLines(pdf).flat().join('\n');
    expect(text).toContain(`No. ${DRAFT_PLACEHOLDER}`);
    expect(text).not.toMatch(/\b\d{10}\b/);
    expect(text).not.toContain('CUFE (clave de acceso)');
    expect(text).not.toContain('Protocolo de autorización');
    expect(text).toContain('sin CUFE y sin código QR');
    // The QR is the only path of many rectangles.
    for (const stream of pageStreams(pdf)) expect(stream.match(/ re\n/g)?.length ?? 0).toBeLessThan(60);
  });
});

describe.skipIf(!hasCommand('pdftotext'))('pdftotext on a draft', () => {
  it.each(layouts)('finds the draft legend on every page (%s)', async (layout) => {
    const dir = mkdtempSync(join(tmpdir(), 'draft-'));
    try {
      // Prepare
      const view = layout === 'letter' ? longDraft() : toDraftCafeView(computed(), context);
      writeFileSync(join(dir, 'draft.pdf'), await renderCafePdf(view, { layout }));

      // Act
      const text = execFileSync('pdftotext', [join(dir, 'draft.pdf'), '-'], { encoding: 'utf8' });

      // Assess
      const pages = text.split('\f').filter((page) => page.trim() !== '');
      expect(pages.length).toBeGreaterThanOrEqual(1);
      for (const page of pages) expect(page).toContain(DRAFT_LEGEND);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!hasCommand('pdftoppm') || !hasCommand('zbarimg'))('QR scan of a draft', () => {
  it.each(layouts)('finds no QR code to scan (%s)', async (layout) => {
    const dir = mkdtempSync(join(tmpdir(), 'draft-'));
    try {
      // Prepare
      writeFileSync(
        join(dir, 'draft.pdf'),
        await renderCafePdf(toDraftCafeView(computed(), context), { layout }),
      );
      execFileSync('pdftoppm', [
        '-png',
        '-r',
        '150',
        '-singlefile',
        join(dir, 'draft.pdf'),
        join(dir, 'page'),
      ]);

      // Act: zbarimg exits 4 when it finds no symbol.
      let status = 0;
      try {
        execFileSync('zbarimg', ['-q', '--raw', join(dir, 'page.png')], { stdio: 'ignore' });
      } catch (error) {
        status = (error as { status: number }).status;
      }

      // Assess
      expect(status).toBe(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
