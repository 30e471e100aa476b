import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatMoney } from '../../../web/src/i18n/format';
import { en, es, interpolate } from '../../../web/src/i18n/messages';

describe('money as a Panamanian reads it', () => {
  it.each([
    ['1234.56', 'B/. 1,234.56'],
    ['0', 'B/. 0.00'],
    ['4.6', 'B/. 4.60'],
    ['1234567.891', 'B/. 1,234,567.89'],
    ['0.245', 'B/. 0.25'],
    ['-3', '-B/. 3.00'],
    ['-0.001', 'B/. 0.00'],
    ['999.995', 'B/. 1,000.00'],
  ])('%s → %s', (amount, expected) => {
    expect(formatMoney(amount)).toBe(expected);
  });

  it('leaves what is not a decimal as it came', () => {
    expect(formatMoney('n/a')).toBe('n/a');
  });
});

describe('dates in America/Panama', () => {
  it('shows the Panama wall clock whatever the instant’s offset', () => {
    // Prepare: 02:30 UTC on the 23rd is 21:30 on the 22nd in Panama (UTC−5, no DST)
    const instant = '2026-11-23T02:30:00Z';

    // Act
    const spanish = formatDateTime(instant, 'es');
    const english = formatDateTime(instant, 'en');

    // Assess
    expect(spanish).toBe('22 nov 2026, 21:30');
    expect(english).toBe('Nov 22, 2026, 9:30 PM');
    expect(formatDate(instant, 'es')).toBe('22 nov 2026');
    expect(formatDate('not a date', 'es')).toBe('not a date');
  });
});

describe('messages', () => {
  it('English has every Spanish key and no other', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(es).sort());
  });

  it('fills placeholders and keeps unknown ones', () => {
    expect(interpolate('Línea {n} de {total}', { n: 2 })).toBe('Línea 2 de {total}');
  });
});
