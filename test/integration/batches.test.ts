import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchTemplateCsv } from '#shared/batches/csv';
import {
  type ApiResponse,
  exampleDocument,
  type Json,
  localStack,
  pollEvery,
  type Session,
  session,
} from './helpers/local-cloud.ts';

/**
 * Bulk issuing through the local cloud as an integrator uses it: a JSON batch of 1,000 documents (10 of them
 * invalid) issued to AUTHORIZED, re-posted without issuing anything new; a CSV batch through the presigned
 * upload; a cancelled batch.
 */

const TENANT = 0;
let admin: Session;
let otherTenant: Session;
/** The batches this file creates, oldest first: the listing test reads them back. */
const created: string[] = [];

beforeAll(async () => {
  [admin, otherTenant] = await Promise.all([session(TENANT, 'ADMIN'), session(1, 'ADMIN')]);
});

async function postBatch(user: Session, body: unknown, key: string = randomUUID()): Promise<ApiResponse> {
  const response = await user.call('POST', '/v1/batches', { body, headers: { 'idempotency-key': key } });
  if (response.status === 202 && !created.includes(response.body.data.id))
    created.push(response.body.data.id);
  return response;
}

/** Reads the batch until every row has ended (finishedAt), or the timeout passes; returns the last read. */
async function waitForBatch(user: Session, id: string, timeoutMs: number): Promise<Json> {
  const last = await pollEvery(
    1000,
    () => user.call('GET', `/v1/batches/${id}`),
    (response) => response.status !== 200 || response.body.data.finishedAt !== null,
    timeoutMs,
  );
  expect(last.status, last.text).toBe(200);
  return last.body.data;
}

/** Every row of a batch (pages of 100), optionally of one status. */
async function allRows(user: Session, id: string, status?: string): Promise<Json[]> {
  const rows: Json[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: '100', ...(status && { status }), ...(cursor && { cursor }) });
    const page = await user.call('GET', `/v1/batches/${id}/rows?${query}`);
    expect(page.status, page.text).toBe(200);
    rows.push(...page.body.data.items);
    cursor = page.body.data.nextCursor;
  } while (cursor);
  return rows;
}

describe('bulk issuing', () => {
  it('a JSON batch of 1,000 documents (10 invalid) ends with 990 AUTHORIZED and 10 row errors with their paths; re-posting it issues nothing new', async () => {
    // Prepare
    const invoice = exampleDocument('invoice-taxpayer.json') as Json;
    const invalidAt = new Set([3, 97, 150, 333, 500, 501, 678, 800, 901, 999]);
    const documents = Array.from({ length: 1000 }, (_, index) => {
      const document = structuredClone(invoice);
      document.reference = `INV-${String(index + 1).padStart(4, '0')}`;
      if (invalidAt.has(index)) document.items[1].quantity = '-15';
      return document;
    });
    const key = randomUUID();

    // Act
    const accepted = await postBatch(admin, { documents }, key);
    expect(accepted.status, accepted.text).toBe(202);
    const batchId = accepted.body.data.id;
    const finished = await waitForBatch(admin, batchId, 1_200_000);
    const rows = await pollEvery(
      3000,
      () => allRows(admin, batchId),
      (list) => list.every((row) => row.status === 'INVALID' || row.documentStatus === 'AUTHORIZED'),
      300_000,
    );
    const invalid = await allRows(admin, batchId, 'INVALID');
    const replay = await postBatch(admin, { documents }, key);
    const afterReplay = await admin.call('GET', `/v1/batches/${batchId}`);

    // Assess
    expect(accepted.headers.get('location')).toBe(`/v1/batches/${batchId}`);
    expect(accepted.body.data).toMatchObject({ status: 'VALIDATING', source: 'json', total: 1000 });
    expect(finished).toMatchObject({
      status: 'DONE',
      total: 1000,
      counts: { valid: 990, invalid: 10, pending: 0, issued: 990, failed: 0, skipped: 0 },
      progress: 1,
      createdBy: expect.stringMatching(/^user:/),
    });
    expect(rows).toHaveLength(1000);
    expect(rows.map((row) => row.row)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    const authorized = rows.filter((row) => row.documentStatus === 'AUTHORIZED');
    expect(authorized).toHaveLength(990);
    expect(new Set(authorized.map((row) => row.documentId)).size).toBe(990);
    expect(new Set(authorized.map((row) => row.number)).size).toBe(990);
    expect(invalid.map((row) => row.row)).toEqual([...invalidAt].map((index) => index + 1));
    for (const row of invalid) {
      expect(row).toMatchObject({ status: 'INVALID', documentId: null, documentStatus: null });
      expect(row.reference).toBe(`INV-${String(row.row).padStart(4, '0')}`);
      expect(row.errors).toContainEqual(
        expect.objectContaining({ row: row.row, path: 'items[1].quantity', code: expect.any(String) }),
      );
    }
    expect(replay.status, replay.text).toBe(202);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.data.id).toBe(batchId);
    expect(afterReplay.body.data.counts).toEqual(finished.counts);
  }, 1_800_000);

  it('a CSV uploaded through the presigned URL is issued; its row errors name the line and column', async () => {
    // Prepare
    const template = batchTemplateCsv().trimEnd().split('\r\n');
    const [header, firstLine, secondLine] = template as [string, string, string];
    const badQuantity = secondLine.replace(',15,', ',abc,').replaceAll('FAC-2026-0001', 'FAC-2026-0002');
    const csv = [
      header,
      firstLine,
      secondLine,
      firstLine.replaceAll('FAC-2026-0001', 'FAC-2026-0002'),
      badQuantity,
    ]
      .join('\r\n')
      .concat('\r\n');

    // Act
    const upload = await admin.call('POST', '/v1/batch-uploads');
    expect(upload.status, upload.text).toBe(201);
    const put = await fetch(upload.body.data.url, {
      method: 'PUT',
      headers: { 'content-type': upload.body.data.contentType },
      body: csv,
    });
    const preflight = (origin: string) =>
      fetch(upload.body.data.url, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'content-type',
        },
      });
    const fromConsole = await preflight(new URL(localStack().cognito.callbackUrl).origin);
    const fromElsewhere = await preflight('https://elsewhere.example');
    const accepted = await postBatch(admin, { uploadId: upload.body.data.uploadId });
    expect(accepted.status, accepted.text).toBe(202);
    const finished = await waitForBatch(admin, accepted.body.data.id, 120_000);
    const rows = await pollEvery(
      1000,
      () => allRows(admin, accepted.body.data.id),
      (list) => list.every((row) => row.status !== 'ISSUED' || row.documentStatus === 'AUTHORIZED'),
      90_000,
    );
    const cancelFinished = await admin.call('POST', `/v1/batches/${accepted.body.data.id}/cancel`, {
      headers: { 'idempotency-key': randomUUID() },
    });

    // Assess
    expect(put.status).toBe(200);
    expect(fromConsole.status, 'the console may PUT from its origin').toBe(200);
    expect(fromConsole.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(fromElsewhere.status, 'no other page may').toBe(403);
    expect(finished).toMatchObject({
      status: 'DONE',
      source: 'csv',
      total: 2,
      counts: { valid: 1, invalid: 1, issued: 1 },
    });
    expect(rows).toEqual([
      expect.objectContaining({
        row: 1,
        reference: 'FAC-2026-0001',
        status: 'ISSUED',
        documentStatus: 'AUTHORIZED',
      }),
      expect.objectContaining({ row: 2, reference: 'FAC-2026-0002', status: 'INVALID', documentId: null }),
    ]);
    expect(rows[1].errors).toContainEqual(
      expect.objectContaining({ row: 5, path: 'items[1].quantity', column: 'itemQuantity' }),
    );
    expect(cancelFinished.status, cancelFinished.text).toBe(409);
    expect(cancelFinished.body.code).toBe('BATCH_FINISHED');
  }, 240_000);

  it('a CSV that is not the template is refused whole (422 with where); an unknown upload is a 404', async () => {
    // Prepare
    const upload = await admin.call('POST', '/v1/batch-uploads');
    await fetch(upload.body.data.url, {
      method: 'PUT',
      headers: { 'content-type': upload.body.data.contentType },
      body: 'reference,colour\nA,blue\n',
    });

    // Act
    const refused = await postBatch(admin, { uploadId: upload.body.data.uploadId });
    const unknown = await postBatch(admin, { uploadId: '01KBX7P9D3F6H2K8M5Q1S4V7XA' });
    const neither = await postBatch(admin, {});

    // Assess
    expect(refused.status, refused.text).toBe(422);
    expect(refused.body).toMatchObject({
      code: 'BATCH_CSV_INVALID',
      details: [expect.objectContaining({ path: 'header[1]', code: 'CSV_UNKNOWN_COLUMN' })],
    });
    expect(unknown.status, unknown.text).toBe(404);
    expect(unknown.body.code).toBe('BATCH_UPLOAD_NOT_FOUND');
    expect(neither.status, neither.text).toBe(422);
    expect(neither.body.details).toContainEqual(expect.objectContaining({ path: 'documents' }));
  });

  it('a cancelled batch skips the rows not yet started; another tenant cannot see it', async () => {
    // Prepare
    const invoice = exampleDocument('invoice-final-consumer.json');
    const documents = Array.from({ length: 30 }, () => invoice);

    // Act
    const accepted = await postBatch(admin, { documents });
    const cancelled = await admin.call('POST', `/v1/batches/${accepted.body.data.id}/cancel`, {
      headers: { 'idempotency-key': randomUUID() },
    });
    const again = await admin.call('POST', `/v1/batches/${accepted.body.data.id}/cancel`, {
      headers: { 'idempotency-key': randomUUID() },
    });
    const finished = await waitForBatch(admin, accepted.body.data.id, 120_000);
    const skipped = await allRows(admin, accepted.body.data.id, 'SKIPPED');
    const fromOtherTenant = await otherTenant.call('GET', `/v1/batches/${accepted.body.data.id}`);
    const rowsFromOtherTenant = await otherTenant.call('GET', `/v1/batches/${accepted.body.data.id}/rows`);

    // Assess
    expect(accepted.status, accepted.text).toBe(202);
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body.data.status).toBe('CANCELLED');
    expect(again.status, again.text).toBe(200);
    expect(finished.status).toBe('CANCELLED');
    expect(finished.counts.pending).toBe(0);
    expect(finished.counts.issued + finished.counts.skipped + finished.counts.invalid).toBe(30);
    expect(finished.counts.skipped).toBeGreaterThan(0);
    expect(skipped).toHaveLength(finished.counts.skipped);
    expect(skipped.every((row: Json) => row.documentId === null)).toBe(true);
    expect(fromOtherTenant.status).toBe(404);
    expect(fromOtherTenant.body.code).toBe('BATCH_NOT_FOUND');
    expect(rowsFromOtherTenant.status).toBe(404);
  }, 180_000);

  it("lists the tenant's batches newest first, page by page, by status; never another tenant's", async () => {
    // Prepare
    const cancelled = created.at(-1);
    const seen: Json[] = [];

    // Act
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query = new URLSearchParams({ limit: '1', ...(cursor && { cursor }) });
      const page = await admin.call('GET', `/v1/batches?${query}`);
      expect(page.status, page.text).toBe(200);
      expect(page.body.data.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.body.data.items);
      cursor = page.body.data.nextCursor;
      pages++;
    } while (cursor && !created.every((id) => seen.some((batch) => batch.id === id)));
    const byStatus = await admin.call('GET', '/v1/batches?status=CANCELLED&limit=100');
    const otherTenantsList = await otherTenant.call('GET', '/v1/batches?limit=100');
    const otherTenantsCursor = await otherTenant.call(
      'GET',
      `/v1/batches?${new URLSearchParams({ cursor: cursor ?? 'c1.e30.AAAA' })}`,
    );
    const unknownParameter = await admin.call('GET', '/v1/batches?state=DONE');

    // Assess
    expect(created.length).toBeGreaterThanOrEqual(2);
    expect(pages).toBeGreaterThan(1);
    const ids = seen.map((batch) => batch.id as string);
    expect(ids, 'newest first (ids are ULIDs)').toEqual([...ids].sort().reverse());
    const mine = ids.filter((id) => created.includes(id));
    expect(mine).toEqual([...created].reverse());
    expect(seen.find((batch) => batch.id === cancelled)?.status).toBe('CANCELLED');
    expect(byStatus.status, byStatus.text).toBe(200);
    expect(byStatus.body.data.items.map((batch: Json) => batch.id)).toContain(cancelled);
    expect(byStatus.body.data.items.every((batch: Json) => batch.status === 'CANCELLED')).toBe(true);
    expect(otherTenantsList.status, otherTenantsList.text).toBe(200);
    expect(otherTenantsList.body.data.items.filter((batch: Json) => created.includes(batch.id))).toEqual([]);
    expect(otherTenantsCursor.status, otherTenantsCursor.text).toBe(400);
    expect(otherTenantsCursor.body.code).toBe('INVALID_CURSOR');
    expect(unknownParameter.status, unknownParameter.text).toBe(400);
    expect(unknownParameter.body.code).toBe('UNKNOWN_QUERY_PARAMETER');
  });
});
