import { readFileSync } from 'node:fs';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler } from '#functions/api/documents/validate-document';
import { DEFAULT_ISSUING_SETTINGS, type IssuingSettings } from '#shared/data/tenants';
import { preflight } from '#shared/documents/preflight';
import { cafeLayoutOf } from '#shared/fiscal/cafe-pdf/index';
import { toHkaDocumento } from '#shared/fiscal/hka-documento';
import { demoContext } from '../fiscal/support/demo-issuer.ts';
import { exampleInvoice } from './fixtures.ts';
import { apiEvent, setTestEnv, TENANT } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const sfn = mockClient(SFNClient);

const now = new Date('2026-11-22T12:00:00-05:00');
const example = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../examples/documents/${name}`, import.meta.url), 'utf8'));
const settings = (overrides: Partial<IssuingSettings> = {}): IssuingSettings => ({
  ...DEFAULT_ISSUING_SETTINGS,
  ...overrides,
});
/** The final-consumer example without its own `cafeFormat` (it names ticket). */
const namingNoCafe = () => {
  const { cafeFormat: _named, ...rest } = exampleInvoice();
  return rest;
};
const formatoCafeOf = (outcome: Awaited<ReturnType<typeof preflight>>) =>
  (toHkaDocumento(outcome.computed!, demoContext).datosTransaccion as Record<string, unknown>).formatoCAFE;

describe('pre-flight: codes outside the DGI v1.00 XSD per channel', () => {
  it('refuses the foreign-operation invoice (type 10, nature 04) on the emitter-signed channel, naming the fields', async () => {
    // Act
    const outcome = await preflight(
      TENANT,
      example('foreign-invoice.json'),
      settings({ channel: 'emitter-signed' }),
      now,
    );

    // Assess
    expect(outcome.errors.map((e) => [e.path, e.code, e.severity])).toEqual([
      ['type', 'NOT_IN_DGI_XSD', 'error'],
      ['operationNature', 'NOT_IN_DGI_XSD', 'error'],
    ]);
    expect(outcome.errors[0]!.message).toMatch(/document type 10 .*hka-integration channel accepts it/);
  });

  it('takes a 150-character receiver name on the hka-integration channel and refuses it on emitter-signed', async () => {
    // Prepare: HKA's razonSocial goes to 200 characters; the v1.00 XSD's dNombRec stops at 100.
    const consumer = exampleInvoice() as { receiver: Record<string, unknown> };
    const input = { ...consumer, receiver: { ...consumer.receiver, name: 'N'.repeat(150) } };

    // Act
    const hka = await preflight(TENANT, input, settings(), now);
    const emitter = await preflight(TENANT, input, settings({ channel: 'emitter-signed' }), now);

    // Assess
    expect(hka.errors).toEqual([]);
    expect(emitter.errors.map((e) => [e.path, e.code])).toEqual([['receiver.name', 'NOT_IN_DGI_XSD']]);
  });

  it('accepts the same invoice on the hka-integration channel', async () => {
    // Act
    const outcome = await preflight(TENANT, example('foreign-invoice.json'), settings(), now);

    // Assess
    expect(outcome.errors).toEqual([]);
    expect(outcome.computed?.codes.iDoc).toBe('10');
  });

  it('names a cheque payment (09) and an HKA-only OTI code on the emitter-signed channel only', async () => {
    // Prepare
    const input = exampleInvoice() as {
      items: Record<string, unknown>[];
      payments: Record<string, unknown>[];
    };
    input.payments = input.payments.map((p) => ({ ...p, method: 'check' }));
    input.items[0] = { ...input.items[0], oti: [{ code: '10', amount: '0.00' }] };

    // Act
    const emitter = await preflight(TENANT, input, settings({ channel: 'emitter-signed' }), now);
    const hka = await preflight(TENANT, input, settings(), now);

    // Assess
    expect(emitter.errors.map((e) => e.path)).toEqual(['payments[0].method', 'items[0].oti[0].code']);
    expect(hka.errors).toEqual([]);
  });
});

describe("pre-flight: the tenant's CAFE layout, one rule for both channels", () => {
  it("gives a document that names no CAFE the tenant's ticket layout: HKA's formatoCAFE 2 and a ticket PDF", async () => {
    // Act
    const outcome = await preflight(TENANT, namingNoCafe(), settings({ cafeLayout: 'ticket' }), now);

    // Assess
    expect(outcome.computed?.codes.iFormCAFE).toBe('2');
    expect(formatoCafeOf(outcome)).toBe('2');
    expect(cafeLayoutOf(outcome.computed!)).toBe('ticket');
  });

  it("keeps the document's own cafeFormat over the tenant's layout", async () => {
    // Act
    const outcome = await preflight(
      TENANT,
      { ...namingNoCafe(), cafeFormat: 'letter' },
      settings({ cafeLayout: 'ticket' }),
      now,
    );

    // Assess
    expect(formatoCafeOf(outcome)).toBe('3');
    expect(cafeLayoutOf(outcome.computed!)).toBe('letter');
  });

  it('derives formatoCAFE from a document that names only its layout', async () => {
    // Act
    const outcome = await preflight(TENANT, { ...namingNoCafe(), cafeLayout: 'ticket' }, settings(), now);

    // Assess
    expect(formatoCafeOf(outcome)).toBe('2');
    expect(cafeLayoutOf(outcome.computed!)).toBe('ticket');
  });

  it('stays letter (formatoCAFE 3) for a tenant on the default layout', async () => {
    // Act
    const outcome = await preflight(TENANT, namingNoCafe(), settings(), now);

    // Assess
    expect(formatoCafeOf(outcome)).toBe('3');
    expect(cafeLayoutOf(outcome.computed!)).toBe('letter');
  });
});

describe('POST /v1/documents/validate (in process)', () => {
  beforeEach(() => {
    ddb.reset();
    s3.reset();
    sfn.reset();
    ddb.on(GetCommand).resolves({ Item: undefined });
  });

  const call = (body: unknown) =>
    handler(
      apiEvent({
        httpMethod: 'POST',
        path: '/v1/documents/validate',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );

  it('answers 200 valid with the totals, and only reads the settings', async () => {
    // Act
    const response = await call(exampleInvoice());

    // Assess
    expect(response.statusCode, response.body).toBe(200);
    const { data } = JSON.parse(response.body);
    expect(data).toMatchObject({ valid: true, errors: [], warnings: [], totals: { total: '4.65' } });
    expect(ddb.calls().map((c) => c.args[0].constructor.name)).toEqual(['GetCommand']);
    expect(ddb.call(0).args[0].input).toMatchObject({ Key: { pk: `T#${TENANT}`, sk: 'SETTINGS#ISSUING' } });
    expect(s3.calls()).toEqual([]);
    expect(sfn.calls()).toEqual([]);
  });

  it('answers 200 invalid with every error and its path, keeping the totals when the schema passes', async () => {
    // Prepare: payments below the total break an arithmetic rule, not the schema.
    const input = { ...exampleInvoice(), payments: [{ method: 'cash', amount: '1.00' }] };

    // Act
    const response = await call(input);

    // Assess
    expect(response.statusCode, response.body).toBe(200);
    const { data } = JSON.parse(response.body);
    expect(data.valid).toBe(false);
    expect(data.errors.length).toBeGreaterThan(0);
    expect(data.errors[0]).toMatchObject({
      path: expect.any(String),
      severity: 'error',
      code: expect.any(String),
    });
    expect(data.totals).toMatchObject({ total: '4.65' });
  });

  it('has no totals when the body fails the schema', async () => {
    // Act
    const response = await call({ ...exampleInvoice(), items: [] });

    // Assess
    const { data } = JSON.parse(response.body);
    expect(data).toMatchObject({ valid: false, totals: null });
    expect(data.errors).toContainEqual(expect.objectContaining({ path: 'items', code: 'SCHEMA' }));
  });
});
