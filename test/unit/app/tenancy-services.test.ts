import { generateKeyPairSync } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  KMSClient,
  KMSInvalidStateException,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ConflictError, ValidationError } from '#shared/errors';
import type { HkaClient } from '#shared/hka/client';
import { HkaAuthenticationError } from '#shared/hka/errors';
import { generateTestCertificate } from '#shared/signing/test-certificate';
import { addBranch } from '#shared/tenancy/branches';
import { deleteCertificate, uploadCertificate } from '#shared/tenancy/certificates';
import type { TenantContext } from '#shared/tenancy/context';
import { loadHkaCredentials } from '#shared/tenancy/credentials';
import { setHkaClientForTests } from '#shared/tenancy/hka';
import { createTenant, saveHkaCredentials } from '#shared/tenancy/provisioning';
import { testHkaCredentials } from '#shared/tenancy/settings';
import { branch, hkaCredentialsItem, tenantProfile } from './fixtures.ts';
import { setTestEnv, TENANT } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const kms = mockClient(KMSClient);
const ctx: TenantContext = {
  tenantId: TENANT,
  actor: { type: 'user', id: 'admin', email: undefined },
  roles: ['ADMIN'],
};

beforeEach(() => {
  ddb.reset();
  kms.reset();
  ddb.on(PutCommand).resolves({});
  ddb.on(GetCommand).resolves({});
});

describe('HKA credentials', () => {
  it('are stored only as KMS ciphertext bound to the tenant', async () => {
    kms.on(EncryptCommand).resolves({ CiphertextBlob: new Uint8Array([9, 9, 9]) });
    await saveHkaCredentials(TENANT, {
      environment: 'demo',
      tokenEmpresa: 'empresa-secret',
      tokenPassword: 'pw-secret',
    });
    const encrypt = kms.commandCalls(EncryptCommand)[0]!.args[0].input;
    expect(encrypt.KeyId).toBe('alias/factu-data');
    expect(encrypt.EncryptionContext).toEqual({ tenantId: TENANT });
    const item = ddb.commandCalls(PutCommand)[0]!.args[0].input.Item!;
    expect(item).toMatchObject({ pk: `T#${TENANT}`, sk: 'HKA_CREDENTIALS#demo', ciphertext: 'CQkJ' });
    expect(JSON.stringify(item)).not.toMatch(/secret/);
  });

  it('are decrypted with the same encryption context', async () => {
    ddb.on(GetCommand).resolves({ Item: hkaCredentialsItem });
    kms.on(DecryptCommand).resolves({
      Plaintext: new TextEncoder().encode(JSON.stringify({ tokenEmpresa: 'a', tokenPassword: 'b' })),
    });
    expect(await loadHkaCredentials(TENANT, 'demo')).toEqual({ tokenEmpresa: 'a', tokenPassword: 'b' });
    expect(kms.commandCalls(DecryptCommand)[0]!.args[0].input.EncryptionContext).toEqual({
      tenantId: TENANT,
    });
  });

  it('test reports refused credentials without throwing', async () => {
    ddb
      .on(GetCommand)
      .callsFake((input: { Key: { sk: string } }) =>
        input.Key.sk === 'HKA_CREDENTIALS#demo' ? { Item: hkaCredentialsItem } : {},
      );
    kms.on(DecryptCommand).resolves({
      Plaintext: new TextEncoder().encode(JSON.stringify({ tokenEmpresa: 'a', tokenPassword: 'b' })),
    });
    setHkaClientForTests('demo', {
      foliosRestantes: vi.fn(async () => {
        throw new HkaAuthenticationError('FoliosRestantes', '100', 'Token inválido');
      }),
    } as unknown as HkaClient);
    const result = await testHkaCredentials(ctx, 'demo');
    expect(result).toMatchObject({ ok: false, environment: 'demo' });
  });
});

describe('provisioning', () => {
  it('creates the tenant in one transaction: registry, RUC, profile, settings, 0000/001, counters, audit', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await createTenant({
      tenantId: TENANT,
      ruc: tenantProfile.ruc,
      dv: tenantProfile.dv,
      rucType: '2',
      name: tenantProfile.name,
      address: branch.address,
      location: branch.location,
      phones: ['507-0000'],
    });
    const [transaction] = ddb.commandCalls(TransactWriteCommand);
    const items = transaction!.args[0].input.TransactItems!.map((item) => item.Put!);
    expect(
      items.map((put) => `${put.Item!.pk}|${String(put.Item!.sk).replace(/^20.*/, '<at>#<id>')}`),
    ).toEqual([
      `T#_platform#RUC#${tenantProfile.ruc}|TENANT`,
      `T#_platform|TENANT#${TENANT}`,
      `T#${TENANT}|PROFILE`,
      `T#${TENANT}|SETTINGS#ISSUING`,
      `T#${TENANT}|BRANCH#0000`,
      `T#${TENANT}|BRANCH#0000#POS#001`,
      `T#${TENANT}|USERS`,
      'T#_platform#AUDIT|<at>#<id>',
    ]);
    for (const put of items) expect(put.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(items[1]!.Item).toMatchObject({ status: 'active', ruc: tenantProfile.ruc });
    expect(items[7]!.Item).toMatchObject({ action: 'tenant.created', tenantId: null });
  });

  it('rejects a malformed tenant id', async () => {
    await expect(
      createTenant({
        tenantId: 'T#x',
        ruc: '1234567',
        dv: '12',
        rucType: '2',
        name: 'X S.A.',
        address: branch.address,
        location: branch.location,
      }),
    ).rejects.toThrow();
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers 409 for an existing branch', async () => {
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );
    const input = { ...branch, code: '0001' };
    await expect(addBranch(ctx, input)).rejects.toBeInstanceOf(ConflictError);
  });
});

/** The signing key item of the last transaction written (what a read would find). */
const storedSigningKey = () =>
  ddb.commandCalls(TransactWriteCommand).at(-1)?.args[0].input.TransactItems?.[0]?.Put?.Item;

describe('certificates', () => {
  it('checks the P12, imports its key into KMS and keeps only the certificate and key id', async () => {
    const cert = generateTestCertificate({
      ruc: tenantProfile.ruc,
      dv: tenantProfile.dv,
      name: tenantProfile.name,
    });
    const wrapping = generateKeyPairSync('rsa', { modulusLength: 4096 });
    ddb.on(GetCommand).callsFake((input: { Key: { sk: string } }) => {
      if (input.Key.sk === 'PROFILE') return { Item: tenantProfile };
      if (input.Key.sk === 'SIGNING_KEY') return { Item: storedSigningKey() };
      return {};
    });
    kms.on(CreateKeyCommand).resolves({ KeyMetadata: { KeyId: 'kms-key-1' } as never });
    kms.on(GetParametersForImportCommand).resolves({
      PublicKey: wrapping.publicKey.export({ type: 'spki', format: 'der' }),
      ImportToken: new Uint8Array([1]),
    });
    kms.on(ImportKeyMaterialCommand).resolves({});

    const p12 = cert.toP12('1234').toString('base64');
    const out = await uploadCertificate(ctx, { p12, pin: '1234' });
    expect(out.notAfter).toBeTruthy();
    const [item, entry] = ddb
      .commandCalls(TransactWriteCommand)
      .at(-1)!
      .args[0].input.TransactItems!.map((element) => element.Put!.Item!);
    expect(item).toMatchObject({ sk: 'SIGNING_KEY', kmsKeyId: 'kms-key-1' });
    expect(item!.certificatePem).toContain('BEGIN CERTIFICATE');
    expect(entry).toMatchObject({ pk: `T#${TENANT}#AUDIT`, action: 'certificate.uploaded' });
    const stored = JSON.stringify([item, entry]);
    expect(stored).not.toContain('PRIVATE KEY');
    expect(stored).not.toContain('1234');
    expect(kms.commandCalls(CreateKeyCommand)[0]!.args[0].input.Tags).toContainEqual({
      TagKey: 'tenantId',
      TagValue: TENANT,
    });
  });

  describe('deletion', () => {
    const record = {
      pk: `T#${TENANT}`,
      sk: 'SIGNING_KEY',
      kmsKeyId: 'kms-key-1',
      fingerprintSha256: 'ab'.repeat(32),
      createdAt: '2026-03-01T00:00:00.000Z',
    };
    const onFile = () =>
      ddb
        .on(GetCommand)
        .callsFake((input: { Key: { sk: string } }) =>
          input.Key.sk === 'SIGNING_KEY' ? { Item: record } : {},
        );

    it('schedules the KMS key’s deletion with the 30-day window, then forgets the record', async () => {
      // Prepare
      onFile();
      ddb.on(TransactWriteCommand).resolves({});
      kms.on(ScheduleKeyDeletionCommand).resolves({ KeyState: 'PendingDeletion' });

      // Act
      await deleteCertificate(ctx, record.fingerprintSha256);

      // Assess
      expect(kms.commandCalls(ScheduleKeyDeletionCommand).map((call) => call.args[0].input)).toEqual([
        { KeyId: 'kms-key-1', PendingWindowInDays: 30 },
      ]);
      const [forget, entry] = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
      expect(forget!.Delete!.Key).toEqual({ pk: `T#${TENANT}`, sk: 'SIGNING_KEY' });
      expect(entry!.Put!.Item).toMatchObject({ action: 'certificate.deleted' });
    });

    it('a retry after the key was already scheduled completes; a KMS failure keeps the record', async () => {
      // Prepare
      onFile();
      ddb.on(TransactWriteCommand).resolves({});
      kms
        .on(ScheduleKeyDeletionCommand)
        .rejectsOnce(new KMSInvalidStateException({ message: 'pending deletion', $metadata: {} }))
        .rejectsOnce(new Error('KMS unavailable'));

      // Act
      await deleteCertificate(ctx, record.fingerprintSha256);
      const failed = await deleteCertificate(ctx, record.fingerprintSha256).catch((error) => error);

      // Assess
      expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
      expect(failed).toBeInstanceOf(Error);
      expect((failed as Error).message).toBe('KMS unavailable');
    });

    it('another id → 404, nothing scheduled', async () => {
      onFile();
      await expect(deleteCertificate(ctx, 'other')).rejects.toMatchObject({ kind: 'not-found' });
      expect(kms.commandCalls(ScheduleKeyDeletionCommand)).toHaveLength(0);
    });
  });

  it('maps a wrong PIN to 422 on the pin field', async () => {
    ddb.on(GetCommand).resolves({ Item: tenantProfile });
    const error = await uploadCertificate(ctx, {
      p12: Buffer.from('not a p12').toString('base64'),
      pin: 'x',
    }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(['p12', 'pin']).toContain(error.details[0].path);
  });
});
