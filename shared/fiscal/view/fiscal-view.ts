/**
 * The common view the rule catalogue is written against: the handful of HKA `documento` fields the
 * business rules read, as HKA spells them (codes, fechaTZ dates, strings). Two adapters fill it — one from
 * our parsed input (`from-input.ts`), one from the documento HKA receives (`from-documento.ts`) — so the
 * pre-flight and the sandbox run the same rule definitions. A field is `undefined` when it is absent or
 * unknown (a section that failed the schema): rules stay silent on what they cannot see.
 *
 * Why HKA's vocabulary rather than ours: the sandbox sees only the documento, while our model maps to it
 * one-to-one through `hka-documento.ts`; so a finding names the HKA element (what the sandbox reports)
 * and `paths.ts` turns it into the exact path in our model (what the pre-flight reports).
 */
export type FiscalView = {
  tipoDocumento?: string;
  fechaEmision?: string;
  fechaInicioContingencia?: string;
  naturalezaOperacion?: string;
  tipoOperacion?: string;
  destinoOperacion?: string;
  cliente?: {
    tipoClienteFE?: string;
    tipoContribuyente?: string;
    razonSocial?: string;
    direccion?: string;
    pais?: string;
  };
  exportacion?: { monedaOperExportacion?: string; tipoDeCambio?: string };
  referencias?: { fechaEmisionDocFiscalReferenciado?: string; cufeFEReferenciada?: string }[];
  items?: { descripcion?: string; valorISC?: string }[];
  formasPago?: { formaPagoFact?: string; descFormaPago?: string }[];
  totalISC?: string;
};
