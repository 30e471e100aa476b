import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_RESPONSE_CODES, gatewayResponseTemplate } from '#infra/constructs/api';
import { CLOCK_SKEW_SECONDS, CognitoAuthorizer } from '#local/api/authorizer';
import type { MethodSpec, RestApiSpec } from '#local/api/routes';
import { startApiServer } from '#local/api/server';
import { StageThrottle, stageThrottling, TokenBucket } from '#local/api/throttling';
import { closeServer } from '#local/emulators/sqs';
import { FunctionError } from '#local/lambda/errors';
import type { LambdaRegistry } from '#local/lambda/registry';

const POOL = 'us-east-1_pool1';
const CLF_TIME = /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/;

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
  userPoolArns: authorizationType === 'NONE' ? [] : [POOL],
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
    method('GET', '/claims', 'claims', 'COGNITO_USER_POOLS'),
    method('POST', '/echo', 'echo'),
    method('GET', '/burst', 'echo', 'COGNITO_USER_POOLS'),
    method('GET', '/slow', 'slow'),
    method('GET', '/fail', 'fail'),
  ],
  gatewayResponses: templateGatewayResponses,
  throttling: stageThrottling([
    { HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 1000 },
    { HttpMethod: 'GET', ResourcePath: '/~1burst', ThrottlingRateLimit: 2, ThrottlingBurstLimit: 3 },
  ]),
};

function fakeLambda(invoked: string[]): LambdaRegistry {
  return {
    invoke: async (name: string, event: { requestContext: { authorizer?: unknown } }) => {
      invoked.push(name);
      if (name === 'slow') return new Promise(() => undefined);
      if (name === 'fail') throw new FunctionError('TypeError', 'boom');
      return { statusCode: 200, body: JSON.stringify(event.requestContext.authorizer ?? null) };
    },
  } as unknown as LambdaRegistry;
}

describe('gateway responses, the Cognito authorizer and stage throttling in the local REST API', () => {
  const invoked: string[] = [];
  let jwks: Server;
  let apiServer: Server;
  let url: string;
  let sign: (payload: JWTPayload) => Promise<string>;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const issuerBase = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`;
    sign = (payload) =>
      new SignJWT({ token_use: 'id', 'custom:tenantId': 'tenant-a', ...payload })
        .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
        .setIssuer(`${issuerBase}/${POOL}`)
        .sign(privateKey);
    apiServer = await startApiServer({
      api,
      lambda: fakeLambda(invoked),
      authorizer: new CognitoAuthorizer(issuerBase),
      userPoolIdOf: (arn) => arn,
      port: 0,
      onAccess: () => undefined,
      onError: () => undefined,
      integrationTimeoutMs: 200,
    });
    url = `http://127.0.0.1:${(apiServer.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await closeServer(apiServer);
    await closeServer(jwks);
  });

  const envelopeOf = async (response: Response) => ({
    status: response.status,
    requestIdHeader: response.headers.get('x-amzn-requestid'),
    body: (await response.json()) as Record<string, unknown>,
  });

  it('answers what the gateway refuses in the house error envelope, with a stable code per response type', async () => {
    // Prepare
    const expired = await sign({ exp: now() - 5, iat: now() - 3600 });
    const cases: Array<[Promise<Response>, number, string, string]> = [
      [fetch(`${url}/claims`), 401, 'UNAUTHORIZED', 'Unauthorized'],
      [
        fetch(`${url}/claims`, { headers: { authorization: `Bearer ${expired}` } }),
        401,
        'UNAUTHORIZED',
        'The incoming token has expired',
      ],
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

  it('throttles each method with its own token bucket (burst, then the rate), before the authorizer and any function', async () => {
    // Prepare
    invoked.length = 0;

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

  it('takes an ID token with exp, and nbf/iat within the clock skew; hands its claims to the function as strings', async () => {
    // Prepare
    const token = await sign({
      exp: now() + 600,
      iat: now() + 10,
      nbf: now() + 10,
      'cognito:groups': ['USER'],
    });

    // Act
    const response = await fetch(`${url}/claims`, { headers: { authorization: `Bearer ${token}` } });

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      claims: { 'custom:tenantId': 'tenant-a', 'cognito:groups': 'USER', token_use: 'id' },
    });
  });

  it.each([
    ['without exp', (): JWTPayload => ({ iat: now() })],
    ['issued in the future', (): JWTPayload => ({ exp: now() + 600, iat: now() + CLOCK_SKEW_SECONDS + 60 })],
    [
      'not valid before a future time',
      (): JWTPayload => ({ exp: now() + 600, iat: now(), nbf: now() + CLOCK_SKEW_SECONDS + 60 }),
    ],
    ['that is an access token', (): JWTPayload => ({ exp: now() + 600, iat: now(), token_use: 'access' })],
  ])('refuses a token %s with 401 Unauthorized', async (_name, claims) => {
    // Prepare
    const token = await sign(claims());

    // Act
    const response = await fetch(`${url}/claims`, { headers: { authorization: token } });

    // Assess
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'UNAUTHORIZED', error: 'Unauthorized' });
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
