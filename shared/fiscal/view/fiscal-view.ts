/**
 * The common view the rule catalogue is written against: the HKA `documento` fields the business rules
 * read, as HKA spells them (codes, fechaTZ dates, strings). Two adapters fill it — one from our parsed
 * input (`from-input.ts`), one from the documento HKA receives (`from-documento.ts`) — so the pre-flight
 * and the sandbox run the same rule definitions. A field is `undefined` when it is absent or unknown (a
 * section that failed the schema): value rules stay silent on what they cannot see, and presence rules
 * ("required for …") read it as absent — the pre-flight drops any finding on a section that failed the
 * schema, where it would only echo the schema error.
 *
 * Why HKA's vocabulary rather than ours: the sandbox sees only the documento, while our model maps to it
 * one-to-one through `hka-documento.ts`; so a finding names the HKA element (what the sandbox reports)
 * and `paths.ts` turns it into the exact path in our model (what the pre-flight reports).
 */
export type FiscalView = {
  tipoEmision?: string;
  tipoDocumento?: string;
  fechaEmision?: string;
  fechaInicioContingencia?: string;
  motivoContingencia?: string;
  naturalezaOperacion?: string;
  tipoOperacion?: string;
  destinoOperacion?: string;
  tipoVenta?: string;
  cliente?: {
    tipoClienteFE?: string;
    tipoContribuyente?: string;
    numeroRUC?: string;
    digitoVerificadorRUC?: string;
    razonSocial?: string;
    direccion?: string;
    codigoUbicacion?: string;
    provincia?: string;
    distrito?: string;
    corregimiento?: string;
    tipoIdentificacion?: string;
    nroIdentificacionExtranjero?: string;
    paisExtranjero?: string;
    pais?: string;
    paisOtro?: string;
  };
  /** Present (possibly with no field known) whenever the document carries export data. */
  exportacion?: { monedaOperExportacion?: string; tipoDeCambio?: string };
  referencias?: { fechaEmisionDocFiscalReferenciado?: string; cufeFEReferenciada?: string }[];
  items?: {
    descripcion?: string;
    codigoCPBSAbrev?: string;
    codigoCPBS?: string;
    unidadMedidaCPBS?: string;
    /** Amounts: the computed document's for the pre-flight (see `from-computed.ts`), never the input's. */
    cantidad?: string;
    precioUnitario?: string;
    precioUnitarioDescuento?: string;
    precioItem?: string;
    precioAcarreo?: string;
    precioSeguro?: string;
    valorTotal?: string;
    tasaITBMS?: string;
    valorITBMS?: string;
    valorISC?: string;
    otis?: { tasaOTI?: string; valorTasa?: string }[];
  }[];
  formasPago?: { formaPagoFact?: string; descFormaPago?: string; valorCuotaPagada?: string }[];
  /** `totalesSubTotales`: present whenever the document's totals are known (the documento, the computed document). */
  totales?: Totales;
};

/** The amounts of `totalesSubTotales` (montoTipo01: up to 11 integer digits and exactly 2 decimals). */
export const TOTAL_AMOUNT_FIELDS = [
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
  'totalTodosItems',
] as const;

export type Totales = { [F in (typeof TOTAL_AMOUNT_FIELDS)[number]]?: string } & {
  nroItems?: string;
  descuentos: { montoDescuento?: string }[];
  cuotas: { valorCuota?: string }[];
  totalesOTI: { codigoTotalOTI?: string; valorTotalOTI?: string }[];
};
