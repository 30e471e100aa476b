import { describe, expect, it } from 'vitest';
import {
  base64Of,
  CERTIFICATE_MAX_BYTES,
  certificateProblem,
  LOGO_MAX_BYTES,
  logoProblem,
  validityOf,
} from '../../../web/src/routes/settings/company-files';

describe('a logo is checked against the API’s limits before it is sent', () => {
  it.each([
    [{ type: 'image/png', size: 10_000 }, undefined],
    [{ type: 'image/jpeg', size: LOGO_MAX_BYTES }, undefined],
    [
      { type: 'image/png', size: LOGO_MAX_BYTES + 1 },
      { problem: 'too-big', kilobytes: 201 },
    ],
    [{ type: 'image/gif', size: 10 }, { problem: 'wrong-type' }],
    [{ type: 'image/svg+xml', size: 10 }, { problem: 'wrong-type' }],
    [{ type: '', size: 10 }, { problem: 'wrong-type' }],
  ])('%o → %o', (file, expected) => {
    // Act
    const problem = logoProblem(file);

    // Assess
    expect(problem).toEqual(expected);
  });
});

describe('a certificate fits the API’s 200,000 base64 characters', () => {
  it('refuses a file whose base64 would be longer', () => {
    // Prepare: base64 is 4 characters per 3 bytes
    const largest = CERTIFICATE_MAX_BYTES;

    // Act
    const fits = certificateProblem({ size: largest });
    const tooBig = certificateProblem({ size: largest + 1 });

    // Assess
    expect(Math.ceil(largest / 3) * 4).toBeLessThanOrEqual(200_000);
    expect(fits).toBeUndefined();
    expect(tooBig).toEqual({ problem: 'too-big', kilobytes: 147 });
  });
});

describe('file bytes as base64', () => {
  it('encodes every byte value, across the chunk boundary', async () => {
    // Prepare: more than one 32 KiB chunk, every byte value present
    const bytes = Uint8Array.from({ length: 70_000 }, (_, index) => (index * 7) % 256);

    // Act
    const encoded = await base64Of(new Blob([bytes]));

    // Assess
    expect(Buffer.from(encoded, 'base64').equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('a certificate’s validity', () => {
  const now = new Date('2026-12-06T12:00:00Z');

  it.each([
    ['2026-12-06T11:59:59Z', 'expired'],
    ['2026-12-06T12:00:00Z', 'expired'],
    ['2026-12-20T00:00:00Z', 'expiring-soon'],
    ['2027-01-05T12:00:00Z', 'expiring-soon'],
    ['2027-01-05T12:00:01Z', 'valid'],
    ['2028-01-15T00:00:00Z', 'valid'],
    [null, 'unknown'],
    ['not a date', 'unknown'],
  ])('valid until %s → %s', (notAfter, expected) => {
    // Act
    const validity = validityOf(notAfter, now);

    // Assess
    expect(validity).toBe(expected);
  });
});
