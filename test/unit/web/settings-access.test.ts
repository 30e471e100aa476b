import { describe, expect, it } from 'vitest';
import { ALERT_KINDS } from '#shared/alerts/kinds';
import { AUDIT_ACTIONS } from '#shared/audit/actions';
import { en, es } from '../../../web/src/i18n/messages';
import { auditSearchSchema, describeChange } from '../../../web/src/routes/audit-search';

describe('the audit screen’s address bar', () => {
  it('keeps the filters the API accepts and drops the rest rather than sending them', () => {
    // Prepare
    const address = { from: '2026-12-01', to: '2026-02-30', action: 'api-key.created', actorId: '  ' };

    // Act
    const search = auditSearchSchema.parse(address);

    // Assess
    expect(search).toEqual({ from: '2026-12-01', action: 'api-key.created' });
    expect(auditSearchSchema.parse({ action: 'api-key.stolen', actorId: 'abc' })).toEqual({ actorId: 'abc' });
  });

  it('shows a change as from → to, either side absent', () => {
    // Act & Assess
    expect(describeChange('lowFolioThreshold', { from: 50, to: 100 })).toBe('lowFolioThreshold: 50 → 100');
    expect(describeChange('role', { to: 'USER' })).toBe('role: USER');
    expect(describeChange('enabled', { from: true })).toBe('enabled: true → —');
    expect(describeChange('events', { from: ['a'], to: ['a', 'b'] })).toBe('events: ["a"] → ["a","b"]');
  });
});

describe('the console names what the API lists', () => {
  it('names every audit action and alert kind in both languages', () => {
    // Prepare
    const keys = [
      ...AUDIT_ACTIONS.map((action) => `auditAction.${action}`),
      ...ALERT_KINDS.map((kind) => `alertKind.${kind}`),
    ];

    // Act & Assess
    for (const key of keys) {
      expect(es, key).toHaveProperty([key]);
      expect(en, key).toHaveProperty([key]);
    }
  });
});
