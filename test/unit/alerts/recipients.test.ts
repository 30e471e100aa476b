import { describe, expect, it } from 'vitest';
import type { AlertKind } from '#shared/alerts/kinds';
import { type AlertUser, alertRecipients } from '#shared/alerts/recipients';

const user = (userId: string, overrides: Partial<AlertUser> = {}): AlertUser => ({
  userId,
  email: `${userId}@example.com`,
  role: 'ADMIN',
  enabled: true,
  ...overrides,
});

describe('alertRecipients', () => {
  const users = [
    user('ana'),
    user('beto'),
    user('caja', { role: 'USER' }),
    user('disabled', { enabled: false }),
    user('leaving', { deleting: true }),
  ];

  it('sends to the enabled ADMINs only', () => {
    expect(alertRecipients(users, new Map(), 'folios-low')).toEqual(['ana@example.com', 'beto@example.com']);
  });

  it('leaves out an ADMIN who opted out of that kind, and only of that kind', () => {
    // Prepare
    const optOuts = new Map<string, Set<AlertKind>>([['beto', new Set(['folios-low'])]]);
    // Act / Assess
    expect(alertRecipients(users, optOuts, 'folios-low')).toEqual(['ana@example.com']);
    expect(alertRecipients(users, optOuts, 'certificate-expiring')).toEqual([
      'ana@example.com',
      'beto@example.com',
    ]);
  });

  it('names an address once', () => {
    const twice = [user('ana'), user('ana2', { email: 'ana@example.com' })];
    expect(alertRecipients(twice, new Map(), 'contingency')).toEqual(['ana@example.com']);
  });
});
