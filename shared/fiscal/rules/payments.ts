/**
 * Payments and totals, on the computed document: the amount received covers the total, discounts do
 * not exceed the items, "other" payment methods are described, installments do not exceed the total.
 */
import { dec, sum } from '../amounts';
import type { PaymentInput } from '../model';
import type { Violation } from '../violations';
import { type ComputedRule, inputRule, violation } from './types';

export const paymentMethodsRule = inputRule(['payments', 'installments'], (document) => {
  const out: Violation[] = [];
  document.payments.forEach((payment: PaymentInput, index) => {
    if (payment.method !== 'other' && payment.description !== undefined) {
      out.push(
        violation(`payments[${index}].description`, 'is only allowed for method "other"', 'NOT_ALLOWED'),
      );
    }
  });
  if ((document.installments?.length ?? 0) > 0 && !document.payments.some((p) => p.method === 'credit')) {
    out.push(
      violation(
        'installments',
        'require at least one payment with method "credit"',
        'INSTALLMENTS_WITHOUT_CREDIT',
      ),
    );
  }
  return out;
});

export const totalsRule: ComputedRule = (document) => {
  const out: Violation[] = [];
  const { total, received, itemsTotal } = document.totals;
  if (dec(total).isNegative()) {
    out.push(
      violation(
        'discounts',
        `global discounts exceed the items total (${itemsTotal})`,
        'DISCOUNT_EXCEEDS_TOTAL',
      ),
    );
  }
  if (dec(received).lessThan(total)) {
    out.push(
      violation(
        'payments',
        `add up to ${received} but the document total is ${total}`,
        'PAYMENTS_BELOW_TOTAL',
      ),
    );
  }
  const installments = sum((document.installments ?? []).map((i) => dec(i.amount)));
  if ((document.installments?.length ?? 0) > 0 && installments.greaterThan(total)) {
    out.push(
      violation(
        'installments',
        `add up to ${installments.toFixed(2)}, more than the total ${total}`,
        'INSTALLMENTS_EXCEED_TOTAL',
      ),
    );
  }
  if (document.withholding && dec(document.withholding.amount).greaterThan(total)) {
    out.push(
      violation('withholding.amount', `exceeds the document total ${total}`, 'WITHHOLDING_EXCEEDS_TOTAL'),
    );
  }
  return out;
};
