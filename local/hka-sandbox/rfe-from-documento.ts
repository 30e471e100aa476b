/**
 * What HKA does with an `Enviar.documento`: build the rFE (DGI v1.00, XSD element order, brief §3) from
 * it, so DescargaXML returns a document of the real format. The mapping is HKA element → rFE element
 * (brief §8.4 table, right column); amounts are normalised to the XSD number formats. The result is
 * unsigned; `pac-signer.ts` signs it and appends `gNoFirm`.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { dec, formatMoney2, formatMoney6, formatQuantity } from '#shared/fiscal/amounts';
import { RFE_NAMESPACE, RFE_VERSION, TEST_ENVIRONMENT_ISSUER_NAME } from '#shared/fiscal/rfe-xml';
import { xmlText } from '#shared/fiscal/xml-text';
import { child, children, text, type XmlObject } from './soap-io.ts';
import type { SandboxTenant } from './state.ts';

/** The PAC-side facts an rFE needs besides the documento. */
export type RfeFacts = { cufe: string; securityCode: string; tenant: SandboxTenant };

/** Issuer branch data HKA keeps per tenant (configured in its portal); fixed for sandbox tenants. */
const ISSUER_BRANCH = {
  coordinates: '+8.9824,-79.5199',
  address: 'Avenida Balboa, Ciudad de Panamá',
  location: { code: '8-8-7', corregimiento: 'BELLA VISTA', district: 'PANAMA', province: 'PANAMA' },
  phone: '500-0000',
};

const add = (parent: XMLBuilder, name: string, value: string | undefined) => {
  if (value !== undefined && value !== '') parent.ele(name).txt(xmlText(value));
};
const money2 = (value: string) => (value === '' ? '' : formatMoney2(dec(value)));
const money6 = (value: string) => (value === '' ? '' : formatMoney6(dec(value)));
const quantity = (value: string) => (value === '' ? '' : formatQuantity(dec(value)));

export function buildUnsignedRfe(documento: XmlObject, facts: RfeFacts): string {
  const trx = child(documento, 'datosTransaccion') ?? {};
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(RFE_NAMESPACE, 'rFE');
  root.ele('dVerForm').txt(RFE_VERSION);
  root.ele('dId').txt(xmlText(facts.cufe));
  general(root.ele('gDGen'), documento, trx, facts);
  children(child(documento, 'listaItems'), 'item').forEach((item, i) => {
    itemGroup(root.ele('gItem'), item, i + 1);
  });
  totals(root.ele('gTot'), child(documento, 'totalesSubTotales') ?? {});
  return root.end({ prettyPrint: false });
}

function general(g: XMLBuilder, documento: XmlObject, trx: XmlObject, facts: RfeFacts): void {
  const t = (name: string) => text(trx, name);
  add(g, 'iAmb', '2');
  add(g, 'iTpEmis', t('tipoEmision'));
  add(g, 'dFechaCont', t('fechaInicioContingencia'));
  add(g, 'dMotCont', t('motivoContingencia'));
  add(g, 'iDoc', t('tipoDocumento'));
  add(g, 'dNroDF', t('numeroDocumentoFiscal').padStart(10, '0'));
  add(g, 'dPtoFacDF', t('puntoFacturacionFiscal').padStart(3, '0'));
  add(g, 'dSeg', facts.securityCode);
  add(g, 'dFechaEm', t('fechaEmision'));
  add(g, 'dFechaSalida', t('fechaSalida'));
  add(g, 'iNatOp', t('naturalezaOperacion'));
  add(g, 'iTipoOp', t('tipoOperacion'));
  add(g, 'iDest', t('destinoOperacion'));
  add(g, 'iFormCAFE', t('formatoCAFE'));
  add(g, 'iEntCAFE', t('entregaCAFE'));
  add(g, 'dEnvFE', t('envioContenedor'));
  add(g, 'iProGen', t('procesoGeneracion'));
  add(g, 'iTipoTranVenta', t('tipoVenta'));
  add(g, 'iTipoSuc', text(documento, 'tipoSucursal'));
  add(g, 'dInfEmFE', t('informacionInteres'));

  const { tenant } = facts;
  const emis = g.ele('gEmis');
  const rucEmi = emis.ele('gRucEmi');
  add(rucEmi, 'dTipoRuc', tenant.rucType);
  add(rucEmi, 'dRuc', tenant.ruc);
  add(rucEmi, 'dDV', tenant.dv);
  add(emis, 'dNombEm', TEST_ENVIRONMENT_ISSUER_NAME);
  add(emis, 'dSucEm', text(documento, 'codigoSucursalEmisor'));
  add(emis, 'dCoordEm', ISSUER_BRANCH.coordinates);
  add(emis, 'dDirecEm', ISSUER_BRANCH.address);
  location(emis.ele('gUbiEm'), ISSUER_BRANCH.location);
  add(emis, 'dTfnEm', ISSUER_BRANCH.phone);

  receiver(g.ele('gDatRec'), child(trx, 'cliente') ?? {});

  const exp = child(trx, 'datosFacturaExportacion');
  if (exp) {
    const gFExp = g.ele('gFExp');
    add(gFExp, 'cCondEntr', text(exp, 'condicionesEntrega'));
    add(gFExp, 'cMoneda', text(exp, 'monedaOperExportacion'));
    add(gFExp, 'cMonedaDesc', text(exp, 'monedaOperExportacionNonDef'));
    add(gFExp, 'dCambio', text(exp, 'tipoDeCambio'));
    add(gFExp, 'dVTotEst', money2(text(exp, 'montoMonedaExtranjera')));
    add(gFExp, 'dPuertoEmbarq', text(exp, 'puertoEmbarque'));
  }

  for (const ref of children(child(trx, 'listaDocsFiscalReferenciados'), 'docFiscalReferenciado')) {
    const gDFRef = g.ele('gDFRef');
    const ruc = gDFRef.ele('gRucEmDFRef');
    add(ruc, 'dTipoRuc', tenant.rucType);
    add(ruc, 'dRuc', tenant.ruc);
    add(ruc, 'dDV', tenant.dv);
    add(gDFRef, 'dNombEmRef', tenant.name);
    add(gDFRef, 'dFechaDFRef', text(ref, 'fechaEmisionDocFiscalReferenciado'));
    const num = gDFRef.ele('gDFRefNum');
    if (text(ref, 'cufeFEReferenciada'))
      add(num.ele('gDFRefFE'), 'dCUFERef', text(ref, 'cufeFEReferenciada'));
    else if (text(ref, 'nroFacturaPapel'))
      add(num.ele('gDFRefFacPap'), 'dNroFacPap', text(ref, 'nroFacturaPapel'));
    else add(num.ele('gDFRefFacIE'), 'dNroFacIE', text(ref, 'nroFacturaImpFiscal'));
  }
}

function location(
  g: XMLBuilder,
  loc: { code: string; corregimiento: string; district: string; province: string },
): void {
  add(g, 'dCodUbi', loc.code);
  add(g, 'dCorreg', loc.corregimiento);
  add(g, 'dDistr', loc.district);
  add(g, 'dProv', loc.province);
}

function receiver(g: XMLBuilder, cliente: XmlObject): void {
  const c = (name: string) => text(cliente, name);
  add(g, 'iTipoRec', c('tipoClienteFE'));
  if (c('numeroRUC')) {
    const ruc = g.ele('gRucRec');
    // A consumidor final may send a cédula without tipoContribuyente: a cédula is a natural person.
    add(ruc, 'dTipoRuc', c('tipoContribuyente') || '1');
    add(ruc, 'dRuc', c('numeroRUC'));
    add(ruc, 'dDV', c('digitoVerificadorRUC'));
  }
  add(g, 'dNombRec', c('razonSocial'));
  add(g, 'dDirecRec', c('direccion'));
  if (c('codigoUbicacion')) {
    location(g.ele('gUbiRec'), {
      code: c('codigoUbicacion'),
      corregimiento: c('corregimiento'),
      district: c('distrito'),
      province: c('provincia'),
    });
  }
  if (c('nroIdentificacionExtranjero')) {
    const ext = g.ele('gIdExt');
    add(ext, 'dIdExt', c('nroIdentificacionExtranjero'));
    add(ext, 'dPaisExt', c('paisExtranjero'));
  }
  for (const n of [1, 2, 3]) add(g, 'dTfnRec', c(`telefono${n}`));
  for (const n of [1, 2, 3]) add(g, 'dCorElectRec', c(`correoElectronico${n}`));
  add(g, 'cPaisRec', c('pais'));
  add(g, 'dPaisRecDesc', c('paisOtro'));
}

function itemGroup(g: XMLBuilder, item: XmlObject, line: number): void {
  const i = (name: string) => text(item, name);
  add(g, 'dSecItem', String(line));
  add(g, 'dDescProd', i('descripcion'));
  add(g, 'dCodProd', i('codigo'));
  add(g, 'cUnidad', i('unidadMedida'));
  add(g, 'dCantCodInt', quantity(i('cantidad')));
  add(g, 'dFechaFab', i('fechaFabricacion'));
  add(g, 'dFechaCad', i('fechaCaducidad'));
  add(g, 'dCodCPBSabr', i('codigoCPBSAbrev'));
  add(g, 'dCodCPBScmp', i('codigoCPBS'));
  add(g, 'cUnidadCPBS', i('unidadMedidaCPBS'));
  add(g, 'dInfEmFE', i('infoItem'));
  const precios = g.ele('gPrecios');
  add(precios, 'dPrUnit', money6(i('precioUnitario')));
  add(precios, 'dPrUnitDesc', money6(i('precioUnitarioDescuento')));
  add(precios, 'dPrItem', money6(i('precioItem')));
  add(precios, 'dPrAcarItem', money2(i('precioAcarreo')));
  add(precios, 'dPrSegItem', money2(i('precioSeguro')));
  add(precios, 'dValTotItem', money6(i('valorTotal')));
  if (i('codigoGTIN')) {
    const cod = g.ele('gCodItem');
    add(cod, 'dGTINCom', i('codigoGTIN'));
    add(cod, 'dCantGTINCom', quantity(i('cantGTINCom')));
    add(cod, 'dGTINInv', i('codigoGTINInv'));
    add(cod, 'dCantComInvent', quantity(i('cantGTINComInv')));
  }
  const itbms = g.ele('gITBMSItem');
  add(itbms, 'dTasaITBMS', i('tasaITBMS'));
  add(itbms, 'dValITBMS', money6(i('valorITBMS')));
  if (i('valorISC')) {
    const isc = g.ele('gISCItem');
    add(isc, 'dTasaISC', i('tasaISC'));
    add(isc, 'dValISC', money6(i('valorISC')));
  }
  for (const oti of children(child(item, 'listaItemOTI'), 'oti')) {
    const o = g.ele('gOTIItem');
    add(o, 'dCodOTI', text(oti, 'tasaOTI'));
    add(o, 'dValOTI', money6(text(oti, 'valorTasa')));
  }
  const medicina = child(item, 'medicina');
  if (medicina) {
    const m = g.ele('gMedicina');
    add(m, 'dNroLote', text(medicina, 'nroLote'));
    add(m, 'dCtLote', text(medicina, 'cantProductosLote'));
  }
}

function totals(g: XMLBuilder, t: XmlObject): void {
  const v = (name: string) => text(t, name);
  add(g, 'dTotNeto', money2(v('totalPrecioNeto')));
  add(g, 'dTotITBMS', money2(v('totalITBMS')));
  add(g, 'dTotISC', money2(v('totalISC')));
  add(g, 'dTotGravado', money2(v('totalMontoGravado')));
  add(g, 'dTotDesc', money2(v('totalDescuento')));
  add(g, 'dTotAcar', money2(v('totalAcarreoCobrado')));
  add(g, 'dTotSeg', money2(v('valorSeguroCobrado')));
  add(g, 'dVTot', money2(v('totalFactura')));
  add(g, 'dTotRec', money2(v('totalValorRecibido')));
  add(g, 'dVuelto', money2(v('vuelto')));
  add(g, 'iPzPag', v('tiempoPago'));
  add(g, 'dNroItems', v('nroItems'));
  add(g, 'dVTotItems', money2(v('totalTodosItems')));
  for (const d of children(child(t, 'listaDescBonificacion'), 'descuentoBonificacion')) {
    const x = g.ele('gDescBonif');
    add(x, 'dDetalDesc', text(d, 'descDescuento'));
    add(x, 'dValDesc', money2(text(d, 'montoDescuento')));
  }
  for (const p of children(child(t, 'listaFormaPago'), 'formaPago')) {
    const x = g.ele('gFormaPago');
    add(x, 'iFormaPago', text(p, 'formaPagoFact'));
    add(x, 'dFormaPagoDesc', text(p, 'descFormaPago'));
    add(x, 'dVlrCuota', money2(text(p, 'valorCuotaPagada')));
  }
  const retencion = child(t, 'retencion');
  if (retencion) {
    const x = g.ele('gRetenc');
    add(x, 'cCodRetenc', text(retencion, 'codigoRetencion'));
    add(x, 'cValRetenc', money2(text(retencion, 'montoRetencion')));
  }
  children(child(t, 'listaPagoPlazo'), 'pagoPlazo').forEach((p, index) => {
    const x = g.ele('gPagPlazo');
    add(x, 'dSecItem', String(index + 1));
    add(x, 'dFecItPlazo', text(p, 'fechaVenceCuota'));
    add(x, 'dValItPlazo', money2(text(p, 'valorCuota')));
    add(x, 'dInfPagPlazo', text(p, 'infoPagoCuota'));
  });
  for (const o of children(child(t, 'listaTotalOTI'), 'totalOti')) {
    const x = g.ele('gOTITotal');
    add(x, 'dCodOTITotal', text(o, 'codigoTotalOTI'));
    add(x, 'dValOTITotal', money2(text(o, 'valorTotalOTI')));
  }
}
