import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTestCertificate } from '#shared/signing/test-certificate';
import {
  advanceClock,
  exampleDocument,
  fireSchedules,
  hkaSandbox,
  issue,
  issueAndWait,
  type Json,
  localStack,
  pollEvery,
  pollUntil,
  resetClock,
  type Session,
  session,
  waitForFinal,
} from './helpers/local-cloud.ts';
import { type Received, WebhookReceiver } from './helpers/webhook-receiver.ts';

// The test clock moves here (the waiting document's next attempt): the next files run on the real time again.
afterAll(resetClock);

/**
 * The webhook events webhooks.test.ts does not cause, each through its real cause in the local cloud — never
 * published by hand: HKA out of folios (document.rejected), HKA refusing the credentials (document.failed),
 * HKA answering HTTP 503 (document.waiting, then authorized once it answers again), a certificate 5 days from
 * its expiry and the daily scan (certificate.expiring). The receiver verifies every signature; each payload
 * carries what docs/webhooks.md promises; a redelivered event keeps its id and bytes. The hka.* events are
 * internal (alerts only), not subscribable: the catalogue refuses them to webhooks.
 */

const TENANT = 0;
const PIN = 'Pin-Webhooks-2026';
const DAY_MS = 86_400_000;
const key = () => ({ 'idempotency-key': randomUUID() });

describe('webhook events through their causes', () => {
  let admin: Session;
  let user: Session;
  const receiver = new WebhookReceiver();
  let webhookId = '';

  const uploadCertificate = (notAfter: Date) => {
    const { ruc, dv, name } = localStack().demo.tenants[TENANT]!;
    const p12 = generateTestCertificate({ ruc, dv, name, notAfter }).toP12(PIN);
    return admin.call('POST', '/v1/certificates', {
      body: { p12: p12.toString('base64'), pin: PIN },
      headers: key(),
    });
  };
  const deliveries = async (): Promise<Json[]> => {
    const page = await admin.call('GET', `/v1/webhooks/${webhookId}/deliveries?limit=100`);
    expect(page.status, page.text).toBe(200);
    return page.body.data.items;
  };
  /** The document summary every document event carries (docs/webhooks.md). */
  const summaryOf = (doc: Json, status: string) => ({
    id: doc.id,
    status,
    type: doc.type,
    number: doc.number,
    branch: doc.branch,
    pointOfSale: doc.pointOfSale,
    total: doc.totals.total,
  });
  const expectEnvelope = (event: Received | undefined, type: string) => {
    expect(event?.valid, event?.signature).toBe(true);
    expect(Object.keys(event?.body ?? {}).sort()).toEqual(['createdAt', 'data', 'id', 'type']);
    expect(event?.body).toMatchObject({ id: event?.eventId, type, createdAt: expect.any(String) });
    expect(event?.body.data.tenantId).toBeUndefined();
  };

  beforeAll(async () => {
    [admin, user] = await Promise.all([session(TENANT, 'ADMIN'), session(TENANT, 'USER')]);
    const url = await receiver.start();
    receiver.clockOffsetMs = await advanceClock(0);
    const created = await admin.call('POST', '/v1/webhooks', {
      headers: key(),
      body: {
        url,
        events: ['document.rejected', 'document.failed', 'document.waiting', 'certificate.expiring'],
        description: 'events by cause',
      },
    });
    expect(created.status, created.text).toBe(201);
    webhookId = created.body.data.id;
    receiver.secret = created.body.data.secret;
  });

  afterAll(async () => {
    await hkaSandbox.setFaults(TENANT, []);
    if (admin) {
      await admin.call('PUT', '/v1/settings/issuing', { body: { environment: 'demo' } });
      // Other files share the tenant: a certificate far from its expiry on file, as seeded.
      await uploadCertificate(new Date(Date.now() + 365 * DAY_MS));
      if (webhookId) await admin.call('DELETE', `/v1/webhooks/${webhookId}`);
    }
    await receiver.stop();
  });

  it('the internal hka.* events cannot be subscribed', async () => {
    // Act
    const refused = await admin.call('POST', '/v1/webhooks', {
      headers: key(),
      body: { url: 'https://erp.example.com/h', events: ['hka.waiting-long', 'hka.credentials-failing'] },
    });

    // Assess
    expect(refused.status, refused.text).toBe(422);
    expect(refused.body.details.map((detail: Json) => detail.path)).toEqual(['events[0]', 'events[1]']);
  });

  it('document.rejected: HKA has no folios left; the reasons as GET /v1/documents/{id} shows them; a redelivery keeps the id', async () => {
    // Prepare: HKA's cycle is used up.
    const atHka = await hkaSandbox.tenant(TENANT);
    await hkaSandbox.setFolios(TENANT, { cycleTotal: atHka.folios.cycleUsed });

    // Act
    const doc = await issueAndWait(user, exampleDocument('invoice-final-consumer.json')).finally(() =>
      hkaSandbox.setFolios(TENANT, { cycleTotal: atHka.folios.cycleTotal }),
    );
    const [event] = await receiver.waitFor('document.rejected', (body) => body.data.id === doc.id);
    const delivery = (await deliveries()).find((item) => item.eventId === event?.eventId);
    const redelivered = await admin.call(
      'POST',
      `/v1/webhooks/${webhookId}/deliveries/${delivery?.id}/redeliver`,
    );
    const copies = await receiver.waitFor('document.rejected', (body) => body.id === event?.eventId, 2);

    // Assess
    expect(doc.status).toBe('REJECTED');
    expectEnvelope(event, 'document.rejected');
    expect(event?.body.data).toMatchObject({ ...summaryOf(doc, 'REJECTED'), cufe: null, authorizedAt: null });
    expect(event?.body.data.reasons).toEqual(doc.reasons);
    expect(event?.body.data.reasons.map((reason: Json) => reason.message).join(' ')).toMatch(
      /folios disponibles/i,
    );
    expect(redelivered.status, redelivered.text).toBe(201);
    expect(copies.map((copy) => copy.eventId)).toEqual([event?.eventId, event?.eventId]);
    expect(copies[1]?.raw).toBe(copies[0]?.raw);
    expect(copies.every((copy) => copy.valid)).toBe(true);
  });

  it('document.failed: HKA refuses the credentials; the summary and the error', async () => {
    // Prepare: production credentials HKA does not know.
    const credentials = await admin.call('PUT', '/v1/settings/hka-credentials', {
      body: {
        environment: 'prod',
        tokenEmpresa: `wh${randomUUID().replaceAll('-', '').slice(0, 12)}_ws_tfhka`,
        tokenPassword: `Pw${randomUUID().replaceAll('-', '')}`,
      },
    });
    expect(credentials.status, credentials.text).toBe(200);
    const prod = await admin.call('PUT', '/v1/settings/issuing', { body: { environment: 'prod' } });
    expect(prod.status, prod.text).toBe(200);

    // Act
    const accepted = await issue(admin, exampleDocument('invoice-final-consumer.json')).finally(() =>
      admin.call('PUT', '/v1/settings/issuing', { body: { environment: 'demo' } }),
    );
    expect(accepted.status, accepted.text).toBe(202);
    const doc = (await waitForFinal(admin, accepted.body.data.id)).body.data;
    const [event] = await receiver.waitFor('document.failed', (body) => body.data.id === doc.id);

    // Assess
    expect(doc.status).toBe('FAILED');
    expectEnvelope(event, 'document.failed');
    expect(event?.body.data).toMatchObject({ ...summaryOf(doc, 'FAILED'), cufe: null });
    expect(event?.body.data.error).toMatchObject({ Error: 'HkaAuthenticationError' });
    expect(event?.body.data.reasons).toEqual(doc.reasons);
  });

  it('document.waiting: HKA answers 503; sent once with the next attempt; HKA back, the document is authorized', async () => {
    // Prepare: HKA answers nothing.
    await hkaSandbox.setFaults(TENANT, [{ kind: 'http-503' }]);

    // Act
    const accepted = await issue(user, exampleDocument('invoice-final-consumer.json'));
    expect(accepted.status, accepted.text).toBe(202);
    const id = accepted.body.data.id;
    const [event] = await receiver.waitFor('document.waiting', (body) => body.data.id === id, 1, 60_000);
    const waiting = (await user.call('GET', `/v1/documents/${id}`)).body.data;
    // HKA answers again; its next probe (the breaker's interval, on the test clock) finds it.
    await hkaSandbox.setFaults(TENANT, []);
    receiver.clockOffsetMs = await advanceClock(5 * 60_000);
    const authorized = await pollEvery(
      1_000,
      async () => (await user.call('GET', `/v1/documents/${id}`)).body.data,
      (doc: Json) => doc.status === 'AUTHORIZED',
      90_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    // Assess
    expectEnvelope(event, 'document.waiting');
    expect(waiting.status).toBe('WAITING_FOR_HKA');
    expect(event?.body.data).toMatchObject({
      ...summaryOf(waiting, event?.body.data.status),
      nextAttemptAt: expect.any(String),
      lastError: expect.stringMatching(/\S/),
    });
    expect(['WAITING_FOR_HKA', 'AUTHORIZED']).toContain(event?.body.data.status);
    expect(Number.isNaN(Date.parse(event?.body.data.nextAttemptAt))).toBe(false);
    expect(authorized.status).toBe('AUTHORIZED');
    // Sent once per document, however many attempts waited.
    expect(receiver.of('document.waiting', (body) => body.data.id === id)).toHaveLength(1);
  });

  it('certificate.expiring: a certificate 5 days from its expiry and the daily scan; sent once', async () => {
    // Prepare: 5 days left on the test clock.
    const offset = await advanceClock(0);
    const notAfter = new Date(Date.now() + offset + 5 * DAY_MS);
    const uploaded = await uploadCertificate(notAfter);
    expect(uploaded.status, uploaded.text).toBe(201);

    const before = receiver.of('certificate.expiring').length;

    // Act: the schedules fire twice (the warning is not repeated).
    await fireSchedules();
    const event = (await receiver.waitFor('certificate.expiring', () => true, before + 1, 60_000)).at(-1);
    await fireSchedules();
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    // Assess
    expectEnvelope(event, 'certificate.expiring');
    expect(event?.body.data).toEqual({
      certificateId: expect.any(String),
      notAfter: expect.any(String),
      daysLeft: 5,
    });
    const forThisCertificate = receiver.of(
      'certificate.expiring',
      (body) => body.data.certificateId === event?.body.data.certificateId,
    );
    expect(forThisCertificate).toHaveLength(1);
    expect(Math.abs(Date.parse(event?.body.data.notAfter) - notAfter.getTime())).toBeLessThan(1_000);
    const listed = await pollUntil(
      deliveries,
      (items) => items.some((item) => item.eventId === event?.eventId && item.status === 'succeeded'),
      10_000,
    );
    expect(listed.find((item) => item.eventId === event?.eventId)).toMatchObject({
      type: 'certificate.expiring',
      status: 'succeeded',
      attempts: 1,
      lastResponseCode: 200,
    });
  });
});
