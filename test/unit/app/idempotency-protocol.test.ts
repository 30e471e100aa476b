/**
 * The idempotency middleware's protocol on the in-memory table (which evaluates the conditions): the key is
 * claimed with an IN_PROGRESS record before the handler, completed after it, released after an error; a
 * crashed holder's claim lapses when its function's time would have run out.
 */
import { randomBytes } from 'node:crypto';
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { idempotencyKeyHash, MAX_STORED_BODY_BYTES } from '#shared/data/idempotency';
import { keys } from '#shared/data/keys';
import { ConflictError } from '#shared/errors';
import { createApiHandler } from '#shared/http/handler';
import { defineOperation } from '#shared/http/operation';
import { FakeTable } from './fake-table.ts';
import { apiEvent, lambdaContext, parseBody, setTestEnv, TENANT } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const table = new FakeTable();

const sendThing = defineOperation({
  operationId: 'sendThing',
  method: 'post',
  path: '/v1/things',
  summary: 'test',
  tags: ['test'],
  permission: 'documents:issue',
  body: z.object({ to: z.string(), mode: z.enum(['ok', 'refuse', 'crash', 'huge']).default('ok') }),
  idempotent: true,
  successStatus: 201,
});

/** The side effect (an e-mail sent, a key imported): what must happen once per key and body. */
let sideEffects: string[] = [];
/** Resolves the pending handlers (they wait on it so that requests overlap). */
let release: () => void = () => {};
let gate: Promise<void> = Promise.resolve();

const send = createApiHandler(sendThing, async ({ body }) => {
  sideEffects.push(body.to);
  if (body.mode === 'crash') await new Promise(() => {}); // the function dies here: nothing after runs
  await gate;
  if (body.mode === 'refuse') throw new ConflictError('Not now');
  if (body.mode === 'huge') {
    // Incompressible: even brotli cannot bring it under the record's limit.
    return {
      data: { id: 'T-huge', blob: randomBytes(MAX_STORED_BODY_BYTES).toString('base64') },
      headers: { location: '/v1/things/T-huge' },
    };
  }
  return { data: { id: 'T1', to: body.to }, headers: { location: '/v1/things/T1' } };
});

const post = (body: Record<string, unknown>, key = 'key-1') =>
  send(
    apiEvent({ httpMethod: 'POST', body: JSON.stringify(body), headers: { 'Idempotency-Key': key } }),
    lambdaContext,
  );
const record = (key = 'key-1') => table.get(keys.idempotency(TENANT, idempotencyKeyHash('sendThing', key)));

beforeEach(() => {
  ddb.reset();
  table.clear();
  table.install(ddb);
  sideEffects = [];
  gate = new Promise<void>((resolve) => {
    release = resolve;
  });
});

afterEach(() => {
  release();
  vi.useRealTimers();
});

describe('one key, one side effect', () => {
  it('10 concurrent requests with one key: one runs, the others answer 409 in progress at once', async () => {
    // Prepare
    const first = post({ to: 'a@x.pa' });
    await vi.waitFor(() => expect(sideEffects).toHaveLength(1));

    // Act
    const others = await Promise.all(Array.from({ length: 9 }, () => post({ to: 'a@x.pa' })));
    release();
    const winner = await first;

    // Assess
    expect(sideEffects).toEqual(['a@x.pa']);
    expect(winner.statusCode).toBe(201);
    for (const response of others) {
      expect(response.statusCode).toBe(409);
      expect(parseBody(response)).toMatchObject({ success: false, code: 'IDEMPOTENCY_KEY_IN_PROGRESS' });
      expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    expect(record()).toMatchObject({ status: 'COMPLETED', statusCode: 201 });
    expect(record()).not.toHaveProperty('owner');
  });

  it('10 requests started together: exactly one side effect, every answer a 201 of it or a 409', async () => {
    // Prepare
    release();

    // Act
    const responses = await Promise.all(Array.from({ length: 10 }, () => post({ to: 'b@x.pa' })));

    // Assess
    expect(sideEffects).toEqual(['b@x.pa']);
    const statuses = responses.map((response) => response.statusCode).sort();
    expect(statuses.filter((status) => status === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    const bodies = new Set(responses.filter((r) => r.statusCode === 201).map((r) => parseBody(r).data));
    expect([...bodies].map((data) => JSON.stringify(data))).toEqual([
      JSON.stringify({ id: 'T1', to: 'b@x.pa' }),
    ]);
  });

  it('after completion the same key and body replay the stored response; the handler does not run', async () => {
    // Prepare
    release();
    const first = await post({ to: 'c@x.pa' });

    // Act
    const replay = await post({ to: 'c@x.pa' });

    // Assess
    expect(sideEffects).toEqual(['c@x.pa']);
    expect(replay.statusCode).toBe(201);
    expect(replay.body).toBe(first.body);
    expect(replay.headers.location).toBe('/v1/things/T1');
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });

  it('the same key with another body answers 409 IDEMPOTENCY_KEY_REUSED, in progress or completed', async () => {
    // Prepare
    const first = post({ to: 'd@x.pa' });
    await vi.waitFor(() => expect(sideEffects).toHaveLength(1));

    // Act
    const whileRunning = await post({ to: 'other@x.pa' });
    release();
    await first;
    const afterwards = await post({ to: 'other@x.pa' });

    // Assess
    for (const response of [whileRunning, afterwards]) {
      expect(response.statusCode).toBe(409);
      expect(parseBody(response).code).toBe('IDEMPOTENCY_KEY_REUSED');
    }
    expect(sideEffects).toEqual(['d@x.pa']);
  });
});

describe('a crash, an error', () => {
  it('a crashed holder blocks its key until its time would have run out; then the retry runs once and is replayed', async () => {
    // Prepare: the first invocation claims the key (10 s of Lambda time left) and dies in its handler.
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = new Date('2026-11-22T12:00:00Z');
    vi.setSystemTime(start);
    const crashedBody = { to: 'e@x.pa', mode: 'crash' };
    void post(crashedBody);
    await vi.waitFor(() => expect(sideEffects).toHaveLength(1));
    // The client's retries reach a fresh instance whose handler survives.
    const survivor = createApiHandler(sendThing, async ({ body }) => {
      sideEffects.push(body.to);
      return { data: { id: 'T1', to: body.to } };
    });
    const retry = () =>
      survivor(
        apiEvent({
          httpMethod: 'POST',
          body: JSON.stringify(crashedBody),
          headers: { 'Idempotency-Key': 'key-1' },
        }),
        lambdaContext,
      );

    // Act
    const duringLock = await retry();
    vi.setSystemTime(new Date(start.getTime() + lambdaContext.getRemainingTimeInMillis() + 1));
    const afterLapse = await retry();
    const later = await retry();

    // Assess
    expect(duringLock.statusCode).toBe(409);
    expect(parseBody(duringLock).code).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
    expect(duringLock.headers['retry-after']).toBe('2');
    expect(afterLapse.statusCode).toBe(201);
    expect(later.statusCode).toBe(201);
    expect(later.headers['idempotent-replayed']).toBe('true');
    expect(sideEffects).toEqual(['e@x.pa', 'e@x.pa']);
  });

  it('an error releases the key: nothing is stored, the same request may be sent again', async () => {
    // Prepare
    release();

    // Act
    const refused = await post({ to: 'g@x.pa', mode: 'refuse' });
    const keyAfterRefusal = record();
    const again = await post({ to: 'g@x.pa', mode: 'refuse' });

    // Assess
    expect(refused.statusCode).toBe(409);
    expect(parseBody(refused).code).toBe('CONFLICT');
    expect(keyAfterRefusal).toBeUndefined();
    expect(again.statusCode).toBe(409);
    expect(sideEffects).toEqual(['g@x.pa', 'g@x.pa']);
  });
});

describe('small records', () => {
  it('a response too large to keep is kept as a reference: the request succeeds, its replay names the resource', async () => {
    // Prepare
    release();

    // Act
    const first = await post({ to: 'h@x.pa', mode: 'huge' });
    const stored = record();
    const replay = await post({ to: 'h@x.pa', mode: 'huge' });

    // Assess
    expect(first.statusCode).toBe(201);
    expect(first.body.length).toBeGreaterThan(MAX_STORED_BODY_BYTES);
    expect(stored).toMatchObject({
      status: 'COMPLETED',
      statusCode: 201,
      bodyOmitted: true,
      resourceId: 'T-huge',
    });
    expect(stored).not.toHaveProperty('body');
    expect(JSON.stringify(stored).length).toBeLessThan(2048);
    expect(replay.statusCode).toBe(201);
    expect(replay.headers.location).toBe('/v1/things/T-huge');
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(parseBody(replay)).toMatchObject({ success: true, data: { id: 'T-huge' } });
    expect(sideEffects).toEqual(['h@x.pa']);
  });

  it('a completion DynamoDB refuses does not turn the done side effect into a 500', async () => {
    // Prepare
    release();
    ddb.on(PutCommand, { Item: { status: 'COMPLETED' } }).rejects(
      new DynamoDBServiceException({
        name: 'ProvisionedThroughputExceededException',
        $fault: 'client',
        $metadata: {},
        message: 'throttled',
      }),
    );

    // Act
    const response = await post({ to: 'i@x.pa' });

    // Assess
    expect(response.statusCode).toBe(201);
    expect(sideEffects).toEqual(['i@x.pa']);
    // The claim stays and lapses with the function's time.
    expect(record()).toMatchObject({ status: 'IN_PROGRESS' });
  });
});
