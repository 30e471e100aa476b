import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTINGENCY_LEGEND } from '#shared/fiscal/cafe-pdf/index';
import { validateRfeXml } from '#shared/fiscal/xsd';
import { generateTestCertificate, type TestCertificate } from '#shared/signing/test-certificate';
import { withoutUnsignedFields } from '#shared/signing/xmldsig';
import { withPubkeyCert, xmlsec1Available, xmlsec1Verify } from '#test/unit/signing/helpers';
import {
  advanceClock,
  dynamoClient,
  exampleDocument,
  hkaSandbox,
  issue,
  type Json,
  localStack,
  pollEvery,
  recentEvents,
  resetClock,
  type Session,
  sentMails,
  session,
  tableName,
  waitForFinal,
} from './helpers/local-cloud.ts';

// The test clock moves here: the next files run on the real time again.
afterAll(resetClock);

/**
 * Contingency through the local cloud: an emitter-signed tenant opts in (afterMinutes 5), HKA stops answering
 * it (a sandbox fault on every operation, the PAC reception included), the first documents open the HKA
 * circuit breaker; six minutes later (test clock) new documents are issued in contingency — signed rFE with
 * iTpEmis 02, dFechaCont and dMotCont, CAFE with the contingency legend, e-mailed to the receiver — and once
 * HKA answers again they are sent to it and AUTHORIZED as tipoEmision 02 documents.
 *
 * Runs on the second demo tenant and restores it (hka-integration, contingency off, a signing key on file).
 */

const TENANT = 1;
const PIN = 'Pin-Contingencia-2026';
const MINUTE = 60_000;
const IN_FLIGHT_OR_DONE = ['CONTINGENCY', 'AUTHORIZED', 'REJECTED', 'FAILED'];

async function breaker(): Promise<Json> {
  const out = await dynamoClient().send(
    new GetItemCommand({
      TableName: tableName(),
      Key: { pk: { S: 'T#_platform#HKA#demo' }, sk: { S: 'BREAKER' } },
      ConsistentRead: true,
    }),
  );
  return out.Item ? unmarshall(out.Item) : { state: 'closed' };
}

async function download(user: Session, id: string, kind: 'xml' | 'pdf'): Promise<Buffer> {
  const link = await user.call('GET', `/v1/documents/${id}/${kind}`);
  expect(link.status, link.text).toBe(200);
  return Buffer.from(await (await fetch(link.body.data.url)).arrayBuffer());
}

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'contingency-'));
  try {
    writeFileSync(join(dir, 'cafe.pdf'), pdf);
    return execFileSync('pdftotext', [join(dir, 'cafe.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

describe('contingency (emitter-signed, HKA unreachable past afterMinutes)', () => {
  let admin: Session;
  let user: Session;
  let certificate: TestCertificate;
  const beforeOutage: string[] = [];
  const inContingency: Json[] = [];

  beforeAll(async () => {
    [admin, user] = await Promise.all([session(TENANT, 'ADMIN'), session(TENANT, 'USER')]);
    const { ruc, dv, name } = localStack().demo.tenants[TENANT]!;
    certificate = generateTestCertificate({ ruc, dv, name });
  });

  afterAll(async () => {
    await hkaSandbox.setFaults(TENANT, []);
    if (!admin) return;
    await admin.call('PUT', '/v1/settings/issuing', {
      body: { contingency: { enabled: false }, channel: 'hka-integration' },
    });
  });

  it('PUT /v1/settings/issuing: contingency is refused on hka-integration (422 on contingency.enabled), accepted on emitter-signed', async () => {
    // Prepare
    await admin.call('PUT', '/v1/settings/issuing', { body: { channel: 'hka-integration' } });

    // Act
    const refused = await admin.call('PUT', '/v1/settings/issuing', {
      body: { contingency: { enabled: true, afterMinutes: 5 } },
    });
    const uploaded = await admin.call('POST', '/v1/certificates', {
      body: { p12: certificate.toP12(PIN).toString('base64'), pin: PIN },
      headers: { 'idempotency-key': randomUUID() },
    });
    const tooSoon = await admin.call('PUT', '/v1/settings/issuing', {
      body: { channel: 'emitter-signed', contingency: { enabled: true, afterMinutes: 1 } },
    });
    const accepted = await admin.call('PUT', '/v1/settings/issuing', {
      body: { channel: 'emitter-signed', contingency: { enabled: true, afterMinutes: 5 } },
    });
    const leaving = await admin.call('PUT', '/v1/settings/issuing', { body: { channel: 'hka-integration' } });
    const read = await user.call('GET', '/v1/settings/issuing');

    // Assess
    expect(refused.status, refused.text).toBe(422);
    expect(refused.body.details.map((d: Json) => d.path)).toEqual(['contingency.enabled']);
    expect(uploaded.status, uploaded.text).toBe(201);
    expect(tooSoon.status, tooSoon.text).toBe(422);
    expect(tooSoon.body.details.map((d: Json) => d.path)).toEqual(['contingency.afterMinutes']);
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.body.data.contingency).toEqual({ enabled: true, afterMinutes: 5 });
    expect(leaving.status, leaving.text).toBe(422);
    expect(leaving.body.details.map((d: Json) => d.path)).toEqual(['channel']);
    expect(read.body.data).toMatchObject({
      channel: 'emitter-signed',
      contingency: { enabled: true, afterMinutes: 5 },
    });
    const audit = await admin.call('GET', '/v1/audit-events?action=issuing-settings.changed');
    expect(JSON.stringify(audit.body.data)).toContain('"afterMinutes":5');
  });

  it('HKA down for the tenant: the first documents are not issued in contingency and open the circuit breaker', async () => {
    // Prepare
    await hkaSandbox.setFaults(TENANT, [{ kind: 'http-503' }]);

    // Act
    const issued = await Promise.all(
      [1, 2, 3].map(() => issue(user, exampleDocument('invoice-taxpayer.json'))),
    );
    for (const response of issued) expect(response.status, response.text).toBe(202);
    beforeOutage.push(...issued.map((response) => response.body.data.id));
    const opened = await pollEvery(500, breaker, (b) => b.state === 'open', 60_000);

    // Assess
    expect(opened.state).toBe('open');
    expect(Date.parse(opened.downSince)).toBeGreaterThan(0);
    for (const response of issued) expect(response.body.data.contingency).toBeNull();
  });

  it('past afterMinutes (test clock): new documents are issued in CONTINGENCY with a signed, XSD-valid 02 rFE', async () => {
    // Prepare
    const { downSince } = await breaker();
    await advanceClock(6 * MINUTE);

    // Act
    const issued = await Promise.all([1, 2].map(() => issue(user, exampleDocument('invoice-taxpayer.json'))));
    for (const response of issued) expect(response.status, response.text).toBe(202);
    for (const response of issued) {
      const reached = await pollEvery(
        300,
        () => user.call('GET', `/v1/documents/${response.body.data.id}`),
        (r) => IN_FLIGHT_OR_DONE.includes(r.body?.data?.status),
        60_000,
      );
      inContingency.push(reached.body.data);
    }

    // Assess
    for (const doc of inContingency) {
      expect(doc.status, JSON.stringify(doc.reasons)).toBe('CONTINGENCY');
      expect(doc.contingency).toEqual({ startedAt: downSince, deliveredAt: expect.any(String) });
      expect(doc.cufe).toMatch(/^FE/);
      const xml = (await download(user, doc.id, 'xml')).toString('utf8');
      expect(tag(xml, 'iTpEmis')).toBe('02');
      expect(tag(xml, 'dId')).toBe(doc.cufe);
      // The CUFE carries the emission type (brief §4.1: positions 52–53 after "FE").
      expect(doc.cufe.slice(2 + 51, 2 + 53)).toBe('02');
      expect(Date.parse(tag(xml, 'dFechaCont')!)).toBe(
        Date.parse(downSince) - (Date.parse(downSince) % 1000),
      );
      expect(Date.parse(tag(xml, 'dFechaCont')!)).toBeLessThanOrEqual(Date.parse(tag(xml, 'dFechaEm')!));
      expect(tag(xml, 'dMotCont')).toMatch(
        /^Falla de comunicación con el PAC The Factory HKA desde \d\d\/\d\d\/\d{4} \d\d:\d\d; emisión en contingencia$/,
      );
      expect(validateRfeXml(xml)).toMatchObject({ valid: true });
      if (xmlsec1Available) {
        // gNoFirm (the QR) is appended after signing, outside the enveloped signature (§3.1).
        const verified = xmlsec1Verify(
          withoutUnsignedFields(xml),
          withPubkeyCert(certificate.certificatePem),
        );
        expect(verified.ok, verified.output).toBe(true);
      }
      const events = await user.call('GET', `/v1/documents/${doc.id}/events`);
      expect(events.body.data.map((e: Json) => e.type)).toContain('CONTINGENCY');
    }
    // Nothing of them reached HKA.
    const atHka = (await hkaSandbox.tenant(TENANT)).documents.map((d) => d.cufe);
    for (const doc of inContingency) expect(atHka).not.toContain(doc.cufe);
  });

  it('the contingency CAFE carries the legend and is e-mailed to the receiver; contingency.started is published once', async () => {
    for (const doc of inContingency) {
      // Act
      const pdf = await download(user, doc.id, 'pdf');
      const label = `${doc.pointOfSale}-${doc.number}`;
      const mails = await pollEvery(
        500,
        sentMails,
        (all) => all.some((m) => m.subject.includes(label) && m.subject.includes('contingencia')),
        30_000,
      );

      // Assess
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const text = pdfText(pdf);
      expect(text).toContain(CONTINGENCY_LEGEND);
      expect(text).toContain('Pendiente: emitido en contingencia');
      expect(text.replaceAll(' ', '')).toContain(doc.cufe);
      const mail = mails.find((m) => m.subject.includes(label) && m.subject.includes('contingencia'));
      expect(mail?.destination.to).toEqual(['compras@ejemplo.com.pa']);
      expect(mail?.body.text).toContain('emitido en contingencia');
      expect(mail?.attachments?.map((a) => a.contentType)).toEqual(
        expect.arrayContaining(['application/pdf', 'application/xml']),
      );
    }
    const events = await recentEvents();
    const tenantId = localStack().demo.tenants[TENANT]!.tenantId;
    const started = events.filter(
      (e) => e['detail-type'] === 'contingency.started' && e.detail.tenantId === tenantId,
    );
    expect(started).toHaveLength(1);
    const published = events.filter((e) => e['detail-type'] === 'document.contingency');
    for (const doc of inContingency) {
      expect(published.filter((e) => e.detail.documentId === doc.id)).toHaveLength(1);
    }
  });

  it('HKA answers again: the contingency documents are sent and AUTHORIZED as tipoEmision 02; contingency.ended', async () => {
    // Prepare
    await hkaSandbox.setFaults(TENANT, []);
    // Past the breaker's probe interval: the re-drive sweep probes, the breaker closes, the waiting and
    // contingency documents drain.
    await advanceClock(2 * MINUTE);

    // Act
    const finals: Json[] = [];
    for (const doc of inContingency) finals.push((await waitForFinal(user, doc.id, 120_000)).body.data);
    for (const id of beforeOutage) {
      let final = (await waitForFinal(user, id, 120_000)).body.data;
      if (final.status === 'FAILED') {
        // Before the durable wait existed these ended FAILED; a retry settles them either way.
        await user.call('POST', `/v1/documents/${id}/retry`, {
          headers: { 'idempotency-key': randomUUID() },
        });
        final = (await waitForFinal(user, id, 120_000)).body.data;
      }
      expect(final.status, JSON.stringify(final.reasons)).toBe('AUTHORIZED');
    }

    // Assess
    const atHka = (await hkaSandbox.tenant(TENANT)).documents;
    for (const final of finals) {
      expect(final.status, JSON.stringify(final.reasons)).toBe('AUTHORIZED');
      expect(final.protocol).toBeTruthy();
      const held = atHka.filter((d) => d.cufe === final.cufe);
      expect(held).toHaveLength(1);
      expect(held[0]).toMatchObject({ tipoEmision: '02', channel: 'pac-reception' });
      // The authorized CAFE carries the protocol; the contingency one stays archived beside it.
      const text = pdfText(await download(user, final.id, 'pdf'));
      expect(text).toContain(final.protocol);
      expect(text).not.toContain(CONTINGENCY_LEGEND);
    }
    const tenantId = localStack().demo.tenants[TENANT]!.tenantId;
    const ended = await pollEvery(
      500,
      recentEvents,
      (events) =>
        events.some((e) => e['detail-type'] === 'contingency.ended' && e.detail.tenantId === tenantId),
      30_000,
    );
    const end = ended.find((e) => e['detail-type'] === 'contingency.ended' && e.detail.tenantId === tenantId);
    expect(end?.detail).toMatchObject({ environment: 'demo', documents: inContingency.length });
    expect((await breaker()).state).toBe('closed');
  }, 300_000);
});
