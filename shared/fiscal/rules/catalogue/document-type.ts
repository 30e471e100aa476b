/**
 * The per-type combination table (brief §8.6). HKA's own published examples contradict it (credit notes
 * 04/06 and an export 03 with naturaleza 01, an import 02 with tipoOperacion 1 and destino 1), so it only
 * warns — except 01 ⇒ destino 1 and 03 ⇒ destino 2, which real rejections confirm (DGI code 1534).
 * Notes carry no tipoVenta (HKA's field table: "omit when not a sale"; a refusal is unconfirmed, so a warning).
 */
import { destinationCodes, documentTypeCodes, operationNatureCodes, operationTypeCodes } from '../../codes';
import { type DocumentTypeProfile, documentTypeProfiles } from '../../document-types';
import { forbidden, invalid } from './messages';
import { rule } from './types';

const profileOf = (tipoDocumento: string | undefined): DocumentTypeProfile | undefined => {
  const type = (Object.keys(documentTypeCodes) as (keyof typeof documentTypeCodes)[]).find(
    (key) => documentTypeCodes[key] === tipoDocumento,
  );
  return type && documentTypeProfiles[type];
};

/** Types whose destination real rejections confirm (DGI 1534). */
const CONFIRMED_DESTINATION = new Set(['01', '03']);

export const natureTableRule = rule({
  id: 'document-type.nature-table',
  severity: 'warning',
  source: { kind: 'hka-combination-table', section: 'brief §8.6' },
  confidence: 'unconfirmed',
  hkaField: 'naturalezaOperacion',
  appliesTo: 'both',
  hint: 'Usually the nature of this document type (credit notes "return", exports "export"); HKA accepts others.',
  check: ({ tipoDocumento, naturalezaOperacion }) => {
    const profile = profileOf(tipoDocumento);
    if (!profile || naturalezaOperacion === undefined) return [];
    const allowed: string[] = profile.allowedNatures.map((n) => operationNatureCodes[n]);
    return allowed.includes(naturalezaOperacion)
      ? []
      : [
          {
            message: invalid(
              'naturalezaOperacion',
              `Para tipoDocumento ${tipoDocumento} se espera: ${allowed.join(', ')}.`,
            ),
          },
        ];
  },
});

const destinationCheck =
  (confirmed: boolean) =>
  ({ tipoDocumento, destinoOperacion }: { tipoDocumento?: string; destinoOperacion?: string }) => {
    const profile = profileOf(tipoDocumento);
    if (!profile?.destination || destinoOperacion === undefined) return [];
    if (CONFIRMED_DESTINATION.has(tipoDocumento as string) !== confirmed) return [];
    const expected = destinationCodes[profile.destination];
    return destinoOperacion === expected
      ? []
      : [{ message: invalid('destinoOperacion', `Para este tipo de documento debe ser ${expected}.`) }];
  };

export const destinationConfirmedRule = rule({
  id: 'document-type.destination',
  severity: 'error',
  source: { kind: 'observed-rejection', section: 'brief §8.6 (DGI 1534)' },
  confidence: 'confirmed',
  hkaField: 'destinoOperacion',
  appliesTo: 'both',
  hint: 'An invoice goes to "panama", an export invoice "abroad".',
  check: destinationCheck(true),
});

export const destinationTableRule = rule({
  id: 'document-type.destination-table',
  severity: 'warning',
  source: { kind: 'hka-combination-table', section: 'brief §8.6' },
  confidence: 'unconfirmed',
  hkaField: 'destinoOperacion',
  appliesTo: 'both',
  hint: 'Import and foreign-source invoices usually go "abroad", reimbursements "panama".',
  check: destinationCheck(false),
});

export const operationTypeTableRule = rule({
  id: 'document-type.operation-type-table',
  severity: 'warning',
  source: { kind: 'hka-combination-table', section: 'brief §8.6' },
  confidence: 'unconfirmed',
  hkaField: 'tipoOperacion',
  appliesTo: 'both',
  hint: 'An import invoice is usually an "incoming" operation.',
  check: ({ tipoDocumento, tipoOperacion }) => {
    const profile = profileOf(tipoDocumento);
    if (!profile?.operationType || tipoOperacion === undefined) return [];
    const expected = operationTypeCodes[profile.operationType];
    return tipoOperacion === expected
      ? []
      : [{ message: invalid('tipoOperacion', `Para este tipo de documento se espera ${expected}.`) }];
  },
});

// HKA's field table says to omit tipoVenta on notes (§8.4), but that HKA refuses one is unconfirmed (§9.2).
export const noSaleTypeOnNotesRule = rule({
  id: 'document-type.no-sale-type-on-notes',
  severity: 'warning',
  source: { kind: 'hka-field-table', section: 'brief §8.4, §9.2' },
  confidence: 'unconfirmed',
  hkaField: 'tipoVenta',
  appliesTo: 'both',
  hint: 'Omit saleType on credit and debit notes: a note is not a sale.',
  check: ({ tipoDocumento, tipoVenta }) =>
    profileOf(tipoDocumento)?.isNote && tipoVenta !== undefined ? [{ message: forbidden('tipoVenta') }] : [],
});
