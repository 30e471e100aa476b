import { describe, expect, it } from 'vitest';
import { FORECAST_WINDOW_DAYS, forecastFolios, spokenDate } from '#shared/alerts/forecast';

describe('forecastFolios', () => {
  it('averages the window’s consumption and dates the run-out in Panama', () => {
    // Prepare: 150 folios in 30 days = 5 a day; 40 left = 8 days.
    const today = new Date('2026-12-06T15:00:00Z');
    // Act
    const forecast = forecastFolios({ available: 40, used: 150, today });
    // Assess
    expect(forecast).toEqual({
      averageDailyUse: 5,
      runsOutOn: '2026-12-14',
      windowDays: FORECAST_WINDOW_DAYS,
    });
  });

  it('counts the date in Panama time, not UTC', () => {
    // 02:00 UTC on the 7th is still the 6th in Panama (UTC−5).
    const forecast = forecastFolios({ available: 0, used: 30, today: new Date('2026-12-07T02:00:00Z') });
    expect(forecast.runsOutOn).toBe('2026-12-06');
  });

  it('keeps the whole days the available folios cover (a part day does not count)', () => {
    const forecast = forecastFolios({ available: 10, used: 90, today: new Date('2026-12-06T15:00:00Z') });
    // 3 a day → 10 folios last 3 whole days.
    expect(forecast.runsOutOn).toBe('2026-12-09');
  });

  it('has no date without consumption', () => {
    expect(forecastFolios({ available: 500, used: 0, today: new Date('2026-12-06T15:00:00Z') })).toEqual({
      averageDailyUse: 0,
      runsOutOn: null,
      windowDays: FORECAST_WINDOW_DAYS,
    });
  });

  it('rounds the average to two decimals and never dates before today', () => {
    const forecast = forecastFolios({ available: -3, used: 7, today: new Date('2026-12-06T15:00:00Z') });
    expect(forecast.averageDailyUse).toBe(0.23);
    expect(forecast.runsOutOn).toBe('2026-12-06');
  });
});

describe('spokenDate', () => {
  it('writes the date as the e-mails do, in Spanish and English', () => {
    expect(spokenDate('2026-12-14')).toEqual({ es: '14 dic 2026', en: '14 Dec 2026' });
    expect(spokenDate('2027-01-02')).toEqual({ es: '2 ene 2027', en: '2 Jan 2027' });
  });
});
