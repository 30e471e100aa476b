import { describe, expect, it } from 'vitest';
import { renderCafePdf } from '#shared/fiscal/cafe-pdf/render';
import { type CafeContext, cafeLayoutOf, toCafeView } from '#shared/fiscal/cafe-pdf/to-cafe-view';
import type { ComputedDocument } from '#shared/fiscal/compute';
import { buildCufe } from '#shared/fiscal/cufe';
import { demoIssuer } from '#shared/fiscal/demo-issuer';
import type { DocumentInputRaw } from '#shared/fiscal/model';
import { validateDocument } from '#shared/fiscal/validate';
import { CUFE, QR_URL } from './fixtures';
import { pdfText } from './pdf-inspect';

const context: CafeContext = {
  issuer: demoIssuer,
  environment: '2',
  number: '0000000123',
  pointOfSale: '001',
};

// HKA returns the authorization date as ISO with the Panama offset; the mapper prints it in Panama time.
const authorization = {
  cufe: CUFE,
  qr: QR_URL,
  protocol: '20261120000000000077',
  authorizedAt: '2026-11-20T14:15:07Z',
};

const invoice: DocumentInputRaw = {
  type: 'invoice',
  issuedAt: '2026-11-20T09:15:00-05:00',
  remarks: 'Entrega en bodega 3.',
  receiver: {
    type: 'taxpayer',
    rucType: '2',
    ruc: '2588017-1-831938',
    dv: '20',
    name: 'DISTRIBUIDORA EJEMPLO, S.A.',
    address: 'Vía España',
    location: { code: '8-8-7', province: 'PANAMA', district: 'PANAMA', corregimiento: 'BELLA VISTA' },
  },
  items: [
    {
      code: 'REF-01',
      description: 'Refrigeradora',
      unit: 'und',
      quantity: '2',
      unitPrice: '1279.00',
      unitDiscount: '79.00',
      itbmsRate: '7',
    },
    { description: 'Aceite vegetal', quantity: '1', unitPrice: '12.25', itbmsRate: '7' },
    { description: 'Pan', quantity: '1.5', unitPrice: '0.745', itbmsRate: '0' },
    { description: 'Cerveza', quantity: '6', unitPrice: '1.10', itbmsRate: '10', freight: '0.50' },
  ],
  discounts: [{ description: 'Cliente frecuente', amount: '10.00' }],
  payments: [
    { method: 'cash', amount: '2000.00' },
    { method: 'other', description: 'Bono corporativo', amount: '600.00' },
  ],
};

// The invoice above as authorized, referenced by the credit note below.
const invoiceCufe = buildCufe({
  documentType: '01',
  rucType: '2',
  ruc: context.issuer.ruc,
  dv: context.issuer.dv,
  branch: '0000',
  date: '20261120',
  number: '0000000122',
  pointOfSale: '001',
  emissionType: '01',
  environment: '2',
  securityCode: '123456789',
});

function compute(raw: DocumentInputRaw): ComputedDocument {
  const result = validateDocument(raw, { now: new Date('2026-11-20T15:00:00Z') });
  if (!result.ok) throw new Error(`fixture rejected: ${JSON.stringify(result.violations)}`);
  return result.document;
}

describe('toCafeView', () => {
  const doc = compute(invoice);
  const view = toCafeView(doc, context, authorization);

  it('maps the document header, issuer and authorization', () => {
    expect(view.environment).toBe('2');
    expect(view.documentType).toEqual({ code: '01', label: 'Factura de Operación Interna' });
    expect(view.number).toBe('001-0000000123');
    expect(view.issuedAt).toBe('20/11/2026 09:15:00');
    expect(new Date(view.issuedAtIso).toISOString()).toBe('2026-11-20T14:15:00.000Z');
    expect(view.emissionTypeLabel).toBe('');
    expect(view.issuer).toMatchObject({
      name: 'THE FACTORY HKA PANAMA, S.A.',
      ruc: '155596713-2-2015',
      dv: '59',
    });
    expect(view.issuer.address).toBe('Calle 50, Edificio Global Plaza, piso 20, BELLA VISTA, PANAMA, PANAMA');
    expect(view.cufe).toBe(CUFE);
    expect(view.qrUrl).toBe(QR_URL);
    expect(view.authorization).toEqual({
      protocol: '20261120000000000077',
      authorizedAt: '20/11/2026 09:15:07',
    });
    expect(view.info).toBe('Entrega en bodega 3.');
  });

  it('prints item figures exactly as computed, grouped by thousands', () => {
    expect(view.items[0]).toEqual({
      lineNumber: '1',
      code: 'REF-01',
      description: 'Refrigeradora',
      quantity: '2',
      unit: 'und',
      unitPrice: '1,279.00',
      discount: '79.00',
      itbmsRate: '7%',
      itbmsAmount: '168.00',
      lineTotal: '2,568.00',
      notes: '',
    });
    // 1.5 × 0.745 = 1.1175 → 1.12 (the fiscal core's dPrItem); a 3-decimal unit price stays as given.
    expect(view.items[2]).toMatchObject({
      code: '',
      unit: '',
      quantity: '1.5',
      unitPrice: '0.745',
      itbmsRate: '0%',
    });
    // Freight is in the line total, so it is spelled out: 6.60 + 0.66 + 0.50 = 7.76.
    expect(view.items[3]).toMatchObject({
      itbmsRate: '10%',
      itbmsAmount: '0.66',
      lineTotal: '7.76',
      notes: 'Acarreo 0.50',
    });
  });

  it('summarizes ITBMS per rate from the rounded item values, in rate order', () => {
    expect(view.itbmsByRate).toEqual([
      { rate: '0%', base: '1.12', tax: '0.00' },
      { rate: '7%', base: '2,412.25', tax: '168.86' },
      { rate: '10%', base: '6.60', tax: '0.66' },
    ]);
  });

  it('maps totals and payment forms', () => {
    expect(view.totals).toEqual({
      neto: '2,419.97',
      descuentos: '10.00',
      acarreo: '',
      seguro: '',
      itbms: '169.52',
      isc: '',
      gravado: '169.52',
      total: '2,579.99',
      recibido: '2,600.00',
      vuelto: '20.01',
    });
    expect(view.payments).toEqual([
      { label: 'Efectivo', amount: '2,000.00' },
      { label: 'Bono corporativo', amount: '600.00' },
    ]);
  });

  it('maps the receiver with location and country name', () => {
    expect(view.receiver).toEqual({
      typeLabel: 'Contribuyente',
      name: 'DISTRIBUIDORA EJEMPLO, S.A.',
      ruc: '2588017-1-831938',
      dv: '20',
      foreignId: '',
      address: 'Vía España, BELLA VISTA, PANAMA, PANAMA',
      country: 'Panamá',
    });
  });

  it('maps a foreign receiver, a credit-term installment plan and a referenced CUFE', () => {
    const note = toCafeView(
      compute({
        type: 'credit-note',
        issuedAt: '2026-11-21T10:00:00-05:00',
        emissionType: 'posterior',
        receiver: {
          type: 'foreign',
          name: 'ACME CORPORATION',
          foreignId: { type: 'passport', number: 'X1234567', country: 'ESTADOS UNIDOS' },
          country: 'US',
        },
        destination: 'abroad',
        references: [{ cufe: invoiceCufe, issuedAt: '2026-11-20T09:15:00-05:00' }],
        items: [
          { description: 'Devolución de mercancía', quantity: '1', unitPrice: '100.00', itbmsRate: '7' },
        ],
        payments: [{ method: 'credit', amount: '107.00' }],
        installments: [{ dueAt: '2026-12-21T00:00:00-05:00', amount: '107.00' }],
      }),
      context,
      authorization,
    );
    expect(note.documentType).toEqual({ code: '04', label: 'Nota de Crédito' });
    expect(note.emissionTypeLabel).toBe('Autorización de uso posterior');
    expect(note.receiver).toMatchObject({
      typeLabel: 'Extranjero',
      ruc: '',
      foreignId: 'Pasaporte X1234567 (ESTADOS UNIDOS)',
      country: 'Estados Unidos',
    });
    expect(note.references).toEqual([
      { issuerName: 'THE FACTORY HKA PANAMA, S.A.', date: '20/11/2026', number: invoiceCufe },
    ]);
    expect(note.installments).toEqual([{ number: '1', dueDate: '21/12/2026', amount: '107.00' }]);
    expect(note.payments).toEqual([{ label: 'Crédito', amount: '107.00' }]);
  });

  it('chooses the layout from the hint, else from iFormCAFE', () => {
    expect(cafeLayoutOf(doc)).toBe('letter');
    expect(cafeLayoutOf({ ...doc, cafeFormat: 'ticket' })).toBe('ticket');
    expect(cafeLayoutOf({ ...doc, cafeFormat: 'ticket', cafeLayout: 'letter' })).toBe('letter');
  });

  it('renders the mapped view', async () => {
    const text = pdfText(await renderCafePdf(view, { compress: false }));
    expect(text).toContain('2,579.99');
    expect(text).toContain('DISTRIBUIDORA EJEMPLO, S.A.');
    expect(text).toContain('001-0000000123');
  });
});
