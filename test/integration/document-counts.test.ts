import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT_STATUSES } from '#shared/data/documents';
import {
  exampleDocument,
  invoiceHkaRejects,
  issueAndWait,
  type Json,
  type Session,
  session,
} from './helpers/local-cloud.ts';

/**
 * `GET /v1/documents/counts` through the local cloud, as the console's Inicio and a client call it: the
 * documents of a point of sale of its own (authorized, cancelled, rejected by HKA), counted by status, equal
 * to what the listing shows for the same period and filters; another company counts none of them; a bad
 * period is a 4xx naming its field.
 */

const BRANCH = '0000';
const POS = '073';

const onPos = (document: unknown): Json => ({ ...(document as Json), branch: BRANCH, pointOfSale: POS });
const dayOf = (doc: Json): string => String(doc.issuedAt).slice(0, 10);

let admin: Session;
let user: Session;
let operator: Session;
let outsider: Session;
/** The period the documents were issued in (Panama days, as their `issuedAt` says). */
let period: { from: string; to: string };

/** Every document of the point of sale in the period, as the API lists them (earlier runs' included). */
async function listed(owner: Session, status?: string): Promise<Json[]> {
  const documents: Json[] = [];
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ branch: BRANCH, pointOfSale: POS, ...period, limit: '100' });
    if (status) query.set('status', status);
    if (cursor) query.set('cursor', cursor);
    const page = await owner.call('GET', `/v1/documents?${query}`);
    expect(page.status, page.text).toBe(200);
    documents.push(...page.body.data.items);
    cursor = page.body.data.nextCursor ?? undefined;
  } while (cursor);
  return documents;
}

function counts(owner: Session, query: Record<string, string>) {
  return owner.call('GET', `/v1/documents/counts?${new URLSearchParams(query)}`);
}

beforeAll(async () => {
  [admin, user, operator, outsider] = await Promise.all([
    session(0, 'ADMIN'),
    session(0, 'USER'),
    session(0, 'OPERATOR'),
    session(1, 'USER'),
  ]);
  const pos = await admin.call('POST', `/v1/branches/${BRANCH}/points-of-sale`, {
    body: { code: POS, name: 'Caja de conteos' },
    headers: { 'idempotency-key': randomUUID() },
  });
  expect([201, 409], pos.text).toContain(pos.status);

  const docs: Json[] = [];
  // One at a time: one point of sale, one number counter.
  for (const input of [
    exampleDocument('invoice-taxpayer.json'),
    exampleDocument('invoice-final-consumer.json'),
    exampleDocument('invoice-discounts.json'),
    invoiceHkaRejects(),
  ]) {
    docs.push(await issueAndWait(user, onPos(input)));
  }
  expect(docs.map((doc) => doc.status)).toEqual(['AUTHORIZED', 'AUTHORIZED', 'AUTHORIZED', 'REJECTED']);
  const cancelled = await user.call('POST', `/v1/documents/${docs[1].id}/cancel`, {
    body: { reason: 'Error en los datos del receptor de la factura' },
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(cancelled.status, cancelled.text).toBe(200);
  const days = docs.map(dayOf).sort();
  period = { from: days[0]!, to: days.at(-1)! };
}, 240_000);

describe('GET /v1/documents/counts', () => {
  it('counts the period by status as the listing shows it, for whoever reads documents', async () => {
    // Prepare
    const all = await listed(user);
    // Every status is in the answer, 0 included.
    const expected: Record<string, number> = Object.fromEntries(
      DOCUMENT_STATUSES.map((status) => [status, 0]),
    );
    for (const doc of all) expected[doc.status] = (expected[doc.status] ?? 0) + 1;

    // Act
    const answer = await counts(operator, { branch: BRANCH, pointOfSale: POS, ...period });

    // Assess
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.data).toEqual({ ...period, total: all.length, byStatus: expected });
    // This run's own documents are in it: at least two authorized, one cancelled, one rejected.
    expect(expected.AUTHORIZED).toBeGreaterThanOrEqual(2);
    expect(expected.CANCELLED).toBeGreaterThanOrEqual(1);
    expect(expected.REJECTED).toBeGreaterThanOrEqual(1);
  });

  it('narrows by type like the listing, and counts nothing of another company', async () => {
    // Act
    const invoices = await counts(user, { branch: BRANCH, pointOfSale: POS, type: 'invoice', ...period });
    const creditNotes = await counts(user, {
      branch: BRANCH,
      pointOfSale: POS,
      type: 'credit-note',
      ...period,
    });
    const elsewhere = await counts(outsider, { branch: BRANCH, pointOfSale: POS, ...period });

    // Assess
    expect(invoices.status, invoices.text).toBe(200);
    expect(invoices.body.data.total).toBe(
      (await listed(user)).filter((doc) => doc.type === 'invoice').length,
    );
    expect(creditNotes.body.data.total).toBe(0);
    expect(elsewhere.status, elsewhere.text).toBe(200);
    expect(elsewhere.body.data.total).toBe(0);
  });

  it.each([
    [
      'an unknown parameter',
      { from: '2026-11-01', to: '2026-11-30', status: 'AUTHORIZED' },
      400,
      'query.status',
    ],
    ['a missing end', { from: '2026-11-01' }, 422, 'query.to'],
    ['a date that does not exist', { from: '2026-02-30', to: '2026-03-01' }, 422, 'query.from'],
    ['a date-time', { from: '2026-11-01T00:00:00-05:00', to: '2026-11-30' }, 422, 'query.from'],
    ['an end before the start', { from: '2026-11-30', to: '2026-11-01' }, 422, 'query.to'],
    ['more than 366 days', { from: '2025-01-01', to: '2026-01-02' }, 422, 'query.to'],
  ])('refuses %s with a %i naming the field', async (_case, query, status, path) => {
    // Act
    const answer = await counts(user, query);

    // Assess
    expect(answer.status, answer.text).toBe(status);
    expect(answer.body.code).toBe(status === 400 ? 'UNKNOWN_QUERY_PARAMETER' : 'VALIDATION_FAILED');
    expect(answer.body.details.map((detail: Json) => detail.path)).toContain(path);
  });

  it('takes a whole leap year, 366 days', async () => {
    const answer = await counts(user, { from: '2028-01-01', to: '2028-12-31' });
    expect(answer.status, answer.text).toBe(200);
  });
});
