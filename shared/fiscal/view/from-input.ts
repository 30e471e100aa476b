/**
 * The common view of our parsed input, with the codes and fechaTZ dates `hka-documento.ts` would send.
 * It takes the sections that parsed (all of them for a schema-valid document; the valid ones otherwise):
 * a missing section leaves its view fields undefined, so no rule speaks about a broken section.
 */
import {
  destinationCodes,
  documentTypeCodes,
  emissionTypeCodes,
  foreignIdTypeCodes,
  operationNatureCodes,
  operationTypeCodes,
  paymentMethodCodes,
  receiverTypeCodes,
  saleTypeCodes,
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
  const location = receiver?.location;
  return {
    tipoEmision: code(emissionTypeCodes, document.emissionType),
    tipoDocumento: code(documentTypeCodes, document.type),
    fechaEmision: !issuedAtKnown
      ? undefined
      : document.issuedAt
        ? fechaTZ(document.issuedAt)
        : toPanamaDateTime(now),
    fechaInicioContingencia: document.contingency && fechaTZ(document.contingency.startedAt),
    motivoContingencia: document.contingency?.reason,
    naturalezaOperacion: code(
      operationNatureCodes,
      document.operationNature,
      profile?.defaults.operationNature,
    ),
    tipoOperacion: code(operationTypeCodes, document.operationType, profile?.defaults.operationType),
    destinoOperacion: code(destinationCodes, document.destination, profile?.defaults.destination),
    tipoVenta: code(saleTypeCodes, document.saleType),
    // As given, even where the builder would drop it (RUC data of a foreign receiver): the rules refuse it.
    cliente: receiver && {
      tipoClienteFE: receiverTypeCodes[receiver.type],
      tipoContribuyente: receiver.rucType,
      numeroRUC: receiver.ruc,
      digitoVerificadorRUC: receiver.dv,
      razonSocial: receiver.name,
      direccion: receiver.address,
      codigoUbicacion: location?.code,
      provincia: location?.province,
      distrito: location?.district,
      corregimiento: location?.corregimiento,
      tipoIdentificacion: receiver.foreignId && foreignIdTypeCodes[receiver.foreignId.type],
      nroIdentificacionExtranjero: receiver.foreignId?.number,
      paisExtranjero: receiver.foreignId?.country,
      pais: receiver.country,
      paisOtro: receiver.countryName,
    },
    exportacion: document.export && {
      monedaOperExportacion: document.export.currency,
      tipoDeCambio: document.export.exchangeRate,
    },
    referencias: document.references?.map((ref) => ({
      fechaEmisionDocFiscalReferenciado: fechaTZ(ref.issuedAt),
      cufeFEReferenciada: ref.cufe,
    })),
    items: document.items?.map((item) => ({
      descripcion: item.description,
      codigoCPBSAbrev: item.cpbs?.segment,
      codigoCPBS: item.cpbs?.family,
      unidadMedidaCPBS: item.cpbs?.unit,
    })),
    formasPago: document.payments?.map((payment) => ({
      formaPagoFact: paymentMethodCodes[payment.method],
      descFormaPago: payment.description,
    })),
  };
}
