import { randomUUID } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BusEvent,
  dynamoClient,
  exampleDocument,
  hkaSandbox,
  issue,
  issueAndWait,
  type Json,
  newUserSession,
  pollUntil,
  recentEvents,
  type Session,
  session,
  tableName,
  waitForFinal,
} from './helpers/local-cloud.ts';

/**
 * Folios through the local cloud: the balance synchronized from HKA (FoliosRestantes), per-user quota given by
 * an ADMIN and debited with the tenant pool by each accepted document, exhaustion on our side (409, no number
 * consumed) and on HKA's (REJECTED, folio given back), and `folios.low` under the tenant's threshold.
 *
 * Runs on the second demo tenant with a user created for this file (the demo users keep no quota) on a point
 * of sale of its own; the sandbox counters and the threshold are restored at the end.
 */

const TENANT = 1;
const POS = '050';
const key = () => ({ 'idempotency-key': randomUUID() });
const document = () => ({ ...(exampleDocument('invoice-final-consumer.json') as Json), pointOfSale: POS });

describe('folios', () => {
  let admin: Session;
  let clerk: Session & { userId: string };
  let tenantId: string;
  let original: { cycleUsed: number; cycleTotal: number };

  const folios = async (who: Session = admin) => {
    const response = await who.call('GET', '/v1/folios');
    expect(response.status, response.text).toBe(200);
    return response.body.data as { balance: Json; assignments: Json[] };
  };
  const sync = () => admin.call('POST', '/v1/folios/sync', { headers: key() });
  const assignment = async () =>
    (await folios()).assignments.find((candidate) => candidate.userId === clerk.userId);
  /** `lastNumber` of the file's series, read from DynamoDB (the API has no view of the counter). */
  const lastNumber = async () => {
    const out = await dynamoClient().send(
      new GetItemCommand({
        TableName: tableName(),
        Key: { pk: { S: `T#${tenantId}#SERIES#0000#${POS}` }, sk: { S: 'COUNTER' } },
        ConsistentRead: true,
      }),
    );
    return Number(out.Item?.lastNumber?.N ?? 0);
  };
  const lowEvents = async () =>
    (await recentEvents()).filter(
      (event: BusEvent) => event['detail-type'] === 'folios.low' && event.detail?.tenantId === tenantId,
    );

  beforeAll(async () => {
    admin = await session(TENANT, 'ADMIN');
    tenantId = admin.user.tenantId;
    clerk = await newUserSession(TENANT, 'USER', 'cajero');
    const pos = await admin.call('POST', '/v1/branches/0000/points-of-sale', {
      body: { code: POS, name: 'Caja de folios' },
      headers: key(),
    });
    expect(pos.status, pos.text).toBe(201);
    const { folios: counters } = await hkaSandbox.tenant(TENANT);
    original = { cycleUsed: counters.cycleUsed, cycleTotal: counters.cycleTotal };
  });

  afterAll(async () => {
    if (!admin) return;
    await hkaSandbox.clearFaults();
    if (original) await hkaSandbox.setFolios(TENANT, { cycleTotal: original.cycleTotal });
    await admin.call('PUT', '/v1/settings/issuing', { body: { lowFolioThreshold: 50 } });
    await sync();
  });

  it('POST /v1/folios/sync stores HKA’s counters; GET /v1/folios shows them with the local pool', async () => {
    const synced = await sync();
    expect(synced.status, synced.text).toBe(200);
    const atHka = (await hkaSandbox.tenant(TENANT)).folios;
    expect(synced.body.data).toMatchObject({
      environment: 'demo',
      cycleTotal: atHka.cycleTotal,
      cycleUsed: atHka.cycleUsed,
      cycleAvailable: atHka.cycleAvailable,
      poolAvailable: atHka.cycleAvailable,
      licence: expect.any(String),
      syncedAt: expect.any(String),
    });
    const read = await folios(clerk);
    expect(read.balance).toMatchObject({
      cycleAvailable: atHka.cycleAvailable,
      poolAvailable: atHka.cycleAvailable,
    });
    const refused = await clerk.call('POST', '/v1/folios/sync', { headers: key() });
    expect(refused.status, refused.text).toBe(403);
  });

  it('POST /v1/folios/assignments: ADMIN gives quota (added up), USER may not, bad input → 422', async () => {
    const given = await admin.call('POST', '/v1/folios/assignments', {
      body: { userId: clerk.userId, quantity: 1 },
      headers: key(),
    });
    expect(given.status, given.text).toBe(200);
    expect(given.body.data).toMatchObject({ userId: clerk.userId, assigned: 1, remaining: 1 });
    const more = await admin.call('POST', '/v1/folios/assignments', {
      body: { userId: clerk.userId, quantity: 1 },
      headers: key(),
    });
    expect(more.body.data).toMatchObject({ assigned: 2, remaining: 2 });
    expect(await assignment()).toMatchObject({ assigned: 2, remaining: 2 });

    const byUser = await clerk.call('POST', '/v1/folios/assignments', {
      body: { userId: clerk.userId, quantity: 100 },
      headers: key(),
    });
    expect(byUser.status, byUser.text).toBe(403);
    const bad = await admin.call('POST', '/v1/folios/assignments', {
      body: { userId: '', quantity: 0 },
      headers: key(),
    });
    expect(bad.status, bad.text).toBe(422);
    expect(bad.body.details.map((detail: Json) => detail.path)).toEqual(
      expect.arrayContaining(['userId', 'quantity']),
    );
  });

  it('issuing debits the user’s assignment and the pool; exhausted → 409 FOLIOS_EXHAUSTED, no number consumed', async () => {
    const poolBefore = (await folios()).balance.poolAvailable as number;
    const first = await issueAndWait(clerk, document());
    expect(first).toMatchObject({ status: 'AUTHORIZED', pointOfSale: POS, number: '0000000001' });
    expect(await assignment()).toMatchObject({ assigned: 2, remaining: 1 });
    expect((await folios()).balance.poolAvailable).toBe(poolBefore - 1);

    const second = await issueAndWait(clerk, document());
    expect(second).toMatchObject({ status: 'AUTHORIZED', number: '0000000002' });
    expect(await assignment()).toMatchObject({ remaining: 0 });

    const refused = await issue(clerk, document());
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body).toMatchObject({ success: false, code: 'FOLIOS_EXHAUSTED' });
    expect(refused.body.error).toMatch(/assigned to you/i);
    expect(await lastNumber()).toBe(2);
    expect(await assignment()).toMatchObject({ remaining: 0 });
    expect((await folios()).balance.poolAvailable).toBe(poolBefore - 2);

    // Users without an assignment are limited by the pool only.
    const other = await newUserSession(TENANT, 'USER', 'otro');
    const free = await issue(other, document());
    expect(free.status, free.text).toBe(202);
    expect(free.body.data.number).toBe('0000000003');
    expect((await waitForFinal(other, free.body.data.id)).body.data.status).toBe('AUTHORIZED');

    // More quota: the next document continues the series with no hole.
    await admin.call('POST', '/v1/folios/assignments', {
      body: { userId: clerk.userId, quantity: 3 },
      headers: key(),
    });
    const third = await issueAndWait(clerk, document());
    expect(third).toMatchObject({ status: 'AUTHORIZED', number: '0000000004' });
    expect(await assignment()).toMatchObject({ assigned: 5, remaining: 2 });
  });

  it('HKA out of folios: the document ends REJECTED with HKA’s reason and its folio is given back', async () => {
    const before = await folios();
    const remainingBefore = (await assignment())?.remaining;
    await hkaSandbox.setFolios(TENANT, { cycleTotal: (await hkaSandbox.tenant(TENANT)).folios.cycleUsed });

    const doc = await issueAndWait(clerk, document());
    expect(doc.status).toBe('REJECTED');
    expect(doc.reasons.map((reason: Json) => reason.message).join(' ')).toMatch(/folios disponibles/i);
    expect(doc.cufe).toBeNull();
    const events = await clerk.call('GET', `/v1/documents/${doc.id}/events`);
    const rejected = (events.body.data as Json[]).find((event) => event.type === 'REJECTED');
    expect(rejected?.status).toBe('REJECTED');
    expect(JSON.stringify(rejected)).toMatch(/folios disponibles/i);

    // Given back: the user's quota and the pool are where they were before the document.
    const after = await folios();
    expect(after.balance.poolAvailable).toBe(before.balance.poolAvailable);
    expect((await assignment())?.remaining).toBe(remainingBefore);
  });

  it('after a sync the pool is empty: 409 FOLIOS_EXHAUSTED for the company, no number; folios.low is published', async () => {
    const lowBefore = (await lowEvents()).length;
    const synced = await sync();
    expect(synced.status, synced.text).toBe(200);
    expect(synced.body.data).toMatchObject({ cycleAvailable: 0, poolAvailable: 0 });

    const numberBefore = await lastNumber();
    const refused = await issue(clerk, document());
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body).toMatchObject({ code: 'FOLIOS_EXHAUSTED' });
    expect(refused.body.error).toMatch(/company has no folios/i);
    expect(await lastNumber()).toBe(numberBefore);

    const low = await pollUntil(lowEvents, (events) => events.length > lowBefore, 10_000);
    expect(low.length).toBeGreaterThan(lowBefore);
    expect(low.at(-1)).toMatchObject({
      source: expect.stringContaining('factu'),
      detail: { tenantId, available: 0, threshold: 50 },
    });
  });

  it('folios.low follows the tenant’s lowFolioThreshold: none above it, one under it', async () => {
    await hkaSandbox.setFolios(TENANT, { cycleTotal: original.cycleTotal });
    const lowBefore = (await lowEvents()).length;
    const plenty = await sync();
    expect(plenty.status, plenty.text).toBe(200);
    const available = plenty.body.data.cycleAvailable as number;
    expect(available).toBeGreaterThan(50);
    expect(plenty.body.data.poolAvailable).toBe(available);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await lowEvents()).toHaveLength(lowBefore);

    const threshold = available + 1;
    const put = await admin.call('PUT', '/v1/settings/issuing', { body: { lowFolioThreshold: threshold } });
    expect(put.status, put.text).toBe(200);
    const under = await sync();
    expect(under.status, under.text).toBe(200);
    const low = await pollUntil(lowEvents, (events) => events.length > lowBefore, 10_000);
    expect(low).toHaveLength(lowBefore + 1);
    expect(low.at(-1)?.detail).toMatchObject({ tenantId, available, threshold });

    // Issuing works again once the pool is back.
    const doc = await issueAndWait(clerk, document());
    expect(doc.status).toBe('AUTHORIZED');
  });
});
