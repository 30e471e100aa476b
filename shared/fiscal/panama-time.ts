/**
 * Panama time (America/Panama = UTC−05:00 all year, no DST). Because the offset is fixed, plain UTC
 * arithmetic is exact; no time-zone database is needed.
 */

const PANAMA_OFFSET_MINUTES = -5 * 60;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY-MM-DDThh:mm:ss-05:00` (DGI fechaTZ) for an instant. */
export function toPanamaDateTime(instant: Date): string {
  const local = new Date(instant.getTime() + PANAMA_OFFSET_MINUTES * 60_000);
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}-05:00`
  );
}

/** `YYYYMMDD` of the Panama local date of an instant (the CUFE date). */
export function panamaDateCompact(instant: Date): string {
  return toPanamaDateTime(instant).slice(0, 10).replaceAll('-', '');
}

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * Parses an ISO-8601 date-time. Without an offset it is read as Panama local time (what a POS in
 * Panama means). Returns undefined for anything that is not a real calendar instant.
 */
export function parseDateTime(text: string): Date | undefined {
  const match = ISO_DATE_TIME.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, , zone] = match;
  const offset = zone === undefined ? '-05:00' : zone;
  const instant = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset === 'Z' ? 'Z' : offset}`);
  if (Number.isNaN(instant.getTime())) return undefined;
  // Reject rolled-over dates such as 2026-02-30 (Date silently normalizes them).
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  return instant;
}

/** `YYYY-MM-DD` calendar date validity. */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [, y, m, d] = match;
  const check = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return check.getUTCMonth() === Number(m) - 1 && check.getUTCDate() === Number(d);
}

export const DAY_MS = 24 * 60 * 60 * 1000;
