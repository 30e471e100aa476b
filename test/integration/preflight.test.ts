import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exampleDocument,
  hkaSandbox,
  issue,
  issueAndWait,
  type Json,
  type Session,
  session,
} from './helpers/local-cloud.ts';

/**
 * The pre-flight as a product feature through the local cloud, as a client calls it: POST
 * /v1/documents/validate (valid, invalid, no side effect), warnings on the accepted and the read document,
 * the promoteWarnings setting, the tenant's ticket layout on the HKA-integration channel, and type 10 per
 * channel. Runs on the second demo tenant and restores its issuing settings at the end.
 */

const TENANT = 1;
const SEEDED_SETTINGS = { channel: 'hka-integration', cafeLayout: 'letter', promoteWarnings: false };

describe('pre-flight through the local cloud', () => {
  let admin: Session;
  let user: Session;

  const validate = (document: unknown) => user.call('POST', '/v1/documents/validate', { body: document });
  const settings = (body: Record<string, unknown>) => admin.call('PUT', '/v1/settings/issuing', { body });
  const folios = async () => (await user.call('GET', '/v1/folios')).body.data;
  const sandboxDocuments = async () => (await hkaSandbox.tenant(TENANT)).documents.length;

  beforeAll(async () => {
    [admin, user] = await Promise.all([session(TENANT, 'ADMIN'), session(TENANT, 'USER')]);
  });

  afterAll(async () => {
    await admin?.call('PUT', '/v1/settings/issuing', { body: SEEDED_SETTINGS });
  });

  it('POST /v1/documents/validate: 200 valid with the totals, without an Idempotency-Key', async () => {
    const response = await validate(exampleDocument('invoice-taxpayer.json'));
    expect(response.status, response.text).toBe(200);
    expect(response.body.data).toMatchObject({
      valid: true,
      errors: [],
      warnings: [],
      totals: { total: expect.any(String), itemCount: expect.any(Number) },
    });
  });

  it('POST /v1/documents/validate: 200 invalid with every error on its field', async () => {
    const document = exampleDocument('invoice-taxpayer.json') as Json;
    document.items[0].quantity = '0';
    document.receiver.dv = '7';
    const response = await validate(document);
    expect(response.status, response.text).toBe(200);
    const { valid, errors, totals } = response.body.data;
    expect(valid).toBe(false);
    expect(errors.map((e: Json) => e.path)).toEqual(
      expect.arrayContaining(['items[0].quantity', 'receiver.dv']),
    );
    for (const error of errors) expect(error).toMatchObject({ severity: 'error', code: expect.any(String) });
    expect(totals).toBeNull();
  });

  it('validating consumes no number, no folio and creates no document', async () => {
    const first = await issue(user, exampleDocument('invoice-taxpayer.json'));
    expect(first.status, first.text).toBe(202);
    const [foliosBefore, atHkaBefore] = await Promise.all([folios(), sandboxDocuments()]);

    for (let i = 0; i < 3; i++) {
      expect((await validate(exampleDocument('invoice-taxpayer.json'))).body.data.valid).toBe(true);
    }

    // The balance is untouched; the forecast may move as the first document is authorized meanwhile.
    expect((await folios()).balance).toEqual(foliosBefore.balance);
    const second = await issue(user, exampleDocument('invoice-taxpayer.json'));
    expect(second.status, second.text).toBe(202);
    expect(Number(second.body.data.number)).toBe(Number(first.body.data.number) + 1);
    // Newest first: nothing was created between the two (documents that earlier files dated on a moved test
    // clock may come before them).
    const listed = await user.call('GET', '/v1/documents?limit=100');
    const ids = listed.body.data.items.map((d: Json) => d.id);
    const at = ids.indexOf(second.body.data.id);
    expect(at, 'the second document is listed').toBeGreaterThanOrEqual(0);
    expect(ids[at + 1]).toBe(first.body.data.id);
    // Only the two issued documents can ever reach HKA; none came from validating.
    expect(await sandboxDocuments()).toBeGreaterThanOrEqual(atHkaBefore);
  });

  it('the 202 and GET /v1/documents/{id} carry warnings[]', async () => {
    const issued = await issue(user, exampleDocument('invoice-final-consumer.json'));
    expect(issued.status, issued.text).toBe(202);
    expect(issued.body.data.warnings).toEqual([]);
    const read = await user.call('GET', `/v1/documents/${issued.body.data.id}`);
    expect(read.status, read.text).toBe(200);
    expect(read.body.data.warnings).toEqual([]);
  });

  it('promoteWarnings is a tenant setting: off by default, switched on and off by an ADMIN', async () => {
    expect((await admin.call('GET', '/v1/settings/issuing')).body.data.promoteWarnings).toBe(false);
    const on = await settings({ promoteWarnings: true });
    expect(on.status, on.text).toBe(200);
    expect(on.body.data.promoteWarnings).toBe(true);
    expect((await validate(exampleDocument('invoice-taxpayer.json'))).body.data.valid).toBe(true);
    const notBoolean = await settings({ promoteWarnings: 'yes' });
    expect(notBoolean.status).toBe(422);
    expect((await settings({ promoteWarnings: false })).body.data.promoteWarnings).toBe(false);
  });

  it("the tenant's ticket layout reaches HKA on the hka-integration channel (formatoCAFE 2 in the rFE)", async () => {
    expect((await settings({ cafeLayout: 'ticket' })).status).toBe(200);
    try {
      const doc = await issueAndWait(user, exampleDocument('invoice-taxpayer.json'));
      expect(doc.status, JSON.stringify(doc.reasons)).toBe('AUTHORIZED');
      const xml = await user.call('GET', `/v1/documents/${doc.id}/xml`);
      expect(xml.status, xml.text).toBe(200);
      const rfe = await (await fetch(xml.body.data.url)).text();
      expect(rfe).toContain('<iFormCAFE>2</iFormCAFE>');
    } finally {
      await settings({ cafeLayout: 'letter' });
    }
  });

  it('type 10 (foreign operation) is accepted on the hka-integration channel', async () => {
    const validated = await validate(exampleDocument('foreign-invoice.json'));
    expect(validated.body.data).toMatchObject({ valid: true, errors: [] });
    const doc = await issueAndWait(user, exampleDocument('foreign-invoice.json'));
    expect(doc.status, JSON.stringify(doc.reasons)).toBe('AUTHORIZED');
    expect(doc.type).toBe('foreign-invoice');
  });

  it('type 10 is refused on the emitter-signed channel with a 422 on `type` that points to the HKA channel', async () => {
    expect((await settings({ channel: 'emitter-signed' })).status).toBe(200);
    try {
      const validated = await validate(exampleDocument('foreign-invoice.json'));
      expect(validated.body.data.valid).toBe(false);
      expect(validated.body.data.errors).toContainEqual(
        expect.objectContaining({ path: 'type', code: 'NOT_IN_DGI_XSD', severity: 'error' }),
      );
      const issued = await issue(user, exampleDocument('foreign-invoice.json'));
      expect(issued.status, issued.text).toBe(422);
      expect(issued.body.code).toBe('DOCUMENT_INVALID');
      expect(issued.body.details).toContainEqual({
        path: 'type',
        message: expect.stringMatching(/not in the DGI rFE v1\.00 XSD.*hka-integration channel accepts it/),
        code: 'NOT_IN_DGI_XSD',
        severity: 'error',
      });
    } finally {
      await settings({ channel: 'hka-integration' });
    }
  });
});
