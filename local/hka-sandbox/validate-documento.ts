/**
 * The sandbox's reading of HKA's `Enviar` validation: the presence of HKA's required elements (brief
 * §8.4), formats and catalogs, then the blocking rules of the shared rule catalogue — per receiver,
 * document and emission type, and the arithmetic of §3.9 (the same definitions the pre-flight runs; its
 * warnings are what HKA accepts, so they never reject here). Produces HKA-style messages (code 201 at
 * the caller).
 */
import { countryCodes, locationCodes, unitCodes } from '#shared/fiscal/catalogs/catalogs.generated';
import { catalogueRejections } from '#shared/fiscal/rules/catalogue/index';
import { viewOfDocumento } from '#shared/fiscal/view/from-documento';
import { DATE_TZ, inOccurrence, invalid, MONEY6, required, Violations } from './rules.ts';
import { child, children, text, type XmlObject } from './soap-io.ts';

export function validateDocumento(documento: XmlObject, now: Date): string[] {
  const v = new Violations();
  const trx = child(documento, 'datosTransaccion');
  const sucursal = text(documento, 'codigoSucursalEmisor');
  v.check(sucursal !== '', required('codigoSucursalEmisor'));
  v.check(
    sucursal === '' || /^[A-Za-z0-9]{4}$/.test(sucursal),
    invalid('codigoSucursalEmisor', 'Debe tener 4 caracteres.'),
  );
  if (!trx) {
    v.add(required('datosTransaccion'));
    return v.messages;
  }
  checkTransaccion(trx, v);
  const cliente = child(trx, 'cliente');
  if (cliente) checkCliente(cliente, v);
  else v.add(required('cliente'));

  const items = children(child(documento, 'listaItems'), 'item');
  if (items.length === 0) v.add(required('listaItems'));
  if (items.length > 1000) v.add(invalid('listaItems', 'Máximo 1000 ítems.'));
  items.forEach((item, i) => {
    checkItemPresence(item, i + 1, v);
  });

  const totales = child(documento, 'totalesSubTotales');
  if (totales) checkTotalesPresence(totales, v);
  else v.add(required('totalesSubTotales'));
  for (const message of catalogueRejections(viewOfDocumento(documento), now)) v.add(message);
  return v.messages;
}

function checkTransaccion(trx: XmlObject, v: Violations): void {
  const get = (name: string) => text(trx, name);
  for (const name of [
    'tipoEmision',
    'tipoDocumento',
    'numeroDocumentoFiscal',
    'puntoFacturacionFiscal',
    'fechaEmision',
    'naturalezaOperacion',
    'tipoOperacion',
    'destinoOperacion',
    'formatoCAFE',
    'entregaCAFE',
    'envioContenedor',
    'procesoGeneracion',
  ]) {
    v.check(get(name) !== '', required(name));
  }
  const codeIn = (name: string, allowed: RegExp, why: string) => {
    if (get(name) !== '') v.check(allowed.test(get(name)), invalid(name, why));
  };
  codeIn('tipoEmision', /^0[1-4]$/, 'Valores permitidos: 01, 02, 03, 04.');
  codeIn('tipoDocumento', /^(0[1-9]|10)$/, 'Valores permitidos: 01 a 10.');
  // Official examples send short numbers (51340013); HKA pads them to 10 digits.
  codeIn(
    'numeroDocumentoFiscal',
    /^(?!0+$)\d{1,10}$/,
    'Debe ser numérico de hasta 10 dígitos y distinto de cero.',
  );
  codeIn('puntoFacturacionFiscal', /^(?!0+$)\d{1,3}$/, 'Debe ser numérico de 3 dígitos y distinto de 000.');
  codeIn('tipoOperacion', /^[12]$/, 'Valores permitidos: 1, 2.');
  codeIn('destinoOperacion', /^[12]$/, 'Valores permitidos: 1, 2.');
  codeIn('formatoCAFE', /^[123]$/, 'Valores permitidos: 1, 2, 3.');
  codeIn('entregaCAFE', /^[123]$/, 'Valores permitidos: 1, 2, 3.');
  codeIn('envioContenedor', /^[12]$/, 'Valores permitidos: 1, 2.');
  codeIn('procesoGeneracion', /^[1-4]$/, 'Valores permitidos: 1.');
  codeIn('tipoVenta', /^[1-4]$/, 'Valores permitidos: 1 a 4.');
  codeIn('naturalezaOperacion', /^\d{2}$/, 'Debe tener 2 dígitos.');

  const fecha = get('fechaEmision');
  if (fecha !== '') {
    const emitted = DATE_TZ.test(fecha) ? new Date(fecha) : undefined;
    if (!emitted || Number.isNaN(emitted.getTime())) {
      v.add(invalid('fechaEmision', 'Formato esperado AAAA-MM-DDThh:mm:ss-05:00.'));
    }
  }

  // Which notes reference a CUFE, and its check digit, are the catalogue's (references.*).
  children(child(trx, 'listaDocsFiscalReferenciados'), 'docFiscalReferenciado').forEach((ref, i) => {
    v.check(
      text(ref, 'fechaEmisionDocFiscalReferenciado') !== '',
      inOccurrence('DocFiscalReferenciado', i + 1, required('fechaEmisionDocFiscalReferenciado')),
    );
  });
}

function checkCliente(cliente: XmlObject, v: Violations): void {
  const get = (name: string) => text(cliente, name);
  const tipo = get('tipoClienteFE');
  v.check(tipo !== '', required('tipoClienteFE'));
  if (tipo !== '' && !/^0[1-4]$/.test(tipo)) v.add(invalid('tipoClienteFE', 'Valores permitidos: 01 a 04.'));
  v.check(get('pais') !== '', required('pais'));
  // What each receiver type carries (RUC and DV, foreign id, paisOtro) is the catalogue's (receiver.*).
  if (get('tipoContribuyente') !== '') {
    v.check(
      /^[12]$/.test(get('tipoContribuyente')),
      invalid('tipoContribuyente', 'Valores permitidos: 1, 2.'),
    );
  }
  if (get('codigoUbicacion') !== '') {
    v.check(
      locationCodes.has(get('codigoUbicacion')),
      invalid('codigoUbicacion', 'No existe en el catálogo de ubicaciones.'),
    );
  }
  const pais = get('pais');
  if (pais !== '') v.check(countryCodes.has(pais), invalid('pais', 'No existe en el catálogo de países.'));
  for (const name of ['telefono1', 'telefono2', 'telefono3']) {
    if (get(name) !== '')
      v.check(/^\d{3,4}-\d{4}$/.test(get(name)), invalid(name, 'Formato 999-9999 o 9999-9999.'));
  }
}

function checkItemPresence(item: XmlObject, n: number, v: Violations): void {
  const at = (m: string) => inOccurrence('Item', n, m);
  const get = (name: string) => text(item, name);
  for (const name of [
    'descripcion',
    'cantidad',
    'precioUnitario',
    'precioItem',
    'valorTotal',
    'tasaITBMS',
    'valorITBMS',
  ]) {
    v.check(get(name) !== '', at(required(name)));
  }
  const codigo = get('codigo');
  if (codigo !== '') {
    v.check(
      /^[A-Za-z0-9 ._\-/]{1,20}$/.test(codigo),
      at(invalid('codigo', 'Contiene caracteres especiales no permitidos.')),
    );
  }
  const unidad = get('unidadMedida');
  if (unidad !== '')
    v.check(
      unitCodes.has(unidad),
      at(invalid('unidadMedida', `La unidad ${unidad} no existe en el catálogo.`)),
    );
  // The computed amounts' formats are the catalogue's (amounts.format, amounts.unsigned).
  for (const name of ['cantidad', 'precioUnitario', 'precioUnitarioDescuento']) {
    if (get(name) !== '') v.check(MONEY6.test(get(name)), at(invalid(name, 'Formato numérico inválido.')));
  }
  if (get('tasaITBMS') !== '')
    v.check(
      /^0[0-3]$/.test(get('tasaITBMS')),
      at(invalid('tasaITBMS', 'Valores permitidos: 00, 01, 02, 03.')),
    );
  if (get('valorISC') !== '' && get('tasaISC') === '') {
    v.add(at(invalid('valorISC', 'Informado valor del ISC en una operacion no valorada.')));
  }
}

/** The payment terms and forms HKA requires; every amount and sum is the catalogue's (totals.*). */
function checkTotalesPresence(totales: XmlObject, v: Violations): void {
  const pagos = children(child(totales, 'listaFormaPago'), 'formaPago');
  if (pagos.length === 0) v.add(required('listaFormaPago'));
  if (pagos.length > 10) v.add(invalid('listaFormaPago', 'Máximo 10 formas de pago.'));
  pagos.forEach((pago, i) => {
    const at = (m: string) => inOccurrence('FormaPago', i + 1, m);
    const forma = text(pago, 'formaPagoFact');
    if (forma === '') v.add(at(required('formaPagoFact')));
    else
      v.check(/^(0[1-9]|99)$/.test(forma), at(invalid('formaPagoFact', 'Valores permitidos: 01 a 09, 99.')));
    v.check(text(pago, 'valorCuotaPagada') !== '', at(required('valorCuotaPagada')));
  });
  const tiempoPago = text(totales, 'tiempoPago');
  if (tiempoPago === '') v.add(required('tiempoPago'));
  else v.check(/^[123]$/.test(tiempoPago), invalid('tiempoPago', 'Valores permitidos: 1, 2, 3.'));
}
