// The CAFE view model: everything the printed representation shows, already formatted for print.
// The renderer never formats or computes anything (no decimals, no dates, no catalogs), so a layout change
// can never change an amount, and the mapper (to-cafe-view.ts) can be tested without a PDF.

/** One item line. Amounts are display strings ("1,234.56"); empty string = nothing to print. */
export type CafeItem = {
  /** `dSecItem`, "1".."1000". */
  lineNumber: string;
  /** `dCodProd`; '' when the item has no code. */
  code: string;
  description: string;
  quantity: string;
  /** `cUnidad` ("und", "kg"…); '' when absent. */
  unit: string;
  unitPrice: string;
  /** Discount per unit (`dPrUnitDesc`), '' when none. */
  discount: string;
  /** "7%", "0%"… */
  itbmsRate: string;
  itbmsAmount: string;
  /** `dValTotItem` (price + taxes + freight/insurance). */
  lineTotal: string;
  /**
   * What the line total adds beyond price and ITBMS, e.g. "ISC 4.55 · Acarreo 5.00"; absent or '' when nothing. Without
   * it a reader cannot reconcile quantity × price + ITBMS with the line total.
   */
  notes?: string;
};

/** Taxable base and ITBMS for one rate, e.g. { rate: "7%", base: "100.00", tax: "7.00" }. */
export type CafeItbmsSummary = { rate: string; base: string; tax: string };

export type CafeTotals = {
  /** `dTotNeto`. */
  neto: string;
  /** `dTotDesc` (global discounts); '' when none. */
  descuentos: string;
  /** `dTotAcar` (document-level freight); '' when none. */
  acarreo: string;
  /** `dTotSeg` (document-level insurance); '' when none. */
  seguro: string;
  /** `dTotITBMS`. */
  itbms: string;
  /** `dTotISC`; '' when none. */
  isc: string;
  /** `dTotGravado` (total of taxes, not the taxable base: §3.6). */
  gravado: string;
  /** `dVTot`. */
  total: string;
  /** `dTotRec`. */
  recibido: string;
  /** `dVuelto`; '' when none. */
  vuelto: string;
};

export type CafePayment = { label: string; amount: string };

export type CafeInstallment = { number: string; dueDate: string; amount: string };

/** A referenced fiscal document (credit/debit notes): CUFE or paper/fiscal-printer number. */
export type CafeReference = { issuerName: string; date: string; number: string };

export type CafeIssuer = {
  name: string;
  ruc: string;
  dv: string;
  branchCode: string;
  address: string;
  phones: string[];
  emails: string[];
};

export type CafeReceiver = {
  /** "Contribuyente", "Consumidor final", "Gobierno", "Extranjero". */
  typeLabel: string;
  name: string;
  /** '' when the receiver has no RUC (foreign receivers, anonymous consumers). */
  ruc: string;
  dv: string;
  /** Foreign identification (passport…); '' when not applicable. */
  foreignId: string;
  address: string;
  /** Country name or code as it should be printed. */
  country: string;
};

export type CafeView = {
  /** `iAmb`: '1' producción, '2' pruebas (prints the no-fiscal-value legend). */
  environment: '1' | '2';
  documentType: { code: string; label: string };
  /** `dPtoFacDF-dNroDF`, e.g. "001-0000000123". */
  number: string;
  /** Emission date in America/Panama, e.g. "15/05/2022 13:00:00". */
  issuedAt: string;
  /**
   * Emission date as an ISO 8601 instant. Not printed: it becomes the PDF's CreationDate, which also seeds
   * pdfkit's file ID, so the same view always renders to the same bytes.
   */
  issuedAtIso: string;
  /** Printed only when not a normal prior authorization, e.g. "Contingencia (autorización previa)"; '' otherwise. */
  emissionTypeLabel: string;
  issuer: CafeIssuer;
  receiver: CafeReceiver;
  references: CafeReference[];
  items: CafeItem[];
  itbmsByRate: CafeItbmsSummary[];
  totals: CafeTotals;
  payments: CafePayment[];
  installments: CafeInstallment[];
  /** Full 66-character CUFE. */
  cufe: string;
  /** `dQRCode` exactly as authorized (opaque, §5). */
  qrUrl: string;
  authorization: { protocol: string; authorizedAt: string };
  /** `dInfEmFE`; '' when none. */
  info: string;
  /** The issuer's logo (the tenant's profile), printed in the header; absent when the tenant has none. */
  logo?: CafeLogo;
  /**
   * A draft of a document not issued (a preview): every page carries the DRAFT_LEGEND across it and in a
   * banner, and the authorization block (QR, CUFE, protocol) is replaced by a notice. Built by
   * `toDraftCafeView`, whose number and CUFE are placeholders, never a real document's.
   */
  draft?: true;
  /**
   * Issued in contingency and not yet authorized: every page carries the CONTINGENCY_LEGEND with the
   * contingency's start (Panama time, "06/12/2026 10:00:00"), and the protocol is said to be pending.
   */
  contingency?: { startedAt: string };
};

/** A PNG or JPEG already checked (type by its bytes, dimensions from its header). */
export type CafeLogo = { data: Uint8Array; width: number; height: number };

export type CafeLayout = 'letter' | 'ticket';
