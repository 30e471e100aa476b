/**
 * The common view of HKA's `documento` as a parsed XML tree (the sandbox's input, or our own
 * `toHkaDocumento` output, which has the same shape). Empty elements count as absent, as HKA treats them.
 */
import { type FiscalView, TOTAL_AMOUNT_FIELDS } from './fiscal-view';

/** A parsed XML element tree: text leaves, nested elements, repeated elements as arrays. */
export type XmlTree = { [element: string]: XmlNode };
type XmlNode = string | XmlTree | XmlNode[];

const node = (parent: XmlTree | undefined, name: string): XmlNode | undefined => parent?.[name];

function value(parent: XmlTree | undefined, name: string): string | undefined {
  const found = node(parent, name);
  return typeof found === 'string' && found !== '' ? found : undefined;
}

function tree(parent: XmlTree | undefined, name: string): XmlTree | undefined {
  const found = node(parent, name);
  return found !== undefined && typeof found === 'object' && !Array.isArray(found) ? found : undefined;
}

function list(parent: XmlTree | undefined, wrapper: string, element: string): XmlTree[] {
  const found = node(tree(parent, wrapper), element);
  const all = Array.isArray(found) ? found : found === undefined ? [] : [found];
  return all.filter((entry): entry is XmlTree => typeof entry === 'object' && !Array.isArray(entry));
}

export function viewOfDocumento(documento: XmlTree): FiscalView {
  const trx = tree(documento, 'datosTransaccion');
  const cliente = tree(trx, 'cliente');
  const exportacion = tree(trx, 'datosFacturaExportacion');
  const totales = tree(documento, 'totalesSubTotales');
  return {
    tipoEmision: value(trx, 'tipoEmision'),
    tipoDocumento: value(trx, 'tipoDocumento'),
    fechaEmision: value(trx, 'fechaEmision'),
    fechaInicioContingencia: value(trx, 'fechaInicioContingencia'),
    motivoContingencia: value(trx, 'motivoContingencia'),
    naturalezaOperacion: value(trx, 'naturalezaOperacion'),
    tipoOperacion: value(trx, 'tipoOperacion'),
    destinoOperacion: value(trx, 'destinoOperacion'),
    tipoVenta: value(trx, 'tipoVenta'),
    cliente: cliente && {
      tipoClienteFE: value(cliente, 'tipoClienteFE'),
      tipoContribuyente: value(cliente, 'tipoContribuyente'),
      numeroRUC: value(cliente, 'numeroRUC'),
      digitoVerificadorRUC: value(cliente, 'digitoVerificadorRUC'),
      razonSocial: value(cliente, 'razonSocial'),
      direccion: value(cliente, 'direccion'),
      codigoUbicacion: value(cliente, 'codigoUbicacion'),
      provincia: value(cliente, 'provincia'),
      distrito: value(cliente, 'distrito'),
      corregimiento: value(cliente, 'corregimiento'),
      tipoIdentificacion: value(cliente, 'tipoIdentificacion'),
      nroIdentificacionExtranjero: value(cliente, 'nroIdentificacionExtranjero'),
      paisExtranjero: value(cliente, 'paisExtranjero'),
      pais: value(cliente, 'pais'),
      paisOtro: value(cliente, 'paisOtro'),
    },
    exportacion: exportacion && {
      monedaOperExportacion: value(exportacion, 'monedaOperExportacion'),
      tipoDeCambio: value(exportacion, 'tipoDeCambio'),
    },
    referencias: list(trx, 'listaDocsFiscalReferenciados', 'docFiscalReferenciado').map((ref) => ({
      fechaEmisionDocFiscalReferenciado: value(ref, 'fechaEmisionDocFiscalReferenciado'),
      cufeFEReferenciada: value(ref, 'cufeFEReferenciada'),
    })),
    items: list(documento, 'listaItems', 'item').map((item) => ({
      descripcion: value(item, 'descripcion'),
      codigoCPBSAbrev: value(item, 'codigoCPBSAbrev'),
      codigoCPBS: value(item, 'codigoCPBS'),
      unidadMedidaCPBS: value(item, 'unidadMedidaCPBS'),
      ...values(item, ITEM_AMOUNTS),
      otis: list(item, 'listaItemOTI', 'oti').map((oti) => values(oti, ['tasaOTI', 'valorTasa'] as const)),
    })),
    formasPago: list(totales, 'listaFormaPago', 'formaPago').map((pago) => ({
      formaPagoFact: value(pago, 'formaPagoFact'),
      descFormaPago: value(pago, 'descFormaPago'),
      valorCuotaPagada: value(pago, 'valorCuotaPagada'),
    })),
    totales: totales && {
      ...values(totales, TOTALS),
      descuentos: list(totales, 'listaDescBonificacion', 'descuentoBonificacion').map((d) =>
        values(d, ['montoDescuento'] as const),
      ),
      cuotas: list(totales, 'listaPagoPlazo', 'pagoPlazo').map((c) => values(c, ['valorCuota'] as const)),
      totalesOTI: list(totales, 'listaTotalOTI', 'totalOti').map((t) =>
        values(t, ['codigoTotalOTI', 'valorTotalOTI'] as const),
      ),
    },
  };
}

const ITEM_AMOUNTS = [
  'cantidad',
  'precioUnitario',
  'precioUnitarioDescuento',
  'precioItem',
  'precioAcarreo',
  'precioSeguro',
  'valorTotal',
  'tasaITBMS',
  'valorITBMS',
  'valorISC',
] as const;

const TOTALS = [...TOTAL_AMOUNT_FIELDS, 'nroItems'] as const;

/** The named text leaves of an element, as an object (absent ones undefined). */
function values<const K extends string>(parent: XmlTree, names: readonly K[]): { [N in K]?: string } {
  const out: { [N in K]?: string } = {};
  for (const name of names) out[name] = value(parent, name);
  return out;
}
