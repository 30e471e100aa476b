/**
 * Money and dates as a Panamanian reads them: `B/. 1,234.56` (the balboa sign, comma thousands, two decimals)
 * in both languages, and times in America/Panama whatever the browser's zone. Amounts arrive as the API's
 * decimal strings and are formatted as text, never through a float.
 */
export type Language = 'es' | 'en';

const LOCALES: Record<Language, string> = { es: 'es-PA', en: 'en-US' };
export const PANAMA_TIME_ZONE = 'America/Panama';

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** `"1234.5"` → `B/. 1,234.50`; `"-3"` → `-B/. 3.00`. Half-up to cents, on the digits. */
export function formatMoney(amount: string): string {
  const match = DECIMAL.exec(amount.trim());
  if (!match) return amount;
  const [, sign = '', integer = '0', fraction = ''] = match;
  let cents = BigInt(integer) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
  if ((fraction[2] ?? '0') >= '5') cents += 1n;
  const whole = (cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const rest = (cents % 100n).toString().padStart(2, '0');
  return `${sign && cents > 0n ? '-' : ''}B/. ${whole}.${rest}`;
}

/**
 * The month in letters: es-PA's numeric dates are month first (CLDR) while printed invoices in Panama are day
 * first, so a numeric date would be read wrongly by someone.
 */
const DATE: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric' };

/**
 * Formatters are built once per language: building an Intl.DateTimeFormat with a time zone costs about a
 * millisecond, which a 100-row list would otherwise pay per row and per render.
 */
function perLanguage<T>(build: (locale: string, language: Language) => T): (language: Language) => T {
  const built = new Map<Language, T>();
  return (language) => {
    let formatter = built.get(language);
    if (!formatter) {
      formatter = build(LOCALES[language], language);
      built.set(language, formatter);
    }
    return formatter;
  };
}

const dateTimeFormat = perLanguage(
  (locale, language) =>
    new Intl.DateTimeFormat(locale, {
      ...DATE,
      hour: 'numeric',
      minute: '2-digit',
      hourCycle: language === 'es' ? 'h23' : 'h12',
      timeZone: PANAMA_TIME_ZONE,
    }),
);
const dateFormat = perLanguage(
  (locale) => new Intl.DateTimeFormat(locale, { ...DATE, timeZone: PANAMA_TIME_ZONE }),
);
const countFormat = perLanguage((locale) => new Intl.NumberFormat(locale));

/** A date and time in Panama: `22 nov 2026, 21:30` (es) or `Nov 22, 2026, 9:30 PM` (en). */
export function formatDateTime(iso: string, language: Language): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  return dateTimeFormat(language).format(instant);
}

/** The Panama calendar date of an instant: `22 nov 2026` (es) or `Nov 22, 2026` (en). */
export function formatDate(iso: string, language: Language): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  return dateFormat(language).format(instant);
}

/** A count: `1,234` in both languages. */
export function formatCount(value: number, language: Language): string {
  return countFormat(language).format(value);
}
