/**
 * HKA's `Enviar.documento` (JSON form of the element tree, as an integrator of HKA's API has it: lists as
 * `{ listaItems: { item: [...] } }`, a single occurrence possibly as an object) → our document input, so
 * the pre-flight can judge a document written for HKA directly. The inverse of `toHkaDocumento`: codes
 * become our friendly names (an unknown code is passed through, for the schema to name the field), empty
 * elements count as absent, and values HKA expects us to compute (item and document totals) are left out
 * — the stated amounts are judged by the rule catalogue on the documento itself (`factu validate --hka`).
 */
import {
  branchTypeCodes,
  cafeDeliveryCodes,
  cafeFormatCodes,
  containerDeliveryCodes,
  destinationCodes,
  documentTypeCodes,
  emissionTypeCodes,
  foreignIdTypeCodes,
  operationNatureCodes,
  operationTypeCodes,
  paymentMethodCodes,
  paymentTermCodes,
  receiverTypeCodes,
  saleTypeCodes,
} from '#shared/fiscal/codes';
import { DOCUMENT_FIELD_PATHS, ITEM_FIELD_PATHS, OCCURRENCE_GROUPS } from './field-paths.ts';

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const node = (parent: Node | undefined, name: string): Node | undefined =>
  isNode(parent?.[name]) ? (parent[name] as Node) : undefined;
/** Text of an element; numbers as written, empty elements absent. */
function text(parent: Node | undefined, name: string): string | undefined {
  const value = parent?.[name];
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
/** The occurrences of `<list><element/>…</list>`, whether one (an object) or many (an array). */
function occurrences(parent: Node | undefined, list: string, element: string): Node[] {
  const value = node(parent, list)?.[element];
  if (Array.isArray(value)) return value.filter(isNode);
  return isNode(value) ? [value] : [];
}
/** The friendly name of a code; an unknown code stays as it is, so the schema refuses it on its field. */
function nameOf(codes: Readonly<Record<string, string>>, code: string | undefined): string | undefined {
  if (code === undefined) return undefined;
  return Object.keys(codes).find((name) => codes[name] === code) ?? code;
}
/** Drops absent fields, so the schema's defaults apply as they would to a client's own body. */
function defined(entries: Record<string, unknown>): Node | undefined {
  const out: Node = {};
  for (const [key, value] of Object.entries(entries)) {
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function receiverOf(cliente: Node | undefined): Node | undefined {
  if (!cliente) return undefined;
  const location = defined({
    code: text(cliente, 'codigoUbicacion'),
    province: text(cliente, 'provincia'),
    district: text(cliente, 'distrito'),
    corregimiento: text(cliente, 'corregimiento'),
  });
  const foreignIdType = text(cliente, 'tipoIdentificacion');
  return defined({
    type: nameOf(receiverTypeCodes, text(cliente, 'tipoClienteFE')),
    rucType: text(cliente, 'tipoContribuyente'),
    ruc: text(cliente, 'numeroRUC'),
    dv: text(cliente, 'digitoVerificadorRUC'),
    name: text(cliente, 'razonSocial'),
    address: text(cliente, 'direccion'),
    location,
    foreignId:
      foreignIdType === undefined && text(cliente, 'nroIdentificacionExtranjero') === undefined
        ? undefined
        : defined({
            type: nameOf(foreignIdTypeCodes, foreignIdType),
            number: text(cliente, 'nroIdentificacionExtranjero'),
            country: text(cliente, 'paisExtranjero'),
          }),
    phones: ['telefono1', 'telefono2', 'telefono3'].map((name) => text(cliente, name)).filter(Boolean),
    emails: ['correoElectronico1', 'correoElectronico2', 'correoElectronico3']
      .map((name) => text(cliente, name))
      .filter(Boolean),
    country: text(cliente, 'pais'),
    countryName: text(cliente, 'paisOtro'),
  });
}

function itemOf(item: Node): Node | undefined {
  const iscRate = text(item, 'tasaISC');
  const iscAmount = text(item, 'valorISC');
  const medicina = node(item, 'medicina');
  const lotQuantity = text(medicina, 'cantProductosLote');
  return defined({
    description: text(item, 'descripcion'),
    code: text(item, 'codigo'),
    unit: text(item, 'unidadMedida'),
    quantity: text(item, 'cantidad'),
    manufacturedOn: text(item, 'fechaFabricacion'),
    expiresOn: text(item, 'fechaCaducidad'),
    cpbs: defined({
      segment: text(item, 'codigoCPBSAbrev'),
      family: text(item, 'codigoCPBS'),
      unit: text(item, 'unidadMedidaCPBS'),
    }),
    info: text(item, 'infoItem'),
    unitPrice: text(item, 'precioUnitario'),
    // HKA's examples send 0.00 for "no discount"; our model leaves it out.
    unitDiscount:
      Number(text(item, 'precioUnitarioDescuento') ?? '0') === 0
        ? undefined
        : text(item, 'precioUnitarioDescuento'),
    freight: text(item, 'precioAcarreo'),
    insurance: text(item, 'precioSeguro'),
    gtin: defined({
      code: text(item, 'codigoGTIN'),
      quantity: text(item, 'cantGTINCom'),
      inventoryCode: text(item, 'codigoGTINInv'),
      inventoryQuantity: text(item, 'cantGTINComInv'),
    }),
    itbmsRate: text(item, 'tasaITBMS'),
    isc:
      iscRate === undefined && iscAmount === undefined
        ? undefined
        : defined({ rate: iscRate, amount: iscAmount }),
    oti: occurrences(item, 'listaItemOTI', 'oti').map((oti) => ({
      code: text(oti, 'tasaOTI'),
      amount: text(oti, 'valorTasa'),
    })),
    lot: medicina && {
      number: text(medicina, 'nroLote'),
      quantity: lotQuantity === undefined ? undefined : Number(lotQuantity),
    },
  });
}

/** Our document input for an HKA `documento`; the number and point of sale's number are HKA's business. */
export function documentoToModel(documento: unknown): unknown {
  if (!isNode(documento)) return documento;
  const trx = node(documento, 'datosTransaccion');
  const totals = node(documento, 'totalesSubTotales');
  const withholding = node(totals, 'retencion');
  const startedAt = text(trx, 'fechaInicioContingencia');
  const reason = text(trx, 'motivoContingencia');
  return (
    defined({
      type: nameOf(documentTypeCodes, text(trx, 'tipoDocumento')),
      emissionType: nameOf(emissionTypeCodes, text(trx, 'tipoEmision')),
      contingency:
        startedAt === undefined && reason === undefined ? undefined : defined({ startedAt, reason }),
      issuedAt: text(trx, 'fechaEmision'),
      departureAt: text(trx, 'fechaSalida'),
      operationNature: nameOf(operationNatureCodes, text(trx, 'naturalezaOperacion')),
      operationType: nameOf(operationTypeCodes, text(trx, 'tipoOperacion')),
      destination: nameOf(destinationCodes, text(trx, 'destinoOperacion')),
      cafeFormat: nameOf(cafeFormatCodes, text(trx, 'formatoCAFE')),
      cafeDelivery: nameOf(cafeDeliveryCodes, text(trx, 'entregaCAFE')),
      containerDelivery: nameOf(containerDeliveryCodes, text(trx, 'envioContenedor')),
      saleType: nameOf(saleTypeCodes, text(trx, 'tipoVenta')),
      branchType: nameOf(branchTypeCodes, text(documento, 'tipoSucursal')),
      branch: text(documento, 'codigoSucursalEmisor'),
      pointOfSale: text(trx, 'puntoFacturacionFiscal')?.padStart(3, '0'),
      remarks: text(trx, 'informacionInteres'),
      receiver: receiverOf(node(trx, 'cliente')),
      export: exportOf(node(trx, 'datosFacturaExportacion')),
      references: occurrences(trx, 'listaDocsFiscalReferenciados', 'docFiscalReferenciado').map((ref) =>
        defined({
          issuedAt: text(ref, 'fechaEmisionDocFiscalReferenciado'),
          cufe: text(ref, 'cufeFEReferenciada'),
          paperInvoiceNumber: text(ref, 'nroFacturaPapel'),
          fiscalPrinterInvoiceNumber: text(ref, 'nroFacturaImpFiscal'),
        }),
      ),
      items: occurrences(documento, 'listaItems', 'item').map(itemOf),
      freight: text(totals, 'totalAcarreoCobrado'),
      insurance: text(totals, 'valorSeguroCobrado'),
      discounts: occurrences(totals, 'listaDescBonificacion', 'descuentoBonificacion').map((d) => ({
        description: text(d, 'descDescuento'),
        amount: text(d, 'montoDescuento'),
      })),
      payments: occurrences(totals, 'listaFormaPago', 'formaPago').map((p) =>
        defined({
          method: nameOf(paymentMethodCodes, text(p, 'formaPagoFact')),
          description: text(p, 'descFormaPago'),
          amount: text(p, 'valorCuotaPagada'),
        }),
      ),
      paymentTerm: nameOf(paymentTermCodes, text(totals, 'tiempoPago')),
      installments: occurrences(totals, 'listaPagoPlazo', 'pagoPlazo').map((inst) =>
        defined({
          dueAt: text(inst, 'fechaVenceCuota'),
          amount: text(inst, 'valorCuota'),
          info: text(inst, 'infoPagoCuota'),
        }),
      ),
      withholding: withholding && {
        code: text(withholding, 'codigoRetencion'),
        amount: text(withholding, 'montoRetencion'),
      },
    }) ?? {}
  );
}

function exportOf(data: Node | undefined): Node | undefined {
  return defined({
    incoterm: text(data, 'condicionesEntrega'),
    currency: text(data, 'monedaOperExportacion'),
    currencyDescription: text(data, 'monedaOperExportacionNonDef'),
    exchangeRate: text(data, 'tipoDeCambio'),
    foreignCurrencyTotal: text(data, 'montoMonedaExtranjera'),
    port: text(data, 'puertoEmbarque'),
  });
}

/** Our list → HKA's list element, its occurrence element and the occurrence's field table. */
const LISTS: Readonly<Record<string, [string, string, Readonly<Record<string, string>>]>> = {
  items: ['listaItems', 'item', ITEM_FIELD_PATHS],
  payments: ['listaFormaPago', 'formaPago', OCCURRENCE_GROUPS.formapago!.fields],
  references: [
    'listaDocsFiscalReferenciados',
    'docFiscalReferenciado',
    OCCURRENCE_GROUPS.docfiscalreferenciado!.fields,
  ],
  installments: ['listaPagoPlazo', 'pagoPlazo', OCCURRENCE_GROUPS.pagoplazo!.fields],
  discounts: [
    'listaDescBonificacion',
    'descuentoBonificacion',
    OCCURRENCE_GROUPS.descuentobonificacion!.fields,
  ],
};

/** HKA element path for one of our paths (`items[0].quantity` → `listaItems.item[0].cantidad`). */
export function hkaFieldOf(path: string): string | undefined {
  const occurrence = /^(\w+)\[(\d+)\]\.([\w.]+)/.exec(path);
  if (!occurrence) return firstKeyFor(DOCUMENT_FIELD_PATHS, path);
  const [, list, index, field] = occurrence as unknown as [string, string, string, string];
  const known = LISTS[list];
  const element = known && firstKeyFor(known[2], field);
  return element && `${known[0]}.${known[1]}[${index}].${element}`;
}

function firstKeyFor(table: Readonly<Record<string, string>>, path: string): string | undefined {
  return Object.keys(table).find((key) => table[key] === path);
}
