import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inContingency } from '#shared/contingency/decision';
import { contingencyReason } from '#shared/contingency/reason';
import {
  CONTINGENCY_LEGEND,
  renderCafePdf,
  toCafeView,
  toContingencyCafeView,
} from '#shared/fiscal/cafe-pdf/index';
import type { CafeLayout } from '#shared/fiscal/cafe-pdf/view';
import type { ComputedDocument } from '#shared/fiscal/compute';
import { demoIssuer } from '#shared/fiscal/demo-issuer';
import { validateDocument } from '#shared/fiscal/validate';
import invoiceTaxpayer from '../../../examples/documents/invoice-taxpayer.json' with { type: 'json' };
import { CUFE, QR_URL } from '../cafe-pdf/fixtures';
import { hasCommand } from '../cafe-pdf/pdf-inspect';

const STARTED = new Date('2026-12-06T15:00:00.000Z');
const NOW = new Date('2026-12-06T15:06:00.000Z');
const context = { issuer: demoIssuer, environment: '2' as const, pointOfSale: '001', number: '0000000042' };

function contingencyDocument(): ComputedDocument {
  const { issuedAt: _fixed, ...input } = invoiceTaxpayer as Record<string, unknown>;
  const start = { startedAt: STARTED.toISOString(), reason: contingencyReason(STARTED, NOW) };
  const result = validateDocument(inContingency(input, start, NOW), { now: NOW });
  if (!result.ok) throw new Error(`example rejected: ${JSON.stringify(result.violations)}`);
  return result.document;
}

describe('toContingencyCafeView', () => {
  it('carries our CUFE and QR, no protocol, and the contingency start in Panama time', () => {
    // Act
    const view = toContingencyCafeView(contingencyDocument(), context, { cufe: CUFE, qr: QR_URL });

    // Assess
    expect(view.cufe).toBe(CUFE);
    expect(view.qrUrl).toBe(QR_URL);
    expect(view.authorization).toEqual({ protocol: '', authorizedAt: '' });
    expect(view.contingency).toEqual({ startedAt: '06/12/2026 10:00:00' });
    expect(view.emissionTypeLabel).not.toBe('');
  });

  it('refuses a document that was not issued in contingency', () => {
    // Prepare
    const normal = validateDocument(invoiceTaxpayer, { now: new Date('2026-11-22T17:00:00Z') });
    if (!normal.ok) throw new Error('example rejected');

    // Act / Assess
    expect(() => toContingencyCafeView(normal.document, context, { cufe: CUFE, qr: QR_URL })).toThrow(
      /not issued in contingency/,
    );
  });
});

describe.skipIf(!hasCommand('pdftotext'))('the contingency CAFE as printed (pdftotext)', () => {
  const textOf = async (pdf: Uint8Array, name: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'contingency-cafe-'));
    try {
      writeFileSync(join(dir, name), pdf);
      return execFileSync('pdftotext', [join(dir, name), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it.each<CafeLayout>(['letter', 'ticket'])(
    '%s: the legend, the start, a pending protocol and the CUFE',
    async (layout) => {
      // Prepare
      const view = toContingencyCafeView(contingencyDocument(), context, { cufe: CUFE, qr: QR_URL });

      // Act
      const text = await textOf(await renderCafePdf(view, { layout }), `${layout}.pdf`);

      // Assess
      expect(text).toContain(CONTINGENCY_LEGEND);
      expect(text).toContain('Contingencia iniciada el 06/12/2026 10:00:00');
      expect(text).toContain('Pendiente: emitido en contingencia');
      // The ticket wraps the CUFE over two lines.
      expect(text.replaceAll(' ', '')).toContain(CUFE);
    },
  );

  it('the authorized CAFE of the same document carries the protocol and no contingency legend', async () => {
    // Prepare
    const doc = contingencyDocument();
    const view = toCafeView(doc, context, {
      cufe: CUFE,
      qr: QR_URL,
      protocol: '20260000000000000042',
      authorizedAt: NOW.toISOString(),
    });

    // Act
    const text = await textOf(await renderCafePdf(view, { layout: 'letter' }), 'authorized.pdf');

    // Assess
    expect(text).toContain('20260000000000000042');
    expect(text).not.toContain(CONTINGENCY_LEGEND);
  });
});
