/**
 * The common view of our parsed input, with the codes and fechaTZ dates `hka-documento.ts` would send.
 * It takes the sections that parsed (all of them for a schema-valid document; the valid ones otherwise):
 * a missing section leaves its view fields undefined, so no rule speaks about a broken section.
 */
import {
  destinationCodes,
  documentTypeCodes,
  operationNatureCodes,
  operationTypeCodes,
  paymentMethodCodes,
  receiverTypeCodes,
} from '../codes';
import { documentTypeProfiles } from '../document-types';
import type { DocumentInput } from '../model';
import { parseDateTime, toPanamaDateTime } from '../panama-time';
import type { FiscalView } from './fiscal-view';

const fechaTZ = (text: string) => {
  const instant = parseDateTime(text);
  return instant && toPanamaDateTime(instant);
};

/** `issuedAtKnown`: false when `issuedAt` was given but failed the schema (then `now` is no stand-in). */
export function viewOfInput(document: Partial<DocumentInput>, now: Date, issuedAtKnown = true): FiscalView {
  const profile = document.type && documentTypeProfiles[document.type];
  const code = <K extends string>(codes: Record<K, string>, given: K | undefined, fallback?: K) => {
    const key = given ?? fallback;
    return key === undefined ? undefined : codes[key];
  };
  const receiver = document.receiver;
  return {
    tipoDocumento: code(documentTypeCodes, document.type),
    fechaEmision: !issuedAtKnown
      ? undefined
      : document.issuedAt
        ? fechaTZ(document.issuedAt)
        : toPanamaDateTime(now),
    fechaInicioContingencia: document.contingency && fechaTZ(document.contingency.startedAt),
    naturalezaOperacion: code(
      operationNatureCodes,
      document.operationNature,
      profile?.defaults.operationNature,
    ),
    tipoOperacion: code(operationTypeCodes, document.operationType, profile?.defaults.operationType),
    destinoOperacion: code(destinationCodes, document.destination, profile?.defaults.destination),
    cliente: receiver && {
      tipoClienteFE: receiverTypeCodes[receiver.type],
      tipoContribuyente: receiver.rucType,
      razonSocial: receiver.name,
      direccion: receiver.address,
      pais: receiver.country,
    },
    exportacion: document.export && {
      monedaOperExportacion: document.export.currency,
      tipoDeCambio: document.export.exchangeRate,
    },
    referencias: document.references?.map((ref) => ({
      fechaEmisionDocFiscalReferenciado: fechaTZ(ref.issuedAt),
      cufeFEReferenciada: ref.cufe,
    })),
    items: document.items?.map((item) => ({ descripcion: item.description })),
    formasPago: document.payments?.map((payment) => ({
      formaPagoFact: paymentMethodCodes[payment.method],
      descFormaPago: payment.description,
    })),
  };
}
