/**
 * Element order of HKA's `Enviar.documento` data contract (domain brief §8.4, official examples). WCF
 * DataContract deserialization is order-sensitive: an element out of order is silently dropped and then
 * reported as "El campo X es requerido". This one table drives the client's key ordering, the WSDL types
 * (`wsdl/generate-wsdl.ts`) and the sandbox's order check, so the three cannot drift.
 *
 * Groups whose inner layout HKA does not publish (vehiculo, pedidoComercial*, infoLogistica, infoEntrega)
 * are not listed; unknown keys are kept, after the known ones, in the caller's order.
 */
export type SchemaField = {
  readonly name: string;
  /** Child elements of a complex element, in order. */
  readonly children?: readonly SchemaField[];
  /** The element may repeat (a list entry such as `item`). */
  readonly repeated?: boolean;
};

const leaf = (...names: string[]): SchemaField[] => names.map((name) => ({ name }));
const group = (name: string, children: SchemaField[]): SchemaField => ({ name, children });
const list = (name: string, entry: string, children: SchemaField[]): SchemaField => ({
  name,
  children: [{ name: entry, children, repeated: true }],
});

const cliente = group('cliente', [
  ...leaf(
    'tipoClienteFE',
    'tipoContribuyente',
    'numeroRUC',
    'digitoVerificadorRUC',
    'razonSocial',
    'direccion',
    'codigoUbicacion',
    'provincia',
    'distrito',
    'corregimiento',
    'tipoIdentificacion',
    'nroIdentificacionExtranjero',
    'paisExtranjero',
    'telefono1',
    'telefono2',
    'telefono3',
    'correoElectronico1',
    'correoElectronico2',
    'correoElectronico3',
    'pais',
    'paisOtro',
  ),
]);

const datosTransaccion = group('datosTransaccion', [
  ...leaf(
    'tipoEmision',
    'fechaInicioContingencia',
    'motivoContingencia',
    'tipoDocumento',
    'numeroDocumentoFiscal',
    'puntoFacturacionFiscal',
    'fechaEmision',
    'fechaSalida',
    'naturalezaOperacion',
    'tipoOperacion',
    'destinoOperacion',
    'formatoCAFE',
    'entregaCAFE',
    'envioContenedor',
    'procesoGeneracion',
    'tipoVenta',
    'informacionInteres',
  ),
  cliente,
  group(
    'datosFacturaExportacion',
    leaf(
      'condicionesEntrega',
      'monedaOperExportacion',
      'monedaOperExportacionNonDef',
      'tipoDeCambio',
      'montoMonedaExtranjera',
      'puertoEmbarque',
    ),
  ),
  list(
    'listaDocsFiscalReferenciados',
    'docFiscalReferenciado',
    leaf('fechaEmisionDocFiscalReferenciado', 'cufeFEReferenciada', 'nroFacturaPapel', 'nroFacturaImpFiscal'),
  ),
  // Wrapper tag name unconfirmed (brief §8.4); the entry layout follows gAutXML.
  list(
    'listaAutorizadoDescargaFEyEventos',
    'autorizadoDescargaFEyEventos',
    leaf('tipoContribuyente', 'rucReceptor', 'digitoVerifRucReceptor'),
  ),
]);

const item = [
  ...leaf(
    'descripcion',
    'codigo',
    'unidadMedida',
    'cantidad',
    'fechaFabricacion',
    'fechaCaducidad',
    'codigoCPBSAbrev',
    'codigoCPBS',
    'unidadMedidaCPBS',
    'infoItem',
    'precioUnitario',
    'precioUnitarioDescuento',
    'precioItem',
    'precioAcarreo',
    'precioSeguro',
    'valorTotal',
    'codigoGTIN',
    'cantGTINCom',
    'codigoGTINInv',
    'cantGTINComInv',
    'tasaITBMS',
    'valorITBMS',
    'tasaISC',
    'valorISC',
  ),
  list('listaItemOTI', 'oti', leaf('tasaOTI', 'valorTasa')),
  group('medicina', leaf('nroLote', 'cantProductosLote')),
];

const totalesSubTotales = group('totalesSubTotales', [
  ...leaf(
    'totalPrecioNeto',
    'totalITBMS',
    'totalISC',
    'totalMontoGravado',
    'totalDescuento',
    'totalAcarreoCobrado',
    'valorSeguroCobrado',
    'totalFactura',
    'totalValorRecibido',
    'vuelto',
    'tiempoPago',
    'nroItems',
    'totalTodosItems',
    'totalOtrosGastos',
  ),
  list('listaDescBonificacion', 'descuentoBonificacion', leaf('descDescuento', 'montoDescuento')),
  list('listaFormaPago', 'formaPago', leaf('formaPagoFact', 'descFormaPago', 'valorCuotaPagada')),
  group('retencion', leaf('codigoRetencion', 'montoRetencion')),
  list('listaPagoPlazo', 'pagoPlazo', leaf('fechaVenceCuota', 'valorCuota', 'infoPagoCuota')),
  list('listaTotalOTI', 'totalOti', leaf('codigoTotalOTI', 'valorTotalOTI')),
]);

/** Children of `documento`, in order. */
export const DOCUMENTO_FIELDS: readonly SchemaField[] = [
  ...leaf('codigoSucursalEmisor', 'tipoSucursal'),
  datosTransaccion,
  list('listaItems', 'item', item),
  totalesSubTotales,
  group('usoPosterior', leaf('cufe')),
];

/** `datosDocumento` (brief §8.2), the key of a document in every follow-up operation. */
export const DATOS_DOCUMENTO_FIELDS: readonly SchemaField[] = leaf(
  'codigoSucursalEmisor',
  'numeroDocumentoFiscal',
  'puntoFacturacionFiscal',
  'tipoDocumento',
  'tipoEmision',
);
