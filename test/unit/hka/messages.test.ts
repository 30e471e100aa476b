import { describe, expect, it } from 'vitest';
import { explainAnswer, unexplained, violationsFromMessage } from '#shared/hka/messages';

describe('HKA messages → explained violations in our model', () => {
  it.each([
    ['El campo razonSocial es requerido', 'receiver.name', 'FIELD_REQUIRED'],
    ['El campo [tipoDeCambio] no debe ser informado', 'export.exchangeRate', 'EXCHANGE_RATE_NOT_ALLOWED'],
    ['El campo totalISC no debe ser informado', 'items', 'TOTAL_ISC_NOT_ALLOWED'],
    [
      'En la ocurrencia [4] de Item, El campo valorISC es inválido. Informado valor del ISC en una operacion no valorada.',
      'items[3].isc.amount',
      'ISC_ON_UNTAXED_ITEM',
    ],
    ['En la ocurrencia [1] de Item, El campo cantidad es requerido', 'items[0].quantity', 'FIELD_REQUIRED'],
    [
      'En la ocurrencia [2] de FormaPago, El campo descFormaPago es requerido',
      'payments[1].description',
      'FIELD_REQUIRED',
    ],
    ['El campo campoNuevo es requerido', 'campoNuevo', 'FIELD_REQUIRED'],
  ])('%s → %s', (message, path, code) => {
    // Act
    const [violation] = violationsFromMessage(message, '201');

    // Assess
    expect(violation).toMatchObject({ path, message, code, hkaCode: '201' });
    expect(violation!.hint!.en).toContain(path);
  });

  it('explains every part of a multi-part answer, the generic 201 on the document as a whole', () => {
    // Act
    const violations = violationsFromMessage(
      'El campo pais es requerido | Error al procesar solicitud.\nEl campo direccion es requerido',
      '201',
    );

    // Assess
    expect(violations.map((v) => [v.path, v.code])).toEqual([
      ['receiver.country', 'FIELD_REQUIRED'],
      ['', 'HKA_GENERIC_ERROR'],
      ['receiver.address', 'FIELD_REQUIRED'],
    ]);
  });

  it('reads a DGI code wrapped in HKA’s 203 and keeps the DGI code', () => {
    // Act
    const [explanation] = explainAnswer('1602 - RUC inexistente en los registros de la DGI', '203');

    // Assess
    expect(explanation).toMatchObject({
      path: 'receiver.ruc',
      hkaField: 'numeroRUC',
      code: 'RUC_NOT_REGISTERED',
      hkaCode: '1602',
    });
  });

  it('keeps an unknown answer verbatim with no path, and counts it', () => {
    // Prepare
    const mensaje = 'Ocurrió algo que nadie había visto antes.';

    // Act
    const explanations = explainAnswer(mensaje, '299');

    // Assess
    expect(explanations).toEqual([
      { path: null, hkaField: null, code: 'UNEXPLAINED', hkaCode: '299', message: mensaje, hint: null },
    ]);
    expect(unexplained(violationsFromMessage(mensaje, '299'))).toBe(1);
    expect(unexplained(violationsFromMessage('El campo pais es requerido', '201'))).toBe(0);
  });

  it('a value that merely looks like a DGI code is not one', () => {
    // Act
    const [explanation] = explainAnswer(
      'El campo totalFactura es inválido. Valor informado 1602.00, valor calculado 1601.99.',
      '201',
    );

    // Assess
    expect(explanation).toMatchObject({ code: 'TOTAL_MISMATCH', path: 'items', hkaCode: '201' });
  });
});
