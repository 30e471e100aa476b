/**
 * Hostile request bodies through the real route handlers, in process: each is refused with a 4xx in the
 * error envelope, quickly, and nothing is written, stored or started.
 */

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler as emailDocument } from '#functions/api/documents/email-document';
import { handler as issueDocument } from '#functions/api/documents/issue-document';
import { canonicalJson } from '#shared/data/idempotency';
import { MAX_BODY_BYTES } from '#shared/http/json-limits';
import { branch, exampleInvoice, hkaCredentialsItem, pointOfSale, tenantProfile } from './fixtures.ts';
import { apiEvent, lambdaContext, parseBody, setTestEnv } from './helpers.ts';

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
  // The series counter's increment answers 1; no folio quota exists (its conditional debit fails).
  ddb.on(UpdateCommand).callsFake((input: { Key: { sk: string } }) => {
    if (input.Key.sk === 'COUNTER') return { Attributes: { lastNumber: 1 } };
    throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
  });
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  ddb.on(DeleteCommand).resolves({});
  s3.on(PutObjectCommand).resolves({});
  sfn.on(StartExecutionCommand).resolves({});
});

let keys = 0;
function post(body: string, contentType: string | undefined = 'application/json') {
  return issueDocument(
    apiEvent({
      httpMethod: 'POST',
      body,
      headers: {
        'Idempotency-Key': `key-${++keys}`,
        ...(contentType === undefined ? {} : { 'Content-Type': contentType }),
      },
    }),
    lambdaContext,
  );
}

/**
 * Nothing is left behind: no transaction, no put but the Idempotency-Key's in-progress claim, and that claim
 * released again (the lock a request holds while it runs, as Powertools idempotency takes it).
 */
const nothingWritten = () => {
  expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  const puts = ddb
    .commandCalls(PutCommand)
    .map((call) => call.args[0].input.Item as { pk: string; sk: string });
  const deletes = ddb
    .commandCalls(DeleteCommand)
    .map((call) => call.args[0].input.Key as { pk: string; sk: string });
  expect(puts.every((item) => item.pk.includes('#IDEMPOTENCY#'))).toBe(true);
  expect(deletes).toEqual(puts.map(({ pk, sk }) => ({ pk, sk })));
  expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
};

function expectEnvelope(response: { statusCode: number; body: string }, status: number, code: string) {
  expect(response.statusCode, response.body).toBe(status);
  const body = parseBody(response);
  expect(body).toMatchObject({ success: false, code, requestId: 'req-123' });
  expect(Array.isArray(body.details)).toBe(true);
  expect(typeof body.timestamp).toBe('string');
  return body;
}

const invoiceWith = (change: (doc: Record<string, unknown>) => void) => {
  const doc = exampleInvoice();
  change(doc);
  return JSON.stringify(doc);
};

describe('POST /v1/documents with hostile bodies', () => {
  it('an e-mail address built to backtrack is a 422 on its path, answered at once', async () => {
    // Prepare
    const body = invoiceWith((doc) => {
      (doc.receiver as Record<string, unknown>).emails = [`${'a'.repeat(36)}!`];
    });

    // Act
    const started = performance.now();
    const response = await post(body);

    // Assess
    expect(performance.now() - started).toBeLessThan(2_000);
    const envelope = expectEnvelope(response, 422, 'DOCUMENT_INVALID');
    expect(envelope.details).toEqual([
      {
        path: 'receiver.emails[0]',
        message: 'must be a valid e-mail address',
        code: 'SCHEMA',
        severity: 'error',
      },
    ]);
    nothingWritten();
  });

  it('characters XML forbids are a 422 naming every field that holds one', async () => {
    // Prepare
    const body = invoiceWith((doc) => {
      doc.remarks = 'bell\u0007';
      const items = doc.items as Array<Record<string, unknown>>;
      items[0]!.description = 'lone \uDC00 surrogate';
      (doc.receiver as Record<string, unknown>).name = 'nul\u0000name';
    });

    // Act
    const response = await post(body);

    // Assess
    const envelope = expectEnvelope(response, 422, 'DOCUMENT_INVALID');
    expect(envelope.details?.map((d) => d.path).sort()).toEqual([
      'items[0].description',
      'receiver.name',
      'remarks',
    ]);
    nothingWritten();
  });

  it('JSON nested 10,000 deep is a 400 BODY_TOO_DEEP, and hashing such a value does not overflow', async () => {
    // Prepare
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    let value: unknown = 1;
    for (let i = 0; i < 100_000; i++) value = [value];

    // Act
    const response = await post(deep);

    // Assess
    expectEnvelope(response, 400, 'BODY_TOO_DEEP');
    expect(canonicalJson(value)).toHaveLength(200_001);
    nothingWritten();
  });

  it('a body over the size limit is a 413 PAYLOAD_TOO_LARGE', async () => {
    // Prepare: a valid document padded past the limit with spaces
    const body = JSON.stringify(exampleInvoice()).padEnd(MAX_BODY_BYTES + 1, ' ');

    // Act
    const response = await post(body);

    // Assess
    expectEnvelope(response, 413, 'PAYLOAD_TOO_LARGE');
    nothingWritten();
  });

  it('a real 1,000-item document with long descriptions fits and is accepted', async () => {
    // Prepare: 1,000 items with 500-character descriptions and 500-character notes, pretty-printed
    const description = 'Tubería PVC ½" cédula 40 – unión roscada, garantía de fábrica. '
      .repeat(9)
      .slice(0, 500);
    const document = {
      ...exampleInvoice(),
      items: Array.from({ length: 1000 }, (_, i) => ({
        description,
        code: `SKU-${String(i).padStart(6, '0')}`,
        unit: 'und',
        quantity: '1',
        unitPrice: '1.00',
        itbmsRate: '0',
        info: description,
      })),
      payments: [{ method: 'cash', amount: '1000.00' }],
    };
    const body = JSON.stringify(document, null, 2);

    // Act
    const response = await post(body);

    // Assess
    expect(Buffer.byteLength(body)).toBeGreaterThan(1_000_000);
    expect(response.statusCode, response.body.slice(0, 500)).toBe(202);
  });

  it.each(['constructor', '__proto__', 'toString'])(
    'an ITBMS rate of %j is a 422 on items[0].itbmsRate',
    async (rate) => {
      // Prepare
      const body = invoiceWith((doc) => {
        (doc.items as Array<Record<string, unknown>>)[0]!.itbmsRate = rate;
      });

      // Act
      const response = await post(body);

      // Assess
      const envelope = expectEnvelope(response, 422, 'DOCUMENT_INVALID');
      expect(envelope.details?.map((d) => d.path)).toEqual(['items[0].itbmsRate']);
      nothingWritten();
    },
  );

  it.each([
    'text/plain',
    'text/plain; charset=utf-8',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    'application/json; charset=iso-8859-1',
    'application/jsonp',
  ])('a body sent as %s is a 415 UNSUPPORTED_MEDIA_TYPE', async (contentType) => {
    // Act
    const response = await post(JSON.stringify(exampleInvoice()), contentType);

    // Assess
    expectEnvelope(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
    nothingWritten();
  });

  it.each([
    'application/json',
    'Application/JSON; Charset="UTF-8"',
    'application/vnd.factu.document+json',
    undefined,
  ])('a body sent as %s is read as JSON', async (contentType) => {
    // Act
    const response = await post(JSON.stringify(exampleInvoice()), contentType);

    // Assess
    expect(response.statusCode, response.body).toBe(202);
  });
});

describe('POST /v1/documents/{id}/email with hostile addresses', () => {
  it('a 1 MB address is a 422 on to[0] before anything is read or sent', async () => {
    // Act
    const response = await emailDocument(
      apiEvent({
        httpMethod: 'POST',
        pathParameters: { id: '01KAQ0000000000000000000AB' },
        headers: { 'Idempotency-Key': 'mail-1', 'Content-Type': 'application/json' },
        body: JSON.stringify({ to: [`${'a'.repeat(1_000_000)}@example.com`] }),
      }),
      lambdaContext,
    );

    // Assess
    const envelope = expectEnvelope(response, 422, 'VALIDATION_FAILED');
    expect(envelope.details?.map((d) => d.path)).toEqual(['to[0]']);
    expect(ddb.calls()).toHaveLength(0);
  });
});
