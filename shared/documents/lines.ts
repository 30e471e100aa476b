import type { z } from 'zod';
import { dec, round2 } from '#shared/fiscal/amounts';
import type { ComputedItem } from '#shared/fiscal/compute';
import type { ItemInput, itemSchema } from '#shared/fiscal/model';

/** A line as `POST /v1/documents` takes it in `items[]`. */
export type RequestItem = z.input<typeof itemSchema>;

// Compute widens these codes to strings; they are the input's own, so they are in the input's lists.
type IscRate = NonNullable<ItemInput['isc']>['rate'];
type OtiCode = NonNullable<ItemInput['oti']>[number]['code'];

const sameAmount = (a: string, b: string) => dec(a).equals(dec(b));

/**
 * ISC as it was asked for: a rate alone when the amount is the one the rate gives (so a note that changes
 * the quantity gets its ISC recomputed), else the amount that was charged, which compute keeps as given.
 */
function iscRequest(item: ComputedItem): RequestItem['isc'] {
  if (!item.isc) return undefined;
  const rate = item.isc.rate as IscRate;
  const { amount } = item.isc;
  if (rate !== undefined && sameAmount(round2(dec(item.price).times(rate)).toFixed(), amount))
    return { rate };
  return { ...(rate !== undefined && { rate }), amount };
}

/** The GTIN without the values compute filled in from their defaults (the item's quantity, the GTIN's own code). */
function gtinRequest(item: ComputedItem): RequestItem['gtin'] {
  if (!item.gtin) return undefined;
  const { code, quantity, inventoryCode, inventoryQuantity } = item.gtin;
  return {
    code,
    ...(!sameAmount(quantity, item.quantity) && { quantity }),
    ...(inventoryCode !== code && { inventoryCode }),
    ...(!sameAmount(inventoryQuantity, quantity) && { inventoryQuantity }),
  };
}

/**
 * A computed line back in the request's shape: what a client posts in `items[]` to issue the same line
 * again (a credit or debit note of it). The amounts compute derives (`price`, `itbms`, `total`) and the
 * line number are left out; decimals stay the exact strings compute wrote, and the ITBMS rate its DGI code.
 */
export function requestItemOf(item: ComputedItem): RequestItem {
  const {
    lineNumber: _line,
    price: _price,
    itbms: _itbms,
    total: _total,
    isc: _isc,
    gtin: _gtin,
    oti,
    ...given
  } = item;
  const iscAsked = iscRequest(item);
  const gtinAsked = gtinRequest(item);
  return {
    ...given,
    ...(iscAsked && { isc: iscAsked }),
    ...(oti && { oti: oti.map(({ code, amount }) => ({ code: code as OtiCode, amount })) }),
    ...(gtinAsked && { gtin: gtinAsked }),
  };
}

export const requestItemsOf = (items: readonly ComputedItem[]): RequestItem[] => items.map(requestItemOf);
