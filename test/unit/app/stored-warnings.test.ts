import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Finding } from '#shared/data/documents';
import { boundedWarnings, issueDocument, STORED_WARNINGS_LIMIT } from '#shared/documents/issue';
import type { TenantContext } from '#shared/tenancy/context';
import { branch, exampleInvoice, hkaCredentialsItem, pointOfSale, tenantProfile } from './fixtures.ts';
import { setTestEnv, TENANT } from './helpers.ts';

/**
 * No rule of the catalogue warns per item yet; this stand-in adds one warning per item to the real
 * validation, the worst case a future per-item rule could reach on a 1,000-item document.
 */
vi.mock('#shared/fiscal/validate', async (importOriginal) => {
  const real = await importOriginal<typeof import('#shared/fiscal/validate')>();
  return {
    ...real,
    validateDocument: (input: { items: unknown[] }, options: { now?: Date } = {}) => {
      const result = real.validateDocument(input, options);
      return { ...result, warnings: input.items.map((_, index) => perItemWarning(index)) };
    },
  };
});

const perItemWarning = (index: number) => ({
  path: `items[${index}].description`,
  message: 'El campo descripcion es inválido. Descripción genérica; la DGI puede pedir detalle.',
  code: 'items.generic-description',
  severity: 'warning' as const,
  hint: 'Describe the good or service as the customer would recognise it, not only its category.',
});

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
mockClient(S3Client);
const sfn = mockClient(SFNClient);

const ctx: TenantContext = {
  tenantId: TENANT,
  actor: { type: 'user', id: 'user-1', email: 'u@a.pa' },
  roles: ['USER'],
};
const now = new Date('2026-11-22T15:00:00Z');
/** DynamoDB's item size limit. */
const DYNAMODB_ITEM_LIMIT_BYTES = 400 * 1024;

beforeEach(() => {
  ddb.reset();
  sfn.reset();
  const items: Record<string, unknown>[] = [tenantProfile, branch, pointOfSale, hkaCredentialsItem];
  ddb.on(GetCommand).callsFake((input: { Key: { pk: string; sk: string } }) => ({
    Item: items.find((item) => item.pk === input.Key.pk && item.sk === input.Key.sk),
  }));
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(UpdateCommand).resolves({ Attributes: { lastNumber: 1 } });
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec' });
});

describe('warnings stored on a document', () => {
  it('are kept whole up to the limit', () => {
    // Prepare
    const warnings: Finding[] = Array.from({ length: STORED_WARNINGS_LIMIT }, (_, i) => perItemWarning(i));

    // Act
    const kept = boundedWarnings(warnings);

    // Assess
    expect(kept).toEqual(warnings);
  });

  it('beyond the limit keep the first ones and count the rest in a final MORE_WARNINGS entry', () => {
    // Prepare
    const warnings: Finding[] = Array.from({ length: STORED_WARNINGS_LIMIT + 1 }, (_, i) =>
      perItemWarning(i),
    );

    // Act
    const kept = boundedWarnings(warnings);

    // Assess
    expect(kept).toHaveLength(STORED_WARNINGS_LIMIT + 1);
    expect(kept.slice(0, STORED_WARNINGS_LIMIT)).toEqual(warnings.slice(0, STORED_WARNINGS_LIMIT));
    expect(kept.at(-1)).toMatchObject({ code: 'MORE_WARNINGS', severity: 'warning' });
    expect(kept.at(-1)?.message).toMatch(/^1 more warning not kept/);
  });

  it('of a 1,000-item document with a warning per item stay far below the 400 KB DynamoDB item', async () => {
    // Prepare
    const input = exampleInvoice();
    const [item] = input.items as Record<string, unknown>[];
    input.items = Array.from({ length: 1000 }, (_, i) => ({ ...item, description: `Café americano ${i}` }));
    input.payments = [{ method: 'cash', amount: '5000.00' }];

    // Act
    const doc = await issueDocument(ctx, input, { now });

    // Assess
    expect(doc.warnings).toHaveLength(STORED_WARNINGS_LIMIT + 1);
    expect(doc.warnings.slice(0, STORED_WARNINGS_LIMIT)).toEqual(
      Array.from({ length: STORED_WARNINGS_LIMIT }, (_, i) => perItemWarning(i)),
    );
    expect(doc.warnings.at(-1)).toMatchObject({
      code: 'MORE_WARNINGS',
      message: expect.stringMatching(/^950 more warnings/),
    });
    const tx = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    const stored = tx
      .map((entry) => entry.Put?.Item)
      .find((entry) => entry?.documentId === doc.id && entry.totals);
    expect(stored?.warnings).toEqual(doc.warnings);
    const storedBytes = Buffer.byteLength(JSON.stringify(stored));
    expect(storedBytes).toBeLessThan(DYNAMODB_ITEM_LIMIT_BYTES / 10);
  });
});
