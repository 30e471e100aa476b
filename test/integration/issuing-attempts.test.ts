import { randomUUID } from 'node:crypto';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  advanceClock,
  exampleDocument,
  hkaSandbox,
  issue,
  type Json,
  localStack,
  pollEvery,
  resetClock,
  type Session,
  session,
  waitForFinal,
} from './helpers/local-cloud.ts';

// The test clock moves here: the next files run on the real time again.
afterAll(resetClock);

/**
 * Issuing attempts: one execution per attempt, exactly one execution owns an attempt, a document's next
 * attempt is started by the re-drive sweep (never by hand), and POST /retry starts one only when none is live.
 */

const TENANT = 0;

function sfn(): SFNClient {
  const stack = localStack();
  return new SFNClient({
    region: stack.cognito.region,
    endpoint: stack.endpoints.sfn,
    credentials: { ...stack.credentials },
  });
}

function issuingMachineArn(): string {
  const arn = localStack().resources.stateMachines.find((candidate) => candidate.includes('issuing'));
  if (!arn) throw new Error('no issuing state machine in the local cloud');
  return arn;
}

async function history(user: Session, id: string): Promise<Json[]> {
  const response = await user.call('GET', `/v1/documents/${id}/events`);
  expect(response.status, response.text).toBe(200);
  return response.body.data;
}

/** Our document at HKA, by number (HKA's identity of a document). */
async function atHka(doc: Json) {
  const tenant = await hkaSandbox.tenant(TENANT);
  return tenant.documents.filter(
    (stored) =>
      stored.numeroDocumentoFiscal.padStart(10, '0') === doc.number &&
      stored.puntoFacturacionFiscal.padStart(3, '0') === doc.pointOfSale &&
      stored.codigoSucursalEmisor === doc.branch,
  );
}

describe('issuing attempts', () => {
  let user: Session;

  beforeAll(async () => {
    user = await session(TENANT, 'USER');
  });

  afterAll(async () => {
    await hkaSandbox.setFaults(TENANT, []);
  });

  it('the same attempt started twice at once: one execution owns it, one submission reaches HKA', async () => {
    // Attempt 1 fails before reaching HKA (503 until it waits for HKA: the failures open the HKA circuit
    // breaker) and lets go of the document: attempt 1 is then unowned until the sweep claims attempt 2 — the
    // moment two starts can race. HKA answers again; both are started as the breaker's probe (the sweep's
    // would be too).
    await hkaSandbox.setFaults(TENANT, [{ kind: 'http-503', operations: ['Enviar'] }]);
    const issued = await issue(user, exampleDocument('invoice-taxpayer.json'));
    expect(issued.status, issued.text).toBe(202);
    const doc = issued.body.data;
    await pollEvery(
      25,
      () => history(user, doc.id),
      (events) => events.some((event) => event.type === 'WAITING_FOR_HKA'),
      30_000,
    );
    await hkaSandbox.setFaults(TENANT, []);
    const input = JSON.stringify({
      tenantId: localStack().demo.tenants[TENANT]!.tenantId,
      documentId: doc.id,
      attempt: 1,
      channel: 'hka-integration',
      environment: 'demo',
      probe: true,
    });
    const client = sfn();
    await Promise.all(
      [1, 2].map(() =>
        client.send(new StartExecutionCommand({ stateMachineArn: issuingMachineArn(), input })),
      ),
    );

    const final = await waitForFinal(user, doc.id);
    expect(final.body.data.status, final.text).toBe('AUTHORIZED');
    const stored = await atHka(final.body.data);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.receipts).toBe(1);
    const events = await history(user, doc.id);
    const afterFailure = events.slice(events.findIndex((event) => event.type === 'WAITING_FOR_HKA'));
    expect(afterFailure.filter((event) => event.type === 'SUBMISSION_ATTEMPT')).toHaveLength(1);
    client.destroy();
  });

  it('a transient failure is retried by the re-drive sweep, without any call to /retry', async () => {
    await hkaSandbox.setFaults(TENANT, [{ kind: 'reset', times: 3, operations: ['Enviar'] }]);
    const issued = await issue(user, exampleDocument('invoice-taxpayer.json'));
    expect(issued.status, issued.text).toBe(202);
    // Three failures in a row open the breaker: the document waits for its next probe, a minute later.
    await pollEvery(
      100,
      () => history(user, issued.body.data.id),
      (events) => events.some((event) => event.type === 'WAITING_FOR_HKA'),
      30_000,
    );
    await advanceClock(60_000);
    const final = await waitForFinal(user, issued.body.data.id);
    expect(final.body.data.status, final.text).toBe('AUTHORIZED');
    const types = (await history(user, issued.body.data.id)).map((event) => event.type);
    expect(types).toContain('WAITING_FOR_HKA');
    expect(types).toContain('REDRIVEN');
    expect(types).not.toContain('RETRY_REQUESTED');
    expect(await atHka(final.body.data)).toHaveLength(1);
  });

  it('POST /retry while an attempt is live → 409 ATTEMPT_IN_PROGRESS; of an AUTHORIZED document → 409', async () => {
    await hkaSandbox.setFaults(TENANT, [{ kind: 'latency', ms: 3000, times: 1, operations: ['Enviar'] }]);
    const issued = await issue(user, exampleDocument('invoice-taxpayer.json'));
    expect(issued.status, issued.text).toBe(202);
    const id = issued.body.data.id;
    await pollEvery(
      25,
      () => history(user, id),
      (events) => events.some((event) => event.type === 'SUBMISSION_ATTEMPT'),
      30_000,
    );
    const live = await user.call('POST', `/v1/documents/${id}/retry`, {
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(live.status, live.text).toBe(409);
    expect(live.body.code).toBe('ATTEMPT_IN_PROGRESS');

    const final = await waitForFinal(user, id);
    expect(final.body.data.status).toBe('AUTHORIZED');
    const again = await user.call('POST', `/v1/documents/${id}/retry`, {
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(again.status, again.text).toBe(409);
    expect(again.body.code).toBe('DOCUMENT_NOT_RETRYABLE');
    expect(await atHka(final.body.data)).toHaveLength(1);
  });
});
