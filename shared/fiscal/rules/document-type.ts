/**
 * Document-type combinations (§8.6): nature of operation, destination and operation type must fit the
 * document type; notes carry no sale type; export data belongs to documents going abroad.
 */
import { documentTypeProfiles } from '../document-types';
import type { Violation } from '../violations';
import { inputRule, violation } from './types';

export const documentTypeRule = inputRule(
  ['type', 'operationNature', 'destination', 'operationType', 'saleType', 'receiver', 'export'],
  (document) => {
    const profile = documentTypeProfiles[document.type];
    const out: Violation[] = [];
    const nature = document.operationNature ?? profile.defaults.operationNature;
    const destination = document.destination ?? profile.defaults.destination;
    const operationType = document.operationType ?? profile.defaults.operationType;

    if (!profile.allowedNatures.includes(nature)) {
      out.push(
        violation(
          'operationNature',
          `"${nature}" is not allowed for a ${document.type}; use ${profile.allowedNatures.map((n) => `"${n}"`).join(', ')}`,
          'NATURE_NOT_ALLOWED',
        ),
      );
    }
    if (profile.destination !== undefined && destination !== profile.destination) {
      out.push(
        violation(
          'destination',
          `must be "${profile.destination}" for a ${document.type}`,
          'DESTINATION_NOT_ALLOWED',
        ),
      );
    }
    if (profile.operationType !== undefined && operationType !== profile.operationType) {
      out.push(
        violation(
          'operationType',
          `must be "${profile.operationType}" for a ${document.type}`,
          'OPERATION_TYPE_NOT_ALLOWED',
        ),
      );
    }
    if (profile.isNote && document.saleType !== undefined) {
      out.push(violation('saleType', 'must be omitted on credit and debit notes', 'NOT_ALLOWED'));
    }

    // HKA: country PA when the destination is Panama, not PA when abroad.
    const country = document.receiver.country;
    if (destination === 'panama' && country !== 'PA') {
      out.push(
        violation(
          'receiver.country',
          `must be "PA" when the destination is Panama (got "${country}")`,
          'COUNTRY_DESTINATION',
        ),
      );
    }
    if (destination === 'abroad' && country === 'PA') {
      out.push(
        violation(
          'receiver.country',
          'must not be "PA" when the destination is abroad',
          'COUNTRY_DESTINATION',
        ),
      );
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
      // HKA rejects an exchange rate for operations in balboas/dollars ("tipoDeCambio no debe ser informado").
      if (exportData.exchangeRate !== undefined && (exportData.currency ?? 'USD') === 'USD') {
        out.push(
          violation('export.exchangeRate', 'must be omitted unless the currency is not USD', 'NOT_ALLOWED'),
        );
      }
    }
    return out;
  },
);
