import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiResponse, type Json, type Session, session } from './helpers/local-cloud.ts';

/**
 * One word typed to find a product, through the local cloud as a client calls it: looked up as the start of a
 * code and of a description, code matches first, each product once, one cursor across both.
 */

let user: Session;
let outsider: Session;

/** Letters only, so the word searched holds no digit (a code such as `CAFE` has none). */
const run = Array.from({ length: 6 }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join(
  '',
);
const word = `CAFE${run}`;
const descriptionWord = `Café${run.toLowerCase()}`;

function create(code: string, description: string): Promise<ApiResponse> {
  return user.call('POST', '/v1/products', {
    body: { code, description, unit: 'und', unitPrice: '4.50', itbmsRate: '7' },
    headers: { 'idempotency-key': randomUUID() },
  });
}

/** Every page of `/v1/products?<query>`, following `nextCursor`. */
async function walk(owner: Session, query: string): Promise<ApiResponse[]> {
  const pages: ApiResponse[] = [];
  let cursor: string | null = null;
  do {
    const suffix: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page = await owner.call('GET', `/v1/products?${query}${suffix}`);
    expect(page.status, page.text).toBe(200);
    pages.push(page);
    cursor = page.body.data.nextCursor;
  } while (cursor && pages.length < 10);
  return pages;
}

const codesOf = (pages: ApiResponse[]) =>
  pages.flatMap((page) => page.body.data.items.map((p: Json) => p.code));

beforeAll(async () => {
  [user, outsider] = await Promise.all([session(0, 'USER'), session(1, 'USER')]);
});

describe('GET /v1/products?q=<one word>', () => {
  it('finds the word as a code and as a description, code matches first, each once across pages', async () => {
    // Prepare: by code and description, by code only, by description only, and neither.
    const saved = await Promise.all([
      create(word, `${descriptionWord} molido`),
      create(`${word}-GRANO`, `Grano ${run} de exportación`),
      create(`${word}TERA-1`, `${descriptionWord}tera`),
      create(`TE${run}`, `${descriptionWord} y té mezcla`),
      create(`TE${run}-VERDE`, `Té ${run} verde`),
    ]);
    expect(
      saved.map((response) => response.status),
      saved.map((r) => r.text).join('\n'),
    ).toEqual([201, 201, 201, 201, 201]);
    const q = encodeURIComponent(word.toLowerCase());

    // Act
    const whole = await user.call('GET', `/v1/products?q=${q}`);
    const byOne = await walk(user, `q=${q}&limit=1`);
    const byTwo = await walk(user, `q=${q}&limit=2`);
    const byDescription = await user.call('GET', `/v1/products?q=${q}&by=description`);
    const byCode = await user.call('GET', `/v1/products?q=${q}&by=code`);
    const elsewhere = await outsider.call('GET', `/v1/products?q=${q}`);
    const cursorElsewhere = await outsider.call(
      'GET',
      `/v1/products?q=${q}&limit=1&cursor=${encodeURIComponent(byOne[0]?.body.data.nextCursor)}`,
    );
    const cursorOfAnotherWord = await user.call(
      'GET',
      `/v1/products?q=${q}x&limit=1&cursor=${encodeURIComponent(byOne[0]?.body.data.nextCursor)}`,
    );

    // Assess
    const inOrder = [word, `${word}-GRANO`, `${word}TERA-1`, `TE${run}`];
    expect(whole.status, whole.text).toBe(200);
    expect(whole.body.data.items.map((p: Json) => p.code)).toEqual(inOrder);
    expect(whole.body.data.nextCursor).toBeNull();
    expect(codesOf(byOne)).toEqual(inOrder);
    expect(codesOf(byTwo)).toEqual(inOrder);
    // Every page that hands out a cursor is full; the last may be short, even empty (a Query whose Limit
    // ends at the index's end still answers a LastEvaluatedKey).
    for (const [limit, pages] of [
      [1, byOne],
      [2, byTwo],
    ] as const) {
      const handingOn = pages.filter((page) => page.body.data.nextCursor !== null);
      expect(handingOn.map((page) => page.body.data.items.length)).toEqual(handingOn.map(() => limit));
    }
    expect(byTwo[1]?.body.data.items.map((p: Json) => p.code)).toEqual([`${word}TERA-1`, `TE${run}`]);
    expect(byDescription.body.data.items.map((p: Json) => p.code)).toEqual([
      word,
      `TE${run}`,
      `${word}TERA-1`,
    ]);
    expect(byCode.body.data.items.map((p: Json) => p.code)).toEqual([word, `${word}-GRANO`, `${word}TERA-1`]);
    expect(elsewhere.body.data).toEqual({ items: [], nextCursor: null });
    expect([cursorElsewhere.status, cursorElsewhere.body.code]).toEqual([400, 'INVALID_CURSOR']);
    expect([cursorOfAnotherWord.status, cursorOfAnotherWord.body.code]).toEqual([400, 'INVALID_CURSOR']);
  });
});
