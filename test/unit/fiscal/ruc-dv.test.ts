import { describe, expect, it } from 'vitest';
import { computeRucDv, isValidRucDv, RucFormatError, rucWorkingString } from '#shared/fiscal/ruc-dv';

// Every vector of §12.2 of the domain brief: RUC, declared type, working string W, DV.
const vectors: [string, '1' | '2', string, string][] = [
  ['155596713-2-2015', '2', '01555967130002002015', '59'],
  ['10102-64-103462', '2', '00000011020064103462', '30'],
  ['8-274-125', '1', '00000005080027400125', '91'],
  ['2588017-1-831938', '2', '00025880170001831938', '20'],
  ['1489806-1-645353', '2', '00014898060001645353', '68'],
  ['797609-1-493865', '2', '00007976090001493865', '12'],
  ['61302-14-123411', '2', '00000613020014123411', '22'],
  ['1102-85-117211', '2', '00000011020085117211', '95'],
  ['8-2743-1253', '1', '00000050800274301253', '31'],
  ['8-769-1080', '1', '00000005080076901080', '56'],
  ['6-108-289', '1', '00000005060010800289', '79'],
  ['2-7-89', '1', '00000005020000700089', '20'],
  ['E-8-127702', '1', '00000050050008127702', '16'],
  ['E-1-11', '1', '00000005005000100011', '63'],
  ['PE-1-19', '1', '00000005007500100019', '60'],
  ['N-19-1821', '1', '00000005004001901821', '11'],
  ['8AV-1-196', '1', '00000005081500100196', '90'],
  ['8PI-1-80', '1', '00000005087900100080', '05'],
  ['8-NT-1-24', '1', '00000005084300100024', '33'],
  ['8-NT-1-419', '2', '00000000084300100419', '68'],
];

describe('computeRucDv', () => {
  it.each(vectors)('%s (type %s) → W %s, DV %s', (ruc, type, w, dv) => {
    // Act
    const working = rucWorkingString(ruc, type);
    const result = computeRucDv(ruc, type);

    // Assess
    expect(working).toBe(w);
    expect(result).toBe(dv);
  });

  it('depends on the declared type: the same NT number differs as natural and juridical', () => {
    // Act
    const natural = computeRucDv('8-NT-1-419', '1');
    const juridical = computeRucDv('8-NT-1-419', '2');

    // Assess
    expect(juridical).toBe('68');
    expect(natural).not.toBe(juridical);
  });

  it('accepts lower-case letters and surrounding spaces', () => {
    // Act & Assess
    expect(computeRucDv(' e-8-127702 ', '1')).toBe('16');
  });

  it.each([
    ['155596713-2-2015', '1', 'a juridical RUC declared natural'],
    ['E-8-127702', '2', 'a foreigner cédula declared juridical'],
    ['8PI-1-80', '2', 'an indigenous cédula declared juridical'],
    ['ABC', '1', 'garbage'],
    ['12345678901-1-1', '2', 'a tomo longer than 10 digits'],
  ] as const)('throws RucFormatError for %s as type %s (%s)', (ruc, type, _why) => {
    // Act & Assess
    expect(() => computeRucDv(ruc, type)).toThrow(RucFormatError);
  });
});

describe('isValidRucDv', () => {
  it('is true for the matching DV and false for another or an unreadable RUC', () => {
    // Act & Assess
    expect(isValidRucDv('155596713-2-2015', '2', '59')).toBe(true);
    expect(isValidRucDv('155596713-2-2015', '2', '58')).toBe(false);
    expect(isValidRucDv('not-a-ruc', '2', '00')).toBe(false);
  });
});
