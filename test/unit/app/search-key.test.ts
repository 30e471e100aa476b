import { describe, expect, it } from 'vitest';
import { SEARCH_KEY_MAX_LENGTH, searchKey, uniqueKey } from '#shared/data/search-key';

describe('searchKey', () => {
  it('folds case and accents, so a typed prefix finds a DGI register spelling', () => {
    // Prepare / Act / Assess
    expect(searchKey('Peña')).toBe(searchKey('PENA'));
    expect(searchKey('Distribuidora Ñandú, S.A.')).toBe('distribuidora nandu s a');
    expect(searchKey('ÁÉÍÓÚÜ áéíóúü')).toBe('aeiouu aeiouu');
  });

  it('folds punctuation and repeated spaces into one space, without leading or trailing ones', () => {
    expect(searchKey('  Café   "El  Rincón"  ')).toBe('cafe el rincon');
    expect(searchKey('8-NT-1-12345')).toBe('8 nt 1 12345');
  });

  it('keeps a stored key short enough for an index sort key', () => {
    const key = searchKey(`${'abc '.repeat(60)}xyz`);
    expect(key.length).toBeLessThanOrEqual(SEARCH_KEY_MAX_LENGTH);
    expect(key.endsWith(' ')).toBe(false);
  });

  it('a prefix of a name normalizes to a prefix of the name’s key', () => {
    const name = 'José Antonio Núñez';
    for (let n = 1; n <= name.length; n++) {
      const prefix = searchKey(name.slice(0, n));
      expect(searchKey(name).startsWith(prefix)).toBe(true);
    }
  });
});

describe('uniqueKey', () => {
  it('is one value whatever its case, and keeps the punctuation that tells two codes apart', () => {
    expect(uniqueKey('cafe')).toBe(uniqueKey('CAFE'));
    expect(uniqueKey('sop-001')).toBe('SOP-001');
    expect(uniqueKey('SOP-001')).not.toBe(uniqueKey('SOP001'));
    // A prefix typed in any case is a prefix of the stored form.
    expect(uniqueKey('Tal-AbC-9').startsWith(uniqueKey('tal-a'))).toBe(true);
  });
});
