import { describe, expect, it } from 'vitest';
import { computeDocument } from '#shared/fiscal/compute';
import { documentInputSchema } from '#shared/fiscal/model';
import { checkDocument } from '../../../web/src/fiscal/live-totals';
import type { CustomerResource } from '../../../web/src/routes/customer-form';
import {
  acceptDraft,
  bodyOf,
  DOCUMENT_TYPES,
  type DocumentLine,
  emptyDraft,
  lineDraftOf,
  noteDraftOf,
  requestOf,
  withCustomer,
  withProduct,
} from '../../../web/src/routes/new-document-form';
import type { ProductResource } from '../../../web/src/routes/product-form';

const stamps = { version: 1, createdAt: '2026-12-06T15:20:04.118Z', updatedAt: '2026-12-06T15:20:04.118Z' };
const customer: CustomerResource = {
  id: '01KBXC0A7W3F9M2Q8R5T1V6Y4N',
  type: 'government',
  rucType: 'juridical',
  ruc: '2588017-1-831938',
  dv: '20',
  name: 'MINISTERIO DE EJEMPLO',
  dgiName: null,
  address: 'Avenida Perú',
  location: { code: '8-8-7', province: 'PANAMA', district: 'PANAMA', corregimiento: 'BELLA VISTA' },
  emails: ['compras@ejemplo.gob.pa'],
  country: 'PA',
  ...stamps,
};
const product: ProductResource = {
  id: '01KBXC2H5D8K1P4S7V0X3Z6B9E',
  code: 'SOP-001',
  description: 'Servicio de soporte técnico mensual',
  unit: 'und',
  unitPrice: '250',
  itbmsRate: '01',
  cpbs: { segment: '43', family: '4323' },
  ...stamps,
};

describe('the new-document form', () => {
  it('makes an issuing body the API schema accepts, for a taxpayer too', () => {
    // Prepare
    const draft = {
      ...emptyDraft(),
      receiverType: 'taxpayer' as const,
      name: 'DISTRIBUIDORA EJEMPLO, S.A.',
      ruc: '2588017-1-831938',
      dv: '20',
      address: 'Vía España',
      locationCode: '8-8-7',
      province: 'PANAMA',
      district: 'PANAMA',
      corregimiento: 'BELLA VISTA',
      email: 'compras@ejemplo.com.pa',
      items: [{ description: 'Soporte', quantity: '1', unitPrice: '250.00', itbmsRate: '7' }],
      paymentMethod: 'transfer' as const,
    };

    // Act
    const parsed = documentInputSchema.safeParse(bodyOf(draft, '267.50'));

    // Assess
    expect(parsed.success).toBe(true);
  });

  it('takes back a kept draft with its Idempotency-Key, fills fields added since, and refuses another shape', () => {
    // Prepare
    const draft = { ...emptyDraft(), name: 'Cliente' };
    const { paymentMethod: _added, ...older } = draft;

    // Act
    const kept = acceptDraft(JSON.parse(JSON.stringify(draft)));
    const fromOlderForm = acceptDraft(older);

    // Assess
    expect(kept).toEqual(draft);
    expect(fromOlderForm).toEqual({ ...draft, paymentMethod: emptyDraft().paymentMethod });
    expect(acceptDraft({ name: 'x' })).toBeUndefined();
    expect(acceptDraft(null)).toBeUndefined();
    expect(emptyDraft().idempotencyKey).not.toBe(emptyDraft().idempotencyKey);
  });

  it('fills the receiver from a picked customer and a line from a picked product, both named by id', () => {
    // Prepare
    const draft = {
      ...emptyDraft(),
      items: [{ description: '', quantity: '3', unitPrice: '', itbmsRate: '0' }],
    };

    // Act
    const picked = withCustomer(draft, customer);
    const filled = { ...picked, items: [withProduct(picked.items[0]!, product)] };
    const request = requestOf(filled, '802.50');

    // Assess
    expect(documentInputSchema.safeParse(bodyOf(filled, '802.50')).success).toBe(true);
    expect(request.receiver).toMatchObject({ customerId: customer.id, type: 'government', rucType: '2' });
    expect(request.items[0]).toMatchObject({
      productId: product.id,
      code: 'SOP-001',
      quantity: '3',
      unitPrice: '250',
      itbmsRate: '7',
      cpbs: { segment: '43', family: '4323' },
    });
  });

  it('builds every document type the API knows, a foreign receiver and an export too', () => {
    const line = { description: 'Consultoría', quantity: '1', unitPrice: '100', itbmsRate: '0' };
    for (const documentType of DOCUMENT_TYPES) {
      const body = bodyOf(
        {
          ...emptyDraft(),
          documentType,
          receiverType: 'foreign',
          name: 'John Smith',
          foreignIdNumber: 'X1234567',
          foreignIdCountry: 'Estados Unidos',
          country: 'US',
          incoterm: 'FOB',
          referenceCufe: `FE01${'0'.repeat(62)}`,
          referenceIssuedAt: '2026-12-01T10:00:00-05:00',
          items: [line],
        },
        '100.00',
      );
      expect(documentInputSchema.safeParse(body).success, documentType).toBe(true);
      expect(body.type).toBe(documentType);
    }
  });

  it('prefills a credit note from the original: its customer and its CUFE as the reference', () => {
    // Prepare
    const original = {
      id: '01KBXD00000000000000000000',
      issuedAt: '2026-12-06T10:30:00-05:00',
      cufe: `FE01${'7'.repeat(62)}`,
      receiver: { type: 'government', ruc: customer.ruc, name: customer.name },
    };

    // Act
    const fromCustomer = noteDraftOf(original, customer, 'credit-note', []);
    const withoutCustomer = noteDraftOf(original, undefined, 'debit-note', []);

    // Assess
    expect(fromCustomer).toMatchObject({
      documentType: 'credit-note',
      from: original.id,
      customerId: customer.id,
      dv: '20',
      address: 'Avenida Perú',
      referenceCufe: original.cufe,
      referenceIssuedAt: original.issuedAt,
    });
    expect(bodyOf(fromCustomer, '1.00').references).toEqual([
      { cufe: original.cufe, issuedAt: original.issuedAt },
    ]);
    expect(withoutCustomer).toMatchObject({
      documentType: 'debit-note',
      receiverType: 'government',
      ruc: customer.ruc,
      name: customer.name,
      referenceCufe: original.cufe,
    });
  });

  it("copies the original's lines into a note: shown fields to edit, the rest kept, the same totals", () => {
    // Prepare
    const original = {
      id: '01KBXD00000000000000000000',
      issuedAt: '2026-12-06T10:30:00-05:00',
      cufe: `FE01${'7'.repeat(62)}`,
      receiver: { type: 'taxpayer', ruc: customer.ruc, name: customer.name },
    };
    const lines: DocumentLine[] = [
      {
        description: 'Servicio de soporte técnico mensual',
        code: 'SOP-001',
        unit: 'und',
        quantity: '1',
        unitPrice: '250.00',
        itbmsRate: '01',
      },
      {
        description: 'Cable de red Cat6',
        code: 'CAB-006',
        unit: 'm',
        quantity: '15',
        unitPrice: '0.85',
        unitDiscount: '0.05',
        itbmsRate: '01',
      },
      {
        description: 'Licor importado',
        quantity: '2',
        unitPrice: '30.00',
        itbmsRate: '02',
        isc: { rate: '0.325' },
      },
    ];
    const originalTotals = computeDocument(
      documentInputSchema.parse({
        type: 'invoice',
        receiver: { type: 'final-consumer', name: 'CONSUMIDOR FINAL' },
        items: lines,
        payments: [{ method: 'cash', amount: '1.00' }],
      }),
    ).totals;

    // Act
    const note = noteDraftOf(original, customer, 'credit-note', lines);
    const live = checkDocument(bodyOf(note, originalTotals.total));

    // Assess
    expect(note.items[0]).toEqual({
      description: 'Servicio de soporte técnico mensual',
      code: 'SOP-001',
      unit: 'und',
      quantity: '1',
      unitPrice: '250.00',
      itbmsRate: '7',
    });
    expect(note.items[1]).toMatchObject({ quantity: '15', unitPrice: '0.85', unitDiscount: '0.05' });
    expect(note.items[2]).toMatchObject({ itbmsRate: '10', kept: { isc: { rate: '0.325' } } });
    expect(bodyOf(note, originalTotals.total).items[2]).toMatchObject({ isc: { rate: '0.325' } });
    expect(live.issues).toEqual([]);
    expect(live.totals).toEqual({ ...originalTotals, received: originalTotals.total });
  });

  it('starts a note with one empty line when the original has none to copy', () => {
    // Prepare
    const original = {
      id: '01KBXD00000000000000000000',
      issuedAt: '2026-12-06T10:30:00-05:00',
      cufe: null,
      receiver: {},
    };

    // Act
    const note = noteDraftOf(original, undefined, 'credit-note', []);

    // Assess
    expect(note.items).toEqual([emptyDraft().items[0]]);
  });

  it('gives a copied line only the fields it had', () => {
    // Act
    const line = lineDraftOf({ description: 'Servicio', quantity: 1, unitPrice: 10, itbmsRate: '00' });

    // Assess
    expect(line).toEqual({ description: 'Servicio', quantity: '1', unitPrice: '10', itbmsRate: '0' });
  });
});
