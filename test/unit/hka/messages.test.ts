import { describe, expect, it } from 'vitest';
import { violationsFromMessage } from '#shared/hka/messages';

describe('HKA messages → violations in our model', () => {
  it.each([
    ['El campo razonSocial es requerido', 'receiver.name'],
    ['El campo [tipoDeCambio] no debe ser informado', 'export.exchangeRate'],
    ['El campo totalISC no debe ser informado', 'items'],
    [
      'En la ocurrencia [4] de Item, El campo valorISC es inválido. Informado valor del ISC en una operacion no valorada.',
      'items[3].isc.amount',
    ],
    ['En la ocurrencia [1] de Item, El campo cantidad es requerido', 'items[0].quantity'],
    ['En la ocurrencia [2] de FormaPago, El campo descFormaPago es requerido', 'payments[1].description'],
    ['El campo campoNuevo es requerido', 'campoNuevo'],
  ])('%s → %s', (message, path) => {
    expect(violationsFromMessage(message, '201')).toEqual([{ path, message, code: '201' }]);
  });

  it('splits several messages and ignores text that names no field', () => {
    const violations = violationsFromMessage(
      'El campo pais es requerido | Error al procesar solicitud.\nEl campo direccion es requerido',
    );
    expect(violations.map((v) => v.path)).toEqual(['receiver.country', 'receiver.address']);
  });
});
