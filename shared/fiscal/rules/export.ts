/**
 * Export currency: a currency outside the ISO list (`ZZZ`) is described (`monedaOperExportacionNonDef`).
 * Which documents carry export data, and the exchange rate, are the rule catalogue's (`catalogue/export.ts`).
 */
import { inputRule, violation } from './types';

export const exportCurrencyRule = inputRule(['export'], (document) =>
  document.export?.currency === 'ZZZ' && document.export.currencyDescription === undefined
    ? [violation('export.currencyDescription', 'is required when currency is "ZZZ"', 'REQUIRED')]
    : [],
);
