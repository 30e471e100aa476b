import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { getDocument, getDownloadUrl, listDocuments } from '#shared/documents/queries';
import { BadRequestError, ConflictError, NotFoundError } from '#shared/errors';
import type { TenantContext } from '#shared/tenancy/context';
import { documentRecord } from './fixtures.ts';
import { setTestEnv, TENANT } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
// Presigning never calls S3; the mock only guarantees no request leaves the test.
mockClient(S3Client);
// The cursor secret (shared/config/secrets.ts).
mockClient(SecretsManagerClient).resolves({ SecretString: JSON.stringify({ cursorSecret: 'k'.repeat(64) }) });

const ctx: TenantContext = {
  tenantId: TENANT,
  actor: { type: 'user', id: 'u', email: undefined },
  roles: ['OPERATOR'],
};
const prefix = `tenants/${TENANT}/documents/01KAQ0000000000000000000AB`;

beforeEach(() => ddb.reset());

describe('document queries', () => {
  it('reads only inside the caller’s tenant and answers 404 otherwise', async () => {
    ddb.on(GetCommand).resolves({});
    await expect(getDocument(ctx, '01KAQ0000000000000000000AB')).rejects.toBeInstanceOf(NotFoundError);
    expect(ddb.commandCalls(GetCommand)[0]!.args[0].input.Key).toEqual({
      pk: `T#${TENANT}#DOC#01KAQ0000000000000000000AB`,
      sk: 'DOC',
    });
    await expect(getDocument(ctx, '../../etc/passwd')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('presigns a short-lived GET for the archived XML, checksum-free', async () => {
    ddb.on(GetCommand).resolves({
      Item: documentRecord({
        status: 'AUTHORIZED',
        artifacts: { xmlKey: `${prefix}/rfe.xml`, pdfKey: `${prefix}/cafe.pdf` },
      }),
    });
    const now = new Date('2026-11-22T12:00:00Z');
    const link = await getDownloadUrl(ctx, '01KAQ0000000000000000000AB', 'xml', now);
    const url = new URL(link.url);
    expect(url.pathname).toContain(`${prefix}/rfe.xml`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.search.toLowerCase()).not.toContain('checksum');
    expect(link.expiresAt).toBe('2026-11-22T12:05:00.000Z');
  });

  it('answers 409 before the document is authorized', async () => {
    ddb.on(GetCommand).resolves({ Item: documentRecord() });
    await expect(getDownloadUrl(ctx, '01KAQ0000000000000000000AB', 'pdf')).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it('never serves a key outside the tenant prefix', async () => {
    ddb.on(GetCommand).resolves({
      Item: documentRecord({ artifacts: { xmlKey: 'tenants/other/documents/x/rfe.xml', pdfKey: 'x' } }),
    });
    await expect(getDownloadUrl(ctx, '01KAQ0000000000000000000AB', 'xml')).rejects.toThrow(
      /outside its tenant prefix/,
    );
  });

  it('lists by status through gsi2, newest first, then reads the page’s items; the cursor resumes after the last', async () => {
    const docs = [1, 2, 3].map((n) =>
      documentRecord({ documentId: `01KAQ00000000000000000000${n}`, status: 'AUTHORIZED' }),
    );
    // What gsi2 projects: the keys and the listing filters' attributes, not the documents.
    const indexItems = docs.map((doc, n) => ({
      pk: `T#${TENANT}#DOC#${doc.documentId}`,
      sk: 'DOC',
      gsi2pk: `T#${TENANT}#STATUS#AUTHORIZED`,
      gsi2sk: `2026-11-22#${n + 1}`,
      type: doc.type,
      branch: doc.branch,
      pointOfSale: doc.pointOfSale,
    }));
    const full = docs.map((doc) => ({
      ...doc,
      pk: `T#${TENANT}#DOC#${doc.documentId}`,
      sk: 'DOC',
      gsi2pk: 'x',
    }));
    ddb.on(QueryCommand).resolves({ Items: indexItems, LastEvaluatedKey: undefined });
    // BatchGetItem answers in any order.
    ddb.on(BatchGetCommand).resolves({ Responses: { 'factu-test': [full[1]!, full[0]!] } });

    const page = await listDocuments(ctx, { status: 'AUTHORIZED', limit: 2 });

    expect(page.items.map((d) => d.id)).toEqual(['01KAQ000000000000000000001', '01KAQ000000000000000000002']);
    const query = ddb.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(query.IndexName).toBe('gsi2');
    expect(query.ScanIndexForward).toBe(false);
    expect(query.ExpressionAttributeValues?.[':pk']).toBe(`T#${TENANT}#STATUS#AUTHORIZED`);
    expect(ddb.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems).toEqual({
      'factu-test': { Keys: indexItems.slice(0, 2).map(({ pk, sk }) => ({ pk, sk })) },
    });
    expect(page.nextCursor).toBeTruthy();

    ddb.reset();
    ddb.on(QueryCommand).resolves({ Items: [indexItems[2]!] });
    ddb.on(BatchGetCommand).resolves({ Responses: { 'factu-test': [full[2]!] } });
    await listDocuments(ctx, { status: 'AUTHORIZED', limit: 2, cursor: page.nextCursor! });
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input.ExclusiveStartKey).toMatchObject({
      gsi2sk: '2026-11-22#2',
    });
  });

  it('refuses a cursor of another partition', async () => {
    const forged = Buffer.from(
      JSON.stringify({ gsi1pk: 'T#other#DOCS', gsi1sk: 'x', pk: 'a', sk: 'b' }),
    ).toString('base64url');
    await expect(listDocuments(ctx, { limit: 10, cursor: forged })).rejects.toBeInstanceOf(BadRequestError);
    await expect(listDocuments(ctx, { limit: 10, cursor: 'not-base64-json' })).rejects.toBeInstanceOf(
      BadRequestError,
    );
  });

  it('filters by date range on the sort key and by branch in the tenant partition', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    await listDocuments(ctx, { from: '2026-11-01', to: '2026-11-30', branch: '0001', limit: 10 });
    const query = ddb.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(query.IndexName).toBe('gsi1');
    expect(query.KeyConditionExpression).toContain('BETWEEN');
    expect(query.ExpressionAttributeValues).toMatchObject({
      ':pk': `T#${TENANT}#DOCS`,
      ':from': '2026-11-01',
      ':to': '2026-11-30~',
    });
    expect(query.FilterExpression).toBeDefined();
  });
});
