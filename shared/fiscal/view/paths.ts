/**
 * Every HKA element a catalogue rule may name, with its repeated group (HKA's "En la ocurrencia [n] de
 * …") and the path of the same value in our model — the one-to-one mapping `hka-documento.ts` applies.
 */
export const hkaFields = {
  tipoDocumento: { path: () => 'type' },
  fechaEmision: { path: () => 'issuedAt' },
  fechaInicioContingencia: { path: () => 'contingency.startedAt' },
  naturalezaOperacion: { path: () => 'operationNature' },
  tipoOperacion: { path: () => 'operationType' },
  destinoOperacion: { path: () => 'destination' },
  tipoClienteFE: { path: () => 'receiver.type' },
  razonSocial: { path: () => 'receiver.name' },
  direccion: { path: () => 'receiver.address' },
  pais: { path: () => 'receiver.country' },
  monedaOperExportacion: { path: () => 'export.currency' },
  tipoDeCambio: { path: () => 'export.exchangeRate' },
  fechaEmisionDocFiscalReferenciado: {
    group: 'DocFiscalReferenciado',
    path: (i: number) => `references[${i}].issuedAt`,
  },
  cufeFEReferenciada: { group: 'DocFiscalReferenciado', path: (i: number) => `references[${i}].cufe` },
  descripcion: { group: 'Item', path: (i: number) => `items[${i}].description` },
  valorISC: { group: 'Item', path: (i: number) => `items[${i}].isc.amount` },
  descFormaPago: { group: 'FormaPago', path: (i: number) => `payments[${i}].description` },
  totalISC: { path: () => 'items' },
} as const satisfies Record<string, { group?: string; path: (i: number) => string }>;

export type HkaField = keyof typeof hkaFields;
