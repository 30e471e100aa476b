import { randomUUID } from 'node:crypto';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  atRealClock,
  dynamoClient,
  exampleDocument,
  hkaSandbox,
  issue,
  issueAndWait,
  type Json,
  localStack,
  type Session,
  session,
  tableName,
  waitForFinal,
} from './helpers/local-cloud.ts';

/**
 * Every document type and receiver type end to end through the local cloud (API → pipeline → HKA sandbox →
 * DynamoDB/S3 → presigned downloads), the notes referencing an invoice issued here, and cancellation.
 */

/** Every example the rFE v1.00 XSD supports (`foreign-invoice.json`, type 10, is HKA-only). */
const EXAMPLES = [
  'invoice-taxpayer.json',
  'invoice-final-consumer.json',
  'invoice-government.json',
  'invoice-foreign-receiver.json',
  'invoice-contingency.json',
  'invoice-discounts.json',
  'invoice-isc-oti.json',
  'invoice-multiple-itbms-rates.json',
  'invoice-six-decimal-prices.json',
  'import-invoice.json',
  'export-invoice.json',
  'free-zone-invoice.json',
  'reimbursement.json',
  'generic-credit-note.json',
  'generic-debit-note.json',
  'credit-note-referenced.json',
  'debit-note-referenced.json',
];

const TENANT = 0;

describe('documents end to end on the local cloud', () => {
  let user: Session;
  /** The invoice every referencing note points at (authorized here, real CUFE and issue date). */
  let invoice: Json;
  const finals = new Map<string, Json>();

  beforeAll(async () => {
    user = await session(TENANT, 'USER');
    invoice = await issueAndWait(user, exampleDocument('invoice-taxpayer.json'));
    finals.set('invoice-taxpayer.json', invoice);
    // All the others at once: they share the pipeline and the sandbox.
    const reference = { cufe: invoice.cufe, issuedAt: invoice.issuedAt };
    const rest = EXAMPLES.filter((name) => !finals.has(name));
    const results = await Promise.all(
      rest.map((name) =>
        issueAndWait(user, atRealClock(exampleDocument(name), reference)).catch((error: Error) => ({
          status: 'NOT ISSUED',
          reasons: [{ message: error.message }],
        })),
      ),
    );
    for (const [index, name] of rest.entries()) finals.set(name, results[index]);
  }, 180_000);

  it.each(EXAMPLES)('%s reaches AUTHORIZED with a CUFE, QR and protocol', (name) => {
    const doc = finals.get(name);
    expect(doc?.status, JSON.stringify(doc?.reasons)).toBe('AUTHORIZED');
    expect(doc.cufe).toMatch(/^FE\d{2}/);
    expect(doc.qr).toMatch(/^https?:\/\//);
    expect(doc.protocol).toEqual(expect.any(String));
    expect(doc.authorizedAt).toEqual(expect.any(String));
  });

  it('covers every document type and receiver type the XSD supports', () => {
    const types = new Set([...finals.values()].map((doc) => doc.type));
    expect([...types].sort()).toEqual(
      [
        'invoice',
        'import-invoice',
        'export-invoice',
        'free-zone-invoice',
        'reimbursement',
        'generic-credit-note',
        'generic-debit-note',
        'credit-note',
        'debit-note',
      ].sort(),
    );
    const receivers = new Set([...finals.values()].map((doc) => doc.receiver.type));
    expect([...receivers].sort()).toEqual(['final-consumer', 'foreign', 'government', 'taxpayer']);
  });

  it('gives every document its own number and exactly one document at HKA', async () => {
    const docs = [...finals.values()];
    const numbers = docs.map((doc) => `${doc.branch}-${doc.pointOfSale}-${doc.number}`);
    expect(new Set(numbers).size).toBe(docs.length);
    const atHka = (await hkaSandbox.tenant(TENANT)).documents;
    for (const doc of docs) {
      const matches = atHka.filter((stored) => stored.cufe === doc.cufe);
      expect(matches, doc.number).toHaveLength(1);
      expect(matches[0]?.numeroDocumentoFiscal.padStart(10, '0')).toBe(doc.number);
    }
  });

  it('issues a credit note that references the authorized invoice by its CUFE', async () => {
    const note = finals.get('credit-note-referenced.json');
    expect(note.status).toBe('AUTHORIZED');
    const xml = await user.call('GET', `/v1/documents/${note.id}/xml`);
    expect(xml.status, xml.text).toBe(200);
    const signed = await (await fetch(xml.body.data.url)).text();
    // gDFRef: the invoice's CUFE and its emission date.
    expect(signed).toContain(`<dCUFERef>${invoice.cufe}</dCUFERef>`);
    expect(signed).toContain(`<dFechaDFRef>${invoice.issuedAt}</dFechaDFRef>`);
    expect(signed).toContain(`<dId>${note.cufe}</dId>`);
  });

  it('serves the XML and PDF of each document through presigned URLs (plain HTTP GET)', async () => {
    for (const name of ['invoice-final-consumer.json', 'export-invoice.json', 'debit-note-referenced.json']) {
      const doc = finals.get(name);
      const xml = await user.call('GET', `/v1/documents/${doc.id}/xml`);
      expect(xml.status, xml.text).toBe(200);
      expect(Date.parse(xml.body.data.expiresAt)).toBeGreaterThan(Date.now());
      const xmlDownload = await fetch(xml.body.data.url);
      expect(xmlDownload.status).toBe(200);
      const xmlText = await xmlDownload.text();
      expect(xmlText).toContain(doc.cufe.slice(2));
      expect(xmlText).toContain('gNoFirm');

      const pdf = await user.call('GET', `/v1/documents/${doc.id}/pdf`);
      expect(pdf.status, pdf.text).toBe(200);
      const pdfDownload = await fetch(pdf.body.data.url);
      expect(pdfDownload.status).toBe(200);
      expect(
        Buffer.from(await pdfDownload.arrayBuffer())
          .subarray(0, 5)
          .toString('latin1'),
      ).toBe('%PDF-');

      // The URL is signed: altered, S3 refuses it (another signature, or the same one for another object).
      const tampered = new URL(xml.body.data.url);
      tampered.searchParams.set('X-Amz-Signature', '0'.repeat(64));
      expect((await fetch(tampered)).status).toBe(403);
      const otherObject = new URL(xml.body.data.url);
      otherObject.pathname = otherObject.pathname.replace(/[^/]+$/, 'input.json');
      expect((await fetch(otherObject)).status).toBe(403);
    }
  });

  it('redirects to the presigned URL with ?redirect=true', async () => {
    const doc = finals.get('invoice-government.json');
    const response = await fetch(`${localStack().apiUrl}/v1/documents/${doc.id}/pdf?redirect=true`, {
      headers: { authorization: `Bearer ${user.token}` },
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    const location = response.headers.get('location');
    expect(location).toBeTruthy();
    expect((await fetch(location!)).status).toBe(200);
  });

  it('keeps the status history of a document', async () => {
    const doc = finals.get('reimbursement.json');
    const events = await user.call('GET', `/v1/documents/${doc.id}/events`);
    expect(events.status, events.text).toBe(200);
    const statuses = (events.body.data as Json[]).map((event) => event.status);
    expect(statuses).toContain('PROCESSING');
    expect(statuses).toContain('AUTHORIZED');
  });
});

describe('cancellation (anulación)', () => {
  let user: Session;
  beforeAll(async () => {
    user = await session(TENANT, 'USER');
  });

  const cancel = (id: string, reason = 'Error en los datos del receptor de la factura') =>
    user.call('POST', `/v1/documents/${id}/cancel`, {
      body: { reason },
      headers: { 'idempotency-key': randomUUID() },
    });

  it('cancels an authorized document inside the 7-day window (→ CANCELLED, also at HKA)', async () => {
    const doc = await issueAndWait(user, exampleDocument('invoice-final-consumer.json'));
    expect(doc.status).toBe('AUTHORIZED');
    const cancelled = await cancel(doc.id);
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body.data.status).toBe('CANCELLED');
    const read = await user.call('GET', `/v1/documents/${doc.id}`);
    expect(read.body.data.status).toBe('CANCELLED');
    const atHka = (await hkaSandbox.tenant(TENANT)).documents.filter((stored) => stored.cufe === doc.cufe);
    expect(atHka).toHaveLength(1);
    expect(atHka[0]?.status).toMatch(/anulad|cancel/i);
    // Cancelling again is harmless: still CANCELLED, nothing new at HKA.
    const again = await cancel(doc.id);
    expect(again.status, again.text).toBe(200);
    expect(again.body.data.status).toBe('CANCELLED');
  });

  it('refuses outside the window with 422 telling to issue a credit note', async () => {
    const doc = await issueAndWait(user, exampleDocument('invoice-final-consumer.json'));
    expect(doc.status).toBe('AUTHORIZED');
    // Age the authorization by 8 days (the API has no way to, and waiting a week is not an option).
    const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000).toISOString();
    await dynamoClient().send(
      new UpdateItemCommand({
        TableName: tableName(),
        Key: { pk: { S: `T#${user.user.tenantId}#DOC#${doc.id}` }, sk: { S: 'DOC' } },
        UpdateExpression: 'SET authorizedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': { S: eightDaysAgo } },
      }),
    );
    const refused = await cancel(doc.id);
    expect(refused.status, refused.text).toBe(422);
    expect(refused.body).toMatchObject({ success: false, code: 'CANCELLATION_WINDOW_EXPIRED' });
    expect(refused.body.error).toMatch(/credit note/i);
    const read = await user.call('GET', `/v1/documents/${doc.id}`);
    expect(read.body.data.status).toBe('AUTHORIZED');
    const atHka = (await hkaSandbox.tenant(TENANT)).documents.find((stored) => stored.cufe === doc.cufe);
    expect(atHka?.status).not.toMatch(/anulad/i);
  });

  it('shows the refusal of HKA (422) when the HKA clock says the window has passed', async () => {
    const doc = await issueAndWait(user, exampleDocument('invoice-final-consumer.json'));
    expect(doc.status).toBe('AUTHORIZED');
    const eightDays = 8 * 86_400_000;
    await hkaSandbox.advanceClock(eightDays);
    try {
      const refused = await cancel(doc.id);
      expect(refused.status, refused.text).toBe(422);
      expect(refused.body).toMatchObject({ success: false, code: 'CANCELLATION_REFUSED' });
    } finally {
      await hkaSandbox.advanceClock(-eightDays);
    }
    const read = await user.call('GET', `/v1/documents/${doc.id}`);
    expect(read.body.data.status).toBe('AUTHORIZED');
  });

  it('refuses a reason shorter than 15 characters with 422 on `reason`', async () => {
    const doc = await issue(user, exampleDocument('invoice-final-consumer.json'));
    expect(doc.status, doc.text).toBe(202);
    const refused = await cancel(doc.body.data.id, 'corto');
    expect(refused.status, refused.text).toBe(422);
    expect(refused.body.details.map((detail: Json) => detail.path)).toContain('reason');
    await waitForFinal(user, doc.body.data.id);
  });
});

describe("a note built from the original's lines (GET /v1/documents/{id}/lines)", () => {
  let user: Session;
  /** Two lines, the second with a discount per unit: 250.00 + 15 × (0.85 − 0.05) = 262.00, ITBMS 18.34. */
  let original: Json;

  beforeAll(async () => {
    user = await session(TENANT, 'USER');
    const body = exampleDocument('invoice-taxpayer.json') as Json;
    body.items[1].unitDiscount = '0.05';
    body.payments = [{ method: 'cash', amount: '280.34' }];
    original = await issueAndWait(user, body);
  }, 120_000);

  it('answers the lines in the request shape, and posted back in a credit note they give the same totals', async () => {
    // Prepare
    expect(original.status, JSON.stringify(original.reasons)).toBe('AUTHORIZED');

    // Act
    const lines = await user.call('GET', `/v1/documents/${original.id}/lines`);
    const note = await issueAndWait(user, {
      type: 'credit-note',
      receiver: (exampleDocument('invoice-taxpayer.json') as Json).receiver,
      references: [{ cufe: original.cufe, issuedAt: original.issuedAt }],
      items: lines.body.data.items,
      payments: [
        { method: 'other', description: 'Nota de crédito aplicada a saldo', amount: original.totals.total },
      ],
    });

    // Assess
    expect(lines.status, lines.text).toBe(200);
    expect(lines.body.data.items).toEqual([
      {
        description: 'Servicio de soporte técnico mensual',
        code: 'SOP-001',
        unit: 'und',
        quantity: '1',
        unitPrice: '250.00',
        itbmsRate: '01',
      },
      {
        description: 'Cable de red Cat6',
        code: 'CAB-006',
        unit: 'm',
        quantity: '15',
        unitPrice: '0.85',
        unitDiscount: '0.05',
        itbmsRate: '01',
      },
    ]);
    expect(note.status, JSON.stringify(note.reasons)).toBe('AUTHORIZED');
    expect(note.type).toBe('credit-note');
    const { net, itbms, total } = original.totals;
    expect({ net, itbms, total }).toEqual({ net: '262.00', itbms: '18.34', total: '280.34' });
    expect(note.totals).toMatchObject({ net, itbms, total, itemCount: 2 });
  });

  it("answers another company's document as not found", async () => {
    // Prepare
    const outsider = await session(1, 'USER');

    // Act
    const response = await outsider.call('GET', `/v1/documents/${original.id}/lines`);

    // Assess
    expect(response.status, response.text).toBe(404);
    expect(response.body.code).toBe('DOCUMENT_NOT_FOUND');
  });

  it('refuses an unknown query parameter with 400', async () => {
    // Act
    const response = await user.call('GET', `/v1/documents/${original.id}/lines?format=csv`);

    // Assess
    expect(response.status, response.text).toBe(400);
    expect(response.body.code).toBe('UNKNOWN_QUERY_PARAMETER');
  });
});
