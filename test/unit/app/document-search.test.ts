/**
 * Document search below the HTTP layer: the query parameters' forms, the filters applied to what a search
 * finds, the name-index entry every document with a receiver name carries, and the keys each search reads.
 * The end-to-end behaviour (real index, real claims) is test/integration/document-search.test.ts.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { documentItem } from '#shared/data/documents';
import { listDocumentsQuery } from '#shared/documents/api';
import { matchesSearch } from '#shared/documents/document-filters';
import { listDocuments } from '#shared/documents/queries';
import type { TenantContext } from '#shared/tenancy/context';
import { documentRecord } from './fixtures.ts';
import { setTestEnv, TENANT } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
mockClient(SecretsManagerClient).resolves({ SecretString: JSON.stringify({ cursorSecret: 'k'.repeat(64) }) });
beforeEach(() => ddb.reset());

const ctx: TenantContext = {
  tenantId: TENANT,
  actor: { type: 'user', id: 'u', email: undefined },
  roles: ['OPERATOR'],
};
const CUFE = 'FE0120000155596713-2-2015-5900002026112200000000420010121234567898';
const query = (raw: Record<string, string>) => listDocumentsQuery.parse(raw);

describe('search parameters', () => {
  it.each([
    ['q', 'a', 'query.q'],
    ['q', ' -- a ', 'query.q'],
    ['q', 'x'.repeat(201), 'query.q'],
    ['number', '12345678901', 'query.number'],
    ['number', '12a', 'query.number'],
    ['cufe', 'FE01', 'query.cufe'],
    ['cufe', CUFE.toLowerCase(), 'query.cufe'],
  ])('refuses %s=%s', (name, value) => {
    const parsed = listDocumentsQuery.safeParse({ [name]: value });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual([name]);
  });

  it('takes a two-letter name, pads a number to 10 digits and takes a CUFE as it is', () => {
    expect(query({ q: 'Ñu' }).q).toBe('Ñu');
    expect(query({ number: '42' }).number).toBe('0000000042');
    expect(query({ cufe: CUFE }).cufe).toBe(CUFE);
  });
});

describe('the name-index entry of a document', () => {
  it('is the folded receiver name, then the emission date and id', () => {
    const item = documentItem(documentRecord({ receiver: { type: 'taxpayer', name: 'Peña & Hijos, S.A.' } }));
    expect(item).toMatchObject({
      gsi5pk: `T#${TENANT}#DOCS#RECEIVER`,
      gsi5sk: `pena hijos s a#${item.issuedAt}#${item.documentId}`,
    });
  });

  it('is absent without a receiver name', () => {
    const item = documentItem(documentRecord({ receiver: { type: 'final-consumer' } }));
    expect(item).not.toHaveProperty('gsi5pk');
    expect(item).not.toHaveProperty('gsi5sk');
  });
});

describe('matchesSearch', () => {
  const doc = documentRecord({
    status: 'AUTHORIZED',
    number: '0000000042',
    cufe: CUFE,
    issuedAt: '2026-11-22T12:00:00-05:00',
    receiver: { type: 'taxpayer', name: 'DISTRIBUIDORA ÉXITO, S.A.' },
  });

  it.each([
    [{}, {}, true],
    [{ namePrefix: 'distribuidora exito' }, {}, true],
    [{ namePrefix: 'exito' }, {}, false],
    [{ number: '0000000042', cufe: CUFE }, { status: 'AUTHORIZED' as const }, true],
    [{ number: '0000000043' }, {}, false],
    [{}, { status: 'REJECTED' as const }, false],
    [{}, { from: '2026-11-22', to: '2026-11-22' }, true],
    [{}, { from: '2026-11-23' }, false],
    [{}, { to: '2026-11-21' }, false],
    [{}, { branch: '0001' }, false],
  ])('search %j with filters %j → %s', (search, filters, expected) => {
    expect(matchesSearch(doc, search, filters)).toBe(expected);
  });
});

describe('listDocuments searches', () => {
  it('q: queries the name index by the folded prefix and keeps the documents every filter accepts', async () => {
    // Prepare
    const authorized = documentRecord({
      documentId: '01KAQ0000000000000000000A1',
      status: 'AUTHORIZED',
      receiver: { name: 'Ñandú S.A.' },
    });
    const rejected = documentRecord({
      documentId: '01KAQ0000000000000000000A2',
      status: 'REJECTED',
      receiver: { name: 'Nandu S.A.' },
    });
    ddb.on(QueryCommand).resolves({
      Items: [authorized, rejected].map((doc) => ({ ...documentItem(doc) })),
    });
    ddb
      .on(BatchGetCommand)
      .resolves({ Responses: { 'factu-test': [documentItem(authorized), documentItem(rejected)] } });

    // Act
    const page = await listDocuments(ctx, query({ q: 'ÑANDU', status: 'AUTHORIZED', pointOfSale: '001' }));

    // Assess
    const input = ddb.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(input.IndexName).toBe('gsi5');
    expect(input.KeyConditionExpression).toBe('#gpk = :pk AND begins_with(#gsk, :prefix)');
    expect(input.ExpressionAttributeValues).toMatchObject({
      ':pk': `T#${TENANT}#DOCS#RECEIVER`,
      ':prefix': 'nandu',
      ':ff0': '001',
    });
    expect(page.items.map((item) => item.id)).toEqual([authorized.documentId]);
    expect(page.nextCursor).toBeNull();
  });

  it('number with branch and point of sale: reads that series’ claim only', async () => {
    // Prepare
    const doc = documentRecord({ number: '0000000042' });
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: {
          'factu-test': [{ pk: 'x', sk: 'NUMBER#0000000042', documentId: doc.documentId, status: 'ISSUED' }],
        },
      })
      .resolves({ Responses: { 'factu-test': [documentItem(doc)] } });

    // Act
    const page = await listDocuments(ctx, query({ number: '42', branch: '0000', pointOfSale: '001' }));

    // Assess
    const claims = ddb.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems?.['factu-test']?.Keys;
    expect(claims).toEqual([{ pk: `T#${TENANT}#SERIES#0000#001`, sk: 'NUMBER#0000000042' }]);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
    expect(page.items.map((item) => item.number)).toEqual(['0000000042']);
  });

  it('number alone: reads the claim in every series of the registry; a VOID claim has no document', async () => {
    // Prepare
    ddb.on(QueryCommand).resolves({
      Items: [
        { code: '0000' },
        { branchCode: '0000', code: '001' },
        { code: '0001' },
        { branchCode: '0001', code: '002' },
      ],
    });
    ddb.on(BatchGetCommand).resolvesOnce({
      Responses: {
        'factu-test': [{ pk: 'x', sk: 'NUMBER#0000000007', documentId: 'never', status: 'VOID' }],
      },
    });

    // Act
    const page = await listDocuments(ctx, query({ number: '7' }));

    // Assess
    const claims = ddb.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems?.['factu-test']?.Keys;
    expect(claims).toEqual([
      { pk: `T#${TENANT}#SERIES#0000#001`, sk: 'NUMBER#0000000007' },
      { pk: `T#${TENANT}#SERIES#0001#002`, sk: 'NUMBER#0000000007' },
    ]);
    expect(page.items).toEqual([]);
  });

  it('cufe and number answer in one page: a cursor with them is refused', async () => {
    await expect(listDocuments(ctx, query({ cufe: CUFE, cursor: 'v1.x.y' }))).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
    });
  });
});
