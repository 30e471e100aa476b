/**
 * The computed document as HKA's `Enviar` `documento` (§8.4 of the domain brief). WCF DataContracts are
 * order-sensitive, so every object is built with its keys in the element order of HKA's official
 * examples (DEMO.postman_collection.json) and the SOAP client serializes keys in insertion order.
 * Optional fields are omitted, never sent empty (HKA: "no informar o no dejar sin valor"); conditional
 * fields appear only when their rule applies: no ISC fields without ISC, no taxpayer type / RUC / DV /
 * location for a foreign receiver, no `tipoVenta` on notes.
 */
import { dec } from './amounts';
import { foreignIdTypeCodes, paymentMethodCodes } from './codes';
import type { ComputedDocument, ComputedItem } from './compute';
import { assertNumbering, type RfeContext } from './rfe-context';
import { assertXmlText } from './text';

/** A JSON-like tree whose key order is HKA's element order; arrays are repeated elements. */
export type HkaValue = string | HkaDocumento | HkaDocumento[];
export type HkaDocumento = { [element: string]: HkaValue };

/**
 * Builds an object skipping undefined/empty values while keeping insertion order. Text XML cannot carry is
 * refused (XmlCharacterError): HKA would otherwise build and authorize an rFE that is not well-formed.
 */
function ordered(entries: [string, HkaValue | undefined][]): HkaDocumento {
  const out: HkaDocumento = {};
  for (const [key, value] of entries) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = typeof value === 'string' ? assertXmlText(value, key) : value;
  }
  return out;
}

/**
 * ISC travels only when it applies: HKA rejects a zero item ISC ("Informado valor del ISC en una
 * operación no valorada") and a zero `totalISC` ("no debe ser informado"), brief §10.
 */
const chargedIsc = (amount: string | undefined) =>
  amount !== undefined && !dec(amount).isZero() ? amount : undefined;

/** `<lista><element/>…</lista>` wrapper, omitted when empty. */
function list(element: string, values: HkaDocumento[]): HkaDocumento | undefined {
  return values.length > 0 ? { [element]: values } : undefined;
}

function cliente(doc: ComputedDocument): HkaDocumento {
  const r = doc.receiver;
  const foreign = r.type === 'foreign';
  const emails = r.emails ?? [];
  return ordered([
    ['tipoClienteFE', doc.codes.iTipoRec],
    ['tipoContribuyente', foreign ? undefined : r.rucType],
    ['numeroRUC', foreign ? undefined : r.ruc],
    ['digitoVerificadorRUC', foreign ? undefined : r.dv],
    ['razonSocial', r.name],
    ['direccion', r.address],
    ['codigoUbicacion', foreign ? undefined : r.location?.code],
    ['provincia', foreign ? undefined : r.location?.province],
    ['distrito', foreign ? undefined : r.location?.district],
    ['corregimiento', foreign ? undefined : r.location?.corregimiento],
    ['tipoIdentificacion', r.foreignId && foreignIdTypeCodes[r.foreignId.type]],
    ['nroIdentificacionExtranjero', r.foreignId?.number],
    ['paisExtranjero', r.foreignId?.country],
    // HKA documents a single phone field.
    ['telefono1', r.phones?.[0]],
    ['correoElectronico1', emails[0]],
    ['correoElectronico2', emails[1]],
    ['correoElectronico3', emails[2]],
    ['pais', r.country],
    ['paisOtro', r.countryName],
  ]);
}

function datosTransaccion(doc: ComputedDocument, ctx: RfeContext): HkaDocumento {
  const c = doc.codes;
  const exportData = doc.export;
  return ordered([
    ['tipoEmision', c.iTpEmis],
    ['fechaInicioContingencia', doc.contingency?.startedAt],
    ['motivoContingencia', doc.contingency?.reason],
    ['tipoDocumento', c.iDoc],
    ['numeroDocumentoFiscal', ctx.number],
    ['puntoFacturacionFiscal', ctx.pointOfSale],
    ['fechaEmision', doc.issuedAt],
    ['fechaSalida', doc.departureAt],
    ['naturalezaOperacion', c.iNatOp],
    ['tipoOperacion', c.iTipoOp],
    ['destinoOperacion', c.iDest],
    ['formatoCAFE', c.iFormCAFE],
    ['entregaCAFE', c.iEntCAFE],
    ['envioContenedor', c.dEnvFE],
    ['procesoGeneracion', c.iProGen],
    ['tipoVenta', c.iTipoTranVenta],
    ['informacionInteres', doc.remarks],
    ['cliente', cliente(doc)],
    [
      'datosFacturaExportacion',
      exportData &&
        ordered([
          ['condicionesEntrega', exportData.incoterm],
          ['monedaOperExportacion', exportData.currency],
          ['monedaOperExportacionNonDef', exportData.currencyDescription],
          ['tipoDeCambio', exportData.exchangeRate],
          ['montoMonedaExtranjera', exportData.foreignCurrencyTotal],
          ['puertoEmbarque', exportData.port],
        ]),
    ],
    [
      'listaDocsFiscalReferenciados',
      list(
        'docFiscalReferenciado',
        (doc.references ?? []).map((ref) =>
          ordered([
            ['fechaEmisionDocFiscalReferenciado', ref.issuedAt],
            ['cufeFEReferenciada', ref.cufe],
            ['nroFacturaPapel', ref.paperInvoiceNumber],
            ['nroFacturaImpFiscal', ref.fiscalPrinterInvoiceNumber],
          ]),
        ),
      ),
    ],
  ]);
}

function item(i: ComputedItem): HkaDocumento {
  return ordered([
    ['descripcion', i.description],
    ['codigo', i.code],
    ['unidadMedida', i.unit],
    ['cantidad', i.quantity],
    ['fechaFabricacion', i.manufacturedOn],
    ['fechaCaducidad', i.expiresOn],
    ['codigoCPBSAbrev', i.cpbs?.segment],
    ['codigoCPBS', i.cpbs?.family],
    ['unidadMedidaCPBS', i.cpbs?.unit],
    ['infoItem', i.info],
    ['precioUnitario', i.unitPrice],
    // Always present in HKA's examples (0.00 without discount).
    ['precioUnitarioDescuento', i.unitDiscount ?? '0.00'],
    ['precioItem', i.price],
    ['precioAcarreo', i.freight],
    ['precioSeguro', i.insurance],
    ['valorTotal', i.total],
    ['codigoGTIN', i.gtin?.code],
    ['cantGTINCom', i.gtin?.quantity],
    ['codigoGTINInv', i.gtin?.inventoryCode],
    ['cantGTINComInv', i.gtin?.inventoryQuantity],
    ['tasaITBMS', i.itbmsRate],
    ['valorITBMS', i.itbms],
    ['tasaISC', chargedIsc(i.isc?.amount) && i.isc?.rate],
    ['valorISC', chargedIsc(i.isc?.amount)],
    [
      'listaItemOTI',
      list(
        'oti',
        (i.oti ?? []).map((o) =>
          ordered([
            ['tasaOTI', o.code],
            ['valorTasa', o.amount],
          ]),
        ),
      ),
    ],
    [
      'medicina',
      i.lot &&
        ordered([
          ['nroLote', i.lot.number],
          ['cantProductosLote', String(i.lot.quantity)],
        ]),
    ],
  ]);
}

function totalesSubTotales(doc: ComputedDocument): HkaDocumento {
  const t = doc.totals;
  return ordered([
    ['totalPrecioNeto', t.net],
    ['totalITBMS', t.itbms],
    ['totalISC', chargedIsc(t.isc)],
    ['totalMontoGravado', t.taxes],
    ['totalDescuento', t.discount],
    ['totalAcarreoCobrado', t.freight],
    ['valorSeguroCobrado', t.insurance],
    ['totalFactura', t.total],
    ['totalValorRecibido', t.received],
    ['vuelto', t.change],
    ['tiempoPago', doc.codes.iPzPag],
    ['nroItems', String(t.itemCount)],
    ['totalTodosItems', t.itemsTotal],
    [
      'listaDescBonificacion',
      list(
        'descuentoBonificacion',
        (doc.discounts ?? []).map((d) =>
          ordered([
            ['descDescuento', d.description],
            ['montoDescuento', d.amount],
          ]),
        ),
      ),
    ],
    [
      'listaFormaPago',
      list(
        'formaPago',
        doc.payments.map((p) =>
          ordered([
            ['formaPagoFact', paymentMethodCodes[p.method]],
            ['descFormaPago', p.description],
            ['valorCuotaPagada', p.amount],
          ]),
        ),
      ),
    ],
    [
      'retencion',
      doc.withholding &&
        ordered([
          ['codigoRetencion', doc.withholding.code],
          ['montoRetencion', doc.withholding.amount],
        ]),
    ],
    [
      'listaPagoPlazo',
      list(
        'pagoPlazo',
        (doc.installments ?? []).map((inst) =>
          ordered([
            ['fechaVenceCuota', inst.dueAt],
            ['valorCuota', inst.amount],
            ['infoPagoCuota', inst.info],
          ]),
        ),
      ),
    ],
    [
      'listaTotalOTI',
      list(
        'totalOti',
        t.oti.map((o) =>
          ordered([
            ['codigoTotalOTI', o.code],
            ['valorTotalOTI', o.amount],
          ]),
        ),
      ),
    ],
  ]);
}

/**
 * HKA `Enviar.documento` for a computed document; `ctx` gives the number and point of sale (HKA
 * generates `dSeg` and the CUFE itself, so `ctx.securityCode` is not used here).
 */
export function toHkaDocumento(doc: ComputedDocument, ctx: RfeContext): HkaDocumento {
  assertNumbering(ctx);
  return ordered([
    ['codigoSucursalEmisor', doc.branch],
    ['tipoSucursal', doc.codes.iTipoSuc],
    ['datosTransaccion', datosTransaccion(doc, ctx)],
    ['listaItems', { item: doc.items.map(item) }],
    ['totalesSubTotales', totalesSubTotales(doc)],
  ]);
}

/**
 * The items and totals exactly as `toHkaDocumento` sends them, without the numbering a pre-flight has not
 * got yet: the pre-flight checks HKA's arithmetic on them (`view/from-computed.ts`).
 */
export function hkaAmounts(doc: ComputedDocument): HkaDocumento {
  return ordered([
    ['listaItems', { item: doc.items.map(item) }],
    ['totalesSubTotales', totalesSubTotales(doc)],
  ]);
}
