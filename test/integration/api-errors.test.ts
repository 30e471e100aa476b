import { createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  callApi,
  exampleDocument,
  issue,
  issueAndWait,
  type Json,
  type Session,
  session,
} from './helpers/local-cloud.ts';

/** What clients get wrong: authentication, tenant isolation, bad input — answered 4xx, never 500. */

const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

function decodeJwt(token: string): { header: Json; payload: Json } {
  const [header, payload] = token.split('.') as [string, string];
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')),
  };
}

function signJwt(header: Json, payload: Json, privateKeyPem: string): string {
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = createSign('RSA-SHA256').update(input).sign(privateKeyPem);
  return `${input}.${base64url(signature)}`;
}

/** cognito-local signs with a fixed, public test key: with it an otherwise valid token can be made expired. */
function cognitoLocalPrivateKey(): string {
  const require = createRequire(import.meta.url);
  const path = require.resolve('cognito-local/lib/keys/cognitoLocal.private.json');
  return (JSON.parse(readFileSync(path, 'utf8')) as { pem: string }).pem;
}

describe('authentication', () => {
  let token: string;
  beforeAll(async () => {
    token = (await session(0, 'USER')).token;
  });

  const read = (bearer: string) => callApi('GET', '/v1/documents', { token: bearer });

  it('accepts the real token (control)', async () => {
    expect((await read(token)).status).toBe(200);
  });

  it('answers 401 to a request without a token', async () => {
    const response = await callApi('GET', '/v1/documents');
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ success: false, code: 'UNAUTHORIZED' });
  });

  it('answers 401 to an unsigned token (alg none)', async () => {
    const { header, payload } = decodeJwt(token);
    const unsigned = `${base64url(JSON.stringify({ ...header, alg: 'none' }))}.${base64url(JSON.stringify(payload))}.`;
    expect((await read(unsigned)).status).toBe(401);
  });

  it('answers 401 to a token signed with another key', async () => {
    const { header, payload } = decodeJwt(token);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = signJwt(header, payload, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    expect((await read(forged)).status).toBe(401);
  });

  it('answers 401 to a token whose claims were altered (another tenant)', async () => {
    const [header, , signature] = token.split('.');
    const { payload } = decodeJwt(token);
    const altered = `${header}.${base64url(JSON.stringify({ ...payload, 'custom:tenantId': 'demo-ferreteria' }))}.${signature}`;
    expect((await read(altered)).status).toBe(401);
  });

  it('answers 401 to an expired token with a valid signature', async () => {
    const { header, payload } = decodeJwt(token);
    const now = Math.floor(Date.now() / 1000);
    const key = cognitoLocalPrivateKey();
    // Same key and claims re-signed with a fresh expiry are accepted: the only difference below is `exp`.
    const fresh = signJwt(header, { ...payload, iat: now - 60, exp: now + 600 }, key);
    expect((await read(fresh)).status).toBe(200);
    const expired = signJwt(
      header,
      { ...payload, iat: now - 7200, auth_time: now - 7200, exp: now - 3600 },
      key,
    );
    const response = await read(expired);
    expect(response.status).toBe(401);
  });

  it('answers 401 to garbage in Authorization', async () => {
    expect((await read('not-a-jwt')).status).toBe(401);
  });
});

describe('tenant isolation', () => {
  let owner: Session;
  let outsider: Session;
  let doc: Json;

  beforeAll(async () => {
    owner = await session(0, 'USER');
    outsider = await session(1, 'USER');
    doc = await issueAndWait(owner, exampleDocument('invoice-taxpayer.json'));
  }, 120_000);

  it.each(['', '/events', '/xml', '/pdf'])(
    'another tenant reading /v1/documents/{id}%s gets 404',
    async (suffix) => {
      expect(doc.status).toBe('AUTHORIZED');
      const response = await outsider.call('GET', `/v1/documents/${doc.id}${suffix}`);
      expect(response.status, response.text).toBe(404);
      expect(response.text).not.toContain(doc.cufe);
    },
  );

  it('another tenant cannot act on the document either (404)', async () => {
    for (const action of ['cancel', 'retry', 'email']) {
      const response = await outsider.call('POST', `/v1/documents/${doc.id}/${action}`, {
        body: action === 'cancel' ? { reason: 'Intento de anular un documento ajeno' } : {},
        headers: { 'idempotency-key': randomUUID() },
      });
      expect(response.status, `${action}: ${response.text}`).toBe(404);
    }
  });

  it("another tenant's list does not show the document", async () => {
    const list = await outsider.call('GET', '/v1/documents?limit=100');
    expect(list.status, list.text).toBe(200);
    expect(list.body.data.items.map((item: Json) => item.id)).not.toContain(doc.id);
    const own = await owner.call('GET', '/v1/documents?limit=100');
    expect(own.body.data.items.map((item: Json) => item.id)).toContain(doc.id);
  });
});

describe('bad requests are 4xx, never 500', () => {
  let user: Session;
  beforeAll(async () => {
    user = await session(0, 'USER');
  });

  it('422 lists every violation with its field path', async () => {
    const document = structuredClone(exampleDocument('invoice-taxpayer.json')) as Json;
    document.items[0].quantity = '-1';
    delete document.items[0].description;
    document.payments[0].amount = 'abc';
    const response = await issue(user, document);
    expect(response.status, response.text).toBe(422);
    expect(response.body).toMatchObject({ success: false, details: expect.any(Array) });
    const paths: string[] = response.body.details.map((detail: Json) => detail.path);
    expect(paths).toEqual(
      expect.arrayContaining(['items[0].quantity', 'items[0].description', 'payments[0].amount']),
    );
    for (const detail of response.body.details) expect(detail.message).toEqual(expect.any(String));
  });

  it('422 for a wrong check digit (a rule past the schema), on receiver.dv', async () => {
    const document = structuredClone(exampleDocument('invoice-taxpayer.json')) as Json;
    document.receiver.dv = document.receiver.dv === '99' ? '98' : '99';
    const response = await issue(user, document);
    expect(response.status, response.text).toBe(422);
    expect(response.body.details.map((detail: Json) => detail.path)).toContain('receiver.dv');
  });

  it('422 for a body that is JSON but not a document', async () => {
    for (const body of [{}, [], 'null', '"text"', { type: 'no-such-type', items: [] }]) {
      const response = await issue(user, body);
      expect(response.status, `${JSON.stringify(body)} → ${response.text}`).toBe(422);
      expect(response.body.details.length).toBeGreaterThan(0);
    }
  });

  it('422 for an arithmetic mismatch (payments do not cover the total), with the path', async () => {
    const document = structuredClone(exampleDocument('invoice-taxpayer.json')) as Json;
    document.payments[0].amount = '0.01';
    const response = await issue(user, document);
    expect(response.status, response.text).toBe(422);
    expect(response.body.details.some((detail: Json) => /payments|totals/.test(detail.path))).toBe(true);
  });

  it('400 for malformed JSON', async () => {
    for (const body of ['{"type": "invoice",', '{bad json}', 'not json at all']) {
      const response = await issue(user, body);
      expect(response.status, `${body} → ${response.text}`).toBe(400);
      expect(response.body).toMatchObject({ success: false });
    }
  });

  it('400 without an Idempotency-Key', async () => {
    const response = await user.call('POST', '/v1/documents', {
      body: exampleDocument('invoice-taxpayer.json'),
    });
    expect(response.status, response.text).toBe(400);
    expect(response.body).toMatchObject({ success: false, code: 'IDEMPOTENCY_KEY_REQUIRED' });
  });

  it('409 for the same Idempotency-Key with another body', async () => {
    const key = randomUUID();
    const first = await issue(user, exampleDocument('invoice-taxpayer.json'), key);
    expect(first.status, first.text).toBe(202);
    const second = await issue(user, exampleDocument('invoice-final-consumer.json'), key);
    expect(second.status, second.text).toBe(409);
    expect(second.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('4xx for bad query parameters and unknown ids', async () => {
    const badQuery = await user.call('GET', '/v1/documents?limit=1000&status=NOPE');
    expect(badQuery.status, badQuery.text).toBe(422);
    expect(badQuery.body.details.map((detail: Json) => detail.path)).toEqual(
      expect.arrayContaining(['query.limit', 'query.status']),
    );
    const unknown = await user.call('GET', '/v1/documents/01NOSUCHDOCUMENT000000000');
    expect(unknown.status, unknown.text).toBe(404);
    const badCursor = await user.call('GET', '/v1/documents?cursor=garbage');
    expect(badCursor.status, badCursor.text).toBeGreaterThanOrEqual(400);
    expect(badCursor.status).toBeLessThan(500);
  });

  it('415/400 for a non-JSON content type, never 500', async () => {
    const response = await user.call('POST', '/v1/documents', {
      body: '<xml/>',
      headers: { 'idempotency-key': randomUUID(), 'content-type': 'application/xml' },
    });
    expect(response.status, response.text).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});
