/**
 * The issue route's hand-off: its Idempotency-Key is claimed by the middleware before anything else, and the
 * number transaction completes that claim, so a second request with the key never allocates a number and
 * never waits for the first.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler as issue } from '#functions/api/documents/issue-document';
import { bodyHash, idempotencyKeyHash, idempotencyRepository } from '#shared/data/idempotency';
import { keys } from '#shared/data/keys';
import { IdempotencyKeyTakenError } from '#shared/data/numbering';
import { issueDocument } from '#shared/documents/issue';
import { FakeTable } from './fake-table.ts';
import { branch, exampleInvoice, hkaCredentialsItem, pointOfSale, tenantProfile } from './fixtures.ts';
import { apiEvent, lambdaContext, parseBody, setTestEnv, TENANT } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const sfn = mockClient(SFNClient);
const table = new FakeTable();

const post = (key: string) =>
  issue(
    apiEvent({
      httpMethod: 'POST',
      body: JSON.stringify(exampleInvoice()),
      headers: { 'Idempotency-Key': key, 'Content-Type': 'application/json' },
    }),
    lambdaContext,
  );
const counter = () => table.get(keys.seriesCounter(TENANT, '0000', '001'));

beforeEach(() => {
  ddb.reset();
  s3.reset();
  sfn.reset();
  table.clear();
  table.install(ddb);
  for (const item of [tenantProfile, branch, pointOfSale, hkaCredentialsItem]) table.put(item);
  s3.on(PutObjectCommand).resolves({});
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec' });
});

describe('POST /v1/documents with one Idempotency-Key', () => {
  it('5 concurrent requests: one document and one number; the others answer 409 in progress without allocating', async () => {
    // Act
    const responses = await Promise.all(Array.from({ length: 5 }, () => post('same-key')));
    const replay = await post('same-key');

    // Assess
    const accepted = responses.filter((response) => response.statusCode === 202);
    expect(accepted).toHaveLength(1);
    for (const response of responses.filter((candidate) => candidate.statusCode !== 202)) {
      expect(response.statusCode).toBe(409);
      expect(parseBody(response).code).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
    }
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(1);
    expect(counter()?.lastNumber).toBe(1);
    const id = (parseBody(accepted[0]!).data as { id: string }).id;
    expect(replay.statusCode).toBe(202);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect((parseBody(replay).data as { id: string }).id).toBe(id);
    expect(
      table.get(keys.idempotency(TENANT, idempotencyKeyHash('issueDocument', 'same-key'))),
    ).toMatchObject({
      status: 'COMPLETED',
      statusCode: 202,
    });
  });

  it('a refused document releases the key: the corrected retry with the same key is accepted', async () => {
    // Prepare
    const invalid = { ...exampleInvoice(), receiver: { type: 'taxpayer' } };

    // Act
    const refused = await issue(
      apiEvent({
        httpMethod: 'POST',
        body: JSON.stringify(invalid),
        headers: { 'Idempotency-Key': 'fix-me' },
      }),
      lambdaContext,
    );
    const sameBodyAgain = await issue(
      apiEvent({
        httpMethod: 'POST',
        body: JSON.stringify(invalid),
        headers: { 'Idempotency-Key': 'fix-me' },
      }),
      lambdaContext,
    );

    // Assess
    expect(refused.statusCode).toBe(422);
    expect(sameBodyAgain.statusCode).toBe(422);
    expect(
      table.get(keys.idempotency(TENANT, idempotencyKeyHash('issueDocument', 'fix-me'))),
    ).toBeUndefined();
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('a claim taken over before the transaction cancels it: no document, its number voided with the reason', async () => {
    // Prepare: our claim lapsed and another request holds the key now.
    const input = exampleInvoice();
    const scope = { tenantId: TENANT, operation: 'issueDocument', key: 'k', bodyHash: bodyHash(input) };
    const ours = await idempotencyRepository.claim(scope, { lockMs: 1, now: new Date(Date.now() - 1000) });
    if (ours.kind !== 'claimed') throw new Error('not claimed');
    const theirs = await idempotencyRepository.claim(scope, { lockMs: 10_000 });
    expect(theirs.kind).toBe('claimed');

    // Act
    const outcome = issueDocument(
      { tenantId: TENANT, actor: { type: 'user', id: 'user-1', email: undefined }, roles: ['USER'] },
      input,
      {
        idempotency: {
          scope: ours.claim,
          storedResponse: () => ({ statusCode: 202, headers: {}, body: '{}' }),
        },
      },
    );

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(IdempotencyKeyTakenError);
    expect(counter()?.lastNumber).toBe(1);
    expect(table.get(keys.numberClaim(TENANT, '0000', '001', '0000000001'))).toMatchObject({
      status: 'VOID',
      voidReason: 'IDEMPOTENCY_KEY_TAKEN',
    });
    expect((await idempotencyRepository.get(scope))?.status).toBe('IN_PROGRESS');
  });
});
