import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DecryptCommand, EncryptCommand, KMSClient, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { type DocumentRecord, documentItem } from '#shared/data/documents';
import { keys } from '#shared/data/keys';
import { cancelDocument, resendDocumentEmail, retryDocument } from '#shared/documents/actions';
import { assignFolios } from '#shared/documents/folios';
import { ConflictError } from '#shared/errors';
import type { HkaClient } from '#shared/hka/client';
import { HkaAuthenticationError } from '#shared/hka/errors';
import { addBranch, addPointOfSale } from '#shared/tenancy/branches';
import { deleteCertificate } from '#shared/tenancy/certificates';
import type { TenantContext } from '#shared/tenancy/context';
import { setHkaClientForTests } from '#shared/tenancy/hka';
import { putHkaCredentials, putIssuingSettings, testHkaCredentials } from '#shared/tenancy/settings';
import { FakeTable } from '../app/fake-table.ts';
import {
  branch,
  documentRecord,
  folioAssignment,
  folioPool,
  hkaCredentialsItem,
  pointOfSale,
} from '../app/fixtures.ts';
import { setTestEnv, TENANT } from '../app/helpers.ts';

/**
 * Every sensitive action of a tenant leaves one audit entry with who acted and from which request, written in
 * the same DynamoDB transaction as the change where the change is a DynamoDB write: a change refused by its
 * condition leaves no entry, and an entry never exists without its change.
 */

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const kms = mockClient(KMSClient);
const sfn = mockClient(SFNClient);
const s3 = mockClient(S3Client);
const ses = mockClient(SESv2Client);
const events = mockClient(EventBridgeClient);
const table = new FakeTable();

const ctx: TenantContext = {
  tenantId: TENANT,
  actor: { type: 'user', id: 'admin-sub', email: 'admin@tenant-a.test' },
  roles: ['ADMIN'],
  origin: { requestId: 'req-42', sourceIp: '203.0.113.9' },
};
const now = new Date('2026-11-22T14:00:00.000Z');
const id = '01KAQ0000000000000000000AB';

/** The tenant's audit trail as stored, oldest first. */
const trail = () =>
  table.partition(`T#${TENANT}#AUDIT`).sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
const transactionsWith = (action: string) =>
  ddb
    .commandCalls(TransactWriteCommand)
    .filter((call) =>
      call.args[0].input.TransactItems!.some((element) => element.Put?.Item?.action === action),
    );
const stored = () => table.get(keys.document(TENANT, id))!;
const seed = (overrides: Partial<DocumentRecord> = {}) => table.put(documentItem(documentRecord(overrides)));

beforeEach(() => {
  for (const mock of [ddb, kms, sfn, s3, ses, events]) mock.reset();
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'event-1' }] });
  table.clear();
  table.install(ddb);
  kms.on(EncryptCommand).resolves({ CiphertextBlob: new Uint8Array([7, 7, 7]) });
  kms.on(DecryptCommand).resolves({
    Plaintext: new TextEncoder().encode(JSON.stringify({ tokenEmpresa: 'te', tokenPassword: 'tp' })),
  });
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec' });
});

describe('settings', () => {
  it('HKA credentials set: the environment only, with the actor and the request, in the write’s transaction', async () => {
    // Act
    await putHkaCredentials(ctx, {
      environment: 'prod',
      tokenEmpresa: 'empresa-token-value',
      tokenPassword: 'password-value',
    });

    // Assess
    expect(trail()).toEqual([
      expect.objectContaining({
        tenantId: TENANT,
        action: 'hka-credentials.set',
        actor: { type: 'user', id: 'admin-sub', email: 'admin@tenant-a.test' },
        target: { type: 'hka-credentials', id: 'prod' },
        requestId: 'req-42',
        sourceIp: '203.0.113.9',
        changes: { environment: { to: 'prod' } },
      }),
    ]);
    const [transaction] = transactionsWith('hka-credentials.set');
    expect(transaction!.args[0].input.TransactItems!.map((element) => element.Put!.Item!.sk)).toEqual([
      'HKA_CREDENTIALS#prod',
      trail()[0]!.sk,
    ]);
    expect(JSON.stringify(trail())).not.toMatch(/empresa-token-value|password-value/);
  });

  it.each([
    ['accepted', async () => ({ cycleAvailable: 5, cycleUsed: 1, cycleTotal: 6 }), 'ok'],
    [
      'refused',
      async () => {
        throw new HkaAuthenticationError('FoliosRestantes', '100', 'Token inválido');
      },
      'failed',
    ],
  ])(
    'HKA credentials tested (%s by HKA): the outcome, nothing of HKA’s answer',
    async (_case, answer, result) => {
      // Prepare
      table.put(hkaCredentialsItem);
      setHkaClientForTests('demo', { foliosRestantes: vi.fn(answer) } as unknown as HkaClient);

      // Act
      await testHkaCredentials(ctx, 'demo', now);

      // Assess
      expect(trail()).toEqual([
        expect.objectContaining({
          action: 'hka-credentials.tested',
          at: now.toISOString(),
          target: { type: 'hka-credentials', id: 'demo' },
          changes: { result: { to: result } },
        }),
      ]);
    },
  );

  it('issuing settings: each field that changes, from → to; a request that changes nothing records nothing', async () => {
    // Prepare
    table.put(branch);

    // Act
    await putIssuingSettings(ctx, { lowFolioThreshold: 10, cafeLayout: 'letter', environment: 'demo' });
    await putIssuingSettings(ctx, { lowFolioThreshold: 10 });

    // Assess: letter and demo were already the defaults.
    expect(trail()).toEqual([
      expect.objectContaining({
        action: 'issuing-settings.changed',
        target: { type: 'settings', id: 'issuing' },
        changes: { lowFolioThreshold: { from: 50, to: 10 } },
      }),
    ]);
  });
});

describe('certificates', () => {
  it('deleted: subject, fingerprint and expiry of the certificate that was removed', async () => {
    // Prepare
    table.put({
      ...keys.signingKey(TENANT),
      kmsKeyId: 'kms-key-1',
      certificatePem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
      subject: 'CN=ACME PANAMA, S.A.',
      fingerprintSha256: 'ab'.repeat(32),
      notAfter: '2027-01-01T00:00:00.000Z',
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    kms.on(ScheduleKeyDeletionCommand).resolves({ KeyState: 'PendingDeletion' });

    // Act
    await deleteCertificate(ctx, 'ab'.repeat(32), now);

    // Assess
    expect(table.get(keys.signingKey(TENANT))).toBeUndefined();
    expect(trail()).toEqual([
      expect.objectContaining({
        action: 'certificate.deleted',
        target: { type: 'certificate', id: 'ab'.repeat(32) },
        changes: {
          subject: { from: 'CN=ACME PANAMA, S.A.' },
          fingerprintSha256: { from: 'ab'.repeat(32) },
          notAfter: { from: '2027-01-01T00:00:00.000Z' },
        },
      }),
    ]);
    expect(JSON.stringify(trail())).not.toContain('kms-key-1');
  });
});

describe('branches and points of sale', () => {
  const input = {
    code: '0002',
    name: 'Sucursal David',
    address: 'Avenida Central, David',
    location: branch.location,
    phones: ['775-0000'],
  };

  it('a branch created is audited in its transaction; an existing code (409) writes neither', async () => {
    // Act
    await addBranch(ctx, input);
    const again = await addBranch(ctx, { ...input, name: 'Otra' }).catch((error) => error);

    // Assess
    expect(again).toBeInstanceOf(ConflictError);
    expect(trail()).toEqual([
      expect.objectContaining({
        action: 'branch.created',
        target: { type: 'branch', id: '0002' },
        changes: { name: { to: 'Sucursal David' }, address: { to: 'Avenida Central, David' } },
      }),
    ]);
    expect(table.get(keys.branch(TENANT, '0002'))).toMatchObject({ name: 'Sucursal David' });
    expect(transactionsWith('branch.created')).toHaveLength(2);
  });

  it('a point of sale created is audited; a duplicate (409) writes neither', async () => {
    // Prepare
    table.put(branch);
    table.put(pointOfSale);

    // Act
    await addPointOfSale(ctx, '0000', { code: '002', name: 'Caja 2' });
    const duplicate = await addPointOfSale(ctx, '0000', { code: '001' }).catch((error) => error);

    // Assess
    expect(duplicate).toBeInstanceOf(ConflictError);
    expect(trail()).toEqual([
      expect.objectContaining({
        action: 'point-of-sale.created',
        target: { type: 'point-of-sale', id: '0000/002' },
        changes: { branchCode: { to: '0000' }, code: { to: '002' }, name: { to: 'Caja 2' } },
      }),
    ]);
  });
});

describe('folios', () => {
  it('an assignment: the user and the amount, in the assignment’s transaction; the totals come back', async () => {
    // Prepare: a user of the tenant who holds 4, and a pool that covers 25 more.
    table.put(folioAssignment('user-7', 4));
    table.put({ ...folioPool(100), ...keys.folioBalance(TENANT), tenantId: TENANT });
    table.put({
      ...keys.user(TENANT, 'user-7'),
      userId: 'user-7',
      email: 'cajero@example.com',
      name: 'Cajero',
      role: 'USER',
      enabled: true,
      createdAt: now.toISOString(),
    });

    // Act
    const assignment = await assignFolios(ctx, { userId: 'user-7', quantity: 25 }, now);

    // Assess
    expect(assignment).toMatchObject({ userId: 'user-7', assigned: 35, remaining: 29 });
    expect(trail()).toEqual([
      expect.objectContaining({
        action: 'folios.assigned',
        target: { type: 'user', id: 'user-7' },
        changes: { quantity: { to: 25 } },
      }),
    ]);
    expect(transactionsWith('folios.assigned')).toHaveLength(1);
  });
});

describe('documents', () => {
  const authorized = () =>
    seed({
      status: 'AUTHORIZED',
      leaseUntil: undefined,
      authorizedAt: '2026-11-21T12:00:00.000Z',
      cufe: 'FE01',
      qr: 'q',
      protocol: 'p',
      receiver: { type: 'taxpayer', name: 'Cliente', emails: ['cliente@example.com'] },
      artifacts: {
        xmlKey: `tenants/${TENANT}/documents/${id}/rfe.xml`,
        pdfKey: `tenants/${TENANT}/documents/${id}/cafe.pdf`,
      },
    });
  const reason = 'Error en el monto facturado al cliente';

  it('cancelled: the document and the reason, with the status change', async () => {
    // Prepare
    table.put(hkaCredentialsItem);
    authorized();
    setHkaClientForTests('demo', {
      anulacionDocumento: vi.fn(async () => ({ codigo: '200', mensaje: 'ok' })),
    } as unknown as HkaClient);

    // Act
    await cancelDocument(ctx, id, reason, now);

    // Assess
    expect(trail()).toEqual([
      expect.objectContaining({
        action: 'document.cancelled',
        target: { type: 'document', id },
        changes: { status: { from: 'AUTHORIZED', to: 'CANCELLED' }, reason: { to: reason } },
      }),
    ]);
  });

  it('a cancellation whose transition is refused (the document changed meanwhile) leaves no entry', async () => {
    // Prepare: while HKA answers, another request cancels the document.
    table.put(hkaCredentialsItem);
    authorized();
    setHkaClientForTests('demo', {
      anulacionDocumento: vi.fn(async () => {
        table.put({ ...stored(), status: 'CANCELLED' });
        return { codigo: '200', mensaje: 'ok' };
      }),
    } as unknown as HkaClient);

    // Act
    await cancelDocument(ctx, id, reason, now);

    // Assess
    expect(trail()).toEqual([]);
    expect(transactionsWith('document.cancelled')).toHaveLength(1);
  });

  it('retried after FAILED: audited with the transition; with no folio left (409) neither is written', async () => {
    // Prepare
    seed({ status: 'FAILED', attempt: 2, leaseUntil: undefined, folioDebit: { pool: true } });
    table.put(folioPool(0));

    // Act
    const refused = await retryDocument(ctx, id, now).catch((error) => error);
    table.put(folioPool(1));
    await retryDocument(ctx, id, now);

    // Assess
    expect(refused).toMatchObject({ code: 'FOLIOS_EXHAUSTED' });
    expect(trail()).toEqual([
      expect.objectContaining({
        action: 'document.retried',
        target: { type: 'document', id },
        changes: { status: { from: 'FAILED', to: 'PROCESSING' }, attempt: { from: 2, to: 3 } },
      }),
    ]);
  });

  it('retried while PROCESSING with its attempt over: audited with the history event', async () => {
    // Prepare
    seed({ attempt: 2, leaseUntil: '2026-11-22T13:59:00.000Z' });

    // Act
    await retryDocument(ctx, id, now);

    // Assess
    expect(trail()).toEqual([
      expect.objectContaining({
        action: 'document.retried',
        changes: { status: { from: 'PROCESSING', to: 'PROCESSING' }, attempt: { from: 2, to: 3 } },
      }),
    ]);
    const [transaction] = transactionsWith('document.retried');
    expect(transaction!.args[0].input.TransactItems![0]!.Put!.Item).toMatchObject({
      type: 'RETRY_REQUESTED',
    });
  });

  it('e-mailed: how many addresses, never which, once the mail has left', async () => {
    // Prepare
    authorized();
    s3.on(GetObjectCommand).resolves({
      Body: { transformToByteArray: async () => new Uint8Array([1]) } as never,
    });
    ses.on(SendEmailCommand).resolves({ MessageId: 'm' });

    // Act
    await resendDocumentEmail(ctx, id, ['cliente@example.com', 'contabilidad@example.com'], now);

    // Assess
    expect(trail()).toEqual([
      expect.objectContaining({
        action: 'document.emailed',
        target: { type: 'document', id },
        changes: { recipients: { to: 2 } },
      }),
    ]);
    expect(JSON.stringify(trail())).not.toContain('@example.com');
  });

  it('a mail SES refuses leaves no entry', async () => {
    // Prepare
    authorized();
    s3.on(GetObjectCommand).resolves({
      Body: { transformToByteArray: async () => new Uint8Array([1]) } as never,
    });
    ses.on(SendEmailCommand).rejects(Object.assign(new Error('rejected'), { name: 'MessageRejected' }));

    // Act
    const error = await resendDocumentEmail(ctx, id, undefined, now).catch((e) => e);

    // Assess
    expect(error).toMatchObject({ name: 'MessageRejected' });
    expect(trail()).toEqual([]);
  });
});
