/**
 * The rFE v1.00 XML (DGI format) of a computed document, written in XSD element order. Optional elements
 * are omitted when empty (never `<x/>`). The result is UNSIGNED: no `Signature`, no `gNoFirm` — the signer
 * adds both (contracts.md). Used for the PAC-direct path and contingency.
 *
 * Written in one forward pass into a string rather than through a DOM: a 1,000-item document is ~16,000
 * elements and as many text nodes, and building then serializing them as DOM nodes was most of the fiscal
 * path's time and memory. The bytes are those the DOM-based builder (xmlbuilder2) wrote: no whitespace;
 * text escaped `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;` and nothing else; a group without content as
 * `<x/>` (a valid document has none). Apart from the declaration, that is the exclusive canonical form the
 * signer's fast path checks for (shared/signing/xmldsig-canonical.ts).
 */
import { dec } from './amounts';
import { paymentMethodCodes } from './codes';
import type { ComputedDocument, ComputedItem } from './compute';
import { buildCufe, type CufeFields } from './cufe';
import type { Issuer } from './issuer';
import { assertRfeContext, type RfeContext } from './rfe-context';
import { assertXmlText } from './text';

export const RFE_NAMESPACE = 'http://dgi-fep.mef.gob.pa';
export const RFE_VERSION = '1.00';
/** `dNombEm` the DGI shows on test-environment documents (real test samples carry it). */
export const TEST_ENVIRONMENT_ISSUER_NAME =
  'FE generada en ambiente de pruebas - sin valor comercial ni fiscal';

/** The CUFE fields of a document in a context (the CUFE date is the Panama date of `dFechaEm`). */
export function cufeFieldsOf(doc: ComputedDocument, ctx: RfeContext): CufeFields {
  return {
    documentType: doc.codes.iDoc,
    rucType: ctx.issuer.rucType,
    ruc: ctx.issuer.ruc,
    dv: ctx.issuer.dv,
    branch: doc.branch,
    date: doc.issuedAt.slice(0, 10).replaceAll('-', ''),
    number: ctx.number,
    pointOfSale: ctx.pointOfSale,
    emissionType: doc.codes.iTpEmis,
    environment: ctx.environment,
    securityCode: ctx.securityCode,
  };
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
const TEXT_TO_ESCAPE = /[&<>]/;
const escapeText = (text: string) =>
  TEXT_TO_ESCAPE.test(text) ? text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : text;

/**
 * Appends elements in document order. A start tag stays unterminated until its first child, so an element
 * closed without content is written `<x/>`, as a DOM serializer writes it.
 */
class XmlWriter {
  private xml = XML_DECLARATION;
  private readonly open: string[] = [];
  private startTagPending = false;

  start(name: string, attributes = ''): void {
    this.endStartTag();
    this.xml += `<${name}${attributes}`;
    this.open.push(name);
    this.startTagPending = true;
  }

  end(): void {
    const name = this.open.pop();
    if (this.startTagPending) this.xml += '/>';
    else this.xml += `</${name}>`;
    this.startTagPending = false;
  }

  leaf(name: string, text: string): void {
    this.endStartTag();
    this.xml += `<${name}>${escapeText(text)}</${name}>`;
  }

  toString(): string {
    return this.xml;
  }

  private endStartTag(): void {
    if (this.startTagPending) this.xml += '>';
    this.startTagPending = false;
  }
}

/** Appends `<name>value</name>` unless the value is absent or empty. */
function optional(w: XmlWriter, name: string, value: string | number | undefined): void {
  if (value === undefined || value === '') return;
  required(w, name, value);
}
/** Text XML cannot carry is refused (XmlCharacterError), never written into an rFE. */
function required(w: XmlWriter, name: string, value: string | number): void {
  w.leaf(name, assertXmlText(String(value), name));
}

function rucGroup(w: XmlWriter, name: string, ruc: { rucType: string; ruc: string; dv?: string }): void {
  w.start(name);
  required(w, 'dTipoRuc', ruc.rucType);
  required(w, 'dRuc', ruc.ruc);
  optional(w, 'dDV', ruc.dv);
  w.end();
}

function location(w: XmlWriter, name: string, loc: Issuer['location']): void {
  w.start(name);
  required(w, 'dCodUbi', loc.code);
  required(w, 'dCorreg', loc.corregimiento);
  required(w, 'dDistr', loc.district);
  required(w, 'dProv', loc.province);
  w.end();
}

function issuerGroup(w: XmlWriter, doc: ComputedDocument, ctx: RfeContext): void {
  const { issuer } = ctx;
  w.start('gEmis');
  rucGroup(w, 'gRucEmi', issuer);
  required(w, 'dNombEm', ctx.environment === '2' ? TEST_ENVIRONMENT_ISSUER_NAME : issuer.name);
  required(w, 'dSucEm', doc.branch);
  required(w, 'dCoordEm', issuer.coordinates);
  required(w, 'dDirecEm', issuer.address);
  location(w, 'gUbiEm', issuer.location);
  for (const phone of issuer.phones) required(w, 'dTfnEm', phone);
  for (const email of issuer.emails ?? []) required(w, 'dCorElectEmi', email);
  w.end();
}

function receiverGroup(w: XmlWriter, doc: ComputedDocument): void {
  const receiver = doc.receiver;
  w.start('gDatRec');
  required(w, 'iTipoRec', doc.codes.iTipoRec);
  if (receiver.type !== 'foreign' && receiver.ruc !== undefined && receiver.rucType !== undefined) {
    rucGroup(w, 'gRucRec', { rucType: receiver.rucType, ruc: receiver.ruc, dv: receiver.dv });
  }
  optional(w, 'dNombRec', receiver.name);
  optional(w, 'dDirecRec', receiver.address);
  if (receiver.location && receiver.type !== 'foreign') location(w, 'gUbiRec', receiver.location);
  if (receiver.foreignId) {
    w.start('gIdExt');
    required(w, 'dIdExt', receiver.foreignId.number);
    optional(w, 'dPaisExt', receiver.foreignId.country);
    w.end();
  }
  for (const phone of receiver.phones ?? []) required(w, 'dTfnRec', phone);
  for (const email of receiver.emails ?? []) required(w, 'dCorElectRec', email);
  required(w, 'cPaisRec', receiver.country);
  optional(w, 'dPaisRecDesc', receiver.countryName);
  w.end();
}

function exportGroup(w: XmlWriter, doc: ComputedDocument): void {
  const data = doc.export;
  if (!data) return;
  w.start('gFExp');
  required(w, 'cCondEntr', data.incoterm);
  optional(w, 'cMoneda', data.currency);
  optional(w, 'cMonedaDesc', data.currencyDescription);
  // dCambio: 2..4 decimals.
  optional(
    w,
    'dCambio',
    data.exchangeRate && dec(data.exchangeRate).toFixed(Math.max(2, dec(data.exchangeRate).decimalPlaces())),
  );
  optional(w, 'dVTotEst', data.foreignCurrencyTotal && dec(data.foreignCurrencyTotal).toFixed(2));
  optional(w, 'dPuertoEmbarq', data.port);
  w.end();
}

function referenceGroups(w: XmlWriter, doc: ComputedDocument, ctx: RfeContext): void {
  for (const ref of doc.references ?? []) {
    w.start('gDFRef');
    const issuer = ref.issuer ?? { ...ctx.issuer };
    rucGroup(w, 'gRucEmDFRef', issuer);
    required(w, 'dNombEmRef', issuer.name);
    required(w, 'dFechaDFRef', ref.issuedAt);
    w.start('gDFRefNum');
    if (ref.cufe !== undefined) {
      w.start('gDFRefFE');
      required(w, 'dCUFERef', ref.cufe);
      w.end();
    } else if (ref.paperInvoiceNumber !== undefined) {
      w.start('gDFRefFacPap');
      required(w, 'dNroFacPap', ref.paperInvoiceNumber);
      w.end();
    } else if (ref.fiscalPrinterInvoiceNumber !== undefined) {
      w.start('gDFRefFacIE');
      required(w, 'dNroFacIE', ref.fiscalPrinterInvoiceNumber);
      w.end();
    }
    w.end();
    w.end();
  }
}

/** A computed amount (`0`, `0.00`, `0.000000`) that is zero, without building a decimal per item. */
const isZeroAmount = (amount: string) => /^-?0+(\.0+)?$/.test(amount);

function itemGroup(w: XmlWriter, item: ComputedItem): void {
  w.start('gItem');
  required(w, 'dSecItem', item.lineNumber);
  required(w, 'dDescProd', item.description);
  optional(w, 'dCodProd', item.code);
  optional(w, 'cUnidad', item.unit);
  required(w, 'dCantCodInt', item.quantity);
  optional(w, 'dFechaFab', item.manufacturedOn);
  optional(w, 'dFechaCad', item.expiresOn);
  optional(w, 'dCodCPBSabr', item.cpbs?.segment);
  optional(w, 'dCodCPBScmp', item.cpbs?.family);
  optional(w, 'cUnidadCPBS', item.cpbs?.unit);
  optional(w, 'dInfEmFE', item.info);

  w.start('gPrecios');
  required(w, 'dPrUnit', item.unitPrice);
  if (item.unitDiscount !== undefined && !isZeroAmount(item.unitDiscount)) {
    required(w, 'dPrUnitDesc', item.unitDiscount);
  }
  required(w, 'dPrItem', item.price);
  optional(w, 'dPrAcarItem', item.freight);
  optional(w, 'dPrSegItem', item.insurance);
  required(w, 'dValTotItem', item.total);
  w.end();

  if (item.gtin) {
    w.start('gCodItem');
    required(w, 'dGTINCom', item.gtin.code);
    required(w, 'dCantGTINCom', item.gtin.quantity);
    required(w, 'dGTINInv', item.gtin.inventoryCode);
    required(w, 'dCantComInvent', item.gtin.inventoryQuantity);
    w.end();
  }

  w.start('gITBMSItem');
  required(w, 'dTasaITBMS', item.itbmsRate);
  required(w, 'dValITBMS', item.itbms);
  w.end();

  // A zero ISC is no ISC: HKA/DGI reject ISC values on an operation without it (brief §10).
  if (item.isc && !isZeroAmount(item.isc.amount)) {
    w.start('gISCItem');
    optional(w, 'dTasaISC', item.isc.rate);
    required(w, 'dValISC', item.isc.amount);
    w.end();
  }
  for (const oti of item.oti ?? []) {
    w.start('gOTIItem');
    required(w, 'dCodOTI', oti.code);
    required(w, 'dValOTI', oti.amount);
    w.end();
  }
  if (item.lot) {
    w.start('gMedicina');
    required(w, 'dNroLote', item.lot.number);
    required(w, 'dCtLote', item.lot.quantity);
    w.end();
  }
  w.end();
}

function totalsGroup(w: XmlWriter, doc: ComputedDocument): void {
  const t = doc.totals;
  w.start('gTot');
  required(w, 'dTotNeto', t.net);
  required(w, 'dTotITBMS', t.itbms);
  optional(w, 'dTotISC', t.isc !== undefined && !isZeroAmount(t.isc) ? t.isc : undefined);
  required(w, 'dTotGravado', t.taxes);
  optional(w, 'dTotDesc', t.discount);
  optional(w, 'dTotAcar', t.freight);
  optional(w, 'dTotSeg', t.insurance);
  required(w, 'dVTot', t.total);
  required(w, 'dTotRec', t.received);
  optional(w, 'dVuelto', t.change);
  required(w, 'iPzPag', doc.codes.iPzPag);
  required(w, 'dNroItems', t.itemCount);
  required(w, 'dVTotItems', t.itemsTotal);
  for (const discount of doc.discounts ?? []) {
    w.start('gDescBonif');
    required(w, 'dDetalDesc', discount.description);
    required(w, 'dValDesc', discount.amount);
    w.end();
  }
  for (const payment of doc.payments) {
    w.start('gFormaPago');
    required(w, 'iFormaPago', paymentMethodCodes[payment.method]);
    optional(w, 'dFormaPagoDesc', payment.description);
    required(w, 'dVlrCuota', payment.amount);
    w.end();
  }
  if (doc.withholding) {
    w.start('gRetenc');
    required(w, 'cCodRetenc', doc.withholding.code);
    required(w, 'cValRetenc', doc.withholding.amount);
    w.end();
  }
  (doc.installments ?? []).forEach((installment, index) => {
    w.start('gPagPlazo');
    required(w, 'dSecItem', index + 1);
    required(w, 'dFecItPlazo', installment.dueAt);
    required(w, 'dValItPlazo', installment.amount);
    optional(w, 'dInfPagPlazo', installment.info);
    w.end();
  });
  for (const oti of t.oti) {
    w.start('gOTITotal');
    required(w, 'dCodOTITotal', oti.code);
    required(w, 'dValOTITotal', oti.amount);
    w.end();
  }
  w.end();
}

/**
 * Builds the unsigned rFE and its CUFE. Throws RfeContextError / CufeFieldError on a bad context, and
 * XmlCharacterError on text XML cannot carry (the document model refuses it first).
 */
export function buildRfeXml(doc: ComputedDocument, ctx: RfeContext): { xml: string; cufe: string } {
  assertRfeContext(ctx);
  const cufe = buildCufe(cufeFieldsOf(doc, ctx));
  const codes = doc.codes;

  const w = new XmlWriter();
  w.start('rFE', ` xmlns="${RFE_NAMESPACE}"`);
  required(w, 'dVerForm', RFE_VERSION);
  required(w, 'dId', cufe);

  w.start('gDGen');
  required(w, 'iAmb', ctx.environment);
  required(w, 'iTpEmis', codes.iTpEmis);
  optional(w, 'dFechaCont', doc.contingency?.startedAt);
  optional(w, 'dMotCont', doc.contingency?.reason);
  required(w, 'iDoc', codes.iDoc);
  required(w, 'dNroDF', ctx.number);
  required(w, 'dPtoFacDF', ctx.pointOfSale);
  required(w, 'dSeg', ctx.securityCode);
  required(w, 'dFechaEm', doc.issuedAt);
  optional(w, 'dFechaSalida', doc.departureAt);
  required(w, 'iNatOp', codes.iNatOp);
  required(w, 'iTipoOp', codes.iTipoOp);
  required(w, 'iDest', codes.iDest);
  required(w, 'iFormCAFE', codes.iFormCAFE);
  required(w, 'iEntCAFE', codes.iEntCAFE);
  required(w, 'dEnvFE', codes.dEnvFE);
  required(w, 'iProGen', codes.iProGen);
  optional(w, 'iTipoTranVenta', codes.iTipoTranVenta);
  optional(w, 'iTipoSuc', codes.iTipoSuc);
  optional(w, 'dInfEmFE', doc.remarks);
  issuerGroup(w, doc, ctx);
  receiverGroup(w, doc);
  exportGroup(w, doc);
  referenceGroups(w, doc, ctx);
  w.end();

  for (const item of doc.items) itemGroup(w, item);
  totalsGroup(w, doc);
  w.end();

  return { xml: w.toString(), cufe };
}
