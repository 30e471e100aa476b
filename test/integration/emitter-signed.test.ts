import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTestCertificate, type TestCertificate } from '#shared/signing/test-certificate';
import { verifyRfeSignature } from '#shared/signing/xmldsig';
import {
  exampleDocument,
  hkaSandbox,
  issue,
  issueAndWait,
  type Json,
  localStack,
  type Session,
  session,
  waitForFinal,
} from './helpers/local-cloud.ts';

/**
 * The tenant's own certificate and the emitter-signed channel through the local cloud: upload (PIN, RUC and
 * key material checks), listing, issuing signed with the uploaded key through the PAC reception, removal.
 * Runs on the second demo tenant and restores it (hka-integration, a signing key on file) at the end.
 */

const TENANT = 1;
const PIN = 'Pin-Secreto-2026';
const key = () => ({ 'idempotency-key': randomUUID() });

describe('certificates and the emitter-signed channel', () => {
  let admin: Session;
  let user: Session;
  let certificate: TestCertificate;
  let uploaded: Json;
  let signed: Json;

  const upload = (p12: Buffer, pin = PIN) =>
    admin.call('POST', '/v1/certificates', {
      body: { p12: p12.toString('base64'), pin },
      headers: key(),
    });

  beforeAll(async () => {
    [admin, user] = await Promise.all([session(TENANT, 'ADMIN'), session(TENANT, 'USER')]);
    const { ruc, dv, name } = localStack().demo.tenants[TENANT]!;
    certificate = generateTestCertificate({ ruc, dv, name });
  });

  afterAll(async () => {
    // Other files share the tenant: back to hka-integration, with a signing key on file as seeded.
    if (!admin) return;
    const { ruc, dv, name } = localStack().demo.tenants[TENANT]!;
    const listed = await admin.call('GET', '/v1/certificates');
    if (listed.body?.data?.length === 0) {
      await upload(generateTestCertificate({ ruc, dv, name }).toP12(PIN));
    }
    await admin.call('PUT', '/v1/settings/issuing', { body: { channel: 'hka-integration' } });
  });

  it('POST /v1/certificates: 201 with the certificate data and no key material', async () => {
    const p12 = certificate.toP12(PIN);
    const response = await upload(p12);
    expect(response.status, response.text).toBe(201);
    uploaded = response.body.data;
    const { ruc } = localStack().demo.tenants[TENANT]!;
    expect(uploaded).toMatchObject({
      id: expect.any(String),
      subject: expect.stringContaining(ruc),
      notBefore: expect.any(String),
      notAfter: expect.any(String),
      fingerprintSha256: expect.any(String),
    });
    expect(Date.parse(uploaded.notAfter)).toBeGreaterThan(Date.now());
    expect(response.text).not.toMatch(/PRIVATE KEY|BEGIN CERTIFICATE/);
    expect(response.text).not.toContain(p12.toString('base64').slice(0, 64));
    expect(response.text).not.toContain(PIN);
    expect(uploaded.kmsKeyId).toBeUndefined();
  });

  it('a wrong PIN → 422 on `pin` with a clear message (and the PIN is not echoed)', async () => {
    const response = await upload(certificate.toP12(PIN), 'not-the-pin');
    expect(response.status, response.text).toBe(422);
    expect(response.body).toMatchObject({ success: false, code: 'CERTIFICATE_PIN_INVALID' });
    expect(response.body.details.map((detail: Json) => detail.path)).toEqual(['pin']);
    expect(response.body.details[0].message).toMatch(/pin|password|contraseña/i);
    expect(response.text).not.toContain('not-the-pin');
  });

  it('a certificate of another RUC → 422 CERTIFICATE_RUC_MISMATCH; garbage → 422, never 500', async () => {
    const other = localStack().demo.tenants[0]!;
    const foreign = generateTestCertificate({ ruc: other.ruc, dv: other.dv, name: other.name });
    const response = await upload(foreign.toP12(PIN));
    expect(response.status, response.text).toBe(422);
    expect(response.body).toMatchObject({ code: 'CERTIFICATE_RUC_MISMATCH' });
    expect(response.body.details[0]).toMatchObject({ path: 'p12' });
    expect(response.body.details[0].message).toContain(other.ruc);

    const garbage = await upload(Buffer.from('this is not a PKCS#12 file at all'));
    expect(garbage.status, garbage.text).toBe(422);
    expect(garbage.body.details.map((detail: Json) => detail.path)).toContain('p12');

    const { ruc, dv, name } = localStack().demo.tenants[TENANT]!;
    const expired = generateTestCertificate({
      ruc,
      dv,
      name,
      notBefore: new Date(Date.now() - 400 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
    });
    const late = await upload(expired.toP12(PIN));
    expect(late.status, late.text).toBe(422);
    expect(late.body.code).toBe('CERTIFICATE_EXPIRED');
  });

  it('GET /v1/certificates lists the uploaded one (ADMIN only)', async () => {
    const listed = await admin.call('GET', '/v1/certificates');
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.data).toEqual([uploaded]);
    expect(listed.text).not.toMatch(/PRIVATE KEY|BEGIN CERTIFICATE/);
    const refused = await user.call('GET', '/v1/certificates');
    expect(refused.status, refused.text).toBe(403);
  });

  it('emitter-signed: AUTHORIZED through the PAC reception, signed with the uploaded key', async () => {
    const put = await admin.call('PUT', '/v1/settings/issuing', { body: { channel: 'emitter-signed' } });
    expect(put.status, put.text).toBe(200);
    expect(put.body.data.channel).toBe('emitter-signed');

    signed = await issueAndWait(user, exampleDocument('invoice-taxpayer.json'));
    expect(signed.status, JSON.stringify(signed.reasons)).toBe('AUTHORIZED');
    expect(signed.cufe).toMatch(/^FE\d+/);
    expect(signed.qr).toMatch(/^https?:\/\//);

    const events = await user.call('GET', `/v1/documents/${signed.id}/events`);
    expect(events.body.data.map((event: Json) => event.message).join('\n')).toContain(
      'PAC reception, signed by the emitter',
    );
    // At HKA: received through the PAC reception (rEnviFe), once.
    const atHka = (await hkaSandbox.tenant(TENANT)).documents.filter((d) => d.cufe === signed.cufe);
    expect(atHka).toHaveLength(1);
    expect(atHka[0]?.channel).toBe('pac-reception');

    const xmlLink = await user.call('GET', `/v1/documents/${signed.id}/xml`);
    expect(xmlLink.status, xmlLink.text).toBe(200);
    const xml = await (await fetch(xmlLink.body.data.url)).text();
    expect(xml).toContain(`<dId>${signed.cufe}</dId>`);
    expect(verifyRfeSignature(xml, certificate.certificatePem)).toMatchObject({ valid: true });
    // …and with that certificate only: another key's certificate does not verify it.
    const { ruc, dv, name } = localStack().demo.tenants[TENANT]!;
    const stranger = generateTestCertificate({ ruc, dv, name });
    expect(verifyRfeSignature(xml, stranger.certificatePem).valid).toBe(false);

    const pdfLink = await user.call('GET', `/v1/documents/${signed.id}/pdf`);
    expect(pdfLink.status, pdfLink.text).toBe(200);
    const pdf = Buffer.from(await (await fetch(pdfLink.body.data.url)).arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('a document accepted before the certificate was removed ends FAILED with the reason; a retry with a new one authorizes it', async () => {
    // Hold every Step Functions slot of the local cloud (FIFO) with slow HKA documents of the other tenant, so
    // this tenant's emitter-signed document is accepted now but signed only after the certificate is gone.
    const slots = Math.max(4, 2 * availableParallelism());
    const other = await session(0, 'USER');
    await hkaSandbox.setFaults(0, [{ kind: 'latency', ms: 6000, operations: ['Enviar'] }]);
    let blockers: Json[];
    let accepted: Json;
    try {
      blockers = await Promise.all(
        Array.from({ length: slots }, () => issue(other, exampleDocument('invoice-final-consumer.json'))),
      );
      for (const blocker of blockers) expect(blocker.status, blocker.text).toBe(202);
      accepted = await issue(user, exampleDocument('invoice-taxpayer.json'));
      expect(accepted.status, accepted.text).toBe(202);
      const deleted = await admin.call('DELETE', `/v1/certificates/${uploaded.id}`);
      expect(deleted.status, deleted.text).toBe(200);
    } finally {
      await hkaSandbox.setFaults(0, []);
    }
    const failed = (await waitForFinal(user, accepted.body.data.id)).body.data;
    expect(failed.status, JSON.stringify(failed)).toBe('FAILED');
    expect(failed.cufe).toBeNull();
    expect(failed.reasons[0]).toMatchObject({ code: 'SigningKeyMissingError' });
    expect(failed.reasons[0].message).toMatch(/no signing key/i);
    const events = await user.call('GET', `/v1/documents/${failed.id}/events`);
    expect((events.body.data as Json[]).find((event) => event.type === 'FAILED')?.message).toMatch(
      /no signing key/i,
    );
    for (const blocker of blockers) {
      expect((await waitForFinal(other, blocker.body.data.id)).body.data.status).toBe('AUTHORIZED');
    }

    // A new certificate, then a retry: the same document, signed with the new key, authorized once.
    const { ruc, dv, name } = localStack().demo.tenants[TENANT]!;
    certificate = generateTestCertificate({ ruc, dv, name });
    const again = await upload(certificate.toP12(PIN));
    expect(again.status, again.text).toBe(201);
    uploaded = again.body.data;
    const retried = await user.call('POST', `/v1/documents/${failed.id}/retry`, { headers: key() });
    expect(retried.status, retried.text).toBe(202);
    const final = (await waitForFinal(user, failed.id)).body.data;
    expect(final.status, JSON.stringify(final.reasons)).toBe('AUTHORIZED');
    expect(final.number).toBe(failed.number);
    const atHka = (await hkaSandbox.tenant(TENANT)).documents.filter((d) => d.cufe === final.cufe);
    expect(atHka).toHaveLength(1);
    const xml = await (
      await fetch((await user.call('GET', `/v1/documents/${final.id}/xml`)).body.data.url)
    ).text();
    expect(verifyRfeSignature(xml, certificate.certificatePem)).toMatchObject({ valid: true });
  });

  it('DELETE /v1/certificates/{id}: then emitter-signed issuing is refused clearly (409), nothing allocated', async () => {
    const unknown = await admin.call('DELETE', '/v1/certificates/no-such-certificate');
    expect(unknown.status, unknown.text).toBe(404);
    const refused = await user.call('DELETE', `/v1/certificates/${uploaded.id}`);
    expect(refused.status, refused.text).toBe(403);

    const deleted = await admin.call('DELETE', `/v1/certificates/${uploaded.id}`);
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.body.data).toEqual({ deleted: true });
    expect((await admin.call('GET', '/v1/certificates')).body.data).toEqual([]);

    const attempt = await issue(user, exampleDocument('invoice-final-consumer.json'));
    expect(attempt.status, attempt.text).toBe(409);
    expect(attempt.body).toMatchObject({ success: false, code: 'SIGNING_KEY_MISSING' });
    expect(attempt.body.error).toMatch(/certificate/i);

    // The channel cannot be chosen again without a certificate either.
    const put = await admin.call('PUT', '/v1/settings/issuing', { body: { channel: 'emitter-signed' } });
    expect(put.status, put.text).toBe(422);
    expect(put.body.details.map((detail: Json) => detail.path)).toContain('channel');

    // The refused POST consumed no number: the next document of the series follows the signed one.
    const back = await admin.call('PUT', '/v1/settings/issuing', { body: { channel: 'hka-integration' } });
    expect(back.status, back.text).toBe(200);
    const next = await issueAndWait(user, exampleDocument('invoice-taxpayer.json'));
    expect(next.status).toBe('AUTHORIZED');
    if (next.branch === signed.branch && next.pointOfSale === signed.pointOfSale) {
      const between = await user.call(
        'GET',
        `/v1/documents?branch=${next.branch}&pointOfSale=${next.pointOfSale}&limit=100`,
      );
      const numbers = (between.body.data.items as Json[]).map((item) => Number(item.number));
      expect(Number(next.number)).toBe(Math.max(...numbers));
      // Every number between the two belongs to a listed document: no hole from the refused request.
      for (let n = Number(signed.number); n <= Number(next.number); n++) expect(numbers).toContain(n);
    }
  });
});
