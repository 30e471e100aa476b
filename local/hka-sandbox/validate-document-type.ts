/**
 * Document-type combinations (brief §8.6, §9.2): nature, destination and operation type must fit the
 * document type; notes carry no tipoVenta; export data only abroad, and no tipoDeCambio in dollars
 * (field message `El campo [tipoDeCambio] no debe ser informado`, brief §10). The table is the fiscal
 * core's (`#shared/fiscal/document-types`), read through the DGI codes HKA receives.
 */
import {
  destinationCodes,
  documentTypeCodes,
  operationNatureCodes,
  operationTypeCodes,
} from '#shared/fiscal/codes';
import { documentTypeProfiles } from '#shared/fiscal/document-types';
import { forbidden, invalid, type Violations } from './rules.ts';
import { child, text, type XmlObject } from './soap-io.ts';

const friendlyOf = <K extends string>(codes: Record<K, string>, code: string): K | undefined =>
  (Object.entries(codes) as [K, string][]).find(([, c]) => c === code)?.[0];

export function checkDocumentType(trx: XmlObject, v: Violations): void {
  const type = friendlyOf(documentTypeCodes, text(trx, 'tipoDocumento'));
  if (!type) return; // the code itself is reported elsewhere
  const profile = documentTypeProfiles[type];
  const nature = text(trx, 'naturalezaOperacion');
  const allowed = profile.allowedNatures.map((n) => operationNatureCodes[n]);
  if (nature !== '' && !allowed.includes(nature as (typeof allowed)[number])) {
    v.add(
      invalid(
        'naturalezaOperacion',
        `Para tipoDocumento ${text(trx, 'tipoDocumento')} se permite: ${allowed.join(', ')}.`,
      ),
    );
  }
  if (profile.destination !== undefined && text(trx, 'destinoOperacion') !== '') {
    const expected = destinationCodes[profile.destination];
    v.check(
      text(trx, 'destinoOperacion') === expected,
      invalid('destinoOperacion', `Para este tipo de documento debe ser ${expected}.`),
    );
  }
  if (profile.operationType !== undefined && text(trx, 'tipoOperacion') !== '') {
    const expected = operationTypeCodes[profile.operationType];
    v.check(
      text(trx, 'tipoOperacion') === expected,
      invalid('tipoOperacion', `Para este tipo de documento debe ser ${expected}.`),
    );
  }
  if (profile.isNote) v.check(text(trx, 'tipoVenta') === '', forbidden('tipoVenta'));

  const exportacion = child(trx, 'datosFacturaExportacion');
  if (exportacion) {
    v.check(text(trx, 'destinoOperacion') === '2', forbidden('datosFacturaExportacion'));
    const currency = text(exportacion, 'monedaOperExportacion') || 'USD';
    if (currency === 'USD') v.check(text(exportacion, 'tipoDeCambio') === '', forbidden('[tipoDeCambio]'));
  } else if (type === 'export-invoice') {
    v.add(`El campo datosFacturaExportacion es requerido`);
  }
}
