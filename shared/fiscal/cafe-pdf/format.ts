// Display formats of the CAFE (Panama prints US-style numbers: "1,234.56"). Amounts arrive as DGI decimal
// strings from the fiscal core and are only regrouped here, never re-rounded: the printed figures must be
// the exact figures of the authorized XML.
import { parseDateTime, toPanamaDateTime } from '#shared/fiscal/panama-time';

/** "1234567.5" → "1,234,567.5"; the decimals are kept exactly as given. */
export function groupThousands(decimal: string): string {
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(decimal);
  if (!match) return decimal;
  const [, sign = '', integer = '', fraction = ''] = match;
  return `${sign}${integer.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction}`;
}

/** "" for an absent amount, otherwise the grouped amount. */
export function optionalAmount(decimal: string | undefined): string {
  return decimal === undefined ? '' : groupThousands(decimal);
}

/**
 * A date-time as Panama local "dd/mm/yyyy hh:mm:ss". Text that is not an ISO date-time (a PAC may send
 * its own format) is printed as received rather than dropped.
 */
export function panamaDateTime(text: string): string {
  const instant = parseDateTime(text.trim());
  if (!instant) return text;
  const local = toPanamaDateTime(instant); // YYYY-MM-DDThh:mm:ss-05:00
  return `${local.slice(8, 10)}/${local.slice(5, 7)}/${local.slice(0, 4)} ${local.slice(11, 19)}`;
}

/** Panama local date "dd/mm/yyyy" of a date-time. */
export function panamaDate(text: string): string {
  return panamaDateTime(text).slice(0, 10);
}

/** ISO instant of a date-time, for metadata; falls back to the epoch for unparseable input. */
export function isoInstant(text: string): string {
  return (parseDateTime(text.trim()) ?? new Date(0)).toISOString();
}
