import { PANAMA_TIME_ZONE } from '../i18n/format';

/**
 * Calendar days and months as the API's reports count them: in Panama time, whatever the browser's zone (a
 * laptop in Miami at 23:30 is already tomorrow in UTC but still today in Panama).
 */
const PANAMA_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: PANAMA_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** `2026-12-06`: the Panama date of an instant. */
export function panamaDate(at: Date): string {
  return PANAMA_DAY.format(at);
}

/** `2026-12`: the Panama month of an instant. */
export function panamaMonth(at: Date): string {
  return panamaDate(at).slice(0, 7);
}

/** The first and last calendar dates of a `YYYY-MM` month (export periods take dates). */
export function monthBounds(month: string): { from: string; to: string } {
  const [year = 0, monthNumber = 1] = month.split('-').map(Number);
  const lastDay = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(lastDay).padStart(2, '0')}` };
}

/** Whole days from `now` until an instant (negative once past). */
export function daysUntil(iso: string, now: Date): number {
  return Math.floor((Date.parse(iso) - now.getTime()) / 86_400_000);
}
