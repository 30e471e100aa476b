/**
 * Payments, what only our model holds: the amount received covers the total, a description only for
 * "other" payment methods, installments only on credit, a withholding within the total. The arithmetic
 * HKA checks (sums, change, installments within the total, discounts within the items) is the catalogue's.
 */
import { dec } from '../amounts';
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
  const { total, received } = document.totals;
  if (dec(received).lessThan(total)) {
    out.push(
      violation(
        'payments',
        `add up to ${received} but the document total is ${total}`,
        'PAYMENTS_BELOW_TOTAL',
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
