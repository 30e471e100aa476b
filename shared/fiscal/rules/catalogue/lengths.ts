/**
 * Lengths from HKA's Enviar field table (brief §8.4). Our schema bounds some of these already (it then
 * reports first); the rules make the sandbox hold the same limits and catch what the schema lets through.
 */
import { invalid, required } from './messages';
import { type Finding, rule } from './types';

const outside = (text: string | undefined, min: number, max: number) =>
  text !== undefined && (text.length < min || text.length > max);

const lengthRule = (
  id: string,
  hkaField: 'razonSocial' | 'direccion',
  min: number,
  max: number,
  hint: string,
) =>
  rule({
    id,
    severity: 'error',
    source: { kind: 'hka-field-table', section: 'brief §8.4' },
    confidence: 'likely',
    hkaField,
    appliesTo: 'both',
    hint,
    check: ({ cliente }): Finding[] =>
      outside(cliente?.[hkaField], min, max)
        ? [{ message: invalid(hkaField, `Longitud entre ${min} y ${max}.`) }]
        : [],
  });

export const receiverNameLengthRule = lengthRule(
  'receiver.name-length',
  'razonSocial',
  2,
  200,
  'receiver.name must have 2..200 characters.',
);

export const receiverAddressLengthRule = lengthRule(
  'receiver.address-length',
  'direccion',
  5,
  100,
  'receiver.address must have 5..100 characters.',
);

export const itemDescriptionLengthRule = rule({
  id: 'items.description-length',
  severity: 'error',
  source: { kind: 'hka-field-table', section: 'brief §8.4' },
  confidence: 'confirmed',
  hkaField: 'descripcion',
  appliesTo: 'both',
  hint: 'items[].description must have 2..500 characters.',
  check: ({ items = [] }): Finding[] =>
    items.flatMap((item, index) =>
      outside(item.descripcion, 2, 500)
        ? [{ index, message: invalid('descripcion', 'Longitud entre 2 y 500.') }]
        : [],
    ),
});

export const paymentDescriptionLengthRule = rule({
  id: 'payments.description-length',
  severity: 'error',
  source: { kind: 'hka-field-table', section: 'brief §8.4' },
  confidence: 'confirmed',
  hkaField: 'descFormaPago',
  appliesTo: 'both',
  hint: 'payments[].description (method "other") must have 10..100 characters.',
  check: ({ formasPago = [] }): Finding[] =>
    formasPago.flatMap((pago, index) =>
      outside(pago.descFormaPago, 10, 100)
        ? [{ index, message: invalid('descFormaPago', 'Longitud entre 10 y 100.') }]
        : [],
    ),
});

export const paymentOtherDescriptionRule = rule({
  id: 'payments.other-description',
  severity: 'error',
  source: { kind: 'hka-field-table', section: 'brief §8.4' },
  confidence: 'confirmed',
  hkaField: 'descFormaPago',
  appliesTo: 'both',
  hint: 'Describe a payment of method "other" in payments[].description (10..100 characters).',
  check: ({ formasPago = [] }): Finding[] =>
    formasPago.flatMap((pago, index) =>
      pago.formaPagoFact === '99' && pago.descFormaPago === undefined
        ? [{ index, message: required('descFormaPago') }]
        : [],
    ),
});
