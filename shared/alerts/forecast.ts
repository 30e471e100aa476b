import { toPanamaDateTime } from '#shared/fiscal/panama-time';

/** How far back consumption is averaged. */
export const FORECAST_WINDOW_DAYS = 30;

export type FolioForecast = {
  /** Folios used per day on average over the window (two decimals). */
  averageDailyUse: number;
  /** The Panama date (`YYYY-MM-DD`) the available folios run out at that rate; null without consumption. */
  runsOutOn: string | null;
  /** The window the average covers, in days. */
  windowDays: number;
};

const DAY_MS = 86_400_000;

/**
 * When the available folios run out at the rate of the last `FORECAST_WINDOW_DAYS` days: `used` folios in
 * the window → a daily average; the last whole day they cover counts from today (Panama). No consumption
 * means no date (nothing runs out), and nothing available runs out today.
 */
export function forecastFolios(input: { available: number; used: number; today: Date }): FolioForecast {
  const averageDailyUse = input.used / FORECAST_WINDOW_DAYS;
  const rounded = Math.round(averageDailyUse * 100) / 100;
  if (averageDailyUse <= 0) return { averageDailyUse: 0, runsOutOn: null, windowDays: FORECAST_WINDOW_DAYS };
  const daysLeft = Math.max(0, Math.floor(Math.max(0, input.available) / averageDailyUse));
  const runsOut = new Date(input.today.getTime() + daysLeft * DAY_MS);
  return {
    averageDailyUse: rounded,
    runsOutOn: toPanamaDateTime(runsOut).slice(0, 10),
    windowDays: FORECAST_WINDOW_DAYS,
  };
}

const MONTHS_ES = ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sep', 'oct', 'nov', 'dic'];
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2026-12-14` → `14 dic 2026` / `14 Dec 2026`: how the e-mails write a date. */
export function spokenDate(isoDate: string): { es: string; en: string } {
  const [year, month, day] = isoDate.slice(0, 10).split('-').map(Number) as [number, number, number];
  return {
    es: `${day} ${MONTHS_ES[month - 1]} ${year}`,
    en: `${day} ${MONTHS_EN[month - 1]} ${year}`,
  };
}
