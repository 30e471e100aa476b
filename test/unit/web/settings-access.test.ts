import { describe, expect, it } from 'vitest';
import { ALERT_KINDS } from '#shared/alerts/kinds';
import { AUDIT_ACTIONS } from '#shared/audit/actions';
import { formErrors, type Refusal } from '../../../web/src/components/form-errors';
import { en, es } from '../../../web/src/i18n/messages';
import { auditSearchSchema, describeChange } from '../../../web/src/routes/audit-search';

/** A refusal as the typed client throws it (its ApiError), without loading the browser-only client. */
function refusal(code: string, message: string, details: Refusal['details']): Refusal {
  return Object.assign(new Error(message), { code, details });
}

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

describe('a refusal on a form', () => {
  it('puts details at the form’s fields and the rest at the top', () => {
    // Prepare
    const exists = refusal('USER_EXISTS', 'This person is already a user', [
      { path: 'email', message: 'already a user of this tenant' },
      { path: 'tenant', message: 'suspended' },
    ]);

    // Act
    const errors = formErrors(exists, ['email', 'name'], 'es');

    // Assess
    expect(errors).toEqual({
      fields: { email: ['already a user of this tenant'] },
      form: ['tenant: suspended'],
    });
  });

  it('says the message of a refusal without details, or the explanation given for its code', () => {
    // Prepare
    const lastAdmin = refusal('LAST_ADMIN', 'The last enabled ADMIN cannot be removed', []);
    const explain = (refused: Refusal) =>
      refused.code === 'LAST_ADMIN' ? 'Es el último administrador' : undefined;

    // Act & Assess
    expect(formErrors(lastAdmin, [], 'es').form).toEqual(['The last enabled ADMIN cannot be removed']);
    expect(formErrors(lastAdmin, [], 'es', explain).form).toEqual(['Es el último administrador']);
    expect(formErrors(new TypeError('Failed to fetch'), ['email'], 'es').form).toEqual(['Failed to fetch']);
    expect(formErrors(null, ['email'], 'es')).toEqual({ fields: {}, form: [] });
  });
});
