/**
 * What makes a customer or a product valid is what makes a document's receiver or item valid: each is
 * checked by the document pre-flight itself (`validateDocument`), inside a minimal document around it, and
 * only the findings on its own part are kept (their paths made relative to it). So a customer that saves is a
 * receiver every document accepts, and a rule added to the document model applies here with no second copy.
 */
import type { ErrorDetail } from '#shared/errors';
import { validateDocument } from '#shared/fiscal/validate';
import type { Violation } from '#shared/fiscal/violations';
import type { CustomerReceiver, ProductItem } from './api.ts';

/** The rest of the document a part is checked in: a final consumer, one plain item, paid in cash. */
const PROBE_RECEIVER = { type: 'final-consumer' };
const PROBE_ITEM = { description: 'Verificación', quantity: '1', unitPrice: '1', itbmsRate: '0' };
const PROBE_PAYMENTS = [{ method: 'cash', amount: '1.00' }];

function findingsUnder(violations: readonly Violation[], prefix: string): ErrorDetail[] {
  return violations.flatMap((v) => {
    if (v.path !== prefix && !v.path.startsWith(`${prefix}.`)) return [];
    const path = v.path === prefix ? '' : v.path.slice(prefix.length + 1);
    return [
      {
        path,
        message: v.message,
        ...(v.code !== undefined && { code: v.code }),
        ...(v.hint !== undefined && { hint: v.hint }),
      },
    ];
  });
}

/** The errors the document rules find in this receiver block (paths relative to it: `dv`, `location.code`). */
export function customerErrors(receiver: CustomerReceiver, now: Date): ErrorDetail[] {
  // The country is the destination's (`PA` at home, another abroad): the probe sells where the customer is.
  const destination = receiver.country === 'PA' ? 'panama' : 'abroad';
  const result = validateDocument(
    { type: 'invoice', destination, receiver, items: [PROBE_ITEM], payments: PROBE_PAYMENTS },
    { now },
  );
  return result.ok ? [] : findingsUnder(result.violations, 'receiver');
}

/** The errors the document rules find in this item, sold once (paths relative to it: `isc.rate`). */
export function productErrors(item: ProductItem, now: Date): ErrorDetail[] {
  const result = validateDocument(
    {
      type: 'invoice',
      receiver: PROBE_RECEIVER,
      items: [{ ...item, quantity: '1' }],
      payments: PROBE_PAYMENTS,
    },
    { now },
  );
  return result.ok ? [] : findingsUnder(result.violations, 'items[0]');
}
