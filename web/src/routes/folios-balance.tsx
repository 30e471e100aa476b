import type { paths } from '../api/schema.gen';
import { useI18n } from '../i18n/i18n';

type Folios = paths['/v1/folios']['get']['responses'][200]['content']['application/json']['data'];

/** A Panama calendar date (`2027-05-02`) as an instant inside that day, so it formats as that same day. */
export function panamaDay(date: string): string {
  return `${date}T12:00:00-05:00`;
}

/** A run-out date more than a year away is no date to plan by: it is said as "more than a year". */
function beyondAYear(date: string): boolean {
  return Date.parse(panamaDay(date)) - Date.now() > 365 * 86_400_000;
}

/** The folio balance as last synchronized with HKA, and when it runs out at the recent rate of use. */
export function FolioBalance({ balance, forecast }: Pick<Folios, 'balance' | 'forecast'>) {
  const { t, count, date, dateTime } = useI18n();
  if (!balance) return <p>{t('home.foliosUnknown')}</p>;
  return (
    <>
      <p className="figure" data-testid="folio-balance">
        {count(balance.poolAvailable)}
      </p>
      <p>{t('home.foliosOf', { total: count(balance.cycleTotal), cycle: balance.cycle })}</p>
      {forecast && (
        <p data-testid="folio-forecast">
          {forecast.runsOutOn && beyondAYear(forecast.runsOutOn)
            ? t('home.forecastFar', {
                rate: count(Math.round(forecast.averageDailyUse * 10) / 10),
                days: forecast.windowDays,
              })
            : forecast.runsOutOn
              ? t('home.forecast', {
                  date: date(panamaDay(forecast.runsOutOn)),
                  rate: count(Math.round(forecast.averageDailyUse * 10) / 10),
                  days: forecast.windowDays,
                })
              : t('home.forecastNoUse', { days: forecast.windowDays })}
        </p>
      )}
      <p className="muted">{t('home.syncedAt', { at: dateTime(balance.syncedAt) })}</p>
    </>
  );
}
