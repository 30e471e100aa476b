// Spanish labels printed on the CAFE, keyed by the fiscal core's friendly names (codes.ts). The wording
// follows the DGI catalogs (panama-fe.md §3.3-§3.6) and HKA's newer lists where the XSD has none.
import type {
  DocumentType,
  EmissionType,
  ForeignIdType,
  ItbmsRateCode,
  PaymentMethod,
  ReceiverType,
} from '#shared/fiscal/codes';

export const documentTypeLabels: Record<DocumentType, string> = {
  invoice: 'Factura de Operación Interna',
  'import-invoice': 'Factura de Importación',
  'export-invoice': 'Factura de Exportación',
  'credit-note': 'Nota de Crédito',
  'debit-note': 'Nota de Débito',
  'generic-credit-note': 'Nota de Crédito Genérica',
  'generic-debit-note': 'Nota de Débito Genérica',
  'free-zone-invoice': 'Factura de Zona Franca',
  reimbursement: 'Reembolso',
  'foreign-invoice': 'Factura de Operación Extranjera',
};

/** Normal prior authorization prints nothing: only the exceptional modes are worth a line. */
export const emissionTypeLabels: Record<EmissionType, string> = {
  normal: '',
  contingency: 'Contingencia (autorización de uso previa)',
  posterior: 'Autorización de uso posterior',
  'posterior-contingency': 'Contingencia (autorización de uso posterior)',
};

export const receiverTypeLabels: Record<ReceiverType, string> = {
  taxpayer: 'Contribuyente',
  'final-consumer': 'Consumidor final',
  government: 'Gobierno',
  foreign: 'Extranjero',
};

export const paymentMethodLabels: Record<PaymentMethod, string> = {
  credit: 'Crédito',
  cash: 'Efectivo',
  'credit-card': 'Tarjeta de crédito',
  'debit-card': 'Tarjeta de débito',
  'loyalty-card': 'Tarjeta de fidelización',
  voucher: 'Vale de devolución',
  'gift-card': 'Vale regalo',
  transfer: 'Transferencia / depósito bancario',
  check: 'Cheque',
  other: 'Otro',
};

export const foreignIdTypeLabels: Record<ForeignIdType, string> = {
  passport: 'Pasaporte',
  'tax-id': 'Identificación tributaria',
  other: 'Identificación',
};

export const itbmsRateLabels: Record<ItbmsRateCode, string> = {
  '00': '0%',
  '01': '7%',
  '02': '10%',
  '03': '15%',
};

const regionNames = new Intl.DisplayNames(['es'], { type: 'region' });

/** Country name in Spanish from the ISO code (Node ships full ICU); `ZZ` uses the free-text name. */
export function countryLabel(code: string, freeText?: string): string {
  if (code === 'ZZ') return freeText ?? '';
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}
