/**
 * Per document type: defaults for nature/destination/operation type and the combinations allowed
 * (§8.6 of the domain brief, from HKA's combination table; unconfirmed by the DGI, kept in one place).
 */
import type { Destination, DocumentType, OperationNature, OperationType } from './codes';

export type DocumentTypeProfile = {
  defaults: { operationNature: OperationNature; destination: Destination; operationType: OperationType };
  allowedNatures: readonly OperationNature[];
  /** Undefined = either destination. */
  destination?: Destination;
  operationType?: OperationType;
  /** Credit/debit notes carry no `tipoVenta`. */
  isNote: boolean;
  /** 04/05 must reference ≥ 1 FE by CUFE; 06/07 must not reference a CUFE. */
  references: 'cufe-required' | 'no-cufe' | 'optional';
};

const sale = { operationType: 'outgoing' } as const;

export const documentTypeProfiles: Record<DocumentType, DocumentTypeProfile> = {
  invoice: {
    defaults: { operationNature: 'sale', destination: 'panama', ...sale },
    allowedNatures: ['sale', 'transfer', 'consignment', 'remittance', 'free-delivery'],
    destination: 'panama',
    isNote: false,
    references: 'optional',
  },
  'import-invoice': {
    defaults: { operationNature: 'import', destination: 'abroad', operationType: 'incoming' },
    allowedNatures: ['import'],
    destination: 'abroad',
    operationType: 'incoming',
    isNote: false,
    references: 'optional',
  },
  'export-invoice': {
    defaults: { operationNature: 'export', destination: 'abroad', ...sale },
    allowedNatures: ['export', 're-export'],
    destination: 'abroad',
    isNote: false,
    references: 'optional',
  },
  'credit-note': {
    defaults: { operationNature: 'return', destination: 'panama', ...sale },
    allowedNatures: ['return'],
    isNote: true,
    references: 'cufe-required',
  },
  'debit-note': {
    defaults: { operationNature: 'sale', destination: 'panama', ...sale },
    allowedNatures: ['sale'],
    isNote: true,
    references: 'cufe-required',
  },
  'generic-credit-note': {
    defaults: { operationNature: 'return', destination: 'panama', ...sale },
    allowedNatures: ['return'],
    isNote: true,
    references: 'no-cufe',
  },
  'generic-debit-note': {
    defaults: { operationNature: 'sale', destination: 'panama', ...sale },
    allowedNatures: ['sale'],
    isNote: true,
    references: 'no-cufe',
  },
  'free-zone-invoice': {
    defaults: { operationNature: 'sale', destination: 'panama', ...sale },
    allowedNatures: ['sale', 'export', 're-export', 'transfer', 'consignment', 'remittance', 'free-delivery'],
    isNote: false,
    references: 'optional',
  },
  reimbursement: {
    defaults: { operationNature: 'sale', destination: 'panama', ...sale },
    allowedNatures: ['sale'],
    destination: 'panama',
    isNote: false,
    references: 'optional',
  },
  'foreign-invoice': {
    defaults: { operationNature: 'foreign-source-sale', destination: 'abroad', ...sale },
    allowedNatures: ['foreign-source-sale'],
    destination: 'abroad',
    isNote: false,
    references: 'optional',
  },
};
