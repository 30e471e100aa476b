import { brotliDecompressSync } from 'node:zlib';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler as getDocument } from '#functions/api/documents/get-document';
import { handler as issueDocument } from '#functions/api/documents/issue-document';
import { handler as endAttemptTask } from '#functions/pipeline/end-attempt';
import { handler as finalizeDocumentTask } from '#functions/pipeline/finalize-document';
import { handler as submitToHkaTask } from '#functions/pipeline/submit-to-hka';
import { documentItem } from '#shared/data/documents';
import { FakeTable } from './fake-table.ts';
import {
  branch,
  documentRecord,
  exampleInvoice,
  hkaCredentialsItem,
  pointOfSale,
  tenantProfile,
} from './fixtures.ts';
import { apiEvent, lambdaContext, parseBody, principal, setTestEnv, TENANT } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const sfn = mockClient(SFNClient);
const events = mockClient(EventBridgeClient);

beforeEach(() => {
  ddb.reset();
  s3.reset();
  sfn.reset();
  events.reset();
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
  const items: Record<string, unknown>[] = [tenantProfile, branch, pointOfSale, hkaCredentialsItem];
  ddb.on(GetCommand).callsFake((input: { Key: { pk: string; sk: string } }) => ({
    Item: items.find((i) => i.pk === input.Key.pk && i.sk === input.Key.sk),
  }));
  // The series counter's increment answers 1; no folio quota exists (its conditional debit fails).
  ddb.on(UpdateCommand).callsFake((input: { Key: { sk: string } }) => {
    if (input.Key.sk === 'COUNTER') return { Attributes: { lastNumber: 1 } };
    throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
  });
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
    const stored = tx[3]!.Put!.Item!;
    expect(stored.statusCode).toBe(202);
    expect(stored.headers.location).toBe(`/v1/documents/${body.data.id}`);
    expect(JSON.parse(brotliDecompressSync(stored.body).toString('utf8'))).toEqual(body);
    // Completed by the transaction, not a second time by the middleware: its only write is the claim.
    const puts = ddb.commandCalls(PutCommand).map((call) => call.args[0].input.Item);
    expect(puts).toEqual([expect.objectContaining({ status: 'IN_PROGRESS', pk: tx[3]!.Put!.Item!.pk })]);
    expect(tx[3]!.Put!.ExpressionAttributeValues?.[':owner']).toBe(puts[0]?.owner);
    // The document's first attempt is claimed with it and started.
    expect(tx[1]!.Put!.Item).toMatchObject({ attempt: 1, status: 'PROCESSING' });
    expect(JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.input!)).toEqual({
      tenantId: TENANT,
      documentId: body.data.id,
      attempt: 1,
      channel: 'hka-integration',
      environment: 'demo',
      probe: false,
    });
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
        authorizer: principal({ tenantId: 'someone-else', roles: '[OPERATOR]' }),
      }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(404);
    expect(ddb.commandCalls(GetCommand)[0]!.args[0].input.Key!.pk).toBe(
      'T#someone-else#DOC#01KAQ0000000000000000000AB',
    );
  });
});

describe('issuing workflow task adapters', () => {
  const table = new FakeTable();
  const state = {
    tenantId: TENANT,
    documentId: '01KAQ0000000000000000000AB',
    attempt: 1,
    channel: 'hka-integration' as const,
    executionId: 'arn:aws:states:us-east-1:111111111111:express:issuing:e1:run-1',
  };

  beforeEach(() => {
    ddb.reset();
    table.clear();
    table.install(ddb);
  });

  it('take the whole state and return it with their own fields added', async () => {
    table.put(documentItem(documentRecord()));
    const error = {
      Error: 'HkaTransientError',
      Cause: JSON.stringify({ errorType: 'HkaTransientError', errorMessage: 'HKA Enviar sent, no answer' }),
    };
    const out = await endAttemptTask({ ...state, error }, lambdaContext);
    expect(out).toEqual({ ...state, error, outcome: 'waiting' });
  });

  it('let errors through unchanged, so the workflow matches Retry and Catch on their name', async () => {
    table.put(documentItem(documentRecord({ attempt: 2 })));
    await expect(submitToHkaTask(state, lambdaContext)).rejects.toMatchObject({
      name: 'AttemptSupersededError',
    });
    await expect(finalizeDocumentTask(state, lambdaContext)).rejects.toMatchObject({
      name: 'PipelineStateError',
    });
  });
});
