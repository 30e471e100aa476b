import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler as getDocument } from '#functions/api/documents/get-document';
import { handler as issueDocument } from '#functions/api/documents/issue-document';
import { handler as prepareDocument } from '#functions/pipeline/prepare-document';
import {
  branch,
  documentRecord,
  exampleInvoice,
  hkaCredentialsItem,
  pointOfSale,
  tenantProfile,
} from './fixtures.ts';
import { apiEvent, claims, lambdaContext, parseBody, setTestEnv, TENANT } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const sfn = mockClient(SFNClient);

beforeEach(() => {
  ddb.reset();
  s3.reset();
  sfn.reset();
  const items: Record<string, unknown>[] = [tenantProfile, branch, pointOfSale, hkaCredentialsItem];
  ddb.on(GetCommand).callsFake((input: { Key: { pk: string; sk: string } }) => ({
    Item: items.find((i) => i.pk === input.Key.pk && i.sk === input.Key.sk),
  }));
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  s3.on(PutObjectCommand).resolves({});
  sfn.on(StartExecutionCommand).resolves({});
});

describe('function adapters', () => {
  it('POST /v1/documents answers 202 with the document and its Location; the idempotency record is in the transaction', async () => {
    const res = await issueDocument(
      apiEvent({
        httpMethod: 'POST',
        body: JSON.stringify(exampleInvoice()),
        headers: { 'Idempotency-Key': 'abc-123', 'Content-Type': 'application/json' },
      }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(202);
    const body = parseBody(res) as { success: boolean; data: { id: string; status: string } };
    expect(body.data.status).toBe('PROCESSING');
    expect(res.headers.location).toBe(`/v1/documents/${body.data.id}`);
    const tx = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    const stored = tx[4]!.Put!.Item!.response;
    expect(stored.statusCode).toBe(202);
    expect(stored.headers.location).toBe(`/v1/documents/${body.data.id}`);
    expect(JSON.parse(stored.body)).toEqual(body);
    // Not written a second time by the middleware.
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('POST /v1/documents answers 422 with field paths for an invalid document', async () => {
    const input = { ...exampleInvoice(), receiver: { type: 'taxpayer' } };
    const res = await issueDocument(
      apiEvent({ httpMethod: 'POST', body: JSON.stringify(input), headers: { 'Idempotency-Key': 'k2' } }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(422);
    const details = parseBody(res).details!.map((d) => d.path);
    expect(details.some((p) => p.startsWith('receiver.'))).toBe(true);
  });

  it('GET /v1/documents/{id} of another tenant answers 404', async () => {
    const res = await getDocument(
      apiEvent({
        pathParameters: { id: '01KAQ0000000000000000000AB' },
        claims: claims({ 'custom:tenantId': 'someone-else', 'cognito:groups': '[OPERATOR]' }),
      }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(404);
    expect(ddb.commandCalls(GetCommand)[0]!.args[0].input.Key!.pk).toBe(
      'T#someone-else#DOC#01KAQ0000000000000000000AB',
    );
  });

  it('pipeline handlers take and return the state', async () => {
    const doc = documentRecord();
    ddb.on(GetCommand).resolves({ Item: doc });
    const out = await prepareDocument({ tenantId: TENANT, documentId: doc.documentId }, lambdaContext);
    expect(out).toEqual({ tenantId: TENANT, documentId: doc.documentId, channel: 'hka-integration' });
  });
});
