import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  advanceClock,
  exampleDocument,
  hkaSandbox,
  issue,
  type Json,
  pollEvery,
  resetClock,
  type SandboxTenant,
  type Session,
  session,
} from './helpers/local-cloud.ts';

// The test clock moves here: the next files run on the real time again.
afterAll(resetClock);

/**
 * An HKA outage through the whole pipeline, on the test clock: HKA answers nothing (HTTP 503 on every
 * operation) for ten minutes. Documents wait (WAITING_FOR_HKA) and none fails; HKA is probed at the
 * circuit breaker's rate, not once per document; when HKA answers again, every document is authorized once,
 * received by HKA in number order per point of sale, and our folio pool equals HKA's counters. A document
 * HKA never answered for 72 hours ends FAILED (HKA_UNREACHABLE) after asking EstadoDocumento.
 *
 * The circuit breaker is per HKA environment, shared by every demo tenant: this file leaves it closed.
 */

const TENANT = 1;
const PROBE_INTERVAL_MS = 60_000;
/** Transient failures in a row that open the breaker (shared/hka/breaker.ts). */
const FAILURE_THRESHOLD = 3;

let user: Session;
let admin: Session;
let pointsOfSale: string[];

const inSeries = (pointOfSale: string): Json => ({
  ...(exampleDocument('invoice-final-consumer.json') as Json),
  branch: '0000',
  pointOfSale,
});

/** A point of sale of branch 0000 that no other test file uses. */
async function freshPointOfSale(): Promise<string> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const code = String(randomInt(800, 900));
    const created = await admin.call('POST', '/v1/branches/0000/points-of-sale', {
      body: { code, name: `Corte ${code}` },
      headers: { 'idempotency-key': randomUUID() },
    });
    if (created.status === 201) return code;
    expect(created.status, created.text).toBe(409);
  }
  throw new Error('no free point of sale code');
}

async function issued(pointOfSale: string): Promise<Json> {
  const response = await issue(user, inSeries(pointOfSale));
  expect(response.status, response.text).toBe(202);
  return response.body.data;
}

const read = async (id: string): Promise<Json> => {
  const response = await user.call('GET', `/v1/documents/${id}`);
  expect(response.status, response.text).toBe(200);
  return response.body.data;
};
const readAll = (ids: string[]) => Promise.all(ids.map(read));

/** Polls until every document is in `status` (or 60 s pass); returns them. */
function allIn(ids: string[], status: string, timeoutMs = 60_000): Promise<Json[]> {
  return pollEvery(
    500,
    () => readAll(ids),
    (docs) => docs.every((doc) => doc.status === status),
    timeoutMs,
  );
}

const totalCalls = (tenant: SandboxTenant & { calls?: Record<string, number> }) =>
  Object.values(tenant.calls ?? {}).reduce((sum, n) => sum + n, 0);

async function poolAvailable(): Promise<number> {
  const balance = await admin.call('GET', '/v1/folios');
  expect(balance.status, balance.text).toBe(200);
  return balance.body.data.balance.poolAvailable;
}

/** The sweep runs every second of real time: a couple of seconds lets it see the clock's new time. */
const sweepsSee = () => new Promise((resolve) => setTimeout(resolve, 2_500));

beforeAll(async () => {
  user = await session(TENANT, 'USER');
  admin = await session(TENANT, 'ADMIN');
  pointsOfSale = [await freshPointOfSale(), await freshPointOfSale()];
  const sync = await admin.call('POST', '/v1/folios/sync', { headers: { 'idempotency-key': randomUUID() } });
  expect(sync.status, sync.text).toBe(200);
});

afterAll(async () => {
  await hkaSandbox.setFaults(TENANT, []);
});

describe('HKA down for ten minutes', () => {
  it('documents wait, HKA is probed at the breaker’s rate, then all are authorized in number order per point of sale', async () => {
    // Prepare: HKA answers nothing; the first document opens the breaker, the others are held back by it.
    const [first, second] = pointsOfSale as [string, string];
    await hkaSandbox.setFaults(TENANT, [{ kind: 'http-503' }]);
    const opener = await issued(first);
    await allIn([opener.id], 'WAITING_FOR_HKA');
    const ids = [opener.id];
    for (const pointOfSale of [first, second, first, second, first]) ids.push((await issued(pointOfSale)).id);
    const waiting = await allIn(ids, 'WAITING_FOR_HKA');
    for (const doc of waiting) {
      expect(doc.nextAttemptAt, JSON.stringify(doc)).toEqual(expect.any(String));
      expect(doc.lastError).toEqual(expect.any(String));
      expect(doc.waitingSince).toEqual(expect.any(String));
    }
    const callsBefore = totalCalls(await hkaSandbox.tenant(TENANT));

    // Act: ten minutes of outage on the test clock.
    const minutes = 10;
    for (let minute = 0; minute < minutes; minute++) {
      await advanceClock(PROBE_INTERVAL_MS);
      await sweepsSee();
    }

    // Assess: nothing failed; HKA saw about one probe per interval, not every document's retries.
    const duringOutage = await readAll(ids);
    expect(duringOutage.map((doc) => doc.status)).toEqual(ids.map(() => 'WAITING_FOR_HKA'));
    const calls = totalCalls(await hkaSandbox.tenant(TENANT)) - callsBefore;
    expect(calls).toBeGreaterThanOrEqual(minutes / 2);
    expect(calls).toBeLessThanOrEqual(minutes + FAILURE_THRESHOLD);

    // Act: HKA answers again; its next probe finds it.
    await hkaSandbox.setFaults(TENANT, []);
    await advanceClock(PROBE_INTERVAL_MS);
    const authorized = await allIn(ids, 'AUTHORIZED', 90_000);

    // Assess: every document authorized once, received in number order per point of sale, folios balanced.
    expect(authorized.map((doc) => doc.status)).toEqual(ids.map(() => 'AUTHORIZED'));
    const atHka = await hkaSandbox.tenant(TENANT);
    for (const pointOfSale of pointsOfSale) {
      const ours = authorized.filter((doc) => doc.pointOfSale === pointOfSale);
      const received = atHka.documents.filter(
        (stored) => stored.puntoFacturacionFiscal.padStart(3, '0') === pointOfSale.padStart(3, '0'),
      );
      expect(received.map((stored) => stored.receipts)).toEqual(ours.map(() => 1));
      const numbers = received.map((stored) => stored.numeroDocumentoFiscal.padStart(10, '0'));
      expect(numbers).toEqual(ours.map((doc) => doc.number).sort());
      for (const doc of ours) {
        expect(
          received.find((stored) => stored.cufe === doc.cufe),
          doc.number,
        ).toBeDefined();
      }
    }
    expect(await poolAvailable()).toBe(atHka.folios.cycleAvailable);
  });
});

describe('HKA never answers a document for 72 hours', () => {
  it('it ends FAILED with HKA_UNREACHABLE after asking EstadoDocumento, and its folio goes back', async () => {
    // Prepare: HKA's Enviar answers HTTP 500 (the outcome is unknown: HKA might hold the document).
    await hkaSandbox.setFaults(TENANT, [{ kind: 'http-500', operations: ['Enviar'] }]);
    const doc = await issued(pointsOfSale[0]!);
    await allIn([doc.id], 'WAITING_FOR_HKA');
    const estadoBefore = ((await hkaSandbox.tenant(TENANT)) as Json).calls?.EstadoDocumento ?? 0;

    // Act: 72 hours (and a little) pass.
    await advanceClock(73 * 3_600_000);
    const [failed] = await allIn([doc.id], 'FAILED');

    // Assess: FAILED with the reason, after HKA said it does not hold it; the folio is back.
    expect(failed.reasons).toEqual([
      expect.objectContaining({
        code: 'HKA_UNREACHABLE',
        message: expect.stringContaining('HKA did not answer'),
      }),
    ]);
    const atHka = (await hkaSandbox.tenant(TENANT)) as Json;
    expect(atHka.calls.EstadoDocumento).toBeGreaterThan(estadoBefore);
    expect(
      atHka.documents.filter(
        (stored: Json) =>
          stored.numeroDocumentoFiscal.padStart(10, '0') === failed.number &&
          stored.puntoFacturacionFiscal.padStart(3, '0') === failed.pointOfSale.padStart(3, '0'),
      ),
    ).toEqual([]);
    expect(await poolAvailable()).toBe(atHka.folios.cycleAvailable);
    const events = await user.call('GET', `/v1/documents/${doc.id}/events`);
    expect((events.body.data as Json[]).map((event) => event.type)).toContain('WAITING_FOR_HKA');
  });
});
