import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiResponse,
  atRealClock,
  exampleDocument,
  issue,
  type Json,
  localStack,
  type Session,
  session,
} from './helpers/local-cloud.ts';

/**
 * Hostile input through the local cloud, as a client sends it over HTTP: every one is answered with a 4xx
 * in the error envelope, at once, and the API keeps serving.
 */

function expectEnvelope(response: ApiResponse, status: number, code: string) {
  expect(response.status, response.text.slice(0, 300)).toBe(status);
  expect(response.body).toMatchObject({
    success: false,
    code,
    details: expect.any(Array),
    requestId: expect.any(String),
    timestamp: expect.any(String),
  });
  return response.body as Json;
}

/** POST /v1/documents with a raw body and exactly the given headers (no Content-Type unless given). */
async function postRaw(
  user: Session,
  body: string,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  const response = await fetch(`${localStack().apiUrl}/v1/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${user.token}`, 'idempotency-key': randomUUID(), ...headers },
    // A Uint8Array body makes fetch add no Content-Type of its own.
    body: new TextEncoder().encode(body),
  });
  const text = await response.text();
  let parsed: Json;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

describe('hostile input on the local cloud', () => {
  let user: Session;
  let outsider: Session;
  beforeAll(async () => {
    [user, outsider] = await Promise.all([session(0, 'USER'), session(1, 'USER')]);
  });

  const invoice = (change: (doc: Json) => void = () => {}) => {
    const doc = atRealClock(exampleDocument('invoice-taxpayer.json'));
    change(doc);
    return doc;
  };

  it('an e-mail address built to backtrack is a 422 on its path, answered at once', async () => {
    // Act
    const started = Date.now();
    const response = await issue(
      user,
      invoice((doc) => {
        doc.receiver.emails = [`${'a'.repeat(36)}!`];
      }),
    );

    // Assess
    expect(Date.now() - started).toBeLessThan(5_000);
    const body = expectEnvelope(response, 422, 'DOCUMENT_INVALID');
    expect(body.details).toEqual([
      {
        path: 'receiver.emails[0]',
        message: 'must be a valid e-mail address',
        code: 'SCHEMA',
        severity: 'error',
      },
    ]);
  });

  it('control characters and lone surrogates are a 422 naming each field', async () => {
    // Prepare: JSON.stringify writes both as \u escapes, as a client's JSON library would
    const text = JSON.stringify(
      invoice((doc) => {
        doc.receiver.name = 'ACME\u0001 S.A.';
        doc.items[0].description = 'Servicio \ud800';
      }),
    );

    // Act
    const response = await postRaw(user, text, { 'content-type': 'application/json' });

    // Assess
    expect(text).toContain('ACME\\u0001');
    expect(text).toContain('Servicio \\ud800');
    const body = expectEnvelope(response, 422, 'DOCUMENT_INVALID');
    expect(body.details.map((d: Json) => d.path).sort()).toEqual(['items[0].description', 'receiver.name']);
  });

  it('JSON nested 10,000 deep is a 400 BODY_TOO_DEEP', async () => {
    // Act
    const response = await postRaw(user, `${'['.repeat(10_000)}${']'.repeat(10_000)}`, {
      'content-type': 'application/json',
    });

    // Assess
    expectEnvelope(response, 400, 'BODY_TOO_DEEP');
  });

  it('a body over 2 MiB is a 413 PAYLOAD_TOO_LARGE', async () => {
    // Act
    const response = await postRaw(user, JSON.stringify(invoice()).padEnd(2 * 1024 * 1024 + 1, ' '), {
      'content-type': 'application/json',
    });

    // Assess
    expectEnvelope(response, 413, 'PAYLOAD_TOO_LARGE');
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])(
    'a JSON body sent as %s is a 415 UNSUPPORTED_MEDIA_TYPE',
    async (contentType) => {
      // Act
      const response = await postRaw(user, JSON.stringify(invoice()), { 'content-type': contentType });

      // Assess
      expectEnvelope(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
    },
  );

  it('a JSON body without a Content-Type is read as JSON (as API Gateway does)', async () => {
    // Act
    const response = await postRaw(user, JSON.stringify(invoice()));

    // Assess
    expect(response.status, response.text).toBe(202);
  });

  describe('listing', () => {
    beforeAll(async () => {
      // Two pages' worth for this tenant, whatever ran before.
      for (let i = 0; i < 3; i++) expect((await issue(user, invoice())).status).toBe(202);
    });

    const list = (who: Session, query: string) => who.call('GET', `/v1/documents?${query}`);
    const base64Json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

    it('a cursor handed out resumes the listing; crafted or foreign cursors are a 400 INVALID_CURSOR', async () => {
      // Prepare
      const first = await list(user, 'limit=1');
      const cursor = first.body.data.nextCursor as string;
      const ownPartitionOnly = base64Json({ gsi1pk: `T#${user.user.tenantId}#DOCS` });
      const emptyKeys = base64Json({ gsi1pk: `T#${user.user.tenantId}#DOCS`, gsi1sk: '', pk: '', sk: '' });

      // Act
      const [next, crafted, empty, foreign, otherListing] = await Promise.all([
        list(user, `limit=1&cursor=${cursor}`),
        list(user, `cursor=${ownPartitionOnly}`),
        list(user, `cursor=${emptyKeys}`),
        list(outsider, `limit=1&cursor=${cursor}`),
        list(user, `limit=1&status=AUTHORIZED&cursor=${cursor}`),
      ]);

      // Assess
      expect(first.status).toBe(200);
      expect(cursor).toEqual(expect.any(String));
      expect(next.status).toBe(200);
      expect(next.body.data.items[0].id).not.toBe(first.body.data.items[0].id);
      for (const refused of [crafted, empty, foreign, otherListing])
        expectEnvelope(refused, 400, 'INVALID_CURSOR');
    });

    it('from= with 5,000 digits, or a reversed range, is a 422 on the query', async () => {
      // Act
      const [digits, longTime, reversed] = await Promise.all([
        list(user, `from=${'1'.repeat(5000)}`),
        list(user, `from=2026-11-22T${'1'.repeat(5000)}`),
        list(user, 'from=2026-11-30&to=2026-11-01'),
      ]);

      // Assess
      expect(expectEnvelope(digits, 422, 'VALIDATION_FAILED').details[0].path).toBe('query.from');
      expect(expectEnvelope(longTime, 422, 'VALIDATION_FAILED').details[0].path).toBe('query.from');
      expect(expectEnvelope(reversed, 422, 'VALIDATION_FAILED').details[0].path).toBe('query.to');
    });

    it('a date-time in another offset filters by the Panama instant', async () => {
      // Act
      const response = await list(user, `from=${encodeURIComponent('2000-01-01T05:00:00Z')}&limit=5`);

      // Assess
      expect(response.status).toBe(200);
      expect(response.body.data.items.length).toBeGreaterThan(0);
    });
  });
});
