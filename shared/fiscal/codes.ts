/**
 * Friendly API names ↔ DGI codes. The API speaks English names; the rFE and HKA speak codes.
 * Codes marked "HKA only" exist in HKA's newer lists but not in the rFE v1.00 XSD (see MAPPING.md).
 */

export const documentTypeCodes = {
  invoice: '01',
  'import-invoice': '02',
  'export-invoice': '03',
  'credit-note': '04',
  'debit-note': '05',
  'generic-credit-note': '06',
  'generic-debit-note': '07',
  'free-zone-invoice': '08',
  reimbursement: '09',
  /** HKA only (newer Ficha). */
  'foreign-invoice': '10',
} as const;
export type DocumentType = keyof typeof documentTypeCodes;
export type DocumentTypeCode = (typeof documentTypeCodes)[DocumentType];

export const emissionTypeCodes = {
  normal: '01',
  contingency: '02',
  posterior: '03',
  'posterior-contingency': '04',
} as const;
export type EmissionType = keyof typeof emissionTypeCodes;

export const receiverTypeCodes = {
  taxpayer: '01',
  'final-consumer': '02',
  government: '03',
  foreign: '04',
} as const;
export type ReceiverType = keyof typeof receiverTypeCodes;

export const operationNatureCodes = {
  sale: '01',
  export: '02',
  /** HKA only. */
  're-export': '03',
  /** HKA only. */
  'foreign-source-sale': '04',
  transfer: '10',
  return: '11',
  consignment: '12',
  remittance: '13',
  'free-delivery': '14',
  purchase: '20',
  import: '21',
} as const;
export type OperationNature = keyof typeof operationNatureCodes;

export const operationTypeCodes = { outgoing: '1', incoming: '2' } as const;
export type OperationType = keyof typeof operationTypeCodes;

export const destinationCodes = { panama: '1', abroad: '2' } as const;
export type Destination = keyof typeof destinationCodes;

export const cafeFormatCodes = { none: '1', ticket: '2', letter: '3' } as const;
export type CafeFormat = keyof typeof cafeFormatCodes;

export const cafeDeliveryCodes = { none: '1', paper: '2', electronic: '3' } as const;
export type CafeDelivery = keyof typeof cafeDeliveryCodes;

export const containerDeliveryCodes = { normal: '1', 'receiver-exempts': '2' } as const;
export type ContainerDelivery = keyof typeof containerDeliveryCodes;

export const saleTypeCodes = { ordinary: '1', 'fixed-asset': '2', 'real-estate': '3', service: '4' } as const;
export type SaleType = keyof typeof saleTypeCodes;

export const branchTypeCodes = { retail: '1', wholesale: '2' } as const;
export type BranchType = keyof typeof branchTypeCodes;

export const paymentMethodCodes = {
  credit: '01',
  cash: '02',
  'credit-card': '03',
  'debit-card': '04',
  'loyalty-card': '05',
  voucher: '06',
  'gift-card': '07',
  transfer: '08',
  /** HKA only (newer Ficha). */
  check: '09',
  other: '99',
} as const;
export type PaymentMethod = keyof typeof paymentMethodCodes;

export const paymentTermCodes = { immediate: '1', term: '2', mixed: '3' } as const;
export type PaymentTerm = keyof typeof paymentTermCodes;

export const foreignIdTypeCodes = { passport: '01', 'tax-id': '02', other: '99' } as const;
export type ForeignIdType = keyof typeof foreignIdTypeCodes;

/** ITBMS rate codes (`dTasaITBMS`) and their rates. */
export const itbmsRates = { '00': '0', '01': '0.07', '02': '0.10', '03': '0.15' } as const;
export type ItbmsRateCode = keyof typeof itbmsRates;

/**
 * Friendly percentage → code; codes are accepted as themselves. A Map, because the key is whatever the
 * client sent: a plain object would answer `constructor` or `__proto__` from its prototype.
 */
export const itbmsRateAliases: ReadonlyMap<string, ItbmsRateCode> = new Map<string, ItbmsRateCode>([
  ['0', '00'],
  ['7', '01'],
  ['10', '02'],
  ['15', '03'],
  ['00', '00'],
  ['01', '01'],
  ['02', '02'],
  ['03', '03'],
]);

/** `dTasaISC` values allowed by the XSD. */
export const iscRates = ['0.00', '0.05', '0.06', '0.1325', '0.325', '0.035'] as const;

/** OTI codes: 01–02 in the XSD, 03–11 HKA only. */
export const otiCodes = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11'] as const;
export const xsdOtiCodes: ReadonlySet<string> = new Set(['01', '02']);

/** `cCodRetenc`. */
export const withholdingCodes = ['1', '2', '3', '4', '7', '8'] as const;

/** Codes the rFE v1.00 XSD does not know; an rFE carrying them cannot be XSD-valid. */
export const hkaOnlyCodes = {
  documentType: new Set<string>(['10']),
  operationNature: new Set<string>(['03', '04']),
  paymentMethod: new Set<string>(['09']),
} as const;
