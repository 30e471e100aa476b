import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Dec, dec, sum } from '#shared/fiscal/amounts';
import { computeDocument } from '#shared/fiscal/compute';
import { documentInputSchema } from '#shared/fiscal/model';
import {
  atRealClock,
  exampleDocument,
  invoiceHkaRejects,
  issueAndWait,
  type Json,
  panamaTime,
  type Session,
  session,
} from './helpers/local-cloud.ts';

/**
 * The reports of a month through the local cloud, as a client reads them: a month of mixed documents on a
 * point of sale of its own (invoices at several rates, ISC/OTI, discounts, an export, an exempt receiver, an
 * import invoice, a credit note and a generic one, one cancelled, one REJECTED by HKA), then the sales book,
 * the ITBMS summary and the numbering audit reconciled to the cent with the documents as the API shows
 * them; CSV and XLSX downloaded through their presigned URLs, opened with a library, equal to the JSON.
 */

const TENANT = 0;
const BRANCH = '0000';
const POS = '071';
const CREDIT = new Set(['credit-note', 'generic-credit-note']);
const RATE_CODES = { '00': 'net0', '01': 'net7', '02': 'net10', '03': 'net15' } as const;

type Issued = { input: Json; doc: Json };

const onPos = (document: unknown): Json => ({ ...(document as Json), branch: BRANCH, pointOfSale: POS });
const signed = (doc: Json, amount: string | undefined): Dec => {
  const value = dec(amount ?? '0');
  return CREDIT.has(doc.type) ? value.negated() : value;
};

describe('reports on the local cloud', () => {
  let admin: Session;
  let user: Session;
  let operator: Session;
  let month: string;
  const issued: Issued[] = [];
  let all: Json[];

  beforeAll(async () => {
    [admin, user, operator] = await Promise.all([
      session(TENANT, 'ADMIN'),
      session(TENANT, 'USER'),
      session(TENANT, 'OPERATOR'),
    ]);
    const pos = await admin.call('POST', `/v1/branches/${BRANCH}/points-of-sale`, {
      body: { code: POS, name: 'Caja de reportes' },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect([201, 409], pos.text).toContain(pos.status);
    month = panamaTime(new Date()).slice(0, 7);

    const issueOne = async (input: Json) => {
      const doc = await issueAndWait(user, input);
      issued.push({ input, doc });
      return doc;
    };
    const invoice = await issueOne(onPos(exampleDocument('invoice-taxpayer.json')));
    expect(invoice.status, JSON.stringify(invoice.reasons)).toBe('AUTHORIZED');
    const reference = { cufe: invoice.cufe, issuedAt: invoice.issuedAt };

    const exempt = exampleDocument('invoice-final-consumer.json') as Json;
    exempt.items = exempt.items.map((item: Json) => ({ ...item, itbmsRate: '0' }));
    // HKA refuses it for certain: REJECTED, number kept.
    const rejected = invoiceHkaRejects();
    const rest = [
      'invoice-multiple-itbms-rates.json',
      'invoice-isc-oti.json',
      'invoice-discounts.json',
      'export-invoice.json',
      'import-invoice.json',
      'credit-note-referenced.json',
      'generic-credit-note.json',
      'debit-note-referenced.json',
    ].map((name) => onPos(atRealClock(exampleDocument(name), reference)));
    // One at a time: the documents share one point of sale (one number counter), and a burst of cold starts
    // on a busy machine is not what this test is about.
    for (const input of [...rest, onPos(exempt), onPos(rejected)]) await issueOne(input);

    const toCancel = await issueOne(onPos(exampleDocument('invoice-final-consumer.json')));
    const cancelled = await user.call('POST', `/v1/documents/${toCancel.id}/cancel`, {
      body: { reason: 'Error en los datos del receptor de la factura' },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(cancelled.status, cancelled.text).toBe(200);

    // Every document of the point of sale this month, as the API lists them (earlier runs included).
    all = [];
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({
        branch: BRANCH,
        pointOfSale: POS,
        from: `${month}-01`,
        limit: '100',
      });
      if (cursor) query.set('cursor', cursor);
      const page = await user.call('GET', `/v1/documents?${query}`);
      expect(page.status, page.text).toBe(200);
      all.push(...page.body.data.items.filter((doc: Json) => doc.issuedAt.startsWith(month)));
      cursor = page.body.data.nextCursor ?? undefined;
    } while (cursor);
  }, 240_000);

  it('issued the month it reports on: every status the reports treat apart', () => {
    const statuses = issued.map(({ doc }) => doc.status);
    // At issue every one but the rejected one was authorized; the last was cancelled afterwards.
    expect(statuses.filter((s) => s === 'AUTHORIZED').length).toBe(issued.length - 1);
    expect(statuses).toContain('REJECTED');
    expect(all.find((doc) => doc.id === issued.at(-1)?.doc.id)?.status).toBe('CANCELLED');
  });

  it('the sales book reconciles with the documents to the cent', async () => {
    // Act
    const answer = await operator.call(
      'GET',
      `/v1/reports/sales-book?month=${month}&branch=${BRANCH}&pointOfSale=${POS}`,
    );

    // Assess
    expect(answer.status, answer.text).toBe(200);
    const book = answer.body.data;
    const listed = all.filter((doc) => doc.status !== 'REJECTED');
    expect(book.rows.map((row: Json) => row.documentId).sort()).toEqual(listed.map((doc) => doc.id).sort());
    const authorized = all.filter((doc) => doc.status === 'AUTHORIZED');
    expect(book.counts.totalled).toBe(authorized.length);
    expect(book.totals.total).toBe(sum(authorized.map((doc) => signed(doc, doc.totals.total))).toFixed(2));
    const itbms = sum(authorized.map((doc) => signed(doc, doc.totals.itbms)));
    expect(dec(book.totals.itbms7).plus(book.totals.itbms10).plus(book.totals.itbms15).toFixed(2)).toBe(
      itbms.toFixed(2),
    );
    expect(book.totals.isc).toBe(sum(authorized.map((doc) => signed(doc, doc.totals.isc))).toFixed(2));
    for (const row of book.rows) {
      const doc = all.find((d) => d.id === row.documentId);
      expect(row.total).toBe(signed(doc, doc.totals.total).toFixed(2));
      expect(row).toMatchObject({
        status: doc.status,
        cufe: doc.cufe,
        series: `${BRANCH}-${POS}-${doc.number}`,
      });
      expect(row.inTotals).toBe(doc.status === 'AUTHORIZED');
    }
    const credit = book.rows.find((row: Json) => row.type === 'credit-note');
    expect(dec(credit.total).isNegative()).toBe(true);

    // The per-rate figures of this run's documents, computed from what was sent.
    const ours = issued.filter(
      ({ doc }) => doc.status === 'AUTHORIZED' && all.find((d) => d.id === doc.id)?.status === 'AUTHORIZED',
    );
    for (const { input, doc } of ours) {
      const computed = computeDocument(documentInputSchema.parse(input));
      const row = book.rows.find((r: Json) => r.documentId === doc.id);
      for (const [code, column] of Object.entries(RATE_CODES)) {
        const net = sum(
          computed.items.filter((item) => item.itbmsRate === code).map((item) => dec(item.price)),
        );
        expect(row[column], `${doc.type} ${column}`).toBe(signed(doc, net.toFixed(2)).toFixed(2));
      }
    }
  });

  it('the ITBMS summary reconciles with the documents to the cent', async () => {
    // Act
    const answer = await user.call(
      'GET',
      `/v1/reports/itbms-summary?month=${month}&branch=${BRANCH}&pointOfSale=${POS}`,
    );

    // Assess
    expect(answer.status, answer.text).toBe(200);
    const summary = answer.body.data;
    const authorized = all.filter((doc) => doc.status === 'AUTHORIZED');
    const sales = authorized.filter((doc) => doc.type !== 'import-invoice');
    expect(summary.net.total).toBe(sum(sales.map((doc) => signed(doc, doc.totals.total))).toFixed(2));
    expect(summary.net.itbms).toBe(sum(sales.map((doc) => signed(doc, doc.totals.itbms))).toFixed(2));
    const credits = sales.filter((doc) => CREDIT.has(doc.type));
    expect(summary.creditNotes.documents).toBe(credits.length);
    expect(summary.creditNotes.total).toBe(sum(credits.map((doc) => dec(doc.totals.total))).toFixed(2));
    const exports = sales.filter((doc) => doc.type === 'export-invoice');
    expect(summary.sales.exports.net).toBe(sum(exports.map((doc) => dec(doc.totals.net))).toFixed(2));
    const imports = authorized.filter((doc) => doc.type === 'import-invoice');
    expect(summary.incoming).toEqual({
      documents: imports.length,
      total: sum(imports.map((doc) => dec(doc.totals.total))).toFixed(2),
    });
    expect(summary.excluded.cancelled).toBe(all.filter((doc) => doc.status === 'CANCELLED').length);
    expect(summary.excluded.rejected).toBe(all.filter((doc) => doc.status === 'REJECTED').length);
    expect(dec(summary.sales.exempt).greaterThan(0)).toBe(true);
    const side = summary.sales;
    const rebuilt = sum([
      ...side.taxable.map((line: Json) => dec(line.net)),
      dec(side.exempt),
      dec(side.exports.net),
      dec(side.foreignSource.net),
      dec(side.itbms),
      dec(side.isc),
      dec(side.oti),
      dec(side.charges),
    ]).minus(side.discount);
    expect(rebuilt.toFixed(2)).toBe(side.total);
  });

  it('the numbering audit shows each number’s state, the rejected one as a gap, and no duplicates', async () => {
    // Act
    const answer = await operator.call('GET', `/v1/reports/numbering?branch=${BRANCH}&pointOfSale=${POS}`);

    // Assess
    expect(answer.status, answer.text).toBe(200);
    const audit = answer.body.data;
    expect(audit.duplicates).toEqual([]);
    expect(audit.counts.MISSING).toBe(0);
    for (const { doc } of issued) {
      const entry = audit.numbers.find((n: Json) => n.number === doc.number);
      const now = all.find((d) => d.id === doc.id);
      expect(entry).toMatchObject({ state: now.status, documentId: doc.id });
    }
    const rejected = issued.find(({ doc }) => doc.status === 'REJECTED')!.doc;
    expect(audit.gaps).toContainEqual({
      number: rejected.number,
      state: 'REJECTED',
      documentId: rejected.id,
      reason: 'RECEIVER_NOT_GOVERNMENT',
    });
  });

  it('CSV and XLSX open with a library and match the JSON', async () => {
    // Prepare
    const base = `/v1/reports/sales-book?month=${month}&branch=${BRANCH}&pointOfSale=${POS}`;
    const json = (await user.call('GET', base)).body.data;

    // Act
    const csvLink = await user.call('GET', `${base}&format=csv`);
    const xlsxLink = await user.call('GET', `${base}&format=xlsx`);

    // Assess
    expect(csvLink.status, csvLink.text).toBe(200);
    expect(csvLink.body.data.fileName).toBe(`libro-ventas-${month}-${BRANCH}-${POS}.csv`);
    const csvResponse = await fetch(csvLink.body.data.url);
    expect(csvResponse.status).toBe(200);
    const bytes = new Uint8Array(await csvResponse.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csvBook = new ExcelJS.Workbook();
    const csvSheet = await csvBook.csv.read(Readable.from([new TextDecoder().decode(bytes.slice(3))]), {
      parserOptions: { delimiter: ',' },
      map: (value: string) => value,
    });
    const xlsxResponse = await fetch(xlsxLink.body.data.url);
    expect(xlsxResponse.status).toBe(200);
    const xlsxBook = new ExcelJS.Workbook();
    await xlsxBook.xlsx.load(await xlsxResponse.arrayBuffer());
    const xlsxSheet = xlsxBook.worksheets[0]!;

    for (const sheet of [csvSheet, xlsxSheet]) {
      expect(sheet.rowCount).toBe(json.rows.length + 2);
      const headers = sheet.getRow(1).values as unknown[];
      const column = (header: string) => headers.indexOf(header);
      expect(column('Total')).toBeGreaterThan(0);
      json.rows.forEach((row: Json, i: number) => {
        const line = sheet.getRow(i + 2);
        expect(String(line.getCell(column('CUFE')).value ?? '')).toBe(row.cufe ?? '');
        expect(Number(line.getCell(column('Total')).value)).toBe(Number(row.total));
        expect(Number(line.getCell(column('ITBMS 7%')).value)).toBe(Number(row.itbms7));
        expect(String(line.getCell(column('Nombre receptor')).value ?? '')).toBe(row.receiverName ?? '');
      });
      const totals = sheet.getRow(json.rows.length + 2);
      expect(totals.getCell(1).value).toBe('TOTAL');
      expect(Number(totals.getCell(column('Total')).value)).toBe(Number(json.totals.total));
    }
    expect(typeof xlsxSheet.getRow(2).getCell(19).value).toBe('number');
  });

  it('refuses a malformed month and unknown formats with 4xx', async () => {
    const badMonth = await user.call('GET', '/v1/reports/sales-book?month=2026-13');
    expect(badMonth.status, badMonth.text).toBe(422);
    const badFormat = await user.call('GET', `/v1/reports/itbms-summary?month=${month}&format=pdf`);
    expect(badFormat.status, badFormat.text).toBe(422);
    const noSeries = await user.call('GET', '/v1/reports/numbering?branch=0000');
    expect(noSeries.status, noSeries.text).toBe(422);
  });
});
