/**
 * Emission-date window: a document may not be dated more than 2 days ahead (HKA/DGI reject documents
 * more than 2 business days in the future; we use calendar days, the stricter reading).
 */
import { DAY_MS, parseDateTime } from '../panama-time';
import type { Violation } from '../violations';
import { inputRule, violation } from './types';

export const MAX_FUTURE_DAYS = 2;

export const datesRule = inputRule(['issuedAt'], (document, { now }) => {
  const out: Violation[] = [];
  if (document.issuedAt) {
    const issuedAt = parseDateTime(document.issuedAt) as Date;
    if (issuedAt.getTime() - now.getTime() > MAX_FUTURE_DAYS * DAY_MS) {
      out.push(
        violation(
          'issuedAt',
          `must not be more than ${MAX_FUTURE_DAYS} days in the future`,
          'ISSUED_IN_FUTURE',
        ),
      );
    }
  }
  return out;
});
