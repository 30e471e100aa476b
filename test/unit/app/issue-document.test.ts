import { brotliDecompressSync } from 'node:zlib';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
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
import { bodyHash } from '#shared/data/idempotency';
import { inFlightPartition, inFlightShard } from '#shared/data/keys';
import { IdempotencyKeyTakenError } from '#shared/data/numbering';
import { issueDocument } from '#shared/documents/issue';
import { ConflictError, ValidationError } from '#shared/errors';
import type { TenantContext } from '#shared/tenancy/context';
import { branch, exampleInvoice, hkaCredentialsItem, pointOfSale, tenantProfile } from './fixtures.ts';
import { setTestEnv, TENANT } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const sfn = mockClient(SFNClient);

const ctx: TenantContext = {
  tenantId: TENANT,
  actor: { type: 'user', id: 'user-1', email: 'u@a.pa' },
  roles: ['USER'],
};
const now = new Date('2026-11-22T15:00:00Z');

/** Tenant items to read; the series counter starts at 0 and no folio quota exists (nothing to debit). */
function seed(items: Record<string, unknown>[]) {
  ddb.on(GetCommand).callsFake((input: { Key: { pk: string; sk: string } }) => {
    return { Item: items.find((item) => item.pk === input.Key.pk && item.sk === input.Key.sk) };
  });
  let lastNumber = 0;
  ddb.on(UpdateCommand).callsFake((input: { Key: { sk: string } }) => {
    if (input.Key.sk === 'COUNTER') return { Attributes: { lastNumber: ++lastNumber } };
    throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
  });
}

const canceled = (codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

beforeEach(() => {
  ddb.reset();
  s3.reset();
  sfn.reset();
  s3.on(PutObjectCommand).resolves({});
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec' });
  ddb.on(TransactWriteCommand).resolves({});
  seed([tenantProfile, branch, pointOfSale, hkaCredentialsItem]);
});

describe('issueDocument', () => {
  it('allocates the number, creates the document with its idempotency record atomically and starts the pipeline', async () => {
    const input = exampleInvoice();
    const scope = {
      tenantId: TENANT,
      operation: 'issueDocument',
      key: 'k1',
      bodyHash: bodyHash(input),
      owner: 'request-1',
      lockedUntil: now.getTime() + 10_000,
    };
    const doc = await issueDocument(ctx, input, {
      now,
      idempotency: {
        scope,
        storedResponse: (d) => ({ statusCode: 202, headers: {}, body: JSON.stringify(d) }),
      },
    });

    expect(doc).toMatchObject({
      type: 'invoice',
      status: 'PROCESSING',
      branch: '0000',
      pointOfSale: '001',
      number: '0000000001',
      cufe: null,
      totals: { total: '4.65', itbms: '0.25' },
    });

    const counter = ddb.commandCalls(UpdateCommand).find((c) => c.args[0].input.Key!.sk === 'COUNTER')!;
    expect(counter.args[0].input.Key).toEqual({ pk: `T#${TENANT}#SERIES#0000#001`, sk: 'COUNTER' });
    const tx = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(tx).toHaveLength(4);
    expect(tx[0]!.Put?.Item).toMatchObject({ sk: 'NUMBER#0000000001', status: 'ISSUED', documentId: doc.id });
    // The first attempt is claimed with the document: if it never starts, the re-drive sweep starts it.
    const leaseUntil = '2026-11-22T15:01:30.000Z';
    expect(tx[1]!.Put?.Item).toMatchObject({
      pk: `T#${TENANT}#DOC#${doc.id}`,
      status: 'PROCESSING',
      gsi1pk: `T#${TENANT}#DOCS`,
      gsi2pk: `T#${TENANT}#STATUS#PROCESSING`,
      issuer: { ruc: tenantProfile.ruc, branchCode: '0000' },
      attempt: 1,
      leaseUntil,
      gsi4pk: inFlightPartition(inFlightShard(doc.id)),
      gsi4sk: `${leaseUntil}#${TENANT}#${doc.id}`,
    });
    expect(tx[1]!.Put?.Item).not.toHaveProperty('attemptOwner');
    expect(tx[3]!.Put?.Item?.pk).toMatch(new RegExp(`^T#${TENANT}#IDEMPOTENCY#`));
    expect(JSON.parse(brotliDecompressSync(tx[3]!.Put?.Item?.body).toString('utf8')).id).toBe(doc.id);

    // Only what a later step reads is stored.
    const keys = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key);
    expect(keys).toEqual([`tenants/${TENANT}/documents/${doc.id}/computed.json`]);
    const start = sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input;
    expect(start.name).toBeUndefined();
    expect(JSON.parse(start.input!)).toEqual({
      tenantId: TENANT,
      documentId: doc.id,
      attempt: 1,
      channel: 'hka-integration',
      environment: 'demo',
      probe: false,
    });
  });

  it('issues from the tenant’s default series when the document names none', async () => {
    const settings = {
      pk: `T#${TENANT}`,
      sk: 'SETTINGS#ISSUING',
      defaultBranch: '0000',
      defaultPointOfSale: '002',
    };
    const pos2 = { ...pointOfSale, sk: 'BRANCH#0000#POS#002', code: '002' };
    seed([tenantProfile, branch, pos2, hkaCredentialsItem, settings]);
    const doc = await issueDocument(ctx, exampleInvoice(), { now });
    expect(doc.pointOfSale).toBe('002');
  });

  it('reports a taken idempotency key to the caller (replay or 409 is decided there)', async () => {
    ddb.on(TransactWriteCommand).rejects(canceled(['None', 'None', 'None', 'ConditionalCheckFailed']));
    const scope = {
      tenantId: TENANT,
      operation: 'issueDocument',
      key: 'k1',
      bodyHash: 'h',
      owner: 'request-1',
      lockedUntil: now.getTime() + 10_000,
    };
    await expect(
      issueDocument(ctx, exampleInvoice(), {
        now,
        idempotency: { scope, storedResponse: () => ({ statusCode: 202, headers: {}, body: '' }) },
      }),
    ).rejects.toBeInstanceOf(IdempotencyKeyTakenError);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    // The number it had taken stays in the series as an explicit void.
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input.Item).toMatchObject({
      sk: 'NUMBER#0000000001',
      status: 'VOID',
      voidReason: 'IDEMPOTENCY_KEY_TAKEN',
    });
  });

  it('answers 422 with every violation before writing anything', async () => {
    const input = exampleInvoice();
    input.items = [{ description: 'x', quantity: -1, unitPrice: 'abc', itbmsRate: '9' }];
    const error = await issueDocument(ctx, input, { now }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const paths = (error as ValidationError).details.map((d) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining(['items[0].quantity', 'items[0].unitPrice', 'items[0].itbmsRate']),
    );
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(s3.calls()).toHaveLength(0);
  });

  it('answers 422 on an unknown branch or point of sale', async () => {
    const input = { ...exampleInvoice(), pointOfSale: '002' };
    const error = await issueDocument(ctx, input, { now }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details[0]?.path).toBe('pointOfSale');
  });

  it('refuses with 409 when the tenant has no HKA credentials', async () => {
    seed([tenantProfile, branch, pointOfSale]);
    const error = await issueDocument(ctx, exampleInvoice(), { now }).catch((e) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).code).toBe('HKA_CREDENTIALS_MISSING');
  });

  it('keeps the accepted document when the workflow cannot be started (its lease runs out, the sweep starts it)', async () => {
    sfn.on(StartExecutionCommand).rejects(new Error('throttled'));
    const doc = await issueDocument(ctx, exampleInvoice(), { now });
    expect(doc.status).toBe('PROCESSING');
    const created = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![1]!.Put!.Item!;
    expect(created).toMatchObject({ attempt: 1, leaseUntil: '2026-11-22T15:01:30.000Z' });
  });
});
