import { randomUUID } from 'node:crypto';
import { QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, readCdkJsonContext } from '#infra/config';
import { spokenDate } from '#shared/alerts/forecast';
import { ALERT_KINDS } from '#shared/alerts/kinds';
import { generateTestCertificate } from '#shared/signing/test-certificate';
import {
  advanceClock,
  callApi,
  dynamoClient,
  exampleDocument,
  fireSchedules,
  issue,
  issueAndWait,
  type Json,
  localStack,
  type Mail,
  newUserSession,
  pollUntil,
  resetClock,
  type Session,
  sentMails,
  session,
  tableName,
  waitForFinal,
} from './helpers/local-cloud.ts';

// The test clock moves here: the next files run on the real time again.
afterAll(resetClock);

/**
 * Alert e-mails to the tenant's ADMINs through the local cloud: preferences (opt-outs), folios low with the
 * forecast, a certificate near its expiry (the daily scan), an expired certificate refused, HKA refusing the
 * credentials, the 15-minute digest of failed documents (test clock), `webhook.disabled` put on the bus.
 *
 * Runs on the second demo tenant with two ADMINs created for this file (their addresses are new, so every mail
 * to them is this file's); the threshold, channel, environment and certificate are restored at the end.
 */

const TENANT = 1;
const POS = '071';
const PIN = 'Pin-Alertas-2026';
const DAY_MS = 86_400_000;
const key = () => ({ 'idempotency-key': randomUUID() });
const document = () => ({ ...(exampleDocument('invoice-final-consumer.json') as Json), pointOfSale: POS });

describe('alert e-mails', () => {
  let admin: Session;
  let watcher: Session & { userId: string };
  let optedOut: Session & { userId: string };
  let tenantId: string;
  let originalThreshold: number;

  /** The first mail to `to` whose subject contains `subject`, waiting for it. */
  const mailTo = async (to: string, subject: string, timeoutMs = 30_000): Promise<Mail> => {
    const matches = (mail: Mail) => mail.destination.to.includes(to) && mail.subject.includes(subject);
    const mails = await pollUntil(sentMails, (all) => all.some(matches), timeoutMs);
    return mails.find(matches)!;
  };
  const mailsTo = async (to: string, subject: string) =>
    (await sentMails()).filter((mail) => mail.destination.to.includes(to) && mail.subject.includes(subject));
  const upload = (notAfter: Date) => {
    const { ruc, dv, name } = localStack().demo.tenants[TENANT]!;
    const p12 = generateTestCertificate({ ruc, dv, name, notAfter }).toP12(PIN);
    return admin.call('POST', '/v1/certificates', {
      body: { p12: p12.toString('base64'), pin: PIN },
      headers: key(),
    });
  };

  beforeAll(async () => {
    admin = await session(TENANT, 'ADMIN');
    tenantId = admin.user.tenantId;
    [watcher, optedOut] = await Promise.all([
      newUserSession(TENANT, 'ADMIN', 'alertas'),
      newUserSession(TENANT, 'ADMIN', 'sinfolios'),
    ]);
    const pos = await admin.call('POST', '/v1/branches/0000/points-of-sale', {
      body: { code: POS, name: 'Caja de alertas' },
      headers: key(),
    });
    expect([201, 409], pos.text).toContain(pos.status);
    const settings = await admin.call('GET', '/v1/settings/issuing');
    originalThreshold = settings.body.data.lowFolioThreshold;
  });

  afterAll(async () => {
    if (!admin) return;
    await admin.call('PUT', '/v1/settings/issuing', {
      body: { lowFolioThreshold: originalThreshold, channel: 'hka-integration', environment: 'demo' },
    });
    // Other files share the tenant: a certificate far from its expiry on file, as seeded.
    await upload(new Date(Date.now() + 365 * DAY_MS));
  });

  it('GET/PUT /v1/alert-preferences: each ADMIN its own opt-outs; refused to a USER, an API key and an unknown kind', async () => {
    // Act
    const initial = await watcher.call('GET', '/v1/alert-preferences');
    const put = await optedOut.call('PUT', '/v1/alert-preferences', { body: { optOut: ['folios-low'] } });
    const unknown = await optedOut.call('PUT', '/v1/alert-preferences', { body: { optOut: ['everything'] } });
    const user = await (await session(TENANT, 'USER')).call('GET', '/v1/alert-preferences');
    const apiKey = localStack().demo.tenants[TENANT]!.apiKeys[0]!.secret;
    const byKey = await callApi('GET', '/v1/alert-preferences', { token: apiKey });

    // Assess
    expect(initial.status, initial.text).toBe(200);
    expect(initial.body.data).toEqual({ optOut: [], kinds: [...ALERT_KINDS] });
    expect(put.status, put.text).toBe(200);
    expect(put.body.data.optOut).toEqual(['folios-low']);
    expect((await optedOut.call('GET', '/v1/alert-preferences')).body.data.optOut).toEqual(['folios-low']);
    expect((await watcher.call('GET', '/v1/alert-preferences')).body.data.optOut).toEqual([]);
    expect(unknown.status).toBe(422);
    expect(unknown.body.details[0].path).toMatch(/^optOut/);
    expect(user.status).toBe(403);
    expect(byKey.status).toBe(403);
  });

  it('folios low: the ADMINs get the forecast date, the one who opted out does not', async () => {
    // Prepare: some consumption, then a threshold above any balance.
    await issueAndWait(admin, document());
    await issueAndWait(admin, document());
    const threshold = await admin.call('PUT', '/v1/settings/issuing', {
      body: { lowFolioThreshold: 1_000_000 },
    });
    expect(threshold.status, threshold.text).toBe(200);

    // Act
    const sync = await admin.call('POST', '/v1/folios/sync', { headers: key() });
    const folios = await admin.call('GET', '/v1/folios');

    // Assess: GET /v1/folios carries the forecast the e-mail states.
    expect(sync.status, sync.text).toBe(200);
    const forecast = folios.body.data.forecast;
    expect(forecast.averageDailyUse).toBeGreaterThan(0);
    expect(forecast.runsOutOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const date = spokenDate(forecast.runsOutOn);
    const mail = await mailTo(watcher.user.email, 'folios');
    expect(mail.body.text).toContain(`sus folios se agotan el ${date.es}`);
    expect(mail.body.text).toContain(`your folios run out on ${date.en}`);
    expect(mail.destination.to).toContain(admin.user.email);
    expect(mail.destination.to).not.toContain(optedOut.user.email);
    expect(await mailsTo(optedOut.user.email, 'folios')).toEqual([]);
  });

  it('a certificate within 7 days of its expiry: the daily scan mails its date once', async () => {
    // Prepare: 5 days left on the test clock.
    const offset = await advanceClock(0);
    const notAfter = new Date(Date.now() + offset + 5 * DAY_MS);
    const uploaded = await upload(notAfter);
    expect(uploaded.status, uploaded.text).toBe(201);

    // Act: the schedules fire (twice: the warning is not repeated).
    await fireSchedules();
    const mail = await mailTo(watcher.user.email, 'certificado');
    await fireSchedules();

    // Assess
    const date = spokenDate(new Date(notAfter.getTime() - 5 * 3_600_000).toISOString().slice(0, 10));
    expect(mail.subject).toContain('vence en 5 día(s)');
    expect(mail.body.text).toContain(date.es);
    expect(mail.body.text).toContain(date.en);
    // Opted out of folios-low only: this one reaches it.
    expect(mail.destination.to).toContain(optedOut.user.email);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await mailsTo(watcher.user.email, 'certificado')).toHaveLength(1);
  });

  it('an expired certificate on file: emitter-signed issuing is refused with its date (409), nothing accepted', async () => {
    // Prepare: the certificate's expiry moves into the past (its date cannot be uploaded so).
    const expiredAt = new Date(Date.now() - DAY_MS).toISOString();
    await dynamoClient().send(
      new UpdateItemCommand({
        TableName: tableName(),
        Key: { pk: { S: `T#${tenantId}` }, sk: { S: 'SIGNING_KEY' } },
        UpdateExpression: 'SET notAfter = :at',
        ExpressionAttributeValues: { ':at': { S: expiredAt } },
      }),
    );
    const channel = await admin.call('PUT', '/v1/settings/issuing', { body: { channel: 'emitter-signed' } });
    expect(channel.status, channel.text).toBe(200);

    // Act
    const refused = await issue(admin, document()).finally(() =>
      admin.call('PUT', '/v1/settings/issuing', { body: { channel: 'hka-integration' } }),
    );

    // Assess
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.code).toBe('CERTIFICATE_EXPIRED');
    expect(refused.body.error).toContain(expiredAt);
  });

  it('HKA refuses the credentials: an e-mail; failed documents: one digest after the 15-minute window', async () => {
    // Prepare: production credentials HKA does not know.
    const credentials = await admin.call('PUT', '/v1/settings/hka-credentials', {
      body: {
        environment: 'prod',
        tokenEmpresa: `alert${randomUUID().replaceAll('-', '').slice(0, 12)}_ws_tfhka`,
        tokenPassword: `Pw${randomUUID().replaceAll('-', '')}`,
      },
    });
    expect(credentials.status, credentials.text).toBe(200);
    const prod = await admin.call('PUT', '/v1/settings/issuing', { body: { environment: 'prod' } });
    expect(prod.status, prod.text).toBe(200);

    // Act: the folio sync is refused.
    const sync = await admin.call('POST', '/v1/folios/sync', { headers: key() });

    // Assess
    expect(sync.status, sync.text).toBe(409);
    const refusedMail = await mailTo(watcher.user.email, 'rechaza sus credenciales');
    expect(refusedMail.body.text).toContain('prod');

    // Act: two documents end FAILED within the window.
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const accepted = await issue(admin, document());
      expect(accepted.status, accepted.text).toBe(202);
      ids.push(accepted.body.data.id);
    }
    const finals = await Promise.all(ids.map((id) => waitForFinal(admin, id)));
    expect(finals.map((doc) => doc.body.data.status)).toEqual(['FAILED', 'FAILED']);
    await admin.call('PUT', '/v1/settings/issuing', { body: { environment: 'demo' } });
    // Both reached the digest (the consumer ran) before the clock moves.
    await pollUntil(
      async () =>
        (
          await dynamoClient().send(
            new QueryCommand({
              TableName: tableName(),
              KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
              ExpressionAttributeValues: {
                ':pk': { S: `T#${tenantId}` },
                ':prefix': { S: 'ALERT_DIGEST#DOC#' },
              },
              ConsistentRead: true,
            }),
          )
        ).Items ?? [],
      (items) => ids.every((id) => items.some((item) => item.documentId?.S === id)),
      30_000,
    );
    await fireSchedules();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const early = await mailsTo(watcher.user.email, 'rechazado(s) o fallido(s)');

    // Act: the window ends.
    await advanceClock(15 * 60_000 + 1_000);
    await fireSchedules();

    // Assess: nothing before the window's end; then one e-mail listing both documents.
    expect(early).toEqual([]);
    const digest = await mailTo(watcher.user.email, 'rechazado(s) o fallido(s)');
    for (const final of finals) {
      const { branch, pointOfSale, number } = final.body.data;
      expect(digest.body.text).toContain(`${branch}-${pointOfSale}-${number} (fallido)`);
    }
    await fireSchedules();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await mailsTo(watcher.user.email, 'rechazado(s) o fallido(s)')).toHaveLength(1);
  });

  it('webhook.disabled on the bus: the ADMINs are told which endpoint stopped', async () => {
    // Prepare: the event as the webhook deliveries publish it.
    const stack = localStack();
    const bus = new EventBridgeClient({
      region: 'us-east-1',
      endpoint: stack.endpoints.eventBridge,
      credentials: { ...stack.credentials },
    });
    const webhookId = `wh_${randomUUID().slice(0, 8)}`;

    // Act
    const out = await bus.send(
      new PutEventsCommand({
        Entries: [
          {
            // The bus of the synthesized app (infra/constructs/messaging.ts names it after the environment).
            EventBusName: `factu-${parseConfig(readCdkJsonContext().factu).environmentName}`,
            Source: 'factu.webhooks',
            DetailType: 'webhook.disabled',
            Detail: JSON.stringify({
              tenantId,
              webhookId,
              url: 'https://erp.example.com/factu',
              failures: 20,
            }),
          },
        ],
      }),
    );

    // Assess
    expect(out.FailedEntryCount ?? 0).toBe(0);
    const mail = await mailTo(watcher.user.email, 'webhook desactivado');
    expect(mail.body.text).toContain(webhookId);
    expect(mail.body.text).toContain('https://erp.example.com/factu');
  });
});
