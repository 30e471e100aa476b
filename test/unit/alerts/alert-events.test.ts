/**
 * Alert e-mails end to end in process: events through the consumer, the digest through its sweep, the
 * certificate scan, against the in-memory table and mocked SES/EventBridge.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { scanCertificateExpiry } from '#shared/alerts/certificate-scan';
import { type AlertEvent, alertEventOf, handleAlertEvent } from '#shared/alerts/consume';
import { flushDueDigests } from '#shared/alerts/digest';
import { alertStore } from '#shared/alerts/store';
import { documentItem } from '#shared/data/documents';
import { keys } from '#shared/data/keys';
import { MalformedMessageError } from '#shared/documents/email';
import { FakeTable } from '../app/fake-table.ts';
import { documentRecord } from '../app/fixtures.ts';
import { setTestEnv, TENANT } from '../app/helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESv2Client);
const bus = mockClient(EventBridgeClient);
const table = new FakeTable();

const T0 = new Date('2026-12-06T12:00:00.000Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

function putUser(userId: string, role: string, enabled = true) {
  table.put({
    ...keys.user(TENANT, userId),
    userId,
    email: `${userId}@example.com`,
    name: userId,
    role,
    enabled,
    createdAt: T0.toISOString(),
  });
}

const sentMails = () =>
  ses.commandCalls(SendEmailCommand).map((call) => ({
    to: call.args[0].input.Destination?.ToAddresses ?? [],
    subject: call.args[0].input.Content?.Simple?.Subject?.Data ?? '',
    text: call.args[0].input.Content?.Simple?.Body?.Text?.Data ?? '',
  }));

const event = (id: string, type: AlertEvent['type'], detail: Record<string, unknown>): AlertEvent => ({
  id,
  type,
  tenantId: TENANT,
  detail: { tenantId: TENANT, ...detail },
});

beforeEach(() => {
  ddb.reset();
  ses.reset();
  bus.reset();
  table.clear();
  table.install(ddb);
  ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
  bus.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  table.put({ ...keys.tenantProfile(TENANT), tenantId: TENANT, name: 'Ferretería El Clavo, S.A.' });
  putUser('ana', 'ADMIN');
  putUser('beto', 'ADMIN');
  putUser('caja', 'USER');
});

describe('alert events', () => {
  it('reads the EventBridge event from the queue message and refuses what is not an alert', () => {
    const body = JSON.stringify({
      id: 'ev-1',
      'detail-type': 'webhook.disabled',
      source: 'factu.webhooks',
      detail: { tenantId: TENANT, webhookId: 'wh_1' },
    });
    expect(alertEventOf(body)).toMatchObject({ id: 'ev-1', type: 'webhook.disabled', tenantId: TENANT });
    expect(() =>
      alertEventOf(JSON.stringify({ id: 'x', 'detail-type': 'document.authorized', detail: {} })),
    ).toThrow(MalformedMessageError);
    expect(() => alertEventOf('not json')).toThrow(MalformedMessageError);
  });

  it('mails an event once to the ADMINs, however often it is delivered', async () => {
    // Prepare
    const disabled = event('ev-1', 'webhook.disabled', {
      webhookId: 'wh_1',
      url: 'https://erp.example.com/hooks',
      failures: 10,
    });
    // Act
    const first = await handleAlertEvent(disabled, T0);
    const again = await handleAlertEvent(disabled, minutes(1));
    // Assess
    expect(first).toEqual({ outcome: 'sent', recipients: 2 });
    expect(again).toEqual({ outcome: 'skipped', reason: 'already sent' });
    const mails = sentMails();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual(['ana@example.com', 'beto@example.com']);
    expect(mails[0]!.subject).toContain('Ferretería El Clavo');
    expect(mails[0]!.text).toContain('https://erp.example.com/hooks');
    expect(mails[0]!.text).toContain('— English —');
  });

  it('leaves out an ADMIN who opted out of that kind', async () => {
    await alertStore.putOptOut(TENANT, 'beto', ['webhook-disabled'], T0);
    await handleAlertEvent(event('ev-2', 'webhook.disabled', { webhookId: 'wh_1' }), T0);
    expect(sentMails()[0]!.to).toEqual(['ana@example.com']);
  });

  it('sends again when the first delivery failed to send (the claim is given back)', async () => {
    // Prepare
    ses.on(SendEmailCommand).rejectsOnce(new Error('Throttling'));
    const credentials = event('ev-3', 'hka.credentials-failing', { environment: 'demo', message: 'token' });
    // Act
    await expect(handleAlertEvent(credentials, T0)).rejects.toThrow('Throttling');
    const retry = await handleAlertEvent(credentials, minutes(1));
    // Assess
    expect(retry).toEqual({ outcome: 'sent', recipients: 2 });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2);
  });

  it('puts the forecast in the folios-low e-mail', async () => {
    // Prepare: 60 documents authorized in the last 30 days = 2 a day; 20 folios left = 10 days.
    for (let i = 0; i < 60; i++) {
      const id = `01KAQ00000000000000000${String(i).padStart(4, '0')}`;
      table.put(
        documentItem(
          documentRecord({
            documentId: id,
            status: 'AUTHORIZED',
            leaseUntil: undefined,
            issuedAt: minutes(-60 * 24 * (i % 29) - 5).toISOString(),
          }),
        ),
      );
    }
    // Act
    await handleAlertEvent(
      event('ev-4', 'folios.low', { available: 20, threshold: 50, cycle: '2026-12' }),
      T0,
    );
    // Assess
    const [mail] = sentMails();
    expect(mail!.text).toContain('sus folios se agotan el 16 dic 2026');
    expect(mail!.text).toContain('your folios run out on 16 Dec 2026');
  });
});

describe('documents-problems digest', () => {
  const rejected = (n: number) => {
    const documentId = `01KAQ0000000000000000000R${n}`;
    table.put(
      documentItem(
        documentRecord({
          documentId,
          number: `000000000${n}`,
          status: 'REJECTED',
          leaseUntil: undefined,
          reasons: [{ path: 'receiver.ruc', message: `RUC ${n} no inscrito` }],
        }),
      ),
    );
    return event(`ev-r${n}`, 'document.rejected', { documentId });
  };

  it('gathers the problems of a window into one e-mail when it ends, and nothing before', async () => {
    // Prepare / Act: two rejections 5 minutes apart.
    const a = await handleAlertEvent(rejected(1), T0);
    const b = await handleAlertEvent(rejected(2), minutes(5));
    await handleAlertEvent(rejected(2), minutes(6)); // a redelivery
    const early = await flushDueDigests(minutes(14));
    // Assess
    expect(a).toEqual({ outcome: 'digested', windowEndsAt: minutes(15).toISOString() });
    expect(b).toEqual(a);
    expect(early.flushed).toBe(0);
    expect(sentMails()).toHaveLength(0);

    // Act: the window ends.
    const due = await flushDueDigests(minutes(15));
    const extra = await flushDueDigests(minutes(20));
    // Assess: one e-mail with both documents; an extra sweep sends nothing.
    expect(due).toEqual({ flushed: 1, failed: 0 });
    expect(extra.flushed).toBe(0);
    const mails = sentMails();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain('RUC 1 no inscrito');
    expect(mails[0]!.text).toContain('RUC 2 no inscrito');
    expect(mails[0]!.subject).toContain('2 documento(s)');
  });

  it('a problem after the e-mail opens the next window, and is mailed then', async () => {
    await handleAlertEvent(rejected(1), T0);
    await flushDueDigests(minutes(15));
    const next = await handleAlertEvent(rejected(3), minutes(16));
    expect(next).toEqual({ outcome: 'digested', windowEndsAt: minutes(31).toISOString() });
    await flushDueDigests(minutes(30));
    expect(sentMails()).toHaveLength(1);
    await flushDueDigests(minutes(31));
    expect(sentMails()).toHaveLength(2);
    expect(sentMails()[1]!.text).toContain('RUC 3 no inscrito');
    expect(sentMails()[1]!.text).not.toContain('RUC 1 no inscrito');
  });
});

describe('certificate expiry scan', () => {
  const certificate = (notAfter: string) => {
    table.put({ ...keys.tenantRegistryEntry(TENANT), tenantId: TENANT, status: 'active' });
    table.put({
      ...keys.signingKey(TENANT),
      kmsKeyId: 'key-1',
      certificatePem: 'PEM',
      notAfter,
      fingerprintSha256: 'ab12',
      createdAt: T0.toISOString(),
    });
  };
  const published = () =>
    bus.commandCalls(PutEventsCommand).map((call) => JSON.parse(call.args[0].input.Entries![0]!.Detail!));

  it('publishes each threshold once, the tightest crossed', async () => {
    // Prepare: 5 days left.
    certificate('2026-12-11T12:00:00.000Z');
    // Act
    await scanCertificateExpiry(T0);
    await scanCertificateExpiry(minutes(60));
    // Assess: the 7-day warning, once.
    expect(published()).toEqual([
      { tenantId: TENANT, certificateId: 'ab12', notAfter: '2026-12-11T12:00:00.000Z', daysLeft: 5 },
    ]);
    // Act: 1 day left → the 1-day warning.
    await scanCertificateExpiry(new Date('2026-12-10T13:00:00.000Z'));
    expect(published().map((detail) => detail.daysLeft)).toEqual([5, 1]);
  });

  it('publishes nothing for a certificate far from expiry or already expired', async () => {
    certificate('2027-06-01T00:00:00.000Z');
    await scanCertificateExpiry(T0);
    certificate('2026-12-01T00:00:00.000Z');
    await scanCertificateExpiry(T0);
    expect(published()).toEqual([]);
  });
});
