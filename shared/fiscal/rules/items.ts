/**
 * Item consistency: a per-unit discount cannot exceed the unit price, ISC rate and amount must agree,
 * dates must be ordered, and the CPBS family must belong to its segment.
 */
import { dec, round2 } from '../amounts';
import type { Violation } from '../violations';
import { inputRule, violation } from './types';

/** The DGI's cross-check tolerance (rules 2503/2507, unconfirmed). */
const TOLERANCE = dec('0.01');

export const itemsRule = inputRule(['items'], (document) => {
  const out: Violation[] = [];
  document.items.forEach((item, index) => {
    const path = `items[${index}]`;
    if (item.unitDiscount !== undefined && dec(item.unitDiscount).greaterThan(item.unitPrice)) {
      out.push(violation(`${path}.unitDiscount`, 'must not exceed the unit price', 'DISCOUNT_EXCEEDS_PRICE'));
    }
    if (item.isc?.rate !== undefined && item.isc.amount !== undefined) {
      const price = round2(dec(item.quantity).times(dec(item.unitPrice).minus(item.unitDiscount ?? '0')));
      const expected = round2(price.times(item.isc.rate));
      if (expected.minus(item.isc.amount).abs().greaterThan(TOLERANCE)) {
        out.push(
          violation(
            `${path}.isc.amount`,
            `does not match rate ${item.isc.rate} × item price ${price.toFixed(2)} = ${expected.toFixed(2)}`,
            'ISC_MISMATCH',
          ),
        );
      }
    }
    if (item.manufacturedOn && item.expiresOn && item.manufacturedOn > item.expiresOn) {
      out.push(violation(`${path}.expiresOn`, 'must not be before manufacturedOn', 'DATE_ORDER'));
    }
    if (item.cpbs && !item.cpbs.family.startsWith(item.cpbs.segment)) {
      out.push(
        violation(
          `${path}.cpbs.family`,
          `must belong to segment ${item.cpbs.segment} (start with it)`,
          'CPBS_FAMILY',
        ),
      );
    }
  });
  return out;
});
