import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Entry, fromBuffer, type ZipFile } from 'yauzl';
import {
  type ApiResponse,
  exampleDocument,
  issue,
  type Json,
  panamaTime,
  pollEvery,
  type Session,
  session,
} from './helpers/local-cloud.ts';

/** An export of a period, end to end: documents issued through the API, a ZIP downloaded as a client would. */

const TENANT = 0;
/** Documents issued for the export (the local pipeline authorizes about 5 a second). */
const DOCUMENTS = 500;
/** Clients posting at once. */
const IN_FLIGHT = 25;
const RFE_SCHEMA = fileURLToPath(new URL('../../shared/fiscal/xsd/FE_v1.00.xsd', import.meta.url));

describe('exports', () => {
  let user: Session;
  let operator: Session;
  let workDir: string;
  beforeAll(async () => {
    [user, operator] = await Promise.all([session(TENANT, 'USER'), session(TENANT, 'OPERATOR')]);
    workDir = mkdtempSync(join(tmpdir(), 'factu-export-'));
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it(`exports ${DOCUMENTS} documents as a ZIP of month folders whose XMLs validate against the XSD`, async () => {
    // Prepare: a period that holds the documents issued here (files run one at a time; documents an earlier file
    // issued on a moved test clock may be dated inside it too, so the export is compared with the period's list).
    const from = panamaTime(new Date(Date.now() - 1000));
    const issued = await issueMany(user, DOCUMENTS);
    const settled = await pollEvery(
      2000,
      () => user.call('GET', `/v1/documents?status=PROCESSING&from=${encodeURIComponent(from)}&limit=1`),
      (response) => response.status === 200 && response.body.data.items.length === 0,
      300_000,
    );
    expect(settled.body.data.items, 'documents still PROCESSING').toEqual([]);
    const to = panamaTime(new Date(Date.now() + 1000));
    const profile = await user.call('GET', '/v1/profile');
    /** The file name of a document, as its download names it (every document here is an invoice: type 01). */
    const baseName = (document: Json) =>
      `${String(document.issuedAt).slice(0, 7)}/${profile.body.data.ruc}-01-${document.branch}-${document.pointOfSale}-${document.number}`;
    const authorized = await listAll(
      user,
      `status=AUTHORIZED&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    );
    const inPeriod = new Set(authorized.map((document) => document.id));
    expect(
      issued.filter((id) => !inPeriod.has(id)),
      'issued here, not AUTHORIZED in the period',
    ).toEqual([]);
    const exported = authorized.length;

    // Act: an OPERATOR (reports:read) asks for the export and follows its progress.
    const created = await operator.call('POST', '/v1/exports', {
      body: { from, to, kinds: ['xml', 'pdf'], status: 'AUTHORIZED' },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(created.status, created.text).toBe(202);
    expect(created.body.data).toMatchObject({ status: 'QUEUED', progress: { total: exported, done: 0 } });
    expect(created.headers.get('location')).toBe(`/v1/exports/${created.body.data.id}`);
    const seen: Json[] = [];
    const finished = await pollEvery(
      500,
      async () => {
        const response = await operator.call('GET', `/v1/exports/${created.body.data.id}`);
        seen.push(response.body?.data);
        return response;
      },
      (response) => ['DONE', 'FAILED'].includes(response.body?.data?.status),
      240_000,
    );
    const zipFile = join(workDir, 'export.zip');
    const download = await fetch(finished.body.data.download?.url ?? 'http://127.0.0.1:9/no-url');
    writeFileSync(zipFile, Buffer.from(await download.arrayBuffer()));
    const unzipped = join(workDir, 'unzipped');
    execFileSync('unzip', ['-q', zipFile, '-d', unzipped]);

    // Assess: the job.
    expect(finished.body.data, finished.text).toMatchObject({
      status: 'DONE',
      progress: { total: exported, done: exported },
      failure: null,
      file: { documents: exported, entries: 2 * exported },
    });
    expect(seen.some((job) => job?.status === 'RUNNING')).toBe(true);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(
      /^attachment; filename="factu-export-.+\.zip"$/,
    );
    expect(finished.body.data.file.bytes).toBe(readFileSync(zipFile).length);

    // Assess: one folder per Panama month of emission, every document's XML and PDF named as its download.
    const months = new Set(authorized.map((document) => String(document.issuedAt).slice(0, 7)));
    expect(new Set(readdirSync(unzipped))).toEqual(months);
    const files = [...months].flatMap((month) =>
      readdirSync(join(unzipped, month)).map((name) => join(unzipped, month, name)),
    );
    const expected = authorized.flatMap((document) => [
      `${baseName(document)}.xml`,
      `${baseName(document)}.pdf`,
    ]);
    expect(files.map((file) => file.slice(unzipped.length + 1)).sort()).toEqual(expected.sort());

    // Assess: every XML is a valid signed rFE (the DGI schema, with xmllint) and every PDF a PDF.
    const xmls = files.filter((file) => file.endsWith('.xml'));
    const pdfs = files.filter((file) => file.endsWith('.pdf'));
    expect(xmls).toHaveLength(exported);
    const lint = xmllint(xmls);
    expect(lint.failures, lint.output).toBe(0);
    expect(lint.valid).toBe(exported);
    for (const pdf of pdfs) expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // Assess: a file of the ZIP is the archived one, byte for byte.
    const sample = authorized[0];
    const link = await user.call('GET', `/v1/documents/${sample.id}/xml`);
    const archived = Buffer.from(await (await fetch(link.body.data.url)).arrayBuffer());
    const inZip = readFileSync(join(unzipped, `${baseName(sample)}.xml`));
    expect(inZip.equals(archived)).toBe(true);
  }, 600_000);

  it('replays the job for the same Idempotency-Key, exports only the kinds asked, and hides other tenants’ jobs', async () => {
    // Prepare
    const key = randomUUID();
    const body = { from: '2026-01-01', to: panamaTime(new Date()), kinds: ['pdf'], status: 'CANCELLED' };
    const other = await session(1, 'ADMIN');

    // Act
    const first = await user.call('POST', '/v1/exports', { body, headers: { 'idempotency-key': key } });
    const replay = await user.call('POST', '/v1/exports', { body, headers: { 'idempotency-key': key } });
    const done = await pollEvery(
      300,
      () => user.call('GET', `/v1/exports/${first.body.data.id}`),
      (response) => ['DONE', 'FAILED'].includes(response.body?.data?.status),
      60_000,
    );
    const foreign = await other.call('GET', `/v1/exports/${first.body.data.id}`);
    const invalid = await user.call('POST', '/v1/exports', {
      body: { from: '2026-11-30', to: '2026-11-01', kinds: [] },
      headers: { 'idempotency-key': randomUUID() },
    });

    // Assess
    expect(first.status, first.text).toBe(202);
    expect(replay.status).toBe(202);
    expect(replay.body.data.id).toBe(first.body.data.id);
    expect(done.body.data, done.text).toMatchObject({
      status: 'DONE',
      documentStatus: 'CANCELLED',
      kinds: ['pdf'],
    });
    const listing = await entryNames(
      Buffer.from(await (await fetch(done.body.data.download.url)).arrayBuffer()),
    );
    expect(listing).toHaveLength(done.body.data.file.entries);
    for (const name of listing) expect(name).toMatch(/^\d{4}-\d{2}\/.+\.pdf$/);
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('EXPORT_NOT_FOUND');
    expect(invalid.status).toBe(422);
    expect(invalid.body.details.map((detail: Json) => detail.path)).toContain('kinds');
  }, 120_000);
});

/** Issues `count` final-consumer invoices, `IN_FLIGHT` at a time, retrying 429s as a client would; their ids. */
async function issueMany(user: Session, count: number): Promise<string[]> {
  const document = exampleDocument('invoice-final-consumer.json');
  const ids: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const key = randomUUID();
      let response: ApiResponse = await issue(user, document, key);
      while (response.status === 429) {
        await new Promise((resolve) =>
          setTimeout(resolve, 1000 * Number(response.headers.get('retry-after') ?? 1)),
        );
        response = await issue(user, document, key);
      }
      if (response.status !== 202) throw new Error(`issue answered ${response.status}: ${response.text}`);
      ids.push(response.body.data.id);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return ids;
}

/** The names of a ZIP's entries (an export with no document is an empty ZIP, which `unzip` refuses to list). */
async function entryNames(zip: Buffer): Promise<string[]> {
  const archive = await new Promise<ZipFile>((resolve, reject) =>
    fromBuffer(zip, { lazyEntries: true }, (error, file) => (error ? reject(error) : resolve(file))),
  );
  const names: string[] = [];
  await new Promise<void>((resolve, reject) => {
    archive.on('entry', (entry: Entry) => {
      names.push(entry.fileName);
      archive.readEntry();
    });
    archive.on('end', resolve);
    archive.on('error', reject);
    archive.readEntry();
  });
  return names;
}

/** Every document of a listing, page by page. */
async function listAll(user: Session, query: string): Promise<Json[]> {
  const items: Json[] = [];
  let cursor: string | null = null;
  do {
    const page: ApiResponse = await user.call(
      'GET',
      `/v1/documents?${query}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    if (page.status !== 200) throw new Error(`listing answered ${page.status}: ${page.text}`);
    items.push(...page.body.data.items);
    cursor = page.body.data.nextCursor;
  } while (cursor);
  return items;
}

/** xmllint --schema over the files: how many validate, how many fail, and its report (on stderr). */
function xmllint(files: string[]): { valid: number; failures: number; output: string } {
  const run = spawnSync('xmllint', ['--noout', '--schema', RFE_SCHEMA, ...files], { encoding: 'utf8' });
  const report = `${run.stderr ?? ''}${run.error ? String(run.error) : ''}`;
  return {
    valid: (report.match(/ validates$/gm) ?? []).length,
    failures: (report.match(/ fails to validate$/gm) ?? []).length + (run.status === 0 ? 0 : 1),
    output: report.slice(0, 4000),
  };
}
