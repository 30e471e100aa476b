/**
 * Document-type structure: notes carry no sale type; export data belongs to documents going abroad. The per-type combination table (§8.6) and the
 * exchange-rate rules live in the rule catalogue (`catalogue/document-type.ts`, `catalogue/export.ts`).
 */
import { documentTypeProfiles } from '../document-types';
import type { Violation } from '../violations';
import { inputRule, violation } from './types';

export const documentTypeRule = inputRule(['type', 'destination', 'saleType', 'export'], (document) => {
  const profile = documentTypeProfiles[document.type];
  const out: Violation[] = [];
  const destination = document.destination ?? profile.defaults.destination;

  if (profile.isNote && document.saleType !== undefined) {
    out.push(violation('saleType', 'must be omitted on credit and debit notes', 'NOT_ALLOWED'));
  }

  if (document.type === 'export-invoice' && document.export === undefined) {
    out.push(violation('export', 'is required for an export invoice (at least the incoterm)', 'REQUIRED'));
  }
  if (document.export !== undefined && destination !== 'abroad') {
    out.push(violation('export', 'is only allowed when the destination is abroad', 'NOT_ALLOWED'));
  }
  const exportData = document.export;
  if (exportData) {
    if (exportData.currency === 'ZZZ' && exportData.currencyDescription === undefined) {
      out.push(violation('export.currencyDescription', 'is required when currency is "ZZZ"', 'REQUIRED'));
    }
  }
  return out;
});
