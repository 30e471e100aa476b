/**
 * HKA element name → path in our document model (`documentInputSchema` of `#shared/fiscal/model`, whose
 * MAPPING.md maps each friendly name to its HKA element). Used to turn HKA's messages ("El campo X es
 * requerido", "En la ocurrencia [n] de Item, El campo X …") into field-level violations for the user. One
 * table, so a renamed model field is fixed in one place.
 */

/**
 * Top-level, `datosTransaccion`, `cliente` and `totalesSubTotales` elements. Computed totals point at the
 * input the user can change (items, payments, discounts), since the total itself is not an input.
 */
export const DOCUMENT_FIELD_PATHS: Readonly<Record<string, string>> = {
  codigoSucursalEmisor: 'branch',
  tipoSucursal: 'branchType',
  tipoEmision: 'emissionType',
  fechaInicioContingencia: 'contingency.startedAt',
  motivoContingencia: 'contingency.reason',
  tipoDocumento: 'type',
  // The number is allocated by us, not part of the input: the path names the issuing context.
  numeroDocumentoFiscal: 'number',
  puntoFacturacionFiscal: 'pointOfSale',
  fechaEmision: 'issuedAt',
  fechaSalida: 'departureAt',
  naturalezaOperacion: 'operationNature',
  tipoOperacion: 'operationType',
  destinoOperacion: 'destination',
  formatoCAFE: 'cafeFormat',
  entregaCAFE: 'cafeDelivery',
  envioContenedor: 'containerDelivery',
  tipoVenta: 'saleType',
  informacionInteres: 'remarks',
  // cliente
  cliente: 'receiver',
  tipoClienteFE: 'receiver.type',
  tipoContribuyente: 'receiver.rucType',
  numeroRUC: 'receiver.ruc',
  digitoVerificadorRUC: 'receiver.dv',
  razonSocial: 'receiver.name',
  direccion: 'receiver.address',
  codigoUbicacion: 'receiver.location.code',
  provincia: 'receiver.location.province',
  distrito: 'receiver.location.district',
  corregimiento: 'receiver.location.corregimiento',
  tipoIdentificacion: 'receiver.foreignId.type',
  nroIdentificacionExtranjero: 'receiver.foreignId.number',
  paisExtranjero: 'receiver.foreignId.country',
  telefono1: 'receiver.phones[0]',
  telefono2: 'receiver.phones[1]',
  telefono3: 'receiver.phones[2]',
  correoElectronico1: 'receiver.emails[0]',
  correoElectronico2: 'receiver.emails[1]',
  correoElectronico3: 'receiver.emails[2]',
  pais: 'receiver.country',
  paisOtro: 'receiver.countryName',
  // exportación
  datosFacturaExportacion: 'export',
  condicionesEntrega: 'export.incoterm',
  monedaOperExportacion: 'export.currency',
  monedaOperExportacionNonDef: 'export.currencyDescription',
  tipoDeCambio: 'export.exchangeRate',
  montoMonedaExtranjera: 'export.foreignCurrencyTotal',
  puertoEmbarque: 'export.port',
  listaDocsFiscalReferenciados: 'references',
  // totales (computed from items, payments, discounts)
  listaItems: 'items',
  nroItems: 'items',
  totalPrecioNeto: 'items',
  totalITBMS: 'items',
  totalISC: 'items',
  totalMontoGravado: 'items',
  totalTodosItems: 'items',
  totalFactura: 'items',
  totalDescuento: 'discounts',
  listaDescBonificacion: 'discounts',
  totalAcarreoCobrado: 'freight',
  valorSeguroCobrado: 'insurance',
  totalValorRecibido: 'payments',
  listaFormaPago: 'payments',
  vuelto: 'payments',
  tiempoPago: 'paymentTerm',
  listaPagoPlazo: 'installments',
  retencion: 'withholding',
  codigoRetencion: 'withholding.code',
  montoRetencion: 'withholding.amount',
};

/** Element names inside one `item`, relative to `items[i]`; computed values point at their inputs. */
export const ITEM_FIELD_PATHS: Readonly<Record<string, string>> = {
  descripcion: 'description',
  codigo: 'code',
  unidadMedida: 'unit',
  cantidad: 'quantity',
  fechaFabricacion: 'manufacturedOn',
  fechaCaducidad: 'expiresOn',
  codigoCPBSAbrev: 'cpbs.segment',
  codigoCPBS: 'cpbs.family',
  unidadMedidaCPBS: 'cpbs.unit',
  infoItem: 'info',
  precioUnitario: 'unitPrice',
  precioUnitarioDescuento: 'unitDiscount',
  precioItem: 'unitPrice',
  precioAcarreo: 'freight',
  precioSeguro: 'insurance',
  valorTotal: 'unitPrice',
  codigoGTIN: 'gtin.code',
  cantGTINCom: 'gtin.quantity',
  codigoGTINInv: 'gtin.inventoryCode',
  cantGTINComInv: 'gtin.inventoryQuantity',
  tasaITBMS: 'itbmsRate',
  valorITBMS: 'itbmsRate',
  tasaISC: 'isc.rate',
  valorISC: 'isc.amount',
  listaItemOTI: 'oti',
  nroLote: 'lot.number',
  cantProductosLote: 'lot.quantity',
};

/** Repeating groups HKA names in "En la ocurrencia [n] de <Grupo>": our list path and its field table. */
export const OCCURRENCE_GROUPS: Readonly<
  Record<string, { list: string; fields: Readonly<Record<string, string>> }>
> = {
  item: { list: 'items', fields: ITEM_FIELD_PATHS },
  formapago: {
    list: 'payments',
    fields: { formaPagoFact: 'method', descFormaPago: 'description', valorCuotaPagada: 'amount' },
  },
  docfiscalreferenciado: {
    list: 'references',
    fields: {
      fechaEmisionDocFiscalReferenciado: 'issuedAt',
      cufeFEReferenciada: 'cufe',
      nroFacturaPapel: 'paperInvoiceNumber',
      nroFacturaImpFiscal: 'fiscalPrinterInvoiceNumber',
    },
  },
  pagoplazo: {
    list: 'installments',
    fields: { fechaVenceCuota: 'dueAt', valorCuota: 'amount', infoPagoCuota: 'info' },
  },
  descuentobonificacion: {
    list: 'discounts',
    fields: { descDescuento: 'description', montoDescuento: 'amount' },
  },
  oti: { list: 'oti', fields: { tasaOTI: 'code', valorTasa: 'amount' } },
};

/** Path for a top-level HKA element; unknown names keep HKA's name so nothing is lost. */
export function documentPathOf(hkaField: string): string {
  return DOCUMENT_FIELD_PATHS[hkaField] ?? hkaField;
}

/** Path for an element of the n-th (1-based, as HKA counts) occurrence of a repeating group. */
export function occurrencePathOf(group: string, occurrence: number, hkaField: string): string {
  const known = OCCURRENCE_GROUPS[group.toLowerCase()];
  const list = known?.list ?? group;
  const field = known?.fields[hkaField] ?? hkaField;
  return `${list}[${occurrence - 1}].${field}`;
}
