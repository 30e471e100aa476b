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
import { issueDocument } from '#shared/documents/issue';
import { validateForTenant } from '#shared/documents/preflight';
import { ValidationError } from '#shared/errors';
import type { TenantContext } from '#shared/tenancy/context';
import { branch, exampleInvoice, hkaCredentialsItem, pointOfSale, tenantProfile } from './fixtures.ts';
import { setTestEnv, TENANT } from './helpers.ts';

/**
 * validateDocument as the rule catalogue makes it behave: a warning beside the result, or, when the tenant
 * promotes warnings, an error in its place. Until a rule emits one, this stand-in does, so the wiring
 * from there to the API (202, stored document, validate route, 422) is proven.
 */
const WARNING = {
  path: 'receiver.name',
  message: 'differs from the name registered at the DGI',
  code: 'TEST_WARNING',
  hint: 'Use the registered name',
};
vi.mock('#shared/fiscal/validate', async (importOriginal) => {
  const real = await importOriginal<typeof import('#shared/fiscal/validate')>();
  return {
    ...real,
    validateDocument: (input: unknown, options: { now?: Date; promoteWarnings?: boolean } = {}) => {
      const result = real.validateDocument(input, options);
      if (!options.promoteWarnings) return { ...result, warnings: [WARNING] };
      return { ok: false, violations: [...(result.ok ? [] : result.violations), WARNING], warnings: [] };
    },
  };
});

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
mockClient(S3Client);
const sfn = mockClient(SFNClient);

const ctx: TenantContext = { tenantId: TENANT, userId: 'user-1', email: 'u@a.pa', roles: ['USER'] };
const now = new Date('2026-11-22T15:00:00Z');

function seed(promoteWarnings: boolean) {
  const items: Record<string, unknown>[] = [
    tenantProfile,
    branch,
    pointOfSale,
    hkaCredentialsItem,
    { pk: `T#${TENANT}`, sk: 'SETTINGS#ISSUING', promoteWarnings },
  ];
  ddb.on(GetCommand).callsFake((input: { Key: { pk: string; sk: string } }) => ({
    Item: items.find((item) => item.pk === input.Key.pk && item.sk === input.Key.sk),
  }));
}

beforeEach(() => {
  ddb.reset();
  sfn.reset();
  ddb.on(TransactWriteCommand).resolves({});
  // The series counter's atomic increment (no folio pool is seeded, so nothing else is updated).
  ddb.on(UpdateCommand).resolves({ Attributes: { lastNumber: 1 } });
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec' });
});

describe('pre-flight warnings', () => {
  it('are returned with the accepted document and stored on it', async () => {
    // Prepare
    seed(false);

    // Act
    const doc = await issueDocument(ctx, exampleInvoice(), { now });

    // Assess
    const expected = { ...WARNING, severity: 'warning' };
    expect(doc.warnings).toEqual([expected]);
    const tx = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    const stored = tx
      .map((item) => item.Put?.Item)
      .find((item) => item?.documentId === doc.id && item.totals);
    expect(stored?.warnings).toEqual([expected]);
  });

  it('come back from the validate route without making the document invalid', async () => {
    // Prepare
    seed(false);

    // Act
    const report = await validateForTenant(ctx, exampleInvoice(), now);

    // Assess
    expect(report).toMatchObject({
      valid: true,
      errors: [],
      warnings: [{ ...WARNING, severity: 'warning' }],
    });
  });

  it('refuse the document (422 on the field, nothing written) when the tenant promotes them', async () => {
    // Prepare
    seed(true);

    // Act
    const issuing = issueDocument(ctx, exampleInvoice(), { now });

    // Assess
    await expect(issuing).rejects.toBeInstanceOf(ValidationError);
    await expect(issuing).rejects.toMatchObject({
      code: 'DOCUMENT_INVALID',
      details: [{ path: 'receiver.name', message: WARNING.message }],
    });
    expect(ddb.commandCalls(TransactWriteCommand)).toEqual([]);
    expect(sfn.calls()).toEqual([]);
  });

  it('make the validate route answer invalid when the tenant promotes them', async () => {
    // Prepare
    seed(true);

    // Act
    const report = await validateForTenant(ctx, exampleInvoice(), now);

    // Assess
    expect(report.valid).toBe(false);
    expect(report.errors).toEqual([{ ...WARNING, severity: 'error' }]);
    expect(report.warnings).toEqual([]);
  });
});
