import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { inContingency } from '#shared/contingency/decision';
import { contingencyReason } from '#shared/contingency/reason';
import { documentItem } from '#shared/data/documents';
import { keys } from '#shared/data/keys';
import { finalizeDocument } from '#shared/documents/pipeline/finalize';
import { issueInContingency } from '#shared/documents/pipeline/issue-in-contingency';
import { signXml } from '#shared/documents/pipeline/sign-xml';
import type { PipelineState } from '#shared/events/pipeline';
import { validateDocument } from '#shared/fiscal/validate';
import { LocalKeySigner } from '#shared/signing/local-key-signer';
import { generateTestCertificate } from '#shared/signing/test-certificate';
import { type PacReceptionClient, setPacReceptionClientForTests } from '#shared/tenancy/hka';
import { installBucket } from '../app/fake-bucket.ts';
import { FakeTable } from '../app/fake-table.ts';
import { documentRecord } from '../app/fixtures.ts';
import { setTestEnv, TENANT } from '../app/helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const secrets = mockClient(SecretsManagerClient);
const bus = mockClient(EventBridgeClient);
const table = new FakeTable();
let bucket: ReturnType<typeof installBucket>;

const ID = '01KAQ0000000000000000000CD';
const PREFIX = `tenants/${TENANT}/documents/${ID}`;
const EXECUTION = 'arn:aws:states:us-east-1:111111111111:express:issuing:e1:run-1';
const STARTED = '2026-12-06T15:00:00.000Z';
const now = new Date('2026-12-06T15:06:00.000Z');

const template = documentRecord({ channel: 'emitter-signed' });
const certificate = generateTestCertificate({
  ruc: template.issuer.ruc,
  dv: template.issuer.dv,
  name: template.issuer.name,
});
const signer = new LocalKeySigner(certificate.privateKeyPem);
const start = { startedAt: STARTED, reason: contingencyReason(new Date(STARTED), now) };
const validated = validateDocument(
  inContingency(
    {
      type: 'invoice',
      receiver: { type: 'final-consumer', name: 'CONSUMIDOR FINAL', emails: ['cliente@example.com'] },
      items: [{ description: 'Café americano', unit: 'und', quantity: 2, unitPrice: 1.75, itbmsRate: '7' }],
      payments: [{ method: 'cash', amount: '3.75' }],
    },
    start,
    now,
  ),
  { now },
);
if (!validated.ok) throw new Error(JSON.stringify(validated.violations));

const state = (overrides: Partial<PipelineState> = {}): PipelineState => ({
  tenantId: TENANT,
  documentId: ID,
  attempt: 1,
  channel: 'emitter-signed',
  executionId: EXECUTION,
  ...overrides,
});
const stored = () => table.get(keys.document(TENANT, ID))!;
const published = (type: string) =>
  bus.commandCalls(PutEventsCommand).filter((call) => call.args[0].input.Entries?.[0]?.DetailType === type);

beforeEach(() => {
  for (const mock of [ddb, s3, kms, secrets, bus]) mock.reset();
  table.clear();
  table.install(ddb);
  table.put({
    ...keys.signingKey(TENANT),
    kmsKeyId: 'key-1',
    certificatePem: certificate.certificatePem,
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  table.put(
    documentItem(
      documentRecord({
        documentId: ID,
        channel: 'emitter-signed',
        emissionType: '02',
        computedKey: `${PREFIX}/computed.json`,
        contingency: { startedAt: STARTED },
        receiver: { type: '02', name: 'CONSUMIDOR FINAL', emails: ['cliente@example.com'] },
      }),
    ),
  );
  bucket = installBucket(s3);
  bucket.objects.set(`${PREFIX}/computed.json`, Buffer.from(JSON.stringify(validated.document)));
  kms.on(SignCommand).callsFake(async (input: { Message: Uint8Array }) => ({
    Signature: await signer.signSha256Digest(input.Message),
  }));
  secrets
    .on(GetSecretValueCommand)
    .resolves({ SecretString: JSON.stringify({ qrHmacSecret: 'a'.repeat(64) }) });
  bus.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
});

describe('IssueInContingency', () => {
  it('SignXml routes an undelivered contingency document to it; it archives the CAFE and moves the document to CONTINGENCY with a lease', async () => {
    // Act
    const signed = await signXml(state(), now);
    const next = await issueInContingency(signed, now);

    // Assess
    expect(signed.issueInContingency).toBe(true);
    expect(next).toMatchObject({ contingency: { startedAt: STARTED }, hasRecipients: true });
    const doc = stored();
    expect(doc.status).toBe('CONTINGENCY');
    expect(doc.contingency).toEqual({
      startedAt: STARTED,
      deliveredAt: now.toISOString(),
      cafeKey: `${PREFIX}/contingency-cafe.pdf`,
    });
    expect(doc.cufe).toMatch(/^FE01/);
    expect(doc.leaseUntil).toBe('2026-12-06T15:07:00.000Z');
    expect(doc.gsi4pk).toBeDefined();
    expect(doc.attemptOwner).toBeUndefined();
    expect(bucket.objects.get(`${PREFIX}/contingency-cafe.pdf`)?.subarray(0, 5).toString('latin1')).toBe(
      '%PDF-',
    );
    expect(bucket.objects.has(`${PREFIX}/cafe.pdf`)).toBe(false);
    expect(table.get(keys.contingency(TENANT))).toMatchObject({
      startedAt: STARTED,
      environment: 'demo',
      documents: 1,
    });
    expect(published('contingency.started')).toHaveLength(1);
  });

  it('a second document of the same outage is counted and does not announce the start again', async () => {
    // Prepare
    table.put({
      ...keys.contingency(TENANT),
      startedAt: STARTED,
      environment: 'demo',
      documents: 1,
      announcedAt: STARTED,
    });

    // Act
    await issueInContingency(await signXml(state(), now), now);

    // Assess
    expect(table.get(keys.contingency(TENANT))).toMatchObject({ documents: 2 });
    expect(published('contingency.started')).toHaveLength(0);
  });

  it('once delivered, the next attempt takes the normal path; its authorization ends the contingency', async () => {
    // Prepare
    await issueInContingency(await signXml(state(), now), now);
    // The re-drive sweep claims the next attempt (the status it resumes with is the sweep's business).
    table.put({ ...stored(), status: 'PROCESSING', attempt: 2 });
    const send = async () => ({
      duplicate: false,
      code: '0260',
      message: 'Autorizado el uso de la FE',
      cufe: stored().cufe,
      protocol: '20260000000000000009',
      digestValue: 'd',
      processedAt: '2026-12-06T15:10:00.000Z',
      results: [{ code: '0260', message: 'Autorizado el uso de la FE' }],
      responseXml: '<rProtFe>0260</rProtFe>',
    });
    setPacReceptionClientForTests('demo', { send, close() {} } as unknown as PacReceptionClient);

    // Act
    const again = await signXml(state({ attempt: 2 }), now);
    table.put({ ...stored(), status: 'CONTINGENCY' });
    await finalizeDocument(
      {
        ...again,
        authorization: {
          cufe: String(stored().cufe),
          protocol: '20260000000000000009',
          authorizedAt: '2026-12-06T15:10:00.000Z',
        },
      },
      now,
    );

    // Assess
    expect(again.issueInContingency).toBe(false);
    expect(stored().status).toBe('AUTHORIZED');
    expect(bucket.objects.has(`${PREFIX}/cafe.pdf`)).toBe(true);
    expect(bucket.objects.has(`${PREFIX}/contingency-cafe.pdf`)).toBe(true);
    expect(published('contingency.ended')).toHaveLength(1);
    expect(JSON.parse(published('contingency.ended')[0]!.args[0].input.Entries![0]!.Detail!)).toMatchObject({
      tenantId: TENANT,
      startedAt: STARTED,
      documents: 1,
    });
    expect(table.get(keys.contingency(TENANT))).toBeUndefined();
  });
});
