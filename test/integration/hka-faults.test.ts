import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  advanceClock,
  exampleDocument,
  FINAL_STATUSES,
  hkaSandbox,
  issue,
  type Json,
  pollUntil,
  resetClock,
  type SandboxTenant,
  type Session,
  session,
  waitForFinal,
} from './helpers/local-cloud.ts';

// The test clock moves here: the next files run on the real time again.
afterAll(resetClock);

/**
 * Every fault kind of the HKA sandbox through the whole pipeline (fast retries): transient faults within the
 * retries end AUTHORIZED, HKA down for good makes the document wait (WAITING_FOR_HKA) until HKA answers; nothing is lost, one document of ours is
 * never two at HKA (checked on the sandbox's own state), and the sandbox's folio counters match what it stored.
 *
 * Faults are per sandbox tenant, so the scenarios of one tenant run one after another. The `timeout` scenario
 * waits for the HKA client's 25 s timeout: it runs on the other demo tenant meanwhile.
 */

const TENANT = 1;
const TIMEOUT_TENANT = 0;
const ENVIAR = ['Enviar'];

type Scenario = { name: string; faults: Json[] };

const TRANSIENT: Scenario[] = [
  { name: 'latency', faults: [{ kind: 'latency', ms: 1500 }] },
  { name: 'http-500', faults: [{ kind: 'http-500', times: 2, operations: ENVIAR }] },
  { name: 'http-503', faults: [{ kind: 'http-503', times: 2, operations: ENVIAR }] },
  { name: 'reset', faults: [{ kind: 'reset', times: 2, operations: ENVIAR }] },
  { name: 'malformed', faults: [{ kind: 'malformed', times: 2, operations: ENVIAR }] },
  { name: 'empty', faults: [{ kind: 'empty', times: 2, operations: ENVIAR }] },
  {
    name: 'intermittent (50 % of 503 and resets, bounded)',
    faults: [
      { kind: 'http-503', rate: 0.5, times: 3 },
      { kind: 'reset', rate: 0.5, times: 2 },
    ],
  },
  // Processed by HKA, answer lost: the retry must ask EstadoDocumento instead of sending it again.
  { name: 'lost-answer', faults: [{ kind: 'lost-answer', times: 1, operations: ENVIAR }] },
  { name: 'lost-answer twice (also on the reconciliation)', faults: [{ kind: 'lost-answer', times: 2 }] },
];

async function issueUnder(user: Session, tenantIndex: number, faults: Json[]): Promise<Json> {
  await hkaSandbox.setFaults(tenantIndex, faults);
  try {
    const issued = await issue(user, exampleDocument('invoice-taxpayer.json'));
    expect(issued.status, issued.text).toBe(202);
    const final = await finalMovingClock(user, issued.body.data.id);
    expect(final.status, final.text).toBe(200);
    return final.body.data;
  } finally {
    await hkaSandbox.setFaults(tenantIndex, []);
  }
}

/**
 * Reads a document until it is final. Failures in a row (of any demo tenant: the circuit breaker is per HKA
 * environment) may open the breaker: a waiting document then goes at its next probe, a minute of the test
 * clock later — the clock is moved on instead of waiting out the minute.
 */
async function finalMovingClock(user: Session, id: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  let movedAt = Date.now();
  for (;;) {
    const read = await user.call('GET', `/v1/documents/${id}`);
    if (read.status !== 200 || FINAL_STATUSES.includes(read.body.data.status) || Date.now() > deadline)
      return read;
    if (read.body.data.status === 'WAITING_FOR_HKA' && Date.now() - movedAt > 5_000) {
      await advanceClock(60_000);
      movedAt = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

async function poolAvailable(admin: Session): Promise<number> {
  const balance = await admin.call('GET', '/v1/folios');
  expect(balance.status, balance.text).toBe(200);
  return balance.body.data.balance.poolAvailable;
}

/** Our document at HKA, found by its number (the key HKA deduplicates on): exactly one, or none. */
function atHka(tenant: SandboxTenant, doc: Json) {
  return tenant.documents.filter(
    (stored) =>
      stored.numeroDocumentoFiscal.padStart(10, '0') === doc.number &&
      stored.puntoFacturacionFiscal.padStart(3, '0') === doc.pointOfSale &&
      stored.codigoSucursalEmisor === doc.branch,
  );
}

describe('HKA faults through the pipeline', () => {
  let user: Session;
  let before: SandboxTenant;
  const ours: Json[] = [];
  let timeoutScenario: Promise<Json>;
  let admin: Session;
  let otherAdmin: Session;
  let synced: Json;

  beforeAll(async () => {
    user = await session(TENANT, 'USER');
    admin = await session(TENANT, 'ADMIN');
    // The tenant's folio pool, synchronized with HKA (FoliosRestantes) before the scenarios.
    const sync = await admin.call('POST', '/v1/folios/sync', {
      headers: { 'idempotency-key': randomUUID() },
    });
    synced = sync.status === 200 ? sync.body.data : undefined;
    before = await hkaSandbox.tenant(TENANT);
    const other = await session(TIMEOUT_TENANT, 'USER');
    otherAdmin = await session(TIMEOUT_TENANT, 'ADMIN');
    const otherSync = await otherAdmin.call('POST', '/v1/folios/sync', {
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(otherSync.status, otherSync.text).toBe(200);
    // Started now, awaited by its own test below; it does not hold up the other scenarios.
    timeoutScenario = issueUnder(other, TIMEOUT_TENANT, [{ kind: 'timeout', times: 1, operations: ENVIAR }]);
    timeoutScenario.catch(() => undefined);
  });

  afterAll(async () => {
    await hkaSandbox.clearFaults();
  });

  it.each(TRANSIENT)(
    '$name → AUTHORIZED, one document at HKA, our folio pool = HKA’s',
    async ({ faults }) => {
      const doc = await issueUnder(user, TENANT, faults);
      ours.push(doc);
      expect(doc.status, JSON.stringify(doc.reasons)).toBe('AUTHORIZED');
      const hka = await hkaSandbox.tenant(TENANT);
      const stored = atHka(hka, doc);
      expect(stored).toHaveLength(1);
      expect(stored[0]?.cufe).toBe(doc.cufe);
      expect(await poolAvailable(admin)).toBe(hka.folios.cycleAvailable);
    },
  );

  it('timeout (no answer until the client gives up) → AUTHORIZED, one document at HKA, our folio pool = HKA’s', async () => {
    const doc = await timeoutScenario;
    expect(doc.status, JSON.stringify(doc.reasons)).toBe('AUTHORIZED');
    const hka = await hkaSandbox.tenant(TIMEOUT_TENANT);
    const stored = atHka(hka, doc);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.cufe).toBe(doc.cufe);
    expect(await poolAvailable(otherAdmin)).toBe(hka.folios.cycleAvailable);
  }, 120_000);

  let unreachable: Json;
  it('HKA down for good (503 on every call) → WAITING_FOR_HKA with its next attempt and last error, never FAILED, nothing at HKA', async () => {
    await hkaSandbox.setFaults(TENANT, [{ kind: 'http-503' }]);
    const issued = await issue(user, exampleDocument('invoice-taxpayer.json'));
    expect(issued.status, issued.text).toBe(202);
    const waiting = await pollUntil(
      async () => (await user.call('GET', `/v1/documents/${issued.body.data.id}`)).body.data,
      (doc) => doc.status !== 'PROCESSING',
      60_000,
    );
    unreachable = waiting;
    expect(waiting.status).toBe('WAITING_FOR_HKA');
    expect(waiting.nextAttemptAt).toEqual(expect.any(String));
    // HKA's own answer, or the breaker's once it opened: the breaker is per HKA environment, and the timeout
    // scenario of the other tenant may have opened it already (its timeouts count against the same HKA).
    expect(waiting.lastError).toMatch(/503|circuit breaker open/);
    expect(waiting.cufe).toBeNull();
    expect(atHka(await hkaSandbox.tenant(TENANT), waiting)).toHaveLength(0);
  });

  it('HKA back: the breaker’s next probe sends that document, AUTHORIZED once, our folio pool = HKA’s', async () => {
    expect(unreachable?.status).toBe('WAITING_FOR_HKA');
    await hkaSandbox.setFaults(TENANT, []);
    // The breaker probes once a minute (of the test clock).
    await advanceClock(60_000);
    const final = await waitForFinal(user, unreachable.id);
    expect(final.body.data.status, final.text).toBe('AUTHORIZED');
    const hka = await hkaSandbox.tenant(TENANT);
    expect(atHka(hka, final.body.data)).toHaveLength(1);
    expect(await poolAvailable(admin)).toBe(hka.folios.cycleAvailable);
    unreachable = final.body.data;
    ours.push(unreachable);
  });

  it('every answer lost, EstadoDocumento’s too → never FAILED while HKA may hold it; once HKA answers, AUTHORIZED with its CUFE', async () => {
    await hkaSandbox.setFaults(TENANT, [{ kind: 'lost-answer' }]);
    let doc: Json;
    try {
      const issued = await issue(user, exampleDocument('invoice-taxpayer.json'));
      expect(issued.status, issued.text).toBe(202);
      doc = issued.body.data;
      // More failed attempts than the configured waits between attempts, yet still waiting. The failures
      // open the breaker: from then on one probe a minute (of the test clock) is an attempt.
      const failures = (events: Json[]) =>
        events.filter((event) => event.type === 'ATTEMPT_FAILED' || event.type === 'WAITING_FOR_HKA').length;
      let history: Json[] = [];
      for (let minute = 0; minute < 10 && failures(history) < 5; minute++) {
        history = await pollUntil(
          async () => (await user.call('GET', `/v1/documents/${doc.id}/events`)).body.data as Json[],
          (events) => failures(events) >= 5,
          8_000,
        );
        if (failures(history) < 5) await advanceClock(60_000);
      }
      expect(failures(history)).toBeGreaterThanOrEqual(5);
      expect(history.map((event: Json) => event.type)).not.toContain('FAILED');
      const waiting = await user.call('GET', `/v1/documents/${doc.id}`);
      expect(waiting.body.data.status).toBe('WAITING_FOR_HKA');
      expect(atHka(await hkaSandbox.tenant(TENANT), doc)).toHaveLength(1);
    } finally {
      await hkaSandbox.setFaults(TENANT, []);
    }
    await advanceClock(60_000);
    const final = await waitForFinal(user, doc.id);
    expect(final.body.data.status, final.text).toBe('AUTHORIZED');
    const hka = await hkaSandbox.tenant(TENANT);
    const stored = atHka(hka, final.body.data);
    expect(stored).toHaveLength(1);
    expect(final.body.data.cufe).toBe(stored[0]?.cufe);
    const events = (await user.call('GET', `/v1/documents/${doc.id}/events`)).body.data as Json[];
    expect(events.map((event) => event.type)).toContain('AUTHORIZED');
    expect(await poolAvailable(admin)).toBe(hka.folios.cycleAvailable);
    ours.push(final.body.data);
  });

  it('folios: the pool synchronizes with HKA', () => {
    expect(synced, 'POST /v1/folios/sync').toBeDefined();
    expect(synced.cycleAvailable).toBe(before.folios.cycleAvailable);
  });

  it('nothing lost, no duplicates, folios consistent', async () => {
    const after = await hkaSandbox.tenant(TENANT);
    const added = after.documents.length - before.documents.length;
    // Every document reached HKA exactly once (the 503 one only after its retry).
    const reached = ours.filter((doc) => atHka(after, doc).length > 0);
    expect(added).toBe(reached.length);
    expect(reached.length).toBe(ours.length);
    for (const doc of ours) expect(atHka(after, doc).length, doc.number).toBeLessThanOrEqual(1);
    expect(new Set(after.documents.map((stored) => stored.key)).size).toBe(after.documents.length);
    // HKA counted one folio per stored document, lost answers included, and none for refused calls.
    expect(after.folios.cycleUsed - before.folios.cycleUsed).toBe(added);
    // The app's folio pool equals HKA's counters without a sync, and a new sync agrees.
    if (synced) {
      expect(await poolAvailable(admin)).toBe(after.folios.cycleAvailable);
      const resync = await admin.call('POST', '/v1/folios/sync', {
        headers: { 'idempotency-key': randomUUID() },
      });
      expect(resync.status, resync.text).toBe(200);
      expect(resync.body.data.cycleUsed).toBe(after.folios.cycleUsed);
      expect(resync.body.data.cycleAvailable).toBe(after.folios.cycleAvailable);
      expect(resync.body.data.poolAvailable).toBe(after.folios.cycleAvailable);
    }
    // And each of ours is visible through the API in its final state.
    for (const doc of ours) {
      const read = await user.call('GET', `/v1/documents/${doc.id}`);
      expect(read.status).toBe(200);
      expect(read.body.data.status).toBe('AUTHORIZED');
    }
  });
});
