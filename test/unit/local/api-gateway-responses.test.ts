import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GATEWAY_RESPONSE_CODES, gatewayResponseTemplate } from '#infra/constructs/api';
import { LambdaAuthorizers } from '#local/api/lambda-authorizer';
import type { AuthorizerSpec, MethodSpec, RestApiSpec } from '#local/api/routes';
import { startApiServer } from '#local/api/server';
import { StageThrottle, stageThrottling, TokenBucket } from '#local/api/throttling';
import { closeServer } from '#local/emulators/sqs';
import { FunctionError } from '#local/lambda/errors';
import type { LambdaRegistry } from '#local/lambda/registry';

const CLF_TIME = /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/;

const AUTHORIZER: AuthorizerSpec = {
  type: 'REQUEST',
  id: 'auth1',
  functionName: 'authorizer',
  identityHeaders: ['Authorization'],
  ttlSeconds: 60,
};

const method = (
  httpMethod: string,
  resourcePath: string,
  functionName: string,
  authorizationType = 'NONE',
): MethodSpec => ({
  httpMethod,
  resourcePath,
  resourceId: resourcePath,
  authorizationType,
  ...(authorizationType === 'CUSTOM' ? { authorizer: AUTHORIZER } : {}),
  integration: { type: 'AWS_PROXY', functionName },
});

/** The gateway responses the template declares (infra/constructs/api.ts), as the local API reads them. */
const templateGatewayResponses = Object.fromEntries(
  Object.entries(GATEWAY_RESPONSE_CODES).map(([type, code]) => [
    type,
    { headers: {}, template: gatewayResponseTemplate(code) },
  ]),
);

const api: RestApiSpec = {
  id: 'api',
  name: 'api',
  stageName: 'v1',
  binaryMediaTypes: [],
  methods: [
    method('GET', '/claims', 'claims', 'CUSTOM'),
    method('GET', '/other', 'claims', 'CUSTOM'),
    method('POST', '/echo', 'echo'),
    method('GET', '/burst', 'echo', 'CUSTOM'),
    method('GET', '/slow', 'slow'),
    method('GET', '/fail', 'fail'),
  ],
  gatewayResponses: templateGatewayResponses,
  throttling: stageThrottling([
    { HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 1000 },
    { HttpMethod: 'GET', ResourcePath: '/~1burst', ThrottlingRateLimit: 2, ThrottlingBurstLimit: 3 },
  ]),
};

const policy = (effect: string, resource: string) => ({
  Version: '2012-10-17',
  Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
});

/**
 * The authorizer function answers by token: `allow-<x>` → the whole stage with a context; `only-claims` → GET
 * /claims only; `deny` → an explicit Deny; `nested` → a context with an object; `anonymous` → no principalId;
 * `boom` → a function error; anything else → `Unauthorized`.
 */
function authorizerAnswer(event: { methodArn: string; headers: Record<string, string> }) {
  const token = String(event.headers.Authorization ?? event.headers.authorization ?? '').replace(
    /^Bearer /,
    '',
  );
  const stage = event.methodArn.split('/').slice(0, 2).join('/');
  const context = { actorId: token, tenantId: 'tenant-a', count: 1, flag: true };
  if (token.startsWith('allow-'))
    return { principalId: token, policyDocument: policy('Allow', `${stage}/*`), context };
  if (token === 'only-claims') {
    return { principalId: token, policyDocument: policy('Allow', `${stage}/GET/claims`), context };
  }
  if (token === 'deny') return { principalId: token, policyDocument: policy('Deny', `${stage}/*`) };
  if (token === 'nested') {
    return {
      principalId: token,
      policyDocument: policy('Allow', `${stage}/*`),
      context: { roles: ['USER'] },
    };
  }
  if (token === 'anonymous') return { policyDocument: policy('Allow', `${stage}/*`) };
  if (token === 'boom') throw new FunctionError('TypeError', 'boom');
  throw new FunctionError('Error', 'Unauthorized');
}

function fakeLambda(invoked: string[]): LambdaRegistry {
  return {
    invoke: async (name: string, event: never) => {
      invoked.push(name);
      if (name === 'authorizer') return authorizerAnswer(event);
      if (name === 'slow') return new Promise(() => undefined);
      if (name === 'fail') throw new FunctionError('TypeError', 'boom');
      const { requestContext } = event as { requestContext: { authorizer?: unknown } };
      return { statusCode: 200, body: JSON.stringify(requestContext.authorizer ?? null) };
    },
  } as unknown as LambdaRegistry;
}

describe('gateway responses, the Lambda authorizer and stage throttling in the local REST API', () => {
  const invoked: string[] = [];
  let clock = 1_000_000;
  let apiServer: Server;
  let url: string;
  const lambda = fakeLambda(invoked);
  const authorizers = new LambdaAuthorizers(
    (name, event, requestId) => lambda.invoke(name, event, requestId),
    () => clock,
  );
  const get = (path: string, token?: string) =>
    fetch(`${url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  beforeAll(async () => {
    apiServer = await startApiServer({
      api,
      lambda,
      authorizers,
      port: 0,
      onAccess: () => undefined,
      onError: () => undefined,
      integrationTimeoutMs: 200,
    });
    url = `http://127.0.0.1:${(apiServer.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    invoked.length = 0;
    authorizers.flush();
  });

  afterAll(async () => {
    await closeServer(apiServer);
  });

  const envelopeOf = async (response: Response) => ({
    status: response.status,
    requestIdHeader: response.headers.get('x-amzn-requestid'),
    body: (await response.json()) as Record<string, unknown>,
  });

  it('answers what the gateway refuses in the house error envelope, with a stable code per response type', async () => {
    // Prepare
    const cases: Array<[Promise<Response>, number, string, string | null]> = [
      [get('/claims'), 401, 'UNAUTHORIZED', 'Unauthorized'],
      [get('/claims', 'unknown'), 401, 'UNAUTHORIZED', 'Unauthorized'],
      [
        get('/claims', 'deny'),
        403,
        'ACCESS_DENIED',
        'User is not authorized to access this resource with an explicit deny',
      ],
      [get('/claims', 'nested'), 500, 'AUTHORIZER_CONFIGURATION_ERROR', null],
      [get('/claims', 'anonymous'), 500, 'AUTHORIZER_CONFIGURATION_ERROR', null],
      [get('/claims', 'boom'), 500, 'AUTHORIZER_FAILURE', null],
      [fetch(`${url}/nowhere`), 403, 'MISSING_TOKEN', 'Missing Authentication Token'],
      [
        fetch(`${url}/echo`, { method: 'POST', body: Buffer.alloc(10 * 1024 * 1024 + 1) }),
        413,
        'PAYLOAD_TOO_LARGE',
        'Request Too Long',
      ],
      [fetch(`${url}/slow`), 504, 'INTEGRATION_TIMEOUT', 'Endpoint request timed out'],
      [fetch(`${url}/fail`), 502, 'INTERNAL_ERROR', 'Internal server error'],
    ];

    // Act
    const answers = await Promise.all(cases.map(async ([response]) => envelopeOf(await response)));

    // Assess
    answers.forEach((answer, index) => {
      const [, status, code, error] = cases[index]!;
      expect(answer.status, code).toBe(status);
      expect(answer.body).toEqual({
        success: false,
        error,
        code,
        details: [],
        requestId: answer.requestIdHeader,
        timestamp: expect.stringMatching(CLF_TIME),
      });
    });
  });

  it('refuses a request without the identity source with 401 before invoking the authorizer', async () => {
    // Act
    const response = await get('/claims');

    // Assess
    expect(response.status).toBe(401);
    expect(invoked).toEqual([]);
  });

  it('hands the allowed context (strings, numbers, booleans) and the principalId to the function', async () => {
    // Act
    const response = await get('/claims', 'allow-1');

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      actorId: 'allow-1',
      tenantId: 'tenant-a',
      count: 1,
      flag: true,
      principalId: 'allow-1',
    });
  });

  it('caches an answer per identity-source value for the TTL, across routes, until flushed', async () => {
    // Act
    const first = await get('/claims', 'allow-2');
    const sameTokenOtherRoute = await get('/other', 'allow-2');
    const otherToken = await get('/claims', 'allow-3');
    clock += 59_000;
    const withinTtl = await get('/claims', 'allow-2');
    clock += 2_000;
    const afterTtl = await get('/claims', 'allow-2');
    const flush = await fetch(`${url}/restapis/api/stages/v1/cache/authorizers`, { method: 'DELETE' });
    const afterFlush = await get('/claims', 'allow-2');

    // Assess
    expect(
      [first, sameTokenOtherRoute, otherToken, withinTtl, afterTtl, afterFlush].map((r) => r.status),
    ).toEqual([200, 200, 200, 200, 200, 200]);
    expect(flush.status).toBe(202);
    expect(invoked.filter((name) => name === 'authorizer')).toHaveLength(4);
  });

  it('evaluates the cached policy against each route: a policy for one method answers 403 on the next', async () => {
    // Act
    const allowed = await get('/claims', 'only-claims');
    const other = await get('/other', 'only-claims');

    // Assess
    expect(allowed.status).toBe(200);
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(invoked.filter((name) => name === 'authorizer')).toHaveLength(1);
  });

  it('throttles each method with its own token bucket (burst, then the rate), before the authorizer and any function', async () => {
    // Act: unauthenticated calls still spend the method's tokens.
    const burst = await Promise.all(Array.from({ length: 5 }, () => fetch(`${url}/burst`)));
    const otherMethod = await fetch(`${url}/echo`, { method: 'POST', body: '{}' });
    await new Promise((resolve) => setTimeout(resolve, 600));
    const afterRefill = await fetch(`${url}/burst`);

    // Assess
    const statuses = burst.map((response) => response.status).sort();
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const throttled = burst.find((response) => response.status === 429)!;
    expect(throttled.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
    expect(await throttled.json()).toMatchObject({
      success: false,
      code: 'THROTTLED',
      error: 'Too Many Requests',
    });
    expect(otherMethod.status).toBe(200);
    expect(afterRefill.status).toBe(401);
    expect(invoked).toEqual(['echo']);
  });
});

describe('stage throttling', () => {
  it('reads the template’s MethodSettings: the stage default and per-method overrides (~1 for /)', () => {
    const throttling = stageThrottling([
      {
        HttpMethod: '*',
        ResourcePath: '/*',
        ThrottlingRateLimit: 50,
        ThrottlingBurstLimit: 100,
        LoggingLevel: 'INFO',
      },
      { HttpMethod: 'POST', ResourcePath: '/~1v1~1documents', ThrottlingBurstLimit: 10 },
    ]);

    expect(throttling.defaults).toEqual({ rateLimit: 50, burstLimit: 100 });
    expect(throttling.methods.get('POST /v1/documents')).toEqual({ burstLimit: 10 });
  });

  it('refills a bucket at the rate, never above the burst', () => {
    let clock = 0;
    const bucket = new TokenBucket(10, 2, () => clock);

    const first = [bucket.take(), bucket.take(), bucket.take()];
    clock += 100; // one token back
    const second = [bucket.take(), bucket.take()];
    clock += 10_000; // refilled to the burst only
    const third = [bucket.take(), bucket.take(), bucket.take()];

    expect(first).toEqual([true, true, false]);
    expect(second).toEqual([true, false]);
    expect(third).toEqual([true, true, false]);
  });

  it('does not throttle a stage whose settings declare no limits', () => {
    const throttle = new StageThrottle(stageThrottling([{ HttpMethod: '*', ResourcePath: '/*' }]), () => 0);

    expect(Array.from({ length: 1000 }, () => throttle.admit('GET', '/x')).every(Boolean)).toBe(true);
  });
});
