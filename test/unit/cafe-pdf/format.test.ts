import { describe, expect, it } from 'vitest';
import { groupThousands, panamaDate, panamaDateTime } from '#shared/fiscal/cafe-pdf/format';
import { toWinAnsi } from '#shared/fiscal/cafe-pdf/text';

describe('groupThousands', () => {
  it.each([
    ['0.00', '0.00'],
    ['999.99', '999.99'],
    ['1000', '1,000'],
    ['1234567.123456', '1,234,567.123456'],
    ['12345678901.00', '12,345,678,901.00'],
  ])('%s → %s', (input, expected) => {
    expect(groupThousands(input)).toBe(expected);
  });

  it('leaves anything that is not a plain decimal untouched', () => {
    expect(groupThousands('N/A')).toBe('N/A');
  });
});

describe('panamaDateTime', () => {
  it('prints DGI fechaTZ as Panama local time', () => {
    expect(panamaDateTime('2026-11-20T09:15:00-05:00')).toBe('20/11/2026 09:15:00');
  });

  it('converts other offsets to Panama time (UTC−5, no DST)', () => {
    expect(panamaDateTime('2026-11-21T02:30:00Z')).toBe('20/11/2026 21:30:00');
    expect(panamaDate('2026-11-21T02:30:00Z')).toBe('20/11/2026');
  });

  it('prints unparseable text as received', () => {
    expect(panamaDateTime('20/11/2026 9:15 a. m.')).toBe('20/11/2026 9:15 a. m.');
  });
});

describe('toWinAnsi', () => {
  it('keeps Spanish text and WinAnsi punctuation', () => {
    expect(toWinAnsi('Ñandú ¿Cuánto? ¡Sí! “ok” – € 5 • ü')).toBe('Ñandú ¿Cuánto? ¡Sí! “ok” – € 5 • ü');
  });

  it('strips accents the fonts lack, replaces the rest, keeps line breaks', () => {
    expect(toWinAnsi('Erdős\tŁ 😀\r\nfin')).toBe('Erdos ? ?\nfin');
  });
});
