/**
 * `POST /v1/documents/{id}/email`: bounded input, one mail per Idempotency-Key, per-document and per-tenant
 * hourly limits counted atomically, recipients limited to the receiver's addresses plus a few others.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler as emailDocument } from '#functions/api/documents/email-document';
import { documentItem } from '#shared/data/documents';
import { idempotencyKeyHash } from '#shared/data/idempotency';
import { keys } from '#shared/data/keys';
import { takeFromLimits } from '#shared/data/rate-limits';
import {
  MAX_OTHER_RECIPIENTS,
  RESENDS_PER_DOCUMENT_PER_HOUR,
  RESENDS_PER_TENANT_PER_HOUR,
  resendRecipients,
  takeResendAllowance,
} from '#shared/documents/resend-policy';
import { RateLimitedError, ValidationError } from '#shared/errors';
import { FakeTable } from './fake-table.ts';
import { documentRecord } from './fixtures.ts';
import { apiEvent, lambdaContext, parseBody, principal, setTestEnv, TENANT } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const ses = mockClient(SESv2Client);
const table = new FakeTable();

const id = '01KAQ0000000000000000000AB';
const authorized = documentRecord({
  documentId: id,
  status: 'AUTHORIZED',
  cufe: 'FE01',
  leaseUntil: undefined,
  receiver: { type: 'taxpayer', name: 'Cliente', emails: ['cliente@example.com', 'pagos@example.com'] },
  artifacts: {
    xmlKey: `tenants/${TENANT}/documents/${id}/rfe.xml`,
    pdfKey: `tenants/${TENANT}/documents/${id}/cafe.pdf`,
  },
});

let keyCounter = 0;
const resend = (body: unknown, key = `key-${++keyCounter}`) =>
  emailDocument(
    apiEvent({
      httpMethod: 'POST',
      pathParameters: { id },
      body: JSON.stringify(body),
      headers: { 'Idempotency-Key': key, 'Content-Type': 'application/json' },
      authorizer: principal({ roles: 'OPERATOR' }),
    }),
    lambdaContext,
  );
const mailsSent = () =>
  ses.commandCalls(SendEmailCommand).map((call) => call.args[0].input.Destination?.ToAddresses);

beforeEach(() => {
  ddb.reset();
  s3.reset();
  ses.reset();
  table.clear();
  table.install(ddb);
  table.put(documentItem(authorized));
  s3.on(GetObjectCommand).resolves({
    Body: { transformToByteArray: async () => new Uint8Array([1]) } as never,
  });
  ses.on(SendEmailCommand).resolves({ MessageId: 'm' });
});

describe('the route', () => {
  it(`sends ${RESENDS_PER_DOCUMENT_PER_HOUR} resends of a document in an hour, then 429 EMAIL_RESEND_LIMIT in the envelope`, async () => {
    // Act
    const responses = [];
    for (let i = 0; i < RESENDS_PER_DOCUMENT_PER_HOUR + 3; i++) responses.push(await resend({}));

    // Assess
    expect(responses.slice(0, RESENDS_PER_DOCUMENT_PER_HOUR).map((r) => r.statusCode)).toEqual(
      Array(RESENDS_PER_DOCUMENT_PER_HOUR).fill(200),
    );
    for (const refused of responses.slice(RESENDS_PER_DOCUMENT_PER_HOUR)) {
      expect(refused.statusCode).toBe(429);
      const body = parseBody(refused);
      expect(body).toMatchObject({
        success: false,
        code: 'EMAIL_RESEND_LIMIT',
        details: [],
        requestId: 'req-123',
      });
      expect(new Date(body.timestamp ?? '').toString()).not.toBe('Invalid Date');
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(3600);
    }
    expect(mailsSent()).toHaveLength(RESENDS_PER_DOCUMENT_PER_HOUR);
  });

  it('10 concurrent resends with one Idempotency-Key send one mail', async () => {
    // Act
    const responses = await Promise.all(Array.from({ length: 10 }, () => resend({}, 'one-key')));

    // Assess
    expect(mailsSent()).toEqual([['cliente@example.com', 'pagos@example.com']]);
    for (const response of responses) expect([200, 409]).toContain(response.statusCode);
    const replay = await resend({}, 'one-key');
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(mailsSent()).toHaveLength(1);
  });

  it('a 500 KB address is refused before anything is sent or stored (422 on the field)', async () => {
    // Act
    const response = await resend({ to: [`${'a'.repeat(500_000)}@example.com`] }, 'big');

    // Assess
    expect(response.statusCode).toBe(422);
    expect(parseBody(response).details?.map((detail) => detail.path)).toEqual(['to[0]']);
    expect(mailsSent()).toHaveLength(0);
    expect(table.get(keys.idempotency(TENANT, idempotencyKeyHash('emailDocument', 'big')))).toBeUndefined();
  });

  it('more addresses than the receiver’s plus the allowed others: 422, nothing sent, nothing counted', async () => {
    // Act
    const tooMany = await resend({
      to: ['a@x.pa', 'b@x.pa', 'c@x.pa', 'd@x.pa', 'e@x.pa', 'f@x.pa'],
    });
    const outsiders = await resend({ to: ['CLIENTE@example.com', 'a@x.pa', 'b@x.pa', 'c@x.pa'] });
    const allowed = await resend({ to: ['CLIENTE@example.com', 'pagos@example.com', 'a@x.pa', 'b@x.pa'] });

    // Assess
    expect(tooMany.statusCode).toBe(422);
    expect(outsiders.statusCode).toBe(422);
    expect(parseBody(outsiders)).toMatchObject({
      code: 'EMAIL_RECIPIENTS_LIMIT',
      details: [{ path: 'to[3]' }],
    });
    expect(allowed.statusCode).toBe(200);
    expect(mailsSent()).toEqual([['CLIENTE@example.com', 'pagos@example.com', 'a@x.pa', 'b@x.pa']]);
    const window = table.partition(`T#${TENANT}#LIMIT#EMAIL_RESEND#DOC#${id}`);
    expect(window.map((item) => item.used)).toEqual([1]);
  });
});

describe('recipients', () => {
  it('default to the receiver’s addresses; duplicates dropped without regard to case', () => {
    expect(resendRecipients(authorized)).toEqual(['cliente@example.com', 'pagos@example.com']);
    expect(resendRecipients(authorized, ['a@x.pa', 'A@X.PA', 'cliente@example.com'])).toEqual([
      'a@x.pa',
      'cliente@example.com',
    ]);
    expect(MAX_OTHER_RECIPIENTS).toBe(2);
  });

  it('a document without receiver addresses needs `to`', () => {
    const consumer = { ...authorized, receiver: { type: 'final-consumer' } };
    expect(() => resendRecipients(consumer)).toThrow(ValidationError);
    expect(resendRecipients(consumer, ['a@x.pa', 'b@x.pa'])).toEqual(['a@x.pa', 'b@x.pa']);
  });
});

describe('limits', () => {
  const now = new Date('2026-11-22T12:59:30Z');

  it('20 concurrent takes of a limit of 5: exactly 5 pass, the refused ones count nothing', async () => {
    // Act
    const limit = { counter: 'PROBE', limit: 5, windowSeconds: 3600 };
    const decisions = await Promise.all(
      Array.from({ length: 20 }, () => takeFromLimits(TENANT, [limit], now)),
    );

    // Assess
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(5);
    expect(decisions.find((decision) => !decision.allowed)).toMatchObject({ retryAfterSeconds: 30 });
    expect(table.get(keys.rateLimitWindow(TENANT, 'PROBE', '2026-11-22T12:00:00.000Z'))).toMatchObject({
      used: 5,
      expiresAt: Date.parse('2026-11-22T14:00:00Z') / 1000,
    });
    // The next hour is a new window.
    expect(await takeFromLimits(TENANT, [limit], new Date('2026-11-22T13:00:00Z'))).toEqual({
      allowed: true,
    });
  });

  it('all or none: a use taken from the first limit is given back when the second refuses', async () => {
    // Prepare
    const first = { counter: 'FIRST', limit: 10, windowSeconds: 3600 };
    const second = { counter: 'SECOND', limit: 1, windowSeconds: 3600 };
    await takeFromLimits(TENANT, [second], now);

    // Act
    const decision = await takeFromLimits(TENANT, [first, second], now);

    // Assess
    expect(decision).toMatchObject({ allowed: false, exceeded: second });
    expect(table.get(keys.rateLimitWindow(TENANT, 'FIRST', '2026-11-22T12:00:00.000Z'))?.used).toBe(0);
  });

  it(`the tenant's ${RESENDS_PER_TENANT_PER_HOUR} resends per hour hold across its documents`, async () => {
    // Prepare
    const documents = Math.ceil(RESENDS_PER_TENANT_PER_HOUR / RESENDS_PER_DOCUMENT_PER_HOUR);
    for (let d = 0; d < documents; d++) {
      for (let i = 0; i < RESENDS_PER_DOCUMENT_PER_HOUR; i++)
        await takeResendAllowance(TENANT, `doc-${d}`, now);
    }

    // Act
    const refused = takeResendAllowance(TENANT, 'one-more-document', now);

    // Assess
    await expect(refused).rejects.toBeInstanceOf(RateLimitedError);
    await expect(refused).rejects.toMatchObject({ code: 'EMAIL_RESEND_LIMIT', retryAfterSeconds: 30 });
    // Given back: the document's own counter shows nothing for the refused resend.
    expect(
      table.get(
        keys.rateLimitWindow(TENANT, 'EMAIL_RESEND#DOC#one-more-document', '2026-11-22T12:00:00.000Z'),
      )?.used,
    ).toBe(0);
  });
});
