import { brotliDecompressSync } from 'node:zlib';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bodyHash, completedItem } from '#shared/data/idempotency';
import { ConflictError, NotFoundError } from '#shared/errors';
import { createApiHandler } from '#shared/http/handler';
import { defineOperation } from '#shared/http/operation';
import { apiEvent, lambdaContext, parseBody, principal, setTestEnv, TENANT } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);

const createThing = defineOperation({
  operationId: 'createThing',
  method: 'post',
  path: '/v1/things',
  summary: 'test',
  tags: ['test'],
  permission: 'documents:issue',
  body: z.object({
    name: z.string().min(2),
    items: z.array(z.object({ quantity: z.number().positive() })).min(1),
  }),
  idempotent: true,
  successStatus: 201,
});

const getThing = defineOperation({
  operationId: 'getThing',
  method: 'get',
  path: '/v1/things/{id}',
  summary: 'test',
  tags: ['test'],
  permission: 'documents:read',
  params: z.object({ id: z.string().regex(/^T\d+$/) }),
  query: z.object({ verbose: z.enum(['true', 'false']).optional() }),
  successStatus: 200,
});

let calls: unknown[] = [];
const create = createApiHandler(createThing, async ({ body, ctx }) => {
  calls.push(body);
  return { data: { id: 'T1', name: body.name, tenant: ctx.tenantId } };
});
const get = createApiHandler(getThing, async ({ params }) => {
  if (params.id === 'T404') throw new NotFoundError('Thing not found');
  if (params.id === 'T409') throw new ConflictError('busy', 'CONFLICT', [{ path: 'x', message: 'y' }]);
  if (params.id === 'T500') throw new Error('database password is hunter2 at /var/task/x.js:1');
  return { data: { id: params.id } };
});

const keyTaken = () => new ConditionalCheckFailedException({ message: 'taken', $metadata: {} });

const postEvent = (body: string | null, headers: Record<string, string> = { 'Idempotency-Key': 'key-1' }) =>
  apiEvent({ httpMethod: 'POST', body, headers });

beforeEach(() => {
  ddb.reset();
  ddb.on(GetCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  calls = [];
});

describe('API handler factory', () => {
  it('wraps data in the success envelope with the operation status', async () => {
    const res = await create(
      postEvent(JSON.stringify({ name: 'ab', items: [{ quantity: 1 }] })),
      lambdaContext,
    );
    expect(res.statusCode).toBe(201);
    expect(parseBody(res)).toEqual({ success: true, data: { id: 'T1', name: 'ab', tenant: TENANT } });
  });

  it('answers 422 with every field path', async () => {
    const res = await create(
      postEvent(JSON.stringify({ name: 'a', items: [{ quantity: -1 }, {}] })),
      lambdaContext,
    );
    expect(res.statusCode).toBe(422);
    const body = parseBody(res);
    expect(body.success).toBe(false);
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.requestId).toBe('req-123');
    expect(body.details?.map((d) => d.path).sort()).toEqual([
      'items[0].quantity',
      'items[1].quantity',
      'name',
    ]);
    expect(calls).toHaveLength(0);
  });

  it('answers 400 to malformed JSON', async () => {
    const res = await create(postEvent('{"name": '), lambdaContext);
    expect(res.statusCode).toBe(400);
    expect(parseBody(res).code).toBe('MALFORMED_JSON');
  });

  it('answers 400 when the Idempotency-Key is missing', async () => {
    const res = await create(
      postEvent(JSON.stringify({ name: 'ab', items: [{ quantity: 1 }] }), {}),
      lambdaContext,
    );
    expect(res.statusCode).toBe(400);
    expect(parseBody(res).code).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });

  it('answers 403 without a tenant and for a role that may not call it', async () => {
    const noTenant = await get(
      apiEvent({ pathParameters: { id: 'T1' }, authorizer: principal({ tenantId: '' }) }),
      lambdaContext,
    );
    expect(noTenant.statusCode).toBe(403);
    const body = JSON.stringify({ name: 'ab', items: [{ quantity: 1 }] });
    const operator = await create(
      {
        ...postEvent(body),
        requestContext: { requestId: 'r', authorizer: principal({ roles: 'OPERATOR' }) },
      },
      lambdaContext,
    );
    expect(operator.statusCode).toBe(403);
    expect(parseBody(operator).code).toBe('ROLE_NOT_ALLOWED');
  });

  it('answers 401 without an authorizer context', async () => {
    const res = await get(apiEvent({ pathParameters: { id: 'T1' }, authorizer: null }), lambdaContext);
    expect(res.statusCode).toBe(401);
  });

  it('validates path and query parameters', async () => {
    const res = await get(
      apiEvent({ pathParameters: { id: 'nope' }, queryStringParameters: { verbose: 'x' } }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(422);
    expect(
      parseBody(res)
        .details?.map((d) => d.path)
        .sort(),
    ).toEqual(['path.id', 'query.verbose']);
  });

  it('refuses a query parameter the operation does not declare, naming it', async () => {
    // Prepare
    const misspelt = apiEvent({ pathParameters: { id: 'T1' }, queryStringParameters: { verbos: 'true' } });
    const onePost = { ...postEvent(JSON.stringify({ name: 'ab', items: [{ quantity: 1 }] })) };
    const undeclared = { ...onePost, queryStringParameters: { dryRun: 'true' } };

    // Act
    const [get400, post400] = await Promise.all([
      get(misspelt, lambdaContext),
      create(undeclared, lambdaContext),
    ]);

    // Assess
    expect(get400.statusCode).toBe(400);
    expect(parseBody(get400)).toMatchObject({
      code: 'UNKNOWN_QUERY_PARAMETER',
      error: 'Unknown query parameter: verbos',
      details: [{ path: 'query.verbos', message: expect.stringContaining('accepts verbose') }],
    });
    // An operation without a query schema accepts none.
    expect(post400.statusCode).toBe(400);
    expect(parseBody(post400)).toMatchObject({
      code: 'UNKNOWN_QUERY_PARAMETER',
      details: [{ path: 'query.dryRun', message: expect.stringContaining('accepts none') }],
    });
  });

  it('keeps intended HTTP errors and their details', async () => {
    const notFound = await get(apiEvent({ pathParameters: { id: 'T404' } }), lambdaContext);
    expect(notFound.statusCode).toBe(404);
    expect(parseBody(notFound).code).toBe('NOT_FOUND');
    const conflict = await get(apiEvent({ pathParameters: { id: 'T409' } }), lambdaContext);
    expect(conflict.statusCode).toBe(409);
    expect(parseBody(conflict).details).toEqual([{ path: 'x', message: 'y' }]);
  });

  it('turns anything else into an opaque 500 with the requestId', async () => {
    const res = await get(apiEvent({ pathParameters: { id: 'T500' } }), lambdaContext);
    expect(res.statusCode).toBe(500);
    const body = parseBody(res);
    expect(body.code).toBe('INTERNAL_ERROR');
    expect(body.requestId).toBe('req-123');
    expect(res.body).not.toContain('hunter2');
    expect(res.body).not.toContain('/var/task');
    expect(new Date(body.timestamp ?? '').toString()).not.toBe('Invalid Date');
  });

  it('replays the stored response for the same key and body', async () => {
    const payload = { name: 'ab', items: [{ quantity: 1 }] };
    const scope = { tenantId: TENANT, operation: 'createThing', key: 'key-1', bodyHash: bodyHash(payload) };
    const stored = {
      statusCode: 201,
      headers: { 'content-type': 'application/json' },
      body: '{"success":true,"data":{"id":"T0"}}',
    };
    ddb.on(PutCommand).rejects(keyTaken());
    ddb.on(GetCommand).resolves({ Item: completedItem(scope, stored, new Date()) });
    const res = await create(
      postEvent(JSON.stringify({ items: [{ quantity: 1 }], name: 'ab' })),
      lambdaContext,
    );
    expect(res.statusCode).toBe(201);
    expect(res.body).toBe(stored.body);
    expect(res.headers['idempotent-replayed']).toBe('true');
    expect(calls).toHaveLength(0);
  });

  it('answers 409 for the same key with another body', async () => {
    const scope = {
      tenantId: TENANT,
      operation: 'createThing',
      key: 'key-1',
      bodyHash: bodyHash({ other: true }),
    };
    ddb.on(PutCommand).rejects(keyTaken());
    ddb
      .on(GetCommand)
      .resolves({ Item: completedItem(scope, { statusCode: 201, headers: {}, body: '{}' }, new Date()) });
    const res = await create(
      postEvent(JSON.stringify({ name: 'ab', items: [{ quantity: 1 }] })),
      lambdaContext,
    );
    expect(res.statusCode).toBe(409);
    expect(parseBody(res).code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(calls).toHaveLength(0);
  });

  it('claims the tenant-scoped key before the handler, then stores the successful response', async () => {
    await create(postEvent(JSON.stringify({ name: 'ab', items: [{ quantity: 1 }] })), lambdaContext);
    const [claim, completion] = ddb.commandCalls(PutCommand).map((call) => call.args[0].input);
    expect(claim?.Item).toMatchObject({ status: 'IN_PROGRESS' });
    expect(claim?.Item?.pk).toMatch(/^T#tenant-a#IDEMPOTENCY#[0-9a-f]{64}$/);
    expect(claim?.ConditionExpression).toContain('attribute_not_exists(pk)');
    expect(completion?.Item?.pk).toBe(claim?.Item?.pk);
    expect(completion?.Item?.statusCode).toBe(201);
    expect(JSON.parse(brotliDecompressSync(completion?.Item?.body).toString('utf8'))).toMatchObject({
      success: true,
    });
    expect(completion?.ExpressionAttributeValues?.[':owner']).toBe(claim?.Item?.owner);
  });

  it('never answers 500 to arbitrary bodies (property)', async () => {
    const bodies = fc.oneof(
      fc.string(),
      fc.json(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .record({
          name: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
          items: fc.oneof(
            fc.array(fc.record({ quantity: fc.oneof(fc.double(), fc.string()) })),
            fc.anything(),
          ),
        })
        .map((v) => JSON.stringify(v)),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const res = await create(postEvent(body), lambdaContext);
        expect(res.statusCode).toBeLessThan(500);
        expect(() => JSON.parse(res.body)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
