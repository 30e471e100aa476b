import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  advanceClock,
  exampleDocument,
  fireSchedules,
  issueAndWait,
  type Json,
  pollUntil,
  resetClock,
  type Session,
  session,
} from './helpers/local-cloud.ts';
import { WebhookReceiver } from './helpers/webhook-receiver.ts';

// The test clock moves here: the next files run on the real time again.
afterAll(resetClock);

/**
 * Webhooks end to end: a receiver (a local HTTP server in this test, allowed on 127.0.0.1 only because the
 * local cloud sets WEBHOOKS_ALLOW_LOOPBACK) registered through the API gets each event signed; it verifies
 * every signature, answers 500 once and is retried when the test clock reaches the retry's due time, dedupes by
 * event id; redeliver, test and the deliveries list; private addresses are refused. Events published by other
 * parts (document.rejected/failed/waiting/contingency, certificate.expiring) are fanned out the same way:
 * test/unit/webhooks/fan-out.test.ts.
 */

const TENANT = 0;

/** POST /v1/webhooks is idempotent: every creation sends its own Idempotency-Key. */
const freshKey = () => ({ 'idempotency-key': randomUUID() });

describe('webhooks', () => {
  let admin: Session;
  let user: Session;
  const receiver = new WebhookReceiver();
  let url = '';
  let webhookId = '';
  let originalThreshold: number | undefined;

  beforeAll(async () => {
    [admin, user] = await Promise.all([session(TENANT, 'ADMIN'), session(TENANT, 'USER')]);
    url = await receiver.start();
    receiver.clockOffsetMs = await advanceClock(0);
  });

  afterAll(async () => {
    if (webhookId) await admin.call('DELETE', `/v1/webhooks/${webhookId}`);
    if (originalThreshold !== undefined) {
      await admin.call('PUT', '/v1/settings/issuing', { body: { lowFolioThreshold: originalThreshold } });
    }
    await receiver.stop();
  });

  const deliveries = async () => {
    const page = await admin.call('GET', `/v1/webhooks/${webhookId}/deliveries?limit=100`);
    expect(page.status, page.text).toBe(200);
    return page.body.data.items as Json[];
  };

  it('refuses private, link-local, metadata and plain-http URLs (422 on url), unknown events, and non-admins', async () => {
    // Act
    const privateIp = await admin.call('POST', '/v1/webhooks', {
      headers: freshKey(),
      body: { url: 'https://10.0.0.1/x', events: ['document.authorized'] },
    });
    const metadataHttp = await admin.call('POST', '/v1/webhooks', {
      headers: freshKey(),
      body: { url: 'http://169.254.169.254/latest/meta-data', events: ['document.authorized'] },
    });
    const metadataHttps = await admin.call('POST', '/v1/webhooks', {
      headers: freshKey(),
      body: { url: 'https://169.254.169.254/latest/meta-data', events: ['document.authorized'] },
    });
    const mappedPrivate = await admin.call('POST', '/v1/webhooks', {
      headers: freshKey(),
      body: { url: 'https://[::ffff:192.168.1.10]/hook', events: ['document.authorized'] },
    });
    const unknownEvent = await admin.call('POST', '/v1/webhooks', {
      headers: freshKey(),
      body: { url, events: ['document.authorized', 'document.exploded'] },
    });
    const internalEvent = await admin.call('POST', '/v1/webhooks', {
      headers: freshKey(),
      body: { url, events: ['webhook.disabled'] },
    });
    const notAdmin = await user.call('POST', '/v1/webhooks', {
      headers: freshKey(),
      body: { url, events: ['document.authorized'] },
    });

    // Assess
    for (const [response, reason] of [
      [privateIp, 'URL_FORBIDDEN_ADDRESS'],
      [metadataHttp, 'URL_NOT_HTTPS'],
      [metadataHttps, 'URL_FORBIDDEN_ADDRESS'],
      [mappedPrivate, 'URL_FORBIDDEN_ADDRESS'],
    ] as const) {
      expect(response.status, response.text).toBe(422);
      expect(response.body.code).toBe('WEBHOOK_URL_REFUSED');
      expect(response.body.details).toEqual([expect.objectContaining({ path: 'url', code: reason })]);
    }
    expect(unknownEvent.status, unknownEvent.text).toBe(422);
    expect(unknownEvent.body.details.map((detail: Json) => detail.path)).toEqual(['events[1]']);
    expect(internalEvent.status, internalEvent.text).toBe(422);
    expect(notAdmin.status, notAdmin.text).toBe(403);
  });

  it('registers an endpoint: the secret once, never in the listing; a replayed Idempotency-Key is the same endpoint', async () => {
    // Act
    const request = {
      headers: freshKey(),
      body: {
        url,
        events: [
          'document.authorized',
          'document.rejected',
          'document.cancelled',
          'batch.completed',
          'folios.low',
        ],
        description: 'integration receiver',
      },
    };
    const created = await admin.call('POST', '/v1/webhooks', request);
    const replayed = await admin.call('POST', '/v1/webhooks', request);
    const listed = await admin.call('GET', '/v1/webhooks');

    // Assess
    expect(created.status, created.text).toBe(201);
    expect(created.body.data).toMatchObject({ url, status: 'enabled', description: 'integration receiver' });
    expect(created.body.data.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    webhookId = created.body.data.id;
    receiver.secret = created.body.data.secret;
    const mine = (listed.body.data as Json[]).find((entry) => entry.id === webhookId);
    expect(mine).toMatchObject({ url, status: 'enabled' });
    expect(JSON.stringify(listed.body.data)).not.toContain(receiver.secret);
    expect(replayed.status, replayed.text).toBe(201);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body.data).toMatchObject({ id: webhookId, url, status: 'enabled' });
    expect(replayed.body.data).not.toHaveProperty('secret');
    expect((listed.body.data as Json[]).filter((entry) => entry.url === url)).toHaveLength(1);
  });

  it('concurrent creations never pass the 10-endpoint limit', async () => {
    // Prepare: one place left (filled one at a time: a few concurrent cold starts is all this machine takes).
    const register = (name: string) =>
      admin.call('POST', '/v1/webhooks', {
        headers: freshKey(),
        body: { url: `${url}/${name}`, events: ['folios.low'] },
      });
    const before = (await admin.call('GET', '/v1/webhooks')).body.data as Json[];
    for (let n = before.length; n < 9; n++) expect((await register(`fill-${n}`)).status).toBe(201);

    // Act: three creations at once for the last place.
    const answers = await Promise.all([1, 2, 3].map((n) => register(`race-${n}`)));
    const after = (await admin.call('GET', '/v1/webhooks')).body.data as Json[];
    const extra = after.filter((entry) => !before.some((held) => held.id === entry.id));
    for (const entry of extra) await admin.call('DELETE', `/v1/webhooks/${entry.id}`);

    // Assess
    expect(answers.map((answer) => answer.status).sort(), answers.map((a) => a.text).join('\n')).toEqual([
      201, 409, 409,
    ]);
    for (const answer of answers.filter((a) => a.status === 409))
      expect(answer.body.code).toBe('WEBHOOK_LIMIT_REACHED');
    expect(after).toHaveLength(10);
    expect((await admin.call('GET', '/v1/webhooks')).body.data).toHaveLength(before.length);
  });

  it('document.authorized arrives signed; a 500 is retried at its due time (test clock); one effect per event id', async () => {
    // Prepare
    receiver.answers.set('document.authorized', [500]);

    // Act
    const doc = await issueAndWait(user, exampleDocument('invoice-final-consumer.json'));
    const first = await receiver.waitFor('document.authorized', (body) => body.data.id === doc.id);
    const pending = await pollUntil(
      deliveries,
      (items) => items.some((item) => item.type === 'document.authorized' && item.lastResponseCode === 500),
      10_000,
    );
    receiver.clockOffsetMs = await advanceClock(31_000);
    await fireSchedules();
    const both = await receiver.waitFor('document.authorized', (body) => body.data.id === doc.id, 2);

    // Assess
    expect(doc.status).toBe('AUTHORIZED');
    expect(first[0]?.body).toMatchObject({
      type: 'document.authorized',
      data: { id: doc.id, status: 'AUTHORIZED', number: doc.number, cufe: doc.cufe, total: doc.totals.total },
    });
    expect(first[0]?.body.data.tenantId).toBeUndefined();
    const failed = pending.find((item) => item.eventId === first[0]?.eventId);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, lastResponseCode: 500 });
    expect(Date.parse(failed?.nextAttemptAt) - Date.parse(failed?.createdAt)).toBeGreaterThanOrEqual(29_000);
    expect(both).toHaveLength(2);
    expect(both.every((entry) => entry.valid)).toBe(true);
    expect(both[1]?.eventId).toBe(both[0]?.eventId);
    expect(both[1]?.raw).toBe(both[0]?.raw);
    expect(receiver.effects.get(both[0]!.eventId)).toBe(1);
    const settled = await pollUntil(
      deliveries,
      (items) => items.find((item) => item.eventId === both[0]?.eventId)?.status === 'succeeded',
      10_000,
    );
    expect(settled.find((item) => item.eventId === both[0]?.eventId)).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      lastResponseCode: 200,
      nextAttemptAt: null,
    });
  });

  it('document.cancelled arrives with the document summary and the reason', async () => {
    // Prepare
    const doc = await issueAndWait(user, exampleDocument('invoice-final-consumer.json'));

    // Act
    const cancelled = await user.call('POST', `/v1/documents/${doc.id}/cancel`, {
      body: { reason: 'Error en los datos del receptor de la factura' },
      headers: { 'idempotency-key': randomUUID() },
    });
    const [cancelEvent] = await receiver.waitFor('document.cancelled', (body) => body.data.id === doc.id);

    // Assess
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelEvent?.valid).toBe(true);
    expect(cancelEvent?.body.data).toMatchObject({
      id: doc.id,
      status: 'CANCELLED',
      number: doc.number,
      reason: 'Error en los datos del receptor de la factura',
    });
  });

  it('batch.completed arrives when the last row of a batch ends', async () => {
    // Prepare
    const invoice = exampleDocument('invoice-final-consumer.json') as Json;
    const documents = [1, 2].map((n) => ({ ...invoice, reference: `WH-${randomUUID().slice(0, 8)}-${n}` }));

    // Act
    const posted = await admin.call('POST', '/v1/batches', {
      body: { documents },
      headers: { 'idempotency-key': randomUUID() },
    });
    const batchId = posted.body?.data?.id;
    const [event] = await receiver.waitFor(
      'batch.completed',
      (body) => body.data.batchId === batchId,
      1,
      60_000,
    );

    // Assess
    expect(posted.status, posted.text).toBe(202);
    expect(event?.valid).toBe(true);
    expect(event?.body.data).toMatchObject({ batchId, status: 'DONE', total: 2, counts: { issued: 2 } });
  });

  it('folios.low arrives after a folio sync under the threshold', async () => {
    // Prepare
    const settings = await admin.call('GET', '/v1/settings/issuing');
    expect(settings.status, settings.text).toBe(200);
    originalThreshold = settings.body.data.lowFolioThreshold;
    const before = receiver.of('folios.low').length;
    const put = await admin.call('PUT', '/v1/settings/issuing', { body: { lowFolioThreshold: 1_000_000 } });
    expect(put.status, put.text).toBe(200);

    // Act
    const sync = await admin.call('POST', '/v1/folios/sync', {
      headers: { 'idempotency-key': randomUUID() },
    });
    const low = await receiver.waitFor('folios.low', () => true, before + 1);

    // Assess
    expect(sync.status, sync.text).toBe(200);
    const event = low.at(-1);
    expect(event?.valid).toBe(true);
    expect(event?.body.data).toMatchObject({
      threshold: 1_000_000,
      available: sync.body.data.cycleAvailable,
    });
    expect(event?.body.data.tenantId).toBeUndefined();
  });

  it('POST /test sends a signed test event now; redeliver sends the same event again under a new delivery', async () => {
    // Act
    const tested = await admin.call('POST', `/v1/webhooks/${webhookId}/test`);
    const original = (await deliveries()).find((item) => item.type === 'document.authorized' && !item.test);
    const redelivered = await admin.call(
      'POST',
      `/v1/webhooks/${webhookId}/deliveries/${original?.id}/redeliver`,
    );
    const unknown = await admin.call(
      'POST',
      `/v1/webhooks/${webhookId}/deliveries/01KBXA5R2B8D4F6H0K3M7P9S1V/redeliver`,
    );

    // Assess
    expect(tested.status, tested.text).toBe(201);
    expect(tested.body.data).toMatchObject({
      status: 'succeeded',
      test: true,
      attempts: 1,
      lastResponseCode: 200,
      type: 'document.authorized',
    });
    const testEvent = receiver.received.find((entry) => entry.eventId === tested.body.data.eventId);
    expect(testEvent?.valid).toBe(true);
    expect(testEvent?.body.test).toBe(true);
    expect(redelivered.status, redelivered.text).toBe(201);
    expect(redelivered.body.data).toMatchObject({
      eventId: original?.eventId,
      status: 'succeeded',
      attempts: 1,
    });
    expect(redelivered.body.data.id).not.toBe(original?.id);
    const copies = receiver.received.filter((entry) => entry.eventId === original?.eventId);
    expect(copies.length).toBeGreaterThanOrEqual(2);
    expect(copies.every((entry) => entry.valid)).toBe(true);
    expect(receiver.effects.get(original?.eventId)).toBe(1);
    expect(unknown.status, unknown.text).toBe(404);
    expect(unknown.body.code).toBe('WEBHOOK_DELIVERY_NOT_FOUND');
  });

  it('lists deliveries newest first with cursors; delete removes the endpoint (then 404)', async () => {
    // Act
    const first = await admin.call('GET', `/v1/webhooks/${webhookId}/deliveries?limit=2`);
    const second = await admin.call(
      'GET',
      `/v1/webhooks/${webhookId}/deliveries?limit=2&cursor=${encodeURIComponent(first.body.data.nextCursor)}`,
    );
    const forged = await admin.call('GET', `/v1/webhooks/${webhookId}/deliveries?cursor=c1.e30.AAAA`);
    const deleted = await admin.call('DELETE', `/v1/webhooks/${webhookId}`);
    const again = await admin.call('DELETE', `/v1/webhooks/${webhookId}`);
    const gone = await admin.call('GET', `/v1/webhooks/${webhookId}/deliveries`);

    // Assess
    expect(first.status, first.text).toBe(200);
    expect(first.body.data.items).toHaveLength(2);
    expect(first.body.data.nextCursor).toEqual(expect.any(String));
    expect(second.status, second.text).toBe(200);
    const ids = [...first.body.data.items, ...second.body.data.items].map((item: Json) => item.id);
    expect([...ids].sort().reverse()).toEqual(ids);
    expect(forged.status, forged.text).toBe(400);
    expect(deleted.status, deleted.text).toBe(200);
    expect(again.status).toBe(404);
    expect(gone.status).toBe(404);
    webhookId = '';
  });
});
