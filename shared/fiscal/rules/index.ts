import { contingencyRule } from './contingency';
import { documentTypeRule } from './document-type';
import { itemsRule } from './items';
import { magnitudesRule } from './magnitudes';
import { paymentMethodsRule, totalsRule } from './payments';
import { receiverRules } from './receiver';
import { referencesRule } from './references';
import type { ComputedRule, InputRule } from './types';

export type { ComputedRule, InputRule, RuleContext, Section } from './types';

/** Rules over the parsed input, in the order their violations are reported. */
export const inputRules: readonly InputRule[] = [
  documentTypeRule,
  ...receiverRules,
  itemsRule,
  referencesRule,
  contingencyRule,
  paymentMethodsRule,
];

/** Rules over the computed amounts. */
export const computedRules: readonly ComputedRule[] = [totalsRule, magnitudesRule];
