import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeRucDv } from '#shared/fiscal/ruc-dv';
import {
  exampleDocument,
  hkaSandbox,
  issue,
  type Json,
  type Session,
  session,
  waitForFinal,
} from './helpers/local-cloud.ts';

/**
 * Receiver verification through the local cloud: the issuing route asks HKA's ConsultarRucDV (the sandbox's
 * registry) before it allocates a number. Each test uses a RUC of its own, so the answers the product keeps
 * for 30 days never carry over from an earlier run.
 */

const TENANT = 1;

/** A well-formed juridical RUC nobody has used yet, and its DGI check digits. */
function freshRuc(): { ruc: string; dv: string } {
  const ruc = `${randomInt(1_000_000, 9_999_999)}-1-${randomInt(100_000, 999_999)}`;
  return { ruc, dv: computeRucDv(ruc, '2') };
}

function invoiceTo(receiver: { ruc: string; dv: string; name?: string }): Json {
  const doc = exampleDocument('invoice-taxpayer.json') as Json;
  doc.receiver = {
    ...doc.receiver,
    ruc: receiver.ruc,
    dv: receiver.dv,
    ...(receiver.name ? { name: receiver.name } : {}),
  };
  return doc;
}

describe('receiver verification (HKA ConsultarRucDV) on POST /v1/documents', () => {
  let user: Session;
  beforeAll(async () => {
    user = await session(TENANT, 'USER');
  });
  afterAll(async () => {
    await hkaSandbox.setFaults(TENANT, []);
  });

  it('a RUC registered at the DGI issues without warnings and is authorized', async () => {
    // Prepare
    const receiver = freshRuc();
    const document = invoiceTo(receiver);
    await hkaSandbox.registerRuc({ tipoRuc: '2', ruc: receiver.ruc, razonSocial: document.receiver.name });

    // Act
    const issued = await issue(user, document);

    // Assess
    expect(issued.status, issued.text).toBe(202);
    expect(issued.body.data.warnings).toEqual([]);
    const final = await waitForFinal(user, issued.body.data.id);
    expect(final.body.data.status, final.text).toBe('AUTHORIZED');
  });

  it('a well-formed RUC the DGI does not know is refused with 422 at receiver.ruc, before any number', async () => {
    // Prepare
    const receiver = freshRuc();

    // Act
    const refused = await issue(user, invoiceTo(receiver));

    // Assess
    expect(refused.status, refused.text).toBe(422);
    expect(refused.body).toMatchObject({ success: false, code: 'DOCUMENT_INVALID' });
    expect(refused.body.details).toEqual([
      {
        path: 'receiver.ruc',
        message: 'RUC no inscrito',
        code: 'RUC_NOT_REGISTERED',
        severity: 'error',
        hint: expect.stringMatching(/1602/),
      },
    ]);
  });

  it('with ConsultarRucDV down the document is accepted (202) with a warning, also on GET', async () => {
    // Prepare
    const receiver = freshRuc();
    await hkaSandbox.setFaults(TENANT, [{ kind: 'http-503', operations: ['ConsultarRucDV'] }]);

    // Act
    let issued: Json;
    try {
      issued = await issue(user, invoiceTo(receiver));
    } finally {
      await hkaSandbox.setFaults(TENANT, []);
    }

    // Assess
    expect(issued.status, issued.text).toBe(202);
    expect(issued.body.data.warnings).toEqual([
      expect.objectContaining({ path: 'receiver.ruc', code: 'RUC_NOT_VERIFIED' }),
    ]);
    const read = await user.call('GET', `/v1/documents/${issued.body.data.id}`);
    expect(read.body.data.warnings).toEqual(issued.body.data.warnings);
  });

  it('a name differing from the DGI-registered one is a warning with the registered name as the hint', async () => {
    // Prepare
    const receiver = freshRuc();
    await hkaSandbox.registerRuc({
      tipoRuc: '2',
      ruc: receiver.ruc,
      razonSocial: 'RAZON SOCIAL REGISTRADA, S.A.',
    });

    // Act
    const issued = await issue(user, invoiceTo({ ...receiver, name: 'NOMBRE COMERCIAL' }));

    // Assess
    expect(issued.status, issued.text).toBe(202);
    expect(issued.body.data.warnings).toEqual([
      expect.objectContaining({
        path: 'receiver.name',
        code: 'RECEIVER_NAME_MISMATCH',
        hint: 'RAZON SOCIAL REGISTRADA, S.A.',
      }),
    ]);
  });
});
