import { randomUUID } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeKeyCommand, KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyKeyHash } from '#shared/data/idempotency';
import { keys } from '#shared/data/keys';
import { RESENDS_PER_DOCUMENT_PER_HOUR } from '#shared/documents/resend-policy';
import { generateTestCertificate } from '#shared/signing/test-certificate';
import {
  type ApiResponse,
  dynamoClient,
  exampleDocument,
  issueAndWait,
  type Json,
  localStack,
  pollUntil,
  type Session,
  sentMails,
  session,
  tableName,
} from './helpers/local-cloud.ts';

/**
 * One Idempotency-Key, one side effect, through the local cloud as clients would hit it: concurrent requests
 * with one key import one KMS key and send one mail (the others answer 409 in progress or the first response),
 * and the resend limits answer 429 in the envelope.
 */

const PIN = 'Pin-Secreto-2026';
const CONCURRENT = 10;

const statusesOf = (responses: ApiResponse[]) =>
  responses.reduce<Record<number, number>>((counts, response) => {
    counts[response.status] = (counts[response.status] ?? 0) + 1;
    return counts;
  }, {});

describe('concurrent requests with one Idempotency-Key', () => {
  // The second demo tenant keeps a signing key on file (a new one of its own RUC replaces it).
  const TENANT = 1;
  let admin: Session;
  let kms: KMSClient;

  beforeAll(async () => {
    admin = await session(TENANT, 'ADMIN');
    const { endpoints, credentials, cognito } = localStack();
    kms = new KMSClient({ endpoint: endpoints.kms, region: cognito.region, credentials: { ...credentials } });
  });

  afterAll(() => kms?.destroy());

  /** The KMS keys the upload of a certificate created, found by the description the import gives them. */
  const keysImportedFor = async (fingerprint: string) => {
    const tenantId = localStack().demo.tenants[TENANT]!.tenantId;
    const description = `factu signing key of ${tenantId} (${fingerprint.slice(0, 16)})`;
    const { Keys = [] } = await kms.send(new ListKeysCommand({ Limit: 1000 }));
    const described = await Promise.all(Keys.map(({ KeyId }) => kms.send(new DescribeKeyCommand({ KeyId }))));
    return described.filter(({ KeyMetadata }) => KeyMetadata?.Description === description);
  };

  it(`${CONCURRENT} concurrent POST /v1/certificates import exactly one KMS key`, async () => {
    // Prepare
    const { ruc, dv, name } = localStack().demo.tenants[TENANT]!;
    const body = { p12: generateTestCertificate({ ruc, dv, name }).toP12(PIN).toString('base64'), pin: PIN };
    const key = randomUUID();

    // Act
    const responses = await Promise.all(
      Array.from({ length: CONCURRENT }, () =>
        admin.call('POST', '/v1/certificates', { body, headers: { 'idempotency-key': key } }),
      ),
    );
    const replay = await admin.call('POST', '/v1/certificates', {
      body,
      headers: { 'idempotency-key': key },
    });

    // Assess
    console.log(
      `[integration] ${CONCURRENT} concurrent certificate uploads, one key: ${JSON.stringify(statusesOf(responses))}`,
    );
    for (const response of responses) {
      expect([201, 409], response.text).toContain(response.status);
      if (response.status === 409) {
        expect(response.body).toMatchObject({ success: false, code: 'IDEMPOTENCY_KEY_IN_PROGRESS' });
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
    }
    const created = responses.filter((response) => response.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    const fingerprints = new Set(created.map((response) => response.body.data.fingerprintSha256));
    expect(fingerprints.size).toBe(1);
    const [fingerprint] = [...fingerprints] as [string];
    expect(await keysImportedFor(fingerprint)).toHaveLength(1);
    expect(replay.status, replay.text).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.data.fingerprintSha256).toBe(fingerprint);
  });
});

describe('POST /v1/documents/{id}/email', () => {
  const TENANT = 0;
  let operator: Session;
  let doc: Json;

  const resend = (to: string[], key: string = randomUUID()) =>
    operator.call('POST', `/v1/documents/${doc.id}/email`, {
      body: { to },
      headers: { 'idempotency-key': key },
    });
  const idempotencyRecordOf = async (key: string) =>
    (
      await dynamoClient().send(
        new GetItemCommand({
          TableName: tableName(),
          Key: {
            pk: {
              S: keys.idempotency(
                localStack().demo.tenants[TENANT]!.tenantId,
                idempotencyKeyHash('emailDocument', key),
              ).pk,
            },
            sk: { S: 'IDEMPOTENCY' },
          },
          ConsistentRead: true,
        }),
      )
    ).Item;
  const mailsTo = async (address: string) =>
    (await sentMails()).filter((mail) => mail.destination.to.includes(address));

  beforeAll(async () => {
    const [user, op] = await Promise.all([session(TENANT, 'USER'), session(TENANT, 'OPERATOR')]);
    operator = op;
    doc = await issueAndWait(user, exampleDocument('invoice-taxpayer.json'));
    expect(doc.status).toBe('AUTHORIZED');
    // The limits count per clock hour: start well inside one, so every resend below lands in the same hour.
    const intoHour = Date.now() % 3_600_000;
    if (intoHour > 3_600_000 - 60_000)
      await new Promise((resolve) => setTimeout(resolve, 3_600_000 - intoHour + 1000));
  }, 180_000);

  it('a 1 MB address is refused with 422 on the field before anything is sent, stored or counted', async () => {
    // Prepare: before the fix this sent the mail, then failed with 500 writing a record too large for
    // DynamoDB, so a client retry sent it again. Counting nothing keeps the limit test below exact.
    const localPart = `grande-${randomUUID().slice(0, 8)}`;
    const address = `${localPart}${'a'.repeat(1024 * 1024)}@cliente.example.com`;
    const key = randomUUID();

    // Act
    const response = await resend([address], key);

    // Assess
    expect(response.status, response.text.slice(0, 500)).toBe(422);
    expect(response.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED' });
    expect(response.body.details.map((detail: Json) => detail.path)).toContain('to[0]');
    expect(await idempotencyRecordOf(key)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const mails = await sentMails();
    expect(
      mails.filter((mail) => mail.destination.to.some((to: string) => to.startsWith(localPart))),
    ).toEqual([]);
  });

  it(`${CONCURRENT} concurrent resends with one Idempotency-Key send one mail`, async () => {
    // Prepare
    const address = `contabilidad-${randomUUID().slice(0, 8)}@cliente.example.com`;
    const key = randomUUID();

    // Act
    const responses = await Promise.all(Array.from({ length: CONCURRENT }, () => resend([address], key)));

    // Assess
    console.log(
      `[integration] ${CONCURRENT} concurrent resends, one key: ${JSON.stringify(statusesOf(responses))}`,
    );
    for (const response of responses) expect([200, 409], response.text).toContain(response.status);
    expect(responses.some((response) => response.status === 200)).toBe(true);
    // The mail viewer has it once, and nothing more arrives.
    await pollUntil(
      () => mailsTo(address),
      (mails) => mails.length > 0,
      20_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await mailsTo(address)).toHaveLength(1);
  });

  it(`answers 429 EMAIL_RESEND_LIMIT in the envelope after ${RESENDS_PER_DOCUMENT_PER_HOUR} resends of a document in an hour`, async () => {
    // Prepare: the tests above sent one resend of this document this hour (the refused one counted nothing).
    const address = `limite-${randomUUID().slice(0, 8)}@cliente.example.com`;

    const requestKeys = Array.from({ length: RESENDS_PER_DOCUMENT_PER_HOUR }, () => randomUUID());

    // Act
    const responses: ApiResponse[] = [];
    for (const key of requestKeys) responses.push(await resend([address], key));

    // Assess
    const allowed = responses.slice(0, RESENDS_PER_DOCUMENT_PER_HOUR - 1);
    for (const response of allowed) expect(response.status, response.text).toBe(200);
    const refused = responses[RESENDS_PER_DOCUMENT_PER_HOUR - 1]!;
    expect(refused.status, refused.text).toBe(429);
    expect(refused.body).toMatchObject({ success: false, code: 'EMAIL_RESEND_LIMIT', details: [] });
    expect(refused.body.requestId).toEqual(expect.any(String));
    expect(new Date(refused.body.timestamp).toString()).not.toBe('Invalid Date');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    await pollUntil(
      () => mailsTo(address),
      (mails) => mails.length >= allowed.length,
      20_000,
    );
    expect(await mailsTo(address)).toHaveLength(allowed.length);
    // The refusal left nothing under its key (its claim was released through the tenant session), the
    // successes their final record.
    const records = await Promise.all(requestKeys.map(idempotencyRecordOf));
    expect(records.map((record) => record?.status?.S)).toEqual([
      ...Array(RESENDS_PER_DOCUMENT_PER_HOUR - 1).fill('COMPLETED'),
      undefined,
    ]);
  });
});
