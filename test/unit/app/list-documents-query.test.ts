/**
 * GET /v1/documents: whatever the query string holds, the answer is a page or a 4xx in the error envelope,
 * never a DynamoDB ValidationException (a 500). Cursors are sealed to their tenant and listing; date
 * filters have one strict form. The listing indexes behind the handler refuse what DynamoDB refuses
 * (./listing-index.ts).
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler as listDocuments } from '#functions/api/documents/list-documents';
import { apiEvent, lambdaContext, parseBody, principal, setTestEnv, TENANT } from './helpers.ts';
import { ListingIndex } from './listing-index.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
mockClient(SecretsManagerClient).resolves({ SecretString: JSON.stringify({ cursorSecret: 's'.repeat(64) }) });

const OTHER_TENANT = 'tenant-b';
const index = new ListingIndex();
index.seed(TENANT, 40);
index.seed(OTHER_TENANT, 40);

beforeEach(() => {
  ddb.reset();
  index.install(ddb);
});

async function list(query: Record<string, string> | null, tenantId: string = TENANT) {
  const response = await listDocuments(
    apiEvent({ queryStringParameters: query, authorizer: principal({ tenantId: tenantId }) }),
    lambdaContext,
  );
  return { status: response.statusCode, body: parseBody(response) };
}

const base64Json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A cursor the service handed out for `query` (its first page). */
async function cursorOf(query: Record<string, string>, tenantId: string = TENANT): Promise<string> {
  const page = await list({ ...query, limit: '2' }, tenantId);
  const cursor = (page.body.data as { nextCursor: string | null }).nextCursor;
  if (!cursor) throw new Error(`no next page for ${JSON.stringify(query)}`);
  return cursor;
}

describe('list cursors', () => {
  it('a cursor the service handed out resumes the same listing after the last item', async () => {
    // Prepare
    const first = await list({ limit: '2' });
    const cursor = (first.body.data as { nextCursor: string }).nextCursor;

    // Act
    const second = await list({ limit: '2', cursor });

    // Assess
    const ids = (page: typeof first) =>
      (page.body.data as { items: Array<{ id: string }> }).items.map((d) => d.id);
    expect(second.status).toBe(200);
    expect(ids(first)).toHaveLength(2);
    expect(ids(second)).toHaveLength(2);
    expect(ids(second).some((id) => ids(first).includes(id))).toBe(false);
  });

  it.each([
    ['its own partition key only', { gsi1pk: `T#${TENANT}#DOCS` }],
    ['empty keys', { gsi1pk: `T#${TENANT}#DOCS`, gsi1sk: '', pk: '', sk: '' }],
    [
      'a complete key in the caller’s partition',
      {
        gsi1pk: `T#${TENANT}#DOCS`,
        gsi1sk: '2026-11-01T01:00:00-05:00#x',
        pk: `T#${TENANT}#DOC#x`,
        sk: 'DOC',
      },
    ],
  ])('a crafted cursor (%s) is a 400 INVALID_CURSOR, before any query', async (_, key) => {
    // Act
    const answer = await list({ cursor: base64Json(key) });

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ success: false, code: 'INVALID_CURSOR' });
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('a cursor is refused by another tenant, by another listing, and once altered', async () => {
    // Prepare
    const plain = await cursorOf({});
    const authorized = await cursorOf({ status: 'AUTHORIZED' });
    const [version, payload, mac] = plain.split('.') as [string, string, string];
    const key = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, string>;
    const altered = `${version}.${base64Json({ ...key, gsi1sk: '2026-11-30T23:00:00-05:00#z' })}.${mac}`;
    ddb.resetHistory();

    // Act
    const answers = await Promise.all([
      list({ cursor: plain }, OTHER_TENANT),
      list({ cursor: authorized, status: 'REJECTED' }),
      list({ cursor: plain, from: '2026-11-02' }),
      list({ cursor: altered }),
      list({ cursor: `${version}.${payload}.${'A'.repeat(43)}` }),
    ]);

    // Assess
    for (const answer of answers)
      expect(answer).toMatchObject({ status: 400, body: { code: 'INVALID_CURSOR' } });
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });
});

describe('date filters', () => {
  it('5,000 digits in from is a 422 on query.from, not a DynamoDB error', async () => {
    // Act
    const answers = await Promise.all([
      list({ from: '1'.repeat(5000) }),
      list({ from: `2026-11-22T${'1'.repeat(5000)}` }),
    ]);

    // Assess
    for (const answer of answers) {
      expect(answer.status).toBe(422);
      expect(answer.body.details?.map((d) => d.path)).toEqual(['query.from']);
    }
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it.each([
    '2026-11-22',
    '2026-11-22T10:30:00-05:00',
    '2026-11-22T15:30:00Z',
    '2026-11-22T15:30:00.250+00:00',
  ])('accepts %s', async (from) => {
    expect((await list({ from })).status).toBe(200);
  });

  it.each([
    '2026-11-31',
    '2026-11-22T10:30',
    '2026-11-22T10:30:00',
    '22/11/2026',
    '2026-11-22T25:00:00Z',
    '2026-1-2',
  ])('refuses %s with a 422', async (from) => {
    const answer = await list({ from });
    expect(answer.status).toBe(422);
    expect(answer.body.details?.[0]?.path).toBe('query.from');
  });

  it('compares in Panama time: 15:30Z is 10:30 in Panama, and a range ending before it starts is a 422', async () => {
    // Act
    await list({ from: '2026-11-01T15:30:00Z', to: '2026-11-02' });
    const query = ddb.commandCalls(QueryCommand)[0]!.args[0].input;
    const reversed = await list({ from: '2026-11-02', to: '2026-11-01T23:59:59-05:00' });

    // Assess
    expect(query.ExpressionAttributeValues).toMatchObject({
      ':from': '2026-11-01T10:30:00-05:00',
      ':to': '2026-11-02~',
    });
    expect(reversed.status).toBe(422);
    expect(reversed.body.details?.map((d) => d.path)).toEqual(['query.to']);
  });
});

describe('the query string, fuzzed', () => {
  it('never provokes a DynamoDB ValidationException: a page or a 4xx envelope, and a 4xx reads nothing', async () => {
    // Prepare: cursors of several listings and tenants, crafted keys, dates, and arbitrary strings
    const cursors = await Promise.all([
      cursorOf({}),
      cursorOf({ status: 'AUTHORIZED' }),
      cursorOf({ from: '2026-11-01' }),
      cursorOf({}, OTHER_TENANT),
    ]);
    const crafted = fc
      .dictionary(
        fc.constantFrom('pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'x'),
        fc.oneof(fc.string(), fc.constant(`T#${TENANT}#DOCS`)),
      )
      .map((key) => base64Json(key));
    const sealedLike = fc.tuple(fc.constantFrom(...cursors), fc.string()).map(([c, junk]) => `${c}${junk}`);
    const date = fc.oneof(
      fc
        .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString()),
      fc
        .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
      fc.stringMatching(/^\d{4}-\d{2}-\d{2}T[\d:.+-]{0,40}$/),
      fc.string({ unit: fc.constantFrom('0', '9', '-', ':', 'T', 'Z', '+', '.'), maxLength: 60 }),
    );
    const value = {
      status: fc.oneof(fc.constantFrom('AUTHORIZED', 'PROCESSING', 'FAILED', 'authorized', ''), fc.string()),
      type: fc.oneof(fc.constantFrom('invoice', 'credit-note', 'constructor', '__proto__'), fc.string()),
      from: fc.oneof(date, fc.string({ maxLength: 6000 })),
      to: fc.oneof(date, fc.string()),
      branch: fc.oneof(fc.constantFrom('0000', '0001', 'ZZZZ'), fc.string()),
      pointOfSale: fc.oneof(fc.constantFrom('001', '000', '999'), fc.string()),
      receiverRuc: fc.oneof(
        fc.constantFrom('155596713-2-2015', ''),
        fc.string({ unit: 'binary', maxLength: 30 }),
      ),
      limit: fc.oneof(
        fc.integer({ min: -5, max: 200 }).map(String),
        fc.constantFrom('1e2', 'NaN', 'Infinity', ' 7 ', '0x10'),
        fc.string(),
      ),
      cursor: fc.oneof(fc.constantFrom(...cursors), crafted, sealedLike, fc.string({ maxLength: 3000 })),
      extra: fc.string(),
    };
    /** Present in `present` of `present + absent` cases. */
    const sometimes = <T>(arbitrary: fc.Arbitrary<T>, present: number, absent: number) =>
      fc.oneof(
        { arbitrary: fc.constant(undefined), weight: absent },
        { arbitrary: arbitrary as fc.Arbitrary<T | undefined>, weight: present },
      );
    const query = fc.record({
      status: sometimes(value.status, 1, 1),
      type: sometimes(value.type, 1, 2),
      from: sometimes(value.from, 1, 1),
      to: sometimes(value.to, 1, 1),
      branch: sometimes(value.branch, 1, 2),
      pointOfSale: sometimes(value.pointOfSale, 1, 2),
      receiverRuc: sometimes(value.receiverRuc, 1, 2),
      limit: sometimes(value.limit, 1, 1),
      cursor: sometimes(value.cursor, 1, 1),
      extra: sometimes(value.extra, 1, 12),
    });
    const tenant = fc.constantFrom(TENANT, OTHER_TENANT);
    const statuses = new Map<number, number>();

    // Act & Assess
    await fc.assert(
      fc.asyncProperty(query, tenant, async (params, tenantId) => {
        ddb.resetHistory();
        const { extra, ...fields } = params;
        const declared = Object.fromEntries(
          Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined),
        );
        const answer = await list(
          extra === undefined ? declared : { ...declared, [extra || 'x']: 'y' },
          tenantId,
        );
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        expect([200, 400, 422], JSON.stringify(answer.body)).toContain(answer.status);
        if (answer.status !== 200) {
          expect(answer.body).toMatchObject({
            success: false,
            code: expect.any(String),
            details: expect.any(Array),
          });
          expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
        }
      }),
      { numRuns: 1500 },
    );
    console.log('[list fuzz] 1500 query strings, answers by status:', Object.fromEntries(statuses));
    expect(statuses.get(200)).toBeGreaterThan(20);
  });
});
