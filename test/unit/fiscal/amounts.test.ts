import { describe, expect, it } from 'vitest';
import {
  canonicalDecimal,
  dec,
  formatMoney2,
  formatMoney6,
  formatQuantity,
  round2,
} from '#shared/fiscal/amounts';

describe('round2', () => {
  it.each([
    ['0.8575', '0.86'],
    ['0.8085', '0.81'],
    ['0.2884', '0.29'],
    ['0.005', '0.01'],
    ['0.004999', '0.00'],
    ['2.675', '2.68'], // 2.675 is 2.67499… as a float; decimal arithmetic rounds it half-up correctly
  ])('rounds %s half-up to %s', (value, expected) => {
    // Act & Assess
    expect(round2(dec(value)).toFixed(2)).toBe(expected);
  });
});

describe('DGI number formats', () => {
  it('montoTipo01 has exactly 2 decimals', () => {
    // Act & Assess
    expect(formatMoney2(dec('7'))).toBe('7.00');
    expect(formatMoney2(dec('685.655'))).toBe('685.66');
  });

  it('montoTipo06 keeps 2 to 6 decimals', () => {
    // Act & Assess
    expect(formatMoney6(dec('12'))).toBe('12.00');
    expect(formatMoney6(dec('0.012345'))).toBe('0.012345');
    expect(formatMoney6(dec('3.4567891'))).toBe('3.456789');
    expect(formatMoney6(dec('1.5'))).toBe('1.50');
    expect(formatMoney6(dec('86.3884'))).toBe('86.3884');
  });

  it('quantities have up to 6 decimals and no trailing zeros', () => {
    // Act & Assess
    expect(formatQuantity(dec('1.000'))).toBe('1');
    expect(formatQuantity(dec('12.345'))).toBe('12.345');
  });
});

describe('canonicalDecimal', () => {
  it.each([
    [0.1, '0.1'],
    [12.5, '12.5'],
    ['007.50', '7.5'],
    ['.5', '0.5'],
    [1e-7, '0.0000001'],
  ] as const)('normalizes %s to %s without float arithmetic', (input, expected) => {
    // Act & Assess
    expect(canonicalDecimal(input)).toBe(expected);
  });

  it.each([['abc'], ['1e3'], ['1,5'], [Number.NaN], [Number.POSITIVE_INFINITY], ['']])(
    'rejects %s',
    (input) => {
      // Act & Assess
      expect(canonicalDecimal(input)).toBeUndefined();
    },
  );
});
