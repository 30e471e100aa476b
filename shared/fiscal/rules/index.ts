import { catalogueAmountsRule } from './amounts';
import { exportCurrencyRule } from './export';
import { itemsRule } from './items';
import { paymentMethodsRule, totalsRule } from './payments';
import { receiverRules } from './receiver';
import { referencesRule } from './references';
import type { ComputedRule, InputRule } from './types';

export type { ComputedRule, InputRule, RuleContext, Section } from './types';

/**
 * Rules over the parsed input that only our model can break (the pre-flight's own), in the order their
 * violations are reported; the rules HKA also holds are the catalogue's (`catalogue/index.ts`).
 */
export const inputRules: readonly InputRule[] = [
  exportCurrencyRule,
  ...receiverRules,
  itemsRule,
  referencesRule,
  paymentMethodsRule,
];

/** Rules over the computed amounts: what only our model holds, then the catalogue's arithmetic. */
export const computedRules: readonly ComputedRule[] = [totalsRule, catalogueAmountsRule];
