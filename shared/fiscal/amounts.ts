/**
 * Decimal arithmetic and DGI number formats. Every amount is a decimal.js value inside and a string at
 * the boundary; floats never touch money.
 */
import Decimal from 'decimal.js';

/** Private constructor: half-up rounding and enough precision for 9+6 digit products. */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = InstanceType<typeof Dec>;

export function dec(value: string | Dec): Dec {
  return new Dec(value);
}

/** Round half-up to 2 decimals (taxes, totals, item amounts). */
export function round2(value: Dec): Dec {
  return value.toDecimalPlaces(2, Dec.ROUND_HALF_UP);
}

export function sum(values: Iterable<Dec>): Dec {
  let total = new Dec(0);
  for (const value of values) total = total.plus(value);
  return total;
}

/** montoTipo01 / montoTipo02: exactly 2 decimals. */
export function formatMoney2(value: Dec): string {
  return value.toFixed(2, Dec.ROUND_HALF_UP);
}

/** montoTipo06: at least 2, at most 6 decimals (trailing zeros beyond the 2nd trimmed). */
export function formatMoney6(value: Dec): string {
  const rounded = value.toDecimalPlaces(6, Dec.ROUND_HALF_UP);
  return rounded.decimalPlaces() <= 2 ? rounded.toFixed(2) : rounded.toFixed();
}

/** montoTipo31 (quantities): up to 6 decimals, no trailing zeros, integers without a dot. */
export function formatQuantity(value: Dec): string {
  return value.toDecimalPlaces(6, Dec.ROUND_HALF_UP).toFixed();
}

/**
 * Canonical plain decimal string of an input number or string. A JS number is converted through its
 * shortest round-trip string form (`0.1` → "0.1"), never through binary arithmetic.
 */
export function canonicalDecimal(value: string | number): string | undefined {
  if (typeof value === 'number' && !Number.isFinite(value)) return undefined;
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (typeof value === 'string' && !/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) return undefined;
  try {
    return new Dec(text).toFixed();
  } catch {
    return undefined;
  }
}

/** Integer and fraction digit counts of a canonical decimal string. */
export function digitCounts(canonical: string): { integer: number; fraction: number } {
  const unsigned = canonical.replace(/^-/, '');
  const [integer = '', fraction = ''] = unsigned.split('.');
  return { integer: integer.replace(/^0+(?=\d)/, '').length, fraction: fraction.length };
}
