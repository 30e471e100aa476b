/**
 * The catalogue's arithmetic (`catalogue/item-amounts.ts`, `totals.ts`, `payment-totals.ts`,
 * `oti-totals.ts`, `amount-format.ts`) on the computed document's amounts as we would send them: the same
 * rules the HKA sandbox applies, so a computation bug is refused here before HKA refuses it.
 */

import { viewOfComputed } from '../view/from-computed';
import { catalogueAmountViolations } from './catalogue/index';
import type { ComputedRule } from './types';

export const catalogueAmountsRule: ComputedRule = (document, { now }) =>
  catalogueAmountViolations(viewOfComputed(document), now);
