/**
 * The rFE v1.00 XML (DGI format) of a computed document, built with xmlbuilder2 in XSD element order.
 * Optional elements are omitted when empty (never `<x/>`). The result is UNSIGNED: no `Signature`, no
 * `gNoFirm` — the signer adds both (contracts.md). Used for the PAC-direct path and contingency.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { dec } from './amounts';
import { paymentMethodCodes } from './codes';
import type { ComputedDocument, ComputedItem } from './compute';
import { buildCufe, type CufeFields } from './cufe';
import type { Issuer } from './issuer';
import { assertRfeContext, type RfeContext } from './rfe-context';
import { assertXmlText } from './text';
import { xmlText } from './xml-text';

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

/** Appends `<name>value</name>` unless the value is absent or empty. */
function optional(parent: XMLBuilder, name: string, value: string | number | undefined): void {
  if (value === undefined || value === '') return;
  required(parent, name, value);
}
/** Text XML cannot carry is refused (XmlCharacterError), never written into an rFE. */
function required(parent: XMLBuilder, name: string, value: string | number): void {
  parent.ele(name).txt(xmlText(assertXmlText(String(value), name)));
}

function rucGroup(
  parent: XMLBuilder,
  name: string,
  ruc: { rucType: string; ruc: string; dv?: string },
): void {
  const group = parent.ele(name);
  required(group, 'dTipoRuc', ruc.rucType);
  required(group, 'dRuc', ruc.ruc);
  optional(group, 'dDV', ruc.dv);
}

function location(parent: XMLBuilder, name: string, loc: Issuer['location']): void {
  const group = parent.ele(name);
  required(group, 'dCodUbi', loc.code);
  required(group, 'dCorreg', loc.corregimiento);
  required(group, 'dDistr', loc.district);
  required(group, 'dProv', loc.province);
}

function issuerGroup(gDGen: XMLBuilder, doc: ComputedDocument, ctx: RfeContext): void {
  const { issuer } = ctx;
  const gEmis = gDGen.ele('gEmis');
  rucGroup(gEmis, 'gRucEmi', issuer);
  required(gEmis, 'dNombEm', ctx.environment === '2' ? TEST_ENVIRONMENT_ISSUER_NAME : issuer.name);
  required(gEmis, 'dSucEm', doc.branch);
  required(gEmis, 'dCoordEm', issuer.coordinates);
  required(gEmis, 'dDirecEm', issuer.address);
  location(gEmis, 'gUbiEm', issuer.location);
  for (const phone of issuer.phones) required(gEmis, 'dTfnEm', phone);
  for (const email of issuer.emails ?? []) required(gEmis, 'dCorElectEmi', email);
}

function receiverGroup(gDGen: XMLBuilder, doc: ComputedDocument): void {
  const receiver = doc.receiver;
  const gDatRec = gDGen.ele('gDatRec');
  required(gDatRec, 'iTipoRec', doc.codes.iTipoRec);
  if (receiver.type !== 'foreign' && receiver.ruc !== undefined && receiver.rucType !== undefined) {
    rucGroup(gDatRec, 'gRucRec', { rucType: receiver.rucType, ruc: receiver.ruc, dv: receiver.dv });
  }
  optional(gDatRec, 'dNombRec', receiver.name);
  optional(gDatRec, 'dDirecRec', receiver.address);
  if (receiver.location && receiver.type !== 'foreign') location(gDatRec, 'gUbiRec', receiver.location);
  if (receiver.foreignId) {
    const gIdExt = gDatRec.ele('gIdExt');
    required(gIdExt, 'dIdExt', receiver.foreignId.number);
    optional(gIdExt, 'dPaisExt', receiver.foreignId.country);
  }
  for (const phone of receiver.phones ?? []) required(gDatRec, 'dTfnRec', phone);
  for (const email of receiver.emails ?? []) required(gDatRec, 'dCorElectRec', email);
  required(gDatRec, 'cPaisRec', receiver.country);
  optional(gDatRec, 'dPaisRecDesc', receiver.countryName);
}

function exportGroup(gDGen: XMLBuilder, doc: ComputedDocument): void {
  const data = doc.export;
  if (!data) return;
  const gFExp = gDGen.ele('gFExp');
  required(gFExp, 'cCondEntr', data.incoterm);
  optional(gFExp, 'cMoneda', data.currency);
  optional(gFExp, 'cMonedaDesc', data.currencyDescription);
  // dCambio: 2..4 decimals.
  optional(
    gFExp,
    'dCambio',
    data.exchangeRate && dec(data.exchangeRate).toFixed(Math.max(2, dec(data.exchangeRate).decimalPlaces())),
  );
  optional(gFExp, 'dVTotEst', data.foreignCurrencyTotal && dec(data.foreignCurrencyTotal).toFixed(2));
  optional(gFExp, 'dPuertoEmbarq', data.port);
}

function referenceGroups(gDGen: XMLBuilder, doc: ComputedDocument, ctx: RfeContext): void {
  for (const ref of doc.references ?? []) {
    const gDFRef = gDGen.ele('gDFRef');
    const issuer = ref.issuer ?? { ...ctx.issuer };
    rucGroup(gDFRef, 'gRucEmDFRef', issuer);
    required(gDFRef, 'dNombEmRef', issuer.name);
    required(gDFRef, 'dFechaDFRef', ref.issuedAt);
    const number = gDFRef.ele('gDFRefNum');
    if (ref.cufe !== undefined) required(number.ele('gDFRefFE'), 'dCUFERef', ref.cufe);
    else if (ref.paperInvoiceNumber !== undefined)
      required(number.ele('gDFRefFacPap'), 'dNroFacPap', ref.paperInvoiceNumber);
    else if (ref.fiscalPrinterInvoiceNumber !== undefined) {
      required(number.ele('gDFRefFacIE'), 'dNroFacIE', ref.fiscalPrinterInvoiceNumber);
    }
  }
}

function itemGroup(root: XMLBuilder, item: ComputedItem): void {
  const gItem = root.ele('gItem');
  required(gItem, 'dSecItem', item.lineNumber);
  required(gItem, 'dDescProd', item.description);
  optional(gItem, 'dCodProd', item.code);
  optional(gItem, 'cUnidad', item.unit);
  required(gItem, 'dCantCodInt', item.quantity);
  optional(gItem, 'dFechaFab', item.manufacturedOn);
  optional(gItem, 'dFechaCad', item.expiresOn);
  optional(gItem, 'dCodCPBSabr', item.cpbs?.segment);
  optional(gItem, 'dCodCPBScmp', item.cpbs?.family);
  optional(gItem, 'cUnidadCPBS', item.cpbs?.unit);
  optional(gItem, 'dInfEmFE', item.info);

  const prices = gItem.ele('gPrecios');
  required(prices, 'dPrUnit', item.unitPrice);
  if (item.unitDiscount !== undefined && !dec(item.unitDiscount).isZero()) {
    required(prices, 'dPrUnitDesc', item.unitDiscount);
  }
  required(prices, 'dPrItem', item.price);
  optional(prices, 'dPrAcarItem', item.freight);
  optional(prices, 'dPrSegItem', item.insurance);
  required(prices, 'dValTotItem', item.total);

  if (item.gtin) {
    const gCodItem = gItem.ele('gCodItem');
    required(gCodItem, 'dGTINCom', item.gtin.code);
    required(gCodItem, 'dCantGTINCom', item.gtin.quantity);
    required(gCodItem, 'dGTINInv', item.gtin.inventoryCode);
    required(gCodItem, 'dCantComInvent', item.gtin.inventoryQuantity);
  }

  const itbms = gItem.ele('gITBMSItem');
  required(itbms, 'dTasaITBMS', item.itbmsRate);
  required(itbms, 'dValITBMS', item.itbms);

  // A zero ISC is no ISC: HKA/DGI reject ISC values on an operation without it (brief §10).
  if (item.isc && !dec(item.isc.amount).isZero()) {
    const isc = gItem.ele('gISCItem');
    optional(isc, 'dTasaISC', item.isc.rate);
    required(isc, 'dValISC', item.isc.amount);
  }
  for (const oti of item.oti ?? []) {
    const group = gItem.ele('gOTIItem');
    required(group, 'dCodOTI', oti.code);
    required(group, 'dValOTI', oti.amount);
  }
  if (item.lot) {
    const medicine = gItem.ele('gMedicina');
    required(medicine, 'dNroLote', item.lot.number);
    required(medicine, 'dCtLote', item.lot.quantity);
  }
}

function totalsGroup(root: XMLBuilder, doc: ComputedDocument): void {
  const t = doc.totals;
  const gTot = root.ele('gTot');
  required(gTot, 'dTotNeto', t.net);
  required(gTot, 'dTotITBMS', t.itbms);
  optional(gTot, 'dTotISC', t.isc !== undefined && !dec(t.isc).isZero() ? t.isc : undefined);
  required(gTot, 'dTotGravado', t.taxes);
  optional(gTot, 'dTotDesc', t.discount);
  optional(gTot, 'dTotAcar', t.freight);
  optional(gTot, 'dTotSeg', t.insurance);
  required(gTot, 'dVTot', t.total);
  required(gTot, 'dTotRec', t.received);
  optional(gTot, 'dVuelto', t.change);
  required(gTot, 'iPzPag', doc.codes.iPzPag);
  required(gTot, 'dNroItems', t.itemCount);
  required(gTot, 'dVTotItems', t.itemsTotal);
  for (const discount of doc.discounts ?? []) {
    const group = gTot.ele('gDescBonif');
    required(group, 'dDetalDesc', discount.description);
    required(group, 'dValDesc', discount.amount);
  }
  for (const payment of doc.payments) {
    const group = gTot.ele('gFormaPago');
    required(group, 'iFormaPago', paymentMethodCodes[payment.method]);
    optional(group, 'dFormaPagoDesc', payment.description);
    required(group, 'dVlrCuota', payment.amount);
  }
  if (doc.withholding) {
    const group = gTot.ele('gRetenc');
    required(group, 'cCodRetenc', doc.withholding.code);
    required(group, 'cValRetenc', doc.withholding.amount);
  }
  (doc.installments ?? []).forEach((installment, index) => {
    const group = gTot.ele('gPagPlazo');
    required(group, 'dSecItem', index + 1);
    required(group, 'dFecItPlazo', installment.dueAt);
    required(group, 'dValItPlazo', installment.amount);
    optional(group, 'dInfPagPlazo', installment.info);
  });
  for (const oti of t.oti) {
    const group = gTot.ele('gOTITotal');
    required(group, 'dCodOTITotal', oti.code);
    required(group, 'dValOTITotal', oti.amount);
  }
}

/**
 * Builds the unsigned rFE and its CUFE. Throws RfeContextError / CufeFieldError on a bad context, and
 * XmlCharacterError on text XML cannot carry (the document model refuses it first).
 */
export function buildRfeXml(doc: ComputedDocument, ctx: RfeContext): { xml: string; cufe: string } {
  assertRfeContext(ctx);
  const cufe = buildCufe(cufeFieldsOf(doc, ctx));
  const codes = doc.codes;

  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(RFE_NAMESPACE, 'rFE');
  required(root, 'dVerForm', RFE_VERSION);
  required(root, 'dId', cufe);

  const gDGen = root.ele('gDGen');
  required(gDGen, 'iAmb', ctx.environment);
  required(gDGen, 'iTpEmis', codes.iTpEmis);
  optional(gDGen, 'dFechaCont', doc.contingency?.startedAt);
  optional(gDGen, 'dMotCont', doc.contingency?.reason);
  required(gDGen, 'iDoc', codes.iDoc);
  required(gDGen, 'dNroDF', ctx.number);
  required(gDGen, 'dPtoFacDF', ctx.pointOfSale);
  required(gDGen, 'dSeg', ctx.securityCode);
  required(gDGen, 'dFechaEm', doc.issuedAt);
  optional(gDGen, 'dFechaSalida', doc.departureAt);
  required(gDGen, 'iNatOp', codes.iNatOp);
  required(gDGen, 'iTipoOp', codes.iTipoOp);
  required(gDGen, 'iDest', codes.iDest);
  required(gDGen, 'iFormCAFE', codes.iFormCAFE);
  required(gDGen, 'iEntCAFE', codes.iEntCAFE);
  required(gDGen, 'dEnvFE', codes.dEnvFE);
  required(gDGen, 'iProGen', codes.iProGen);
  optional(gDGen, 'iTipoTranVenta', codes.iTipoTranVenta);
  optional(gDGen, 'iTipoSuc', codes.iTipoSuc);
  optional(gDGen, 'dInfEmFE', doc.remarks);
  issuerGroup(gDGen, doc, ctx);
  receiverGroup(gDGen, doc);
  exportGroup(gDGen, doc);
  referenceGroups(gDGen, doc, ctx);

  for (const item of doc.items) itemGroup(root, item);
  totalsGroup(root, doc);

  return { xml: root.end({ prettyPrint: false }), cufe };
}
