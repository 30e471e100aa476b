import { readFileSync } from 'node:fs';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as issueDocumentHandler } from '#functions/api/documents/issue-document';
import { keys } from '#shared/data/keys';
import { issueDocument } from '#shared/documents/issue';
import { validateForTenant } from '#shared/documents/preflight';
import { ValidationError } from '#shared/errors';
import { natureTableRule } from '#shared/fiscal/rules/catalogue/document-type';
import type { TenantContext } from '#shared/tenancy/context';
import { branch, hkaCredentialsItem, pointOfSale, tenantProfile } from './fixtures.ts';
import { apiEvent, lambdaContext, parseBody, setTestEnv, TENANT } from './helpers.ts';

/**
 * A real catalogue warning end to end: HKA's combination table (brief §8.6) expects a credit note's nature to
 * be "return", but HKA's own examples send credit notes with nature 01 (sale), so the rule only warns. The
 * tenant's `promoteWarnings` turns that same finding into a refusal naming the field.
 */
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

const creditNote = (): Record<string, unknown> =>
  JSON.parse(
    readFileSync(new URL('../../../examples/documents/credit-note-referenced.json', import.meta.url), 'utf8'),
  );
/** The credit note as HKA's published examples write it: nature 01. */
const creditNoteAsSale = () => ({ ...creditNote(), operationNature: 'sale' });

const NATURE_WARNING = {
  path: 'operationNature',
  message: 'El campo naturalezaOperacion es inválido. Para tipoDocumento 04 se espera: 11.',
  code: natureTableRule.id,
  severity: 'warning',
  hint: natureTableRule.hint,
};

/** The receiver as the DGI registered it, cached: no call to HKA, no receiver finding of its own. */
const receiverRegistration = {
  ...keys.rucVerification(TENANT, 'demo', '2', '2588017-1-831938'),
  dv: '20',
  name: 'DISTRIBUIDORA EJEMPLO SA',
  affiliated: true,
  checkedAt: '2026-11-20T00:00:00.000Z',
  expiresAt: Math.floor(now.getTime() / 1000) + 86_400,
};

function seed(promoteWarnings: boolean) {
  const items: Record<string, unknown>[] = [
    tenantProfile,
    branch,
    pointOfSale,
    hkaCredentialsItem,
    receiverRegistration,
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
  ddb.on(PutCommand).resolves({});
  // The series counter's atomic increment (no folio pool is seeded, so nothing else is updated).
  ddb.on(UpdateCommand).resolves({ Attributes: { lastNumber: 1 } });
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec' });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('pre-flight warnings of the rule catalogue', () => {
  it('a credit note with its usual nature (return) has no warning', async () => {
    // Prepare
    seed(false);

    // Act
    const report = await validateForTenant(ctx, creditNote(), now);

    // Assess
    expect(report).toMatchObject({ valid: true, errors: [], warnings: [] });
  });

  it('are returned with the accepted document and stored on it', async () => {
    // Prepare
    seed(false);

    // Act
    const doc = await issueDocument(ctx, creditNoteAsSale(), { now });

    // Assess
    expect(doc.status).toBe('PROCESSING');
    expect(doc.warnings).toEqual([NATURE_WARNING]);
    const tx = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    const stored = tx
      .map((item) => item.Put?.Item)
      .find((item) => item?.documentId === doc.id && item.totals);
    expect(stored?.warnings).toEqual([NATURE_WARNING]);
  });

  it('come back from the validate route without making the document invalid', async () => {
    // Prepare
    seed(false);

    // Act
    const report = await validateForTenant(ctx, creditNoteAsSale(), now);

    // Assess
    expect(report).toMatchObject({ valid: true, errors: [], warnings: [NATURE_WARNING] });
  });

  it('refuse the document (422 on the field with code, severity and hint; nothing written) when the tenant promotes them', async () => {
    // Prepare
    seed(true);

    // Act
    const issuing = issueDocument(ctx, creditNoteAsSale(), { now });

    // Assess
    await expect(issuing).rejects.toBeInstanceOf(ValidationError);
    await expect(issuing).rejects.toMatchObject({
      code: 'DOCUMENT_INVALID',
      details: [{ ...NATURE_WARNING, severity: 'error' }],
    });
    expect(ddb.commandCalls(TransactWriteCommand)).toEqual([]);
    expect(sfn.calls()).toEqual([]);
  });

  it('reach the client of POST /v1/documents as 422 details carrying code, severity and hint', async () => {
    // Prepare
    seed(true);
    vi.useFakeTimers({ now, toFake: ['Date'] });

    // Act
    const res = await issueDocumentHandler(
      apiEvent({
        httpMethod: 'POST',
        body: JSON.stringify(creditNoteAsSale()),
        headers: { 'Idempotency-Key': 'promoted-1' },
      }),
      lambdaContext,
    );

    // Assess
    expect(res.statusCode).toBe(422);
    const body = parseBody(res);
    expect(body.code).toBe('DOCUMENT_INVALID');
    expect(body.details).toEqual([{ ...NATURE_WARNING, severity: 'error' }]);
    expect(ddb.commandCalls(TransactWriteCommand)).toEqual([]);
  });

  it('make the validate route answer invalid when the tenant promotes them', async () => {
    // Prepare
    seed(true);

    // Act
    const report = await validateForTenant(ctx, creditNoteAsSale(), now);

    // Assess
    expect(report.valid).toBe(false);
    expect(report.errors).toEqual([{ ...NATURE_WARNING, severity: 'error' }]);
    expect(report.warnings).toEqual([]);
  });
});
