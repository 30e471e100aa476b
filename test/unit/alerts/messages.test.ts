import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { ALERT_EVENT_TYPES } from '#shared/alerts/kinds';
import { alertMessage, digestMessage } from '#shared/alerts/messages';
import { getAlertPreferences, putAlertPreferences } from '#shared/alerts/preferences';
import { ForbiddenError } from '#shared/errors';
import type { TenantContext } from '#shared/tenancy/context';
import { FakeTable } from '../app/fake-table.ts';
import { setTestEnv, TENANT } from '../app/helpers.ts';

setTestEnv();

const DETAILS: Record<string, Record<string, unknown>> = {
  'hka.waiting-long': { since: '2026-12-06T15:00:00.000Z', waiting: 12 },
  'contingency.started': { environment: 'prod', startedAt: '2026-12-06T15:00:00.000Z' },
  'contingency.ended': {
    environment: 'prod',
    startedAt: '2026-12-06T15:00:00.000Z',
    endedAt: '2026-12-06T18:30:00.000Z',
    documents: 4,
  },
  'folios.low': { available: 20, threshold: 50, cycle: '2026-12' },
  'certificate.expiring': { certificateId: 'ab12', notAfter: '2026-12-13T15:00:00.000Z', daysLeft: 7 },
  'hka.credentials-failing': { environment: 'demo', message: 'Token inválido' },
  'webhook.disabled': { webhookId: 'wh_1', url: 'https://erp.example.com/h', failures: 20 },
};

describe('alert messages', () => {
  const immediate = ALERT_EVENT_TYPES.filter(
    (type): type is Exclude<typeof type, 'document.rejected' | 'document.failed'> =>
      type !== 'document.rejected' && type !== 'document.failed',
  );

  it.each(immediate)('%s: Spanish, then English, with the company and the facts of the event', (type) => {
    const message = alertMessage(
      type,
      { tenantId: TENANT, ...DETAILS[type] },
      { company: 'Ferretería El Clavo' },
    );
    expect(message.subject).toMatch(/^\[factu\] Ferretería El Clavo: /);
    const [es, en] = message.text.split('— English —');
    expect(es).toBeTruthy();
    expect(en).toBeTruthy();
    expect(message.text).not.toContain('—: ');
    expect(message.text).not.toMatch(/undefined|NaN|\[object Object\]/);
  });

  it('hka.waiting-long says how many documents wait, in both languages', () => {
    // Act
    const message = alertMessage(
      'hka.waiting-long',
      { tenantId: TENANT, ...DETAILS['hka.waiting-long'] },
      { company: 'X' },
    );

    // Assess
    expect(message.text).toContain('12 documento(s) esperan para ser enviados');
    expect(message.text).toContain('12 document(s) are waiting to be sent');
  });

  it('writes instants in Panama time', () => {
    const message = alertMessage(
      'certificate.expiring',
      { tenantId: TENANT, ...DETAILS['certificate.expiring'] },
      { company: 'X' },
    );
    expect(message.text).toContain('13 dic 2026 10:00');
    expect(message.text).toContain('13 Dec 2026 10:00');
  });

  it('the digest lists the problems oldest first, with number, status and reason', () => {
    const message = digestMessage(
      [
        {
          documentId: 'b',
          number: '0000-001-0000000002',
          status: 'FAILED',
          reason: 'HKA refused',
          at: '2026-12-06T15:05:00Z',
        },
        {
          documentId: 'a',
          number: '0000-001-0000000001',
          status: 'REJECTED',
          reason: 'RUC',
          at: '2026-12-06T15:00:00Z',
        },
      ],
      'X',
    );
    expect(message.subject).toContain('2 documento(s)');
    expect(message.text.indexOf('0000-001-0000000001 (rechazado): RUC')).toBeLessThan(
      message.text.indexOf('0000-001-0000000002 (fallido): HKA refused'),
    );
    expect(message.text).toContain('0000-001-0000000001 (rejected): RUC');
  });
});

describe('alert preferences', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const table = new FakeTable();
  table.install(ddb);
  const person: TenantContext = {
    tenantId: TENANT,
    actor: { type: 'user', id: 'ana', email: 'ana@example.com' },
    roles: ['ADMIN'],
  };

  it('are the person’s own, each kind once, in the catalogue’s order', async () => {
    await putAlertPreferences(person, { optOut: ['webhook-disabled', 'folios-low', 'folios-low'] });
    expect((await getAlertPreferences(person)).optOut).toEqual(['folios-low', 'webhook-disabled']);
    const other = { ...person, actor: { type: 'user' as const, id: 'beto', email: undefined } };
    expect((await getAlertPreferences(other)).optOut).toEqual([]);
  });

  it('are refused to an API key (it receives no alerts)', async () => {
    const key: TenantContext = { ...person, actor: { type: 'api-key', id: 'k1', prefix: 'fk_live_ab' } };
    await expect(getAlertPreferences(key)).rejects.toThrow(ForbiddenError);
    await expect(putAlertPreferences(key, { optOut: [] })).rejects.toMatchObject({
      code: 'ALERT_PREFERENCES_PERSON_ONLY',
    });
  });
});
