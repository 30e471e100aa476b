import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiResponse,
  advanceClock,
  exampleDocument,
  FINAL_STATUSES,
  hkaSandbox,
  issue,
  type Json,
  pollEvery,
  resetClock,
  type SandboxDocument,
  type SandboxTenant,
  type Session,
  session,
} from './helpers/local-cloud.ts';

// The test clock moves here: the next files run on the real time again.
afterAll(resetClock);

/**
 * The HKA fault matrix: every fault kind of the HKA sandbox × a batch of documents issued together on the
 * HKA-integration channel, asserting after each kind that
 * - every document reached a final state (AUTHORIZED, REJECTED or FAILED) on its own;
 * - HKA holds no duplicate: each document of ours is at most one document at HKA (same number, same CUFE),
 *   and HKA holds nothing of the tenant's that is not one of ours (a re-sent document under a new number);
 * - no document is FAILED while HKA holds it (its folio would be counted at HKA and given back by us);
 * - our folio pool equals HKA's counters without a sync.
 *
 * The faults hit every HKA operation (Enviar, EstadoDocumento, DescargaXML/PDF), intermittently and within a
 * budget (`rate`, `times`), so batches mix clean calls, retried ones, reconciliations and exhausted retries.
 * The emitter-signed channel is not in the matrix: the sandbox's PAC reception takes no faults.
 *
 * Faults are set per sandbox tenant, so each demo tenant runs its kinds one after another, and the two
 * tenants run side by side.
 */

const DOCUMENTS_PER_KIND = 10;
/** How long a batch may take to settle on a loaded machine (timeouts: 25 s client wait + 30 s lease). */
const SETTLE_MS = 180_000;

/**
 * One fault kind: `intermittent` hits the kind's batch of documents within a budget (`times`), so the batch
 * mixes clean calls, retried ones and reconciliations; `outage` (a few more documents) then makes HKA fail
 * every call until the documents gave up or kept waiting, and HKA comes back — documents HKA never received
 * end FAILED with their folio given back, documents HKA may hold wait and end AUTHORIZED.
 */
type Kind = { name: string; intermittent: Json; outage: boolean };

/**
 * `timeout` holds the socket until the HKA client gives up (25 s): only the first two requests of its batch
 * get it and it has no outage, or the kind would take minutes without testing anything more — what matters
 * is that a submission whose answer never came is reconciled, not re-sent as a new document. `latency` fails
 * nothing, so it has no outage either (its `times` only counts the requests it slowed).
 */
const LANES: Kind[][] = [
  [
    { name: 'timeout', intermittent: { kind: 'timeout', times: 2 }, outage: false },
    { name: 'latency', intermittent: { kind: 'latency', ms: 1500, times: 1000 }, outage: false },
    { name: 'http-500', intermittent: { kind: 'http-500', rate: 0.5, times: 12 }, outage: true },
    { name: 'reset', intermittent: { kind: 'reset', rate: 0.5, times: 12 }, outage: true },
  ],
  [
    { name: 'lost-answer', intermittent: { kind: 'lost-answer', rate: 0.5, times: 12 }, outage: true },
    { name: 'http-503', intermittent: { kind: 'http-503', rate: 0.5, times: 12 }, outage: true },
    { name: 'malformed', intermittent: { kind: 'malformed', rate: 0.5, times: 12 }, outage: true },
    { name: 'empty', intermittent: { kind: 'empty', rate: 0.5, times: 12 }, outage: true },
  ],
];
const OUTAGE_DOCUMENTS = 4;

type Outcome = {
  kind: string;
  documents: Json[];
  /** Documents HKA added for the tenant during the kind. */
  addedAtHka: SandboxDocument[];
  /** Requests the intermittent fault hit. */
  faultsFired: number;
  poolAvailable: number;
  hkaAvailable: number;
};

const sameNumber = (stored: SandboxDocument, doc: Json) =>
  stored.numeroDocumentoFiscal.padStart(10, '0') === doc.number &&
  stored.puntoFacturacionFiscal.padStart(3, '0') === doc.pointOfSale &&
  stored.codigoSucursalEmisor === doc.branch;

async function poolAvailable(admin: Session): Promise<number> {
  const balance = await admin.call('GET', '/v1/folios');
  if (balance.status !== 200) throw new Error(`GET /v1/folios: ${balance.status} ${balance.text}`);
  return balance.body.data.balance.poolAvailable;
}

async function syncFolios(admin: Session): Promise<void> {
  const sync = await admin.call('POST', '/v1/folios/sync', { headers: { 'idempotency-key': randomUUID() } });
  if (sync.status !== 200) throw new Error(`POST /v1/folios/sync: ${sync.status} ${sync.text}`);
}

async function issueBatch(user: Session, count: number, label: string): Promise<string[]> {
  const issued = await Promise.all(
    Array.from({ length: count }, () => issue(user, exampleDocument('invoice-taxpayer.json'))),
  );
  for (const response of issued) {
    if (response.status !== 202)
      throw new Error(`${label}: issue answered ${response.status}: ${response.text}`);
  }
  return issued.map((response) => response.body.data.id as string);
}

const isFinal = (read: ApiResponse) => read.status === 200 && FINAL_STATUSES.includes(read.body.data.status);

function readAll(user: Session, ids: string[]): Promise<ApiResponse[]> {
  return Promise.all(ids.map((id) => user.call('GET', `/v1/documents/${id}`)));
}

/**
 * Until every document is final. A document waiting for HKA (the circuit breaker opened: failures in a row,
 * of either lane) goes at the breaker's next probe, a minute of the test clock later: the clock is moved on
 * while documents wait, instead of waiting out the minute.
 */
async function settled(user: Session, ids: string[]): Promise<void> {
  const deadline = Date.now() + SETTLE_MS;
  let movedAt = Date.now();
  for (;;) {
    const reads = await readAll(user, ids);
    if (reads.every(isFinal) || Date.now() > deadline) return;
    if (reads.some((read) => read.body?.data?.status === 'WAITING_FOR_HKA') && Date.now() - movedAt > 5_000) {
      await advanceClock(60_000);
      movedAt = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Until every document ended or waits for HKA to answer again (WAITING_FOR_HKA). */
async function gaveUpOrWaiting(user: Session, ids: string[]): Promise<void> {
  await pollEvery(
    1000,
    () => readAll(user, ids),
    (reads) => reads.every((read) => isFinal(read) || read.body?.data?.status === 'WAITING_FOR_HKA'),
    SETTLE_MS,
  );
}

async function runKind(tenantIndex: number, user: Session, admin: Session, kind: Kind): Promise<Outcome> {
  const before = new Set((await hkaSandbox.tenant(tenantIndex)).documents.map((stored) => stored.key));
  const ids: string[] = [];
  let faultsFired = 0;
  await hkaSandbox.setFaults(tenantIndex, [kind.intermittent]);
  try {
    ids.push(...(await issueBatch(user, DOCUMENTS_PER_KIND, kind.name)));
    await settled(user, ids);
    const [left] = (await hkaSandbox.tenant(tenantIndex)).faults as Json[];
    faultsFired = kind.intermittent.times - (left?.times ?? 0);
    if (kind.outage) {
      await hkaSandbox.setFaults(tenantIndex, [{ kind: kind.name }]);
      const down = await issueBatch(user, OUTAGE_DOCUMENTS, `${kind.name} outage`);
      ids.push(...down);
      await gaveUpOrWaiting(user, down);
      await hkaSandbox.setFaults(tenantIndex, []);
      await settled(user, down);
    }
  } finally {
    await hkaSandbox.setFaults(tenantIndex, []);
  }
  const documents = (await readAll(user, ids)).map((read) => read.body.data as Json);
  const after: SandboxTenant = await hkaSandbox.tenant(tenantIndex);
  return {
    kind: kind.name,
    documents,
    addedAtHka: after.documents.filter((stored) => !before.has(stored.key)),
    faultsFired,
    poolAvailable: await poolAvailable(admin),
    hkaAvailable: after.folios.cycleAvailable,
  };
}

/** The figures of one kind: what the assertions check, and what the summary prints. */
function tally(outcome: Outcome) {
  const count = (status: string) => outcome.documents.filter((doc) => doc.status === status).length;
  const matches = outcome.documents.map((doc) =>
    outcome.addedAtHka.filter((stored) => sameNumber(stored, doc)),
  );
  const strangers = outcome.addedAtHka.filter(
    (stored) => !outcome.documents.some((doc) => sameNumber(stored, doc)),
  );
  const duplicates =
    matches.reduce((sum, found) => sum + Math.max(0, found.length - 1), 0) +
    strangers.length +
    // Authorized here under another CUFE than HKA's: HKA's document is not the one we archived.
    outcome.documents.filter(
      (doc, i) => doc.status === 'AUTHORIZED' && matches[i]?.[0] && matches[i]?.[0]?.cufe !== doc.cufe,
    ).length;
  const failedWhileHeld = outcome.documents.filter(
    (doc, i) => doc.status === 'FAILED' && (matches[i]?.length ?? 0) > 0,
  ).length;
  return {
    documents: outcome.documents.length,
    authorized: count('AUTHORIZED'),
    rejected: count('REJECTED'),
    failed: count('FAILED'),
    pending: outcome.documents.filter((doc) => !FINAL_STATUSES.includes(doc.status)).length,
    duplicates,
    failedWhileHeld,
    faultsFired: outcome.faultsFired,
    pool: outcome.poolAvailable,
    hka: outcome.hkaAvailable,
  };
}

function line(label: string, t: ReturnType<typeof tally>, poolNote: string): string {
  return `${label.padEnd(12)} documents ${t.documents} (faults fired ${t.faultsFired}), authorized ${t.authorized}, rejected ${t.rejected}, failed ${t.failed}, not final ${t.pending}, duplicates at HKA ${t.duplicates}, FAILED while HKA holds ${t.failedWhileHeld}, ${poolNote}`;
}

describe('HKA fault matrix (HKA-integration channel)', () => {
  const outcomes = new Map<string, Outcome>();

  beforeAll(async () => {
    await Promise.all(
      LANES.map(async (kinds, tenantIndex) => {
        const [user, admin] = await Promise.all([
          session(tenantIndex, 'USER'),
          session(tenantIndex, 'ADMIN'),
        ]);
        // From here on, our pool must follow HKA's counters with no further sync.
        await syncFolios(admin);
        for (const kind of kinds) outcomes.set(kind.name, await runKind(tenantIndex, user, admin, kind));
      }),
    );
  }, 600_000);

  afterAll(async () => {
    await hkaSandbox.clearFaults();
    const rows = LANES.flat()
      .map((kind) => outcomes.get(kind.name))
      .filter((outcome): outcome is Outcome => outcome !== undefined);
    if (rows.length === 0) return;
    const tallies = rows.map(tally);
    const lines = rows.map((outcome, i) => {
      const t = tallies[i]!;
      return line(outcome.kind, t, `pool ${t.pool} ${t.pool === t.hka ? '=' : '≠'} HKA ${t.hka}`);
    });
    const sum = (key: keyof ReturnType<typeof tally>) => tallies.reduce((total, t) => total + t[key], 0);
    const poolsAgree = tallies.filter((t) => t.pool === t.hka).length;
    const total = {
      documents: sum('documents'),
      authorized: sum('authorized'),
      rejected: sum('rejected'),
      failed: sum('failed'),
      pending: sum('pending'),
      duplicates: sum('duplicates'),
      failedWhileHeld: sum('failedWhileHeld'),
      faultsFired: sum('faultsFired'),
      pool: 0,
      hka: 0,
    };
    lines.push(line('TOTAL', total, `pool = HKA after ${poolsAgree} of ${rows.length} kinds`));
    console.log(`[fault-matrix]\n${lines.join('\n')}`);
  });

  it.each(LANES.flat().map((kind) => ({ name: kind.name })))(
    '$name: every document final, no duplicate at HKA, none FAILED while HKA holds it, pool = HKA',
    ({ name }) => {
      const outcome = outcomes.get(name);
      expect(outcome, `${name} did not run`).toBeDefined();
      const t = tally(outcome!);
      const detail = JSON.stringify({
        documents: outcome!.documents.map((doc) => ({
          number: doc.number,
          status: doc.status,
          cufe: doc.cufe,
          reasons: doc.reasons,
        })),
        atHka: outcome!.addedAtHka.map((stored) => ({
          number: stored.numeroDocumentoFiscal,
          cufe: stored.cufe,
          receipts: stored.receipts,
        })),
      });
      const kind = LANES.flat().find((candidate) => candidate.name === name)!;
      expect(t.documents).toBe(DOCUMENTS_PER_KIND + (kind.outage ? OUTAGE_DOCUMENTS : 0));
      // The kind did hit the batch: a matrix row whose fault never fired proves nothing.
      expect(t.faultsFired).toBeGreaterThan(0);
      expect(t.pending, detail).toBe(0);
      expect(t.authorized + t.rejected + t.failed, detail).toBe(t.documents);
      expect(t.duplicates, detail).toBe(0);
      expect(t.failedWhileHeld, detail).toBe(0);
      // Everything HKA stored is one of ours and AUTHORIZED here; the rest never reached it.
      expect(outcome!.addedAtHka.length, detail).toBe(t.authorized);
      expect(t.pool, detail).toBe(t.hka);
    },
  );
});
