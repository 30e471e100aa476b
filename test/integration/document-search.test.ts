import { execFileSync } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasCommand } from '#test/unit/cafe-pdf/pdf-inspect';
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
 * Preview and document search through the local cloud, as a client calls them: a preview gives the totals
 * and a draft CAFE (watermarked, fetched through its presigned URL and read with pdftotext) and takes no
 * number and no folio; search by receiver name (accent- and case-insensitive, paginated), by CUFE (list
 * filter and by-cufe route, tenant-bound) and by number finds exactly the right documents; an unknown query
 * parameter is a 400 that names it. Documents go to a point of sale created for this file, so their numbers
 * are this file's alone.
 */

const TENANT = 0;
const OTHER_TENANT = 1;
const DRAFT_LEGEND = 'BORRADOR — SIN VALIDEZ FISCAL';
const UNKNOWN_CUFE = 'FE0120000155596713-2-2015-5900002026112200000000420010121234567898';
/** Letters and digits only, so it survives the name folding unchanged. */
const tag = randomUUID().replace(/-/g, '').slice(0, 8);

let admin: Session;
let user: Session;
let otherTenant: Session;
let pointOfSale: string;

const inSeries = (document: unknown): Json => ({ ...(document as Json), branch: '0000', pointOfSale });
const soldTo = (name: string): Json => {
  const document = inSeries(exampleDocument('invoice-final-consumer.json'));
  return { ...document, receiver: { ...document.receiver, name } };
};
const list = (query: string, caller: Session = user) => caller.call('GET', `/v1/documents?${query}`);
const ids = (response: { body: Json }) => response.body.data.items.map((doc: Json) => doc.id).sort();

/** A point of sale of branch 0000 that no other test file uses. */
async function freshPointOfSale(): Promise<string> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const code = String(randomInt(900, 1000));
    const created = await admin.call('POST', '/v1/branches/0000/points-of-sale', {
      body: { code, name: `Búsqueda ${tag}` },
      headers: { 'idempotency-key': randomUUID() },
    });
    if (created.status === 201) return code;
    expect(created.status, created.text).toBe(409);
  }
  throw new Error('no free point of sale code');
}

/** The text pdftotext reads from the PDF behind a presigned URL, fetched as a browser would. */
async function pdfTextAt(url: string): Promise<string> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  const bytes = Buffer.from(await response.arrayBuffer());
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  const dir = mkdtempSync(join(tmpdir(), 'preview-'));
  try {
    writeFileSync(join(dir, 'draft.pdf'), bytes);
    return execFileSync('pdftotext', [join(dir, 'draft.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  [admin, user, otherTenant] = await Promise.all([
    session(TENANT, 'ADMIN'),
    session(TENANT, 'USER'),
    session(OTHER_TENANT, 'USER'),
  ]);
  pointOfSale = await freshPointOfSale();
});

describe('POST /v1/documents/preview', () => {
  const preview = (document: unknown) => user.call('POST', '/v1/documents/preview', { body: document });
  const folios = async () => (await user.call('GET', '/v1/folios')).body.data;
  const atHka = async () => (await hkaSandbox.tenant(TENANT)).documents.length;

  it.skipIf(!hasCommand('pdftotext'))(
    'answers the totals and a watermarked draft CAFE, and takes no number and no folio',
    async () => {
      // Prepare
      // Final before the counts are read: a document still on its way would reach HKA meanwhile.
      const first = await issueAndWait(user, inSeries(exampleDocument('invoice-taxpayer.json')));
      const [foliosBefore, atHkaBefore] = await Promise.all([folios(), atHka()]);

      // Act
      const letter = await preview(inSeries(exampleDocument('invoice-taxpayer.json')));
      const ticket = await preview({
        ...inSeries(exampleDocument('invoice-taxpayer.json')),
        cafeLayout: 'ticket',
      });

      // Assess
      for (const response of [letter, ticket]) {
        expect(response.status, response.text).toBe(200);
        expect(response.body.data).toMatchObject({
          valid: true,
          errors: [],
          totals: first.totals,
          pdf: { url: expect.stringContaining('/previews/'), expiresAt: expect.any(String) },
        });
        const text = await pdfTextAt(response.body.data.pdf.url);
        expect(text).toContain(DRAFT_LEGEND);
        expect(text).toContain('No. BORRADOR');
        expect(text).not.toContain(first.number);
        expect(text).toContain('DISTRIBUIDORA EJEMPLO');
      }
      expect(await folios()).toEqual(foliosBefore);
      expect(await atHka()).toBe(atHkaBefore);
      const second = await issue(user, inSeries(exampleDocument('invoice-taxpayer.json')));
      expect(second.status, second.text).toBe(202);
      expect(Number(second.body.data.number)).toBe(Number(first.number) + 1);
    },
  );

  it('answers the errors without a PDF when the body cannot be computed or names no series of the company', async () => {
    // Act
    const broken = await preview({ type: 'invoice' });
    const noBranch = await preview({ ...inSeries(exampleDocument('invoice-taxpayer.json')), branch: 'ZZ99' });

    // Assess
    expect(broken.status, broken.text).toBe(200);
    expect(broken.body.data).toMatchObject({ valid: false, totals: null, pdf: null });
    expect(broken.body.data.errors.length).toBeGreaterThan(0);
    expect(noBranch.status, noBranch.text).toBe(200);
    expect(noBranch.body.data).toMatchObject({
      valid: false,
      pdf: null,
      totals: { total: expect.any(String) },
    });
    expect(noBranch.body.data.errors.map((error: Json) => error.path)).toContain('branch');
  });
});

describe('document search', () => {
  let bakery: Json;
  let bakeryCompany: Json;
  let hardware: Json;

  beforeAll(async () => {
    [bakery, bakeryCompany, hardware] = await Promise.all([
      issueAndWait(user, soldTo(`Ñandú ${tag} Panadería`)),
      issueAndWait(user, soldTo(`NANDU ${tag} panaderia, S.A.`)),
      issueAndWait(user, soldTo(`Ñandu-${tag} Ferretería`)),
    ]);
    for (const doc of [bakery, bakeryCompany, hardware]) expect(doc.status).toBe('AUTHORIZED');
  });

  it('q: by receiver name prefix, accent- and case-insensitive, combined with the other filters', async () => {
    // Act
    const [bakeries, all, rejected, elsewhere, tooShort] = await Promise.all([
      list(`q=${encodeURIComponent(`nandu ${tag} PANADERIA`)}`),
      list(`q=${encodeURIComponent(`ÑANDÚ ${tag}`)}&status=AUTHORIZED&pointOfSale=${pointOfSale}`),
      list(`q=${encodeURIComponent(`nandu ${tag}`)}&status=REJECTED`),
      list(`q=${encodeURIComponent(`nandu ${tag}`)}&pointOfSale=001`),
      list('q=%C3%91'),
    ]);

    // Assess
    expect(bakeries.status, bakeries.text).toBe(200);
    expect(ids(bakeries)).toEqual([bakery.id, bakeryCompany.id].sort());
    expect(ids(all)).toEqual([bakery.id, bakeryCompany.id, hardware.id].sort());
    expect(ids(rejected)).toEqual([]);
    expect(ids(elsewhere)).toEqual([]);
    expect(tooShort.status, tooShort.text).toBe(422);
    expect(tooShort.body.details.map((detail: Json) => detail.path)).toEqual(['query.q']);
  });

  it('q: pages through every match once', async () => {
    // Act
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 5; page++) {
      const response = await list(
        `q=${encodeURIComponent(`nandu ${tag}`)}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(response.status, response.text).toBe(200);
      seen.push(...ids(response));
      cursor = response.body.data.nextCursor;
      if (!cursor) break;
    }

    // Assess
    expect(seen.sort()).toEqual([bakery.id, bakeryCompany.id, hardware.id].sort());
  });

  it('cufe: exactly its document, through the list and GET /v1/documents/by-cufe/{cufe}; never another tenant’s', async () => {
    // Act
    const [listed, filteredOut, byCufe, unknown, malformed, fromOther, listedByOther] = await Promise.all([
      list(`cufe=${bakery.cufe}`),
      list(`cufe=${bakery.cufe}&status=CANCELLED`),
      user.call('GET', `/v1/documents/by-cufe/${bakery.cufe}`),
      user.call('GET', `/v1/documents/by-cufe/${UNKNOWN_CUFE}`),
      user.call('GET', '/v1/documents/by-cufe/not-a-cufe'),
      otherTenant.call('GET', `/v1/documents/by-cufe/${bakery.cufe}`),
      list(`cufe=${bakery.cufe}`, otherTenant),
    ]);

    // Assess
    expect(ids(listed)).toEqual([bakery.id]);
    expect(listed.body.data.nextCursor).toBeNull();
    expect(ids(filteredOut)).toEqual([]);
    expect(byCufe.status, byCufe.text).toBe(200);
    expect(byCufe.body.data).toMatchObject({ id: bakery.id, cufe: bakery.cufe, status: 'AUTHORIZED' });
    expect(unknown.status, unknown.text).toBe(404);
    expect(unknown.body.code).toBe('DOCUMENT_NOT_FOUND');
    expect(malformed.status, malformed.text).toBe(422);
    expect(fromOther.status, fromOther.text).toBe(404);
    expect(fromOther.body.code).toBe('DOCUMENT_NOT_FOUND');
    expect(ids(listedByOther)).toEqual([]);
  });

  it('number: in one series, or in every series of the company', async () => {
    // Prepare
    const short = String(Number(hardware.number));

    // Act
    const [inOneSeries, inEverySeries, inThisPointOfSale, notIssued] = await Promise.all([
      list(`number=${short}&branch=0000&pointOfSale=${pointOfSale}`),
      list(`number=${short}`),
      list(`number=${hardware.number}&pointOfSale=${pointOfSale}`),
      list(`number=9999999999&branch=0000&pointOfSale=${pointOfSale}`),
    ]);

    // Assess
    expect(ids(inOneSeries)).toEqual([hardware.id]);
    expect(ids(inEverySeries)).toContain(hardware.id);
    for (const doc of inEverySeries.body.data.items) expect(doc.number).toBe(hardware.number);
    expect(ids(inThisPointOfSale)).toEqual([hardware.id]);
    expect(ids(notIssued)).toEqual([]);
  });

  it('an unknown query parameter is a 400 that names it, on every kind of route', async () => {
    // Act
    const [misspelt, noQueryAtAll, onPreview] = await Promise.all([
      list(`receiverName=${encodeURIComponent(`nandu ${tag}`)}`),
      user.call('GET', '/v1/folios?verbose=true'),
      user.call('POST', '/v1/documents/preview?dryRun=true', {
        body: exampleDocument('invoice-taxpayer.json'),
      }),
    ]);

    // Assess
    expect(misspelt.status, misspelt.text).toBe(400);
    expect(misspelt.body).toMatchObject({
      code: 'UNKNOWN_QUERY_PARAMETER',
      error: expect.stringContaining('receiverName'),
      details: [{ path: 'query.receiverName', message: expect.stringContaining('receiverName') }],
    });
    expect(noQueryAtAll.status, noQueryAtAll.text).toBe(400);
    expect(noQueryAtAll.body.details).toEqual([
      { path: 'query.verbose', message: expect.stringContaining('accepts none') },
    ]);
    expect(onPreview.status, onPreview.text).toBe(400);
    expect(onPreview.body.code).toBe('UNKNOWN_QUERY_PARAMETER');
  });
});
