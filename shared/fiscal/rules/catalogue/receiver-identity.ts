/**
 * Who the receiver is, per receiver type (brief §9.3): a contribuyente (01) or government (02→03) carries
 * its RUC, DV, name and address, and the DV matches the RUC by the DGI algorithm; a foreign receiver (04)
 * carries no RUC data nor location but a foreign id (with the issuing country for a passport), which no
 * other receiver carries.
 */
import { computeRucDv, RucFormatError } from '../../ruc-dv';
import type { FiscalView } from '../../view/fiscal-view';
import type { HkaField } from '../../view/paths';
import { forbidden, invalid, required } from './messages';
import { type Finding, rule } from './types';

type Cliente = NonNullable<FiscalView['cliente']>;

const TAXPAYER_OR_GOVERNMENT = new Set(['01', '03']);
const FOREIGN = '04';
const PASSPORT = '01';

const missing = (cliente: Cliente, fields: (keyof Cliente & HkaField)[]): Finding[] =>
  fields
    .filter((field) => cliente[field] === undefined)
    .map((field) => ({ field, message: required(field) }));

const present = (cliente: Cliente, fields: (keyof Cliente & HkaField)[]): Finding[] =>
  fields
    .filter((field) => cliente[field] !== undefined)
    .map((field) => ({ field, message: forbidden(field) }));

export const taxpayerFieldsRule = rule({
  id: 'receiver.taxpayer-fields',
  severity: 'error',
  source: { kind: 'hka-field-table', section: 'brief §9.3' },
  confidence: 'confirmed',
  hkaField: 'numeroRUC',
  appliesTo: 'both',
  hint: 'A taxpayer or government receiver needs rucType, ruc, dv, name and address.',
  check: ({ cliente }): Finding[] =>
    cliente && TAXPAYER_OR_GOVERNMENT.has(cliente.tipoClienteFE ?? '')
      ? missing(cliente, [
          'tipoContribuyente',
          'numeroRUC',
          'digitoVerificadorRUC',
          'razonSocial',
          'direccion',
        ])
      : [],
});

export const rucDvRule = rule({
  id: 'receiver.ruc-dv',
  severity: 'error',
  source: { kind: 'hka-field-table', section: 'brief §9.3' },
  confidence: 'confirmed',
  hkaField: 'digitoVerificadorRUC',
  appliesTo: 'both',
  hint: 'receiver.dv is the DGI check digit of receiver.ruc for its rucType (`npx factu ruc-dv` computes it).',
  check: ({ cliente }): Finding[] => {
    const { tipoClienteFE, tipoContribuyente, numeroRUC, digitoVerificadorRUC } = cliente ?? {};
    if (tipoClienteFE === FOREIGN || numeroRUC === undefined || digitoVerificadorRUC === undefined) return [];
    if (tipoContribuyente !== '1' && tipoContribuyente !== '2') return [];
    try {
      const expected = computeRucDv(numeroRUC, tipoContribuyente);
      return expected === digitoVerificadorRUC
        ? []
        : [
            {
              message: invalid('digitoVerificadorRUC', 'El DV no corresponde al RUC informado.'),
              detail: `DV esperado: ${expected}.`,
            },
          ];
    } catch (error) {
      if (!(error instanceof RucFormatError)) throw error;
      return [{ field: 'numeroRUC', message: invalid('numeroRUC', 'Regla de formación del RUC inválida.') }];
    }
  },
});

export const foreignIdentityRule = rule({
  id: 'receiver.foreign-identity',
  severity: 'error',
  source: { kind: 'hka-field-table', section: 'brief §9.3' },
  confidence: 'confirmed',
  hkaField: 'tipoIdentificacion',
  appliesTo: 'both',
  hint: 'A foreign receiver has a foreignId (type, number; country for a passport) and no RUC, DV or location; only a foreign receiver has a foreignId.',
  check: ({ cliente }): Finding[] => {
    if (cliente?.tipoClienteFE === undefined) return [];
    if (cliente.tipoClienteFE !== FOREIGN) {
      return present(cliente, ['tipoIdentificacion', 'nroIdentificacionExtranjero', 'paisExtranjero']);
    }
    return [
      // The 201 case of the brief: contribuyente data on a foreign receiver.
      ...present(cliente, [
        'tipoContribuyente',
        'numeroRUC',
        'digitoVerificadorRUC',
        'codigoUbicacion',
        'provincia',
        'distrito',
        'corregimiento',
      ]),
      ...missing(cliente, ['tipoIdentificacion', 'nroIdentificacionExtranjero']),
      ...(cliente.tipoIdentificacion === PASSPORT ? missing(cliente, ['paisExtranjero']) : []),
    ];
  },
});
