import { describe, expect, it } from 'vitest';
import { invoice, taxpayerReceiver } from '../support/documents';
import { paths, validate, violationsOf } from '../support/violations';

describe('receiver rule', () => {
  it('requires RUC, type, DV, name and address for a taxpayer', () => {
    // Act
    const violations = violationsOf(invoice({ receiver: { type: 'taxpayer' } }));

    // Assess
    expect(paths(violations)).toEqual([
      'receiver.rucType',
      'receiver.ruc',
      'receiver.dv',
      'receiver.name',
      'receiver.address',
    ]);
  });

  it('rejects a DV that does not match the RUC in the words HKA uses, saying which one is expected', () => {
    // Act
    const violations = violationsOf(invoice({ receiver: { ...taxpayerReceiver, dv: '21' } }));

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({
        path: 'receiver.dv',
        ruleId: 'receiver.ruc-dv',
        message:
          'El campo digitoVerificadorRUC es inválido. El DV no corresponde al RUC informado. DV esperado: 20.',
      }),
    ]);
  });

  it('reports an unreadable RUC on the ruc field', () => {
    // Act
    const violations = violationsOf(invoice({ receiver: { ...taxpayerReceiver, ruc: 'ABCDE-FG' } }));

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({
        path: 'receiver.ruc',
        ruleId: 'receiver.ruc-dv',
        message: 'El campo numeroRUC es inválido. Regla de formación del RUC inválida.',
      }),
    ]);
  });

  it('requires CPBS codes on every item for a government receiver', () => {
    // Prepare
    const raw = invoice({
      receiver: { ...taxpayerReceiver, type: 'government' },
      items: [
        {
          description: 'Con CPBS',
          quantity: '1',
          unitPrice: '10',
          itbmsRate: '7',
          cpbs: { segment: '14', family: '1411', unit: 'und' },
        },
        { description: 'Sin CPBS', quantity: '1', unitPrice: '10', itbmsRate: '7' },
        {
          description: 'Sin unidad',
          quantity: '1',
          unitPrice: '10',
          itbmsRate: '7',
          cpbs: { segment: '14', family: '1411' },
        },
      ],
      payments: [{ method: 'credit', amount: '32.10' }],
    });

    // Act
    const violations = violationsOf(raw);

    // Assess
    expect(paths(violations)).toEqual(['items[1].cpbs', 'items[2].cpbs']);
  });

  it('never accepts a juridical RUC as final consumer', () => {
    // Act
    const violations = violationsOf(
      invoice({ receiver: { type: 'final-consumer', rucType: '2', ruc: '2588017-1-831938', dv: '20' } }),
    );

    // Assess
    expect(violations).toEqual([
      expect.objectContaining({ path: 'receiver.type', ruleId: 'receiver.juridical-final-consumer' }),
    ]);
  });

  it('accepts a final consumer with nothing but the type, or with a cédula', () => {
    // Act & Assess
    expect(validate(invoice({ receiver: { type: 'final-consumer' } })).ok).toBe(true);
    expect(
      validate(invoice({ receiver: { type: 'final-consumer', rucType: '1', ruc: '8-274-125', dv: '91' } }))
        .ok,
    ).toBe(true);
  });

  it('forbids RUC, DV, taxpayer type and location on a foreign receiver and needs a foreign id', () => {
    // Prepare
    const raw = invoice({ receiver: { ...taxpayerReceiver, type: 'foreign' } });

    // Act
    const violations = violationsOf(raw);

    // Assess
    expect(paths(violations)).toEqual([
      'receiver.rucType',
      'receiver.ruc',
      'receiver.dv',
      'receiver.location',
      'receiver.foreignId',
    ]);
  });

  it('needs the issuing country of a passport', () => {
    // Act
    const violations = violationsOf(
      invoice({ receiver: { type: 'foreign', foreignId: { type: 'passport', number: 'X123' } } }),
    );

    // Assess
    expect(paths(violations)).toEqual(['receiver.foreignId.country']);
  });

  it('allows a foreign id only for foreign receivers', () => {
    // Act
    const violations = violationsOf(
      invoice({ receiver: { ...taxpayerReceiver, foreignId: { type: 'other', number: '1' } } }),
    );

    // Assess
    expect(paths(violations)).toEqual(['receiver.foreignId']);
  });

  it('requires countryName exactly when the country is ZZ', () => {
    // Prepare
    const abroad = { type: 'export-invoice' as const, export: { incoterm: 'FOB' } };
    const foreign = { type: 'foreign' as const, foreignId: { type: 'tax-id' as const, number: '99' } };

    // Act
    const missing = violationsOf(invoice({ ...abroad, receiver: { ...foreign, country: 'ZZ' } }));
    const extra = violationsOf(
      invoice({ ...abroad, receiver: { ...foreign, country: 'US', countryName: 'Estados' } }),
    );

    // Assess
    expect(paths(missing)).toEqual(['receiver.countryName']);
    expect(paths(extra)).toEqual(['receiver.countryName']);
  });
});
