import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { type HkaSandbox, startHkaSandbox } from '#local/hka-sandbox/index';
import { startJsonProtocolServer } from '#local/standins/json-protocol';
import { createKey, kmsService } from '#local/standins/kms/service';
import { KmsKeyStore } from '#local/standins/kms/store';
import { resetConfigForTests } from '#shared/config/config';
import type { DocumentRecord } from '#shared/data/documents';
import { documentItem, eventItem } from '#shared/data/documents';
import { keys } from '#shared/data/keys';
import { computeDocument } from '#shared/fiscal/compute';
import { documentInputSchema } from '#shared/fiscal/model';
import { createHkaClient } from '#shared/hka/client';
import { documentObjectKeys } from '#shared/storage/keys';
import { saveHkaCredentials } from '#shared/tenancy/credentials';
import { resetScopedClientsForTests } from '#shared/tenancy/tenant-clients';
import { installBucket } from '../app/fake-bucket.ts';
import { FakeTable } from '../app/fake-table.ts';
import {
  branch,
  documentRecord,
  exampleInvoice,
  folioPool,
  pointOfSale,
  tenantProfile,
} from '../app/fixtures.ts';
import { setTestEnv, TENANT } from '../app/helpers.ts';
import { sampleDocumento } from '../hka/fixtures.ts';

/** Another tenant: its ids must answer 404 to ours. */
export const OTHER_TENANT = 'tenant-b';

/** KMS operations that change something (a key, its material, its deletion): side effects. */
const KMS_MUTATIONS = new Set([
  'CreateKey',
  'GetParametersForImport',
  'ImportKeyMaterial',
  'ScheduleKeyDeletion',
  'DisableKey',
  'EnableKey',
  'TagResource',
  'Sign',
]);

/** Everything a request may change outside its answer; compared before and after a refused request. */
export type SideEffects = {
  objectWrites: number;
  executions: number;
  emails: number;
  events: number;
  messages: number;
  kmsMutations: number;
  cognitoMutations: number;
  hka: string;
};

/** Ids of the seeded documents, by what a request can do with them. */
export const SEEDED_DOCUMENTS = {
  authorized: '01KAQ00000000000000000AUTH',
  cancelled: '01KAQ0000000000000000CANCL',
  failed: '01KAQ00000000000000000FAIL',
  processing: '01KAQ000000000000000000PRC',
  rejected: '01KAQ00000000000000000REJC',
  otherTenant: '01KAQ0000000000000000OTHER',
} as const;
export type SeededDocuments = typeof SEEDED_DOCUMENTS;

/** Users of the tenant (USER# items and Cognito users): `user-1` its only ADMIN, `user-2` a USER. */
export const SEEDED_USERS = ['user-1', 'user-2'] as const;

export type World = {
  table: FakeTable;
  hkaTokens: { tokenEmpresa: string; tokenPassword: string };
  sideEffects(): SideEffects;
  stop(): Promise<void>;
};

/**
 * The AWS of the API functions, in this process: the single table (FakeTable, which refuses what DynamoDB
 * refuses), the documents bucket, Step Functions, SES, EventBridge and SQS behind SDK mocks, the KMS
 * stand-in of the local cloud on a loopback port (real encryption, imports and key deletion), and the HKA
 * sandbox. Seeded with a configured tenant (profile, branch, point of sale, folios, HKA credentials) and
 * documents in every state, one of them authorized at HKA so that it can be cancelled.
 */
export async function startWorld(): Promise<World> {
  setTestEnv();
  const sandbox = await startHkaSandbox({
    tenants: [{ name: tenantProfile.name, ruc: tenantProfile.ruc, rucType: '2' }],
    signRfe: false,
  });
  const kmsDir = mkdtempSync(join(tmpdir(), 'factu-fuzz-kms-'));
  const keyStore = new KmsKeyStore(kmsDir);
  const dataKey = createKey(keyStore, { Description: 'data key' });
  keyStore.setAlias('alias/factu-data', dataKey.keyId, { create: true });
  let kmsMutations = 0;
  const service = kmsService(keyStore);
  for (const [name, operation] of Object.entries(service.operations)) {
    service.operations[name] = (input) => {
      if (KMS_MUTATIONS.has(name)) kmsMutations++;
      return operation(input);
    };
  }
  const kms: Server = await startJsonProtocolServer([service], { port: 0 });
  Object.assign(process.env, {
    HKA_DEMO_ENDPOINT: sandbox.url,
    HKA_PROD_ENDPOINT: sandbox.url,
    AWS_ENDPOINT_URL_KMS: `http://127.0.0.1:${(kms.address() as AddressInfo).port}`,
  });
  resetConfigForTests();
  resetScopedClientsForTests();

  const table = new FakeTable();
  table.install(mockClient(DynamoDBDocumentClient));
  const s3 = mockClient(S3Client);
  const bucket = installBucket(s3);
  s3.on(DeleteObjectCommand).resolves({});
  const sfn = mockClient(SFNClient);
  sfn.on(StartExecutionCommand).callsFake((input: { name?: string }) => ({
    executionArn: `arn:aws:states:us-east-1:111111111111:express:issuing:${input.name}:run`,
    startDate: new Date(),
  }));
  const ses = mockClient(SESv2Client);
  ses.on(SendEmailCommand).resolves({ MessageId: 'fuzz' });
  const eventBridge = mockClient(EventBridgeClient);
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'fuzz' }] });
  // The key that seals list cursors (generated by infra; read by the listing route).
  const secrets = mockClient(SecretsManagerClient);
  secrets
    .on(GetSecretValueCommand)
    .resolves({ SecretString: JSON.stringify({ cursorSecret: randomBytes(32).toString('hex') }) });
  const sqs = mockClient(SQSClient);
  sqs.on(SendMessageCommand).resolves({});
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });

  for (const item of [tenantProfile, branch, pointOfSale, folioPool(1_000_000)]) table.put(item);
  const cognito = fakeUserPool();
  seedUsers(table, cognito.users);
  const [token] = sandbox.tokens;
  await saveHkaCredentials(TENANT, {
    environment: 'demo',
    tokenEmpresa: token!.tokenEmpresa,
    tokenPassword: token!.tokenPassword,
  });
  await seedDocuments(table, bucket.objects, sandbox);

  return {
    table,
    hkaTokens: { tokenEmpresa: token!.tokenEmpresa, tokenPassword: token!.tokenPassword },
    sideEffects: () => ({
      objectWrites: s3.commandCalls(PutObjectCommand).length + s3.commandCalls(DeleteObjectCommand).length,
      executions: sfn.commandCalls(StartExecutionCommand).length,
      emails: ses.commandCalls(SendEmailCommand).length,
      events: eventBridge.commandCalls(PutEventsCommand).length,
      messages:
        sqs.commandCalls(SendMessageCommand).length + sqs.commandCalls(SendMessageBatchCommand).length,
      kmsMutations,
      cognitoMutations: cognito.mutations(),
      hka: JSON.stringify(sandbox.state.data.documents.map((document) => [document.cufe, document.status])),
    }),
    async stop() {
      for (const mock of [s3, sfn, ses, eventBridge, sqs, secrets, cognito.mock]) mock.restore();
      await new Promise((resolve) => kms.close(resolve));
      await sandbox.close();
      rmSync(kmsDir, { recursive: true, force: true });
    },
  };
}

async function seedDocuments(
  table: FakeTable,
  objects: Map<string, Buffer>,
  sandbox: HkaSandbox,
): Promise<void> {
  const now = Date.now();
  const at = (offsetMs: number) => new Date(now + offsetMs).toISOString();
  // One document HKA holds, authorized an hour ago: it can be cancelled (once).
  const [token] = sandbox.tokens;
  const hka = createHkaClient({ endpoint: sandbox.url, timeoutMs: 5_000 });
  const enviado = await hka.enviar(
    { tokenEmpresa: token!.tokenEmpresa, tokenPassword: token!.tokenPassword },
    sampleDocumento({ numero: '0000000042' }),
  );
  hka.close();
  const ids = SEEDED_DOCUMENTS;
  const records: Record<keyof SeededDocuments, DocumentRecord> = {
    authorized: record(ids.authorized, {
      status: 'AUTHORIZED',
      number: '0000000042',
      cufe: enviado.authorization.cufe,
      qr: enviado.authorization.qr,
      protocol: enviado.authorization.protocol,
      authorizedAt: at(-3_600_000),
    }),
    cancelled: record(ids.cancelled, { status: 'CANCELLED', authorizedAt: at(-7_200_000) }),
    failed: record(ids.failed, {
      status: 'FAILED',
      reasons: [{ path: '', message: 'HKA did not answer' }],
      leaseUntil: undefined,
    }),
    processing: record(ids.processing, { status: 'PROCESSING', leaseUntil: at(-60_000) }),
    rejected: record(ids.rejected, {
      status: 'REJECTED',
      reasons: [{ path: 'items[0].quantity', message: 'Cantidad inválida' }],
      leaseUntil: undefined,
    }),
    otherTenant: record(ids.otherTenant, { tenantId: OTHER_TENANT, status: 'AUTHORIZED' }),
  };
  // Every document has its computed document in S3 from the moment it is accepted (the pipeline and the
  // lines route read it), so the seeded ones do too.
  const computed = Buffer.from(
    JSON.stringify(computeDocument(documentInputSchema.parse(exampleInvoice()), { now: new Date(now) })),
  );
  for (const doc of Object.values(records)) {
    objects.set(doc.computedKey, computed);
    table.put(documentItem(doc));
    table.put(
      eventItem(doc.tenantId, doc.documentId, {
        at: doc.updatedAt,
        type: 'ACCEPTED',
        status: 'PROCESSING',
        actor: doc.createdBy,
      }),
    );
    if (doc.artifacts) {
      objects.set(doc.artifacts.pdfKey, Buffer.from('%PDF-1.7 fuzz'));
      objects.set(doc.artifacts.xmlKey, Buffer.from('<rFE/>'));
    }
  }
}

function record(documentId: string, overrides: Partial<DocumentRecord>): DocumentRecord {
  const tenantId = overrides.tenantId ?? TENANT;
  const keys = documentObjectKeys(tenantId, documentId);
  const authorized = overrides.status === 'AUTHORIZED' || overrides.status === 'CANCELLED';
  return documentRecord({
    documentId,
    computedKey: keys.computed,
    receiver: { type: 'final-consumer', name: 'CONSUMIDOR FINAL', emails: ['cliente@example.com'] },
    ...(authorized
      ? {
          artifacts: { xmlKey: keys.authorizedXml, pdfKey: keys.pdf },
          cufe: 'FE0120000155596713-2-2015-5900002026112200000000420010112345678',
          qr: 'https://dgi-fep-test.mef.gob.pa:40001/Consultas/FacturasPorQR?chFE=x',
          protocol: '1234567890',
          authorizedAt: new Date().toISOString(),
          leaseUntil: undefined,
        }
      : {}),
    ...overrides,
  });
}

/**
 * The user pool behind a Cognito mock: users by e-mail and sub with their tenant; AdminCreateUser of an
 * existing e-mail is UsernameExistsException, as Cognito answers. Mutations are counted only when they happen.
 */
function fakeUserPool() {
  const mock = mockClient(CognitoIdentityProviderClient);
  const users = new Map<string, { sub: string; email: string; tenantId: string }>();
  let mutations = 0;
  const find = (username: string) =>
    [...users.values()].find((user) => user.sub === username || user.email === username);
  const attributes = (user: { sub: string; email: string; tenantId: string }) => [
    { Name: 'sub', Value: user.sub },
    { Name: 'email', Value: user.email },
    { Name: 'custom:tenantId', Value: user.tenantId },
  ];
  mock
    .on(AdminCreateUserCommand)
    .callsFake((input: { Username: string; UserAttributes?: Array<{ Name: string; Value: string }> }) => {
      if (find(input.Username))
        throw new UsernameExistsException({ message: 'User account already exists', $metadata: {} });
      const tenantId = input.UserAttributes?.find((a) => a.Name === 'custom:tenantId')?.Value ?? '';
      const user = { sub: `sub-${users.size + 1}`, email: input.Username, tenantId };
      users.set(user.sub, user);
      mutations++;
      return { User: { Username: user.sub, Attributes: attributes(user) } };
    });
  mock.on(AdminGetUserCommand).callsFake((input: { Username: string }) => {
    const user = find(input.Username);
    if (!user) throw new UserNotFoundException({ message: 'User does not exist.', $metadata: {} });
    return { Username: user.sub, UserAttributes: attributes(user) };
  });
  const mutating = (input: { Username: string }) => {
    if (!find(input.Username))
      throw new UserNotFoundException({ message: 'User does not exist.', $metadata: {} });
    mutations++;
    return {};
  };
  for (const command of [
    AdminAddUserToGroupCommand,
    AdminRemoveUserFromGroupCommand,
    AdminEnableUserCommand,
    AdminDisableUserCommand,
    AdminUserGlobalSignOutCommand,
  ]) {
    mock.on(command as never).callsFake(mutating as never);
  }
  mock.on(AdminDeleteUserCommand).callsFake((input: { Username: string }) => {
    const user = find(input.Username);
    if (!user) throw new UserNotFoundException({ message: 'User does not exist.', $metadata: {} });
    users.delete(user.sub);
    mutations++;
    return {};
  });
  return { mock, users, mutations: () => mutations };
}

function seedUsers(
  table: FakeTable,
  pool: Map<string, { sub: string; email: string; tenantId: string }>,
): void {
  const roles = { 'user-1': 'ADMIN', 'user-2': 'USER' } as const;
  for (const userId of SEEDED_USERS) {
    const email = `${userId}@tenant-a.test`;
    pool.set(userId, { sub: userId, email, tenantId: TENANT });
    table.put({
      ...keys.user(TENANT, userId),
      userId,
      email,
      name: userId,
      role: roles[userId],
      enabled: true,
      createdAt: '2026-11-01T00:00:00.000Z',
    });
  }
  table.put({ ...keys.userCounters(TENANT), enabledAdmins: 1 });
  table.put({
    ...keys.tenantRegistryEntry(TENANT),
    tenantId: TENANT,
    ruc: tenantProfile.ruc,
    dv: tenantProfile.dv,
    name: tenantProfile.name,
    status: 'active',
    createdAt: '2026-11-01T00:00:00.000Z',
  });
  table.put({ ...keys.rucRegistration(tenantProfile.ruc), tenantId: TENANT });
}
