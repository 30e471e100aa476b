import { describe, expect, it } from 'vitest';
import { crossedThreshold, daysUntil } from '#shared/alerts/certificate-thresholds';
import { digestWindowEnd, dueBound, isDigestDue } from '#shared/alerts/digest-window';
import { alertKeys } from '#shared/data/keys';
import {
  assertCertificateNotExpired,
  SigningCertificateExpiredError,
} from '#shared/tenancy/certificate-expiry';

describe('certificate expiry thresholds', () => {
  const now = new Date('2026-12-06T12:00:00Z');

  it('counts whole days left, rounding a part day up', () => {
    expect(daysUntil(new Date('2026-12-13T12:00:00Z'), now)).toBe(7);
    expect(daysUntil(new Date('2026-12-06T13:00:00Z'), now)).toBe(1);
    expect(daysUntil(new Date('2026-12-06T11:00:00Z'), now)).toBe(0);
  });

  it.each([
    [45, undefined],
    [31, undefined],
    [30, 30],
    [8, 30],
    [7, 7],
    [5, 7],
    [2, 7],
    [1, 1],
    [0, undefined],
    [-3, undefined],
  ])('%i days left → threshold %s', (daysLeft, threshold) => {
    expect(crossedThreshold(daysLeft)).toBe(threshold);
  });
});

describe('digest window', () => {
  it('ends 15 minutes after the problem that opens it, and is due from then on', () => {
    // Prepare
    const opened = new Date('2026-12-06T12:00:00.000Z');
    // Act
    const end = digestWindowEnd(opened);
    // Assess
    expect(end).toBe('2026-12-06T12:15:00.000Z');
    expect(isDigestDue(end, new Date('2026-12-06T12:14:59.999Z'))).toBe(false);
    expect(isDigestDue(end, new Date('2026-12-06T12:15:00.000Z'))).toBe(true);
  });

  it('the due bound takes every tenant of windows ended by now, none of later windows', () => {
    const now = new Date('2026-12-06T12:15:00.000Z');
    const bound = dueBound(now);
    const endedNow = alertKeys.digestDue('zzz-tenant-9', '2026-12-06T12:15:00.000Z').sk;
    const later = alertKeys.digestDue('a', '2026-12-06T12:15:00.001Z').sk;
    expect(endedNow <= bound).toBe(true);
    expect(later <= bound).toBe(false);
  });
});

describe('assertCertificateNotExpired', () => {
  const now = new Date('2026-12-06T12:00:00.000Z');

  it('refuses a certificate from its notAfter on, with the date', () => {
    expect(() => assertCertificateNotExpired({ notAfter: '2026-12-06T12:00:00.000Z' }, now)).toThrow(
      new SigningCertificateExpiredError('2026-12-06T12:00:00.000Z'),
    );
    expect(() => assertCertificateNotExpired({ notAfter: '2026-12-06T12:00:00.001Z' }, now)).not.toThrow();
  });

  it('does not judge a certificate stored without its dates', () => {
    expect(() => assertCertificateNotExpired({}, now)).not.toThrow();
  });
});
