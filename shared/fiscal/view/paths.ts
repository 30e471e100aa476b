/**
 * Every HKA element a catalogue rule may name, with its repeated group (HKA's "En la ocurrencia [n] de
 * …") and the path of the same value in our model — the one-to-one mapping `hka-documento.ts` applies.
 * Where several HKA elements come from one object of ours (the location, the foreign id, the CPBS
 * classification), they share its path, so the pre-flight names the object once.
 */
export const hkaFields = {
  tipoEmision: { path: () => 'emissionType' },
  tipoDocumento: { path: () => 'type' },
  fechaEmision: { path: () => 'issuedAt' },
  fechaInicioContingencia: { path: () => 'contingency.startedAt' },
  motivoContingencia: { path: () => 'contingency.reason' },
  naturalezaOperacion: { path: () => 'operationNature' },
  tipoOperacion: { path: () => 'operationType' },
  destinoOperacion: { path: () => 'destination' },
  tipoVenta: { path: () => 'saleType' },
  tipoClienteFE: { path: () => 'receiver.type' },
  tipoContribuyente: { path: () => 'receiver.rucType' },
  numeroRUC: { path: () => 'receiver.ruc' },
  digitoVerificadorRUC: { path: () => 'receiver.dv' },
  razonSocial: { path: () => 'receiver.name' },
  direccion: { path: () => 'receiver.address' },
  codigoUbicacion: { path: () => 'receiver.location' },
  provincia: { path: () => 'receiver.location' },
  distrito: { path: () => 'receiver.location' },
  corregimiento: { path: () => 'receiver.location' },
  tipoIdentificacion: { path: () => 'receiver.foreignId' },
  nroIdentificacionExtranjero: { path: () => 'receiver.foreignId' },
  paisExtranjero: { path: () => 'receiver.foreignId.country' },
  pais: { path: () => 'receiver.country' },
  paisOtro: { path: () => 'receiver.countryName' },
  datosFacturaExportacion: { path: () => 'export' },
  monedaOperExportacion: { path: () => 'export.currency' },
  tipoDeCambio: { path: () => 'export.exchangeRate' },
  listaDocsFiscalReferenciados: { path: () => 'references' },
  fechaEmisionDocFiscalReferenciado: {
    group: 'DocFiscalReferenciado',
    path: (i: number) => `references[${i}].issuedAt`,
  },
  cufeFEReferenciada: { group: 'DocFiscalReferenciado', path: (i: number) => `references[${i}].cufe` },
  descripcion: { group: 'Item', path: (i: number) => `items[${i}].description` },
  codigoCPBSAbrev: { group: 'Item', path: (i: number) => `items[${i}].cpbs` },
  codigoCPBS: { group: 'Item', path: (i: number) => `items[${i}].cpbs` },
  unidadMedidaCPBS: { group: 'Item', path: (i: number) => `items[${i}].cpbs` },
  valorISC: { group: 'Item', path: (i: number) => `items[${i}].isc.amount` },
  descFormaPago: { group: 'FormaPago', path: (i: number) => `payments[${i}].description` },
  totalISC: { path: () => 'items' },
} as const satisfies Record<string, { group?: string; path: (i: number) => string }>;

export type HkaField = keyof typeof hkaFields;
