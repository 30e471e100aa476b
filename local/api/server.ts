import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ACCOUNT_ID, REGION } from '../aws.ts';
import type { LambdaRegistry } from '../lambda/registry.ts';
import { buildProxyEvent } from './events.ts';
import {
  type GatewayRequestContext,
  type GatewayResponseType,
  sendGatewayResponse,
} from './gateway-responses.ts';
import type { LambdaAuthorizers } from './lambda-authorizer.ts';
import { type MethodSpec, matchRoute, type RestApiSpec } from './routes.ts';
import { StageThrottle } from './throttling.ts';

/** API Gateway's payload quota for REST APIs (10 MB). */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/** API Gateway's integration timeout (29 s by default). */
const INTEGRATION_TIMEOUT_MS = 29_000;

type ProxyResult = {
  statusCode?: number;
  headers?: Record<string, string | number | boolean>;
  multiValueHeaders?: Record<string, Array<string | number | boolean>>;
  body?: string;
  isBase64Encoded?: boolean;
};

export type ApiServerOptions = {
  api: RestApiSpec;
  lambda: LambdaRegistry;
  /** The stage's Lambda authorizers and their result cache. */
  authorizers: LambdaAuthorizers;
  port: number;
  onAccess(line: string): void;
  onError(message: string, error: unknown): void;
  /** Integration timeout; API Gateway's 29 s unless a test shortens it. */
  integrationTimeoutMs?: number;
};

/**
 * An HTTP server that behaves like the REST API stage: payload limit, routing, stage throttling, the
 * Lambda authorizer, parameter validation, proxy integration; what it answers itself goes through the template's
 * gateway responses.
 */
export function startApiServer(options: ApiServerOptions): Promise<Server> {
  const throttle = new StageThrottle(options.api.throttling);
  const server = createServer((request, response) => {
    const started = Date.now();
    const context: GatewayRequestContext = {
      requestId: randomUUID(),
      requestTimeEpoch: started,
      apiId: options.api.id,
      stage: options.api.stageName,
      httpMethod: String(request.method),
      path: new URL(request.url ?? '/', 'http://127.0.0.1').pathname,
      domainName: request.headers.host,
      sourceIp: request.socket.remoteAddress?.replace(/^::ffff:/, ''),
      userAgent: request.headers['user-agent'],
    };
    void handle(options, throttle, request, response, context)
      .catch((error) => {
        options.onError(`${request.method} ${request.url}`, error);
        if (!response.headersSent) sendGatewayResponse(options.api, response, 'DEFAULT_5XX', context);
      })
      .finally(() =>
        options.onAccess(
          `${request.method} ${request.url} ${response.statusCode} ${Date.now() - started}ms ${context.requestId}`,
        ),
      );
  });
  // Keep-alive sockets would otherwise hold `stop()` for the client's idle timeout.
  server.keepAliveTimeout = 1000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve(server));
  });
}

async function handle(
  options: ApiServerOptions,
  throttle: StageThrottle,
  request: IncomingMessage,
  response: ServerResponse,
  context: GatewayRequestContext,
) {
  const { api } = options;
  const { requestId } = context;
  const answer = (type: GatewayResponseType, message?: string) =>
    sendGatewayResponse(api, response, type, context, message);
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  // API Gateway's FlushStageAuthorizersCache (DELETE /restapis/{id}/stages/{stage}/cache/authorizers), on the
  // API's own port: tests need not wait out the authorizer's TTL.
  if (
    request.method === 'DELETE' &&
    url.pathname === `/restapis/${api.id}/stages/${api.stageName}/cache/authorizers`
  ) {
    options.authorizers.flush();
    response.writeHead(202, { 'content-length': 0, 'x-amzn-requestid': requestId });
    response.end();
    return;
  }
  // Accept both `/v1/...` and the stage-prefixed `/<stage>/v1/...` that the AWS invoke URL uses.
  let path = url.pathname;
  if (path === `/${api.stageName}` || path.startsWith(`/${api.stageName}/`)) {
    const stripped = path.slice(api.stageName.length + 1) || '/';
    if (matchRoute(api.methods, String(request.method), stripped)) path = stripped;
  }
  // Refused before routing, authorization or any function: a declared length is enough to know.
  if (Number(request.headers['content-length'] ?? 0) > MAX_PAYLOAD_BYTES) return answer('REQUEST_TOO_LARGE');
  const body = await readBody(request, MAX_PAYLOAD_BYTES);
  if (body === undefined) return answer('REQUEST_TOO_LARGE');
  const match = matchRoute(api.methods, String(request.method), path);
  if (!match) return answer('MISSING_AUTHENTICATION_TOKEN');
  const { method, pathParameters } = match;
  context.resourcePath = method.resourcePath;
  // The stage's buckets are per method and are drawn before the authorizer runs.
  if (!throttle.admit(method.httpMethod, method.resourcePath)) return answer('THROTTLED');

  if (method.integration.type === 'MOCK') {
    response.writeHead(method.integration.statusCode, {
      ...method.integration.headers,
      'x-amzn-requestid': requestId,
      'content-length': 0,
    });
    response.end();
    return;
  }
  if (method.integration.type === 'UNSUPPORTED') {
    options.onError(`${method.httpMethod} ${method.resourcePath}`, new Error(method.integration.description));
    return answer('DEFAULT_5XX');
  }

  const event = buildProxyEvent({
    request,
    url,
    path,
    body,
    method,
    apiId: api.id,
    stageName: api.stageName,
    pathParameters,
    requestId,
    requestTimeEpoch: context.requestTimeEpoch,
    binaryMediaTypes: api.binaryMediaTypes,
  });
  if (method.authorizationType === 'CUSTOM') {
    if (!method.authorizer) return answer('AUTHORIZER_CONFIGURATION_ERROR');
    const { body: _body, isBase64Encoded: _encoded, ...requestFields } = event;
    const verdict = await options.authorizers.authorize(method.authorizer, {
      headers: request.headers,
      methodArn: `arn:aws:execute-api:${REGION}:${ACCOUNT_ID}:${api.id}/${api.stageName}/${String(request.method)}${path}`,
      requestId,
      event: requestFields,
    });
    if (verdict.kind === 'refused') return answer(verdict.type, verdict.message);
    event.requestContext.authorizer = { ...verdict.context, principalId: verdict.principalId };
  } else if (method.authorizationType !== 'NONE') {
    options.onError(
      `${method.httpMethod} ${method.resourcePath}`,
      new Error(`authorization type ${method.authorizationType} is not run locally`),
    );
    return answer('DEFAULT_5XX');
  }

  // Request validation comes after the authorizer, as in API Gateway.
  const missing = missingParameters(method, request, url);
  if (missing.length) {
    return answer('BAD_REQUEST_PARAMETERS', `Missing required request parameters: [${missing.join(', ')}]`);
  }

  let result: ProxyResult;
  try {
    result = (await withTimeout(
      options.lambda.invoke(method.integration.functionName, event, requestId),
      options.integrationTimeoutMs ?? INTEGRATION_TIMEOUT_MS,
    )) as ProxyResult;
  } catch (error) {
    if (error instanceof IntegrationTimeout) return answer('INTEGRATION_TIMEOUT');
    options.onError(
      `${method.httpMethod} ${method.resourcePath} → ${method.integration.functionName}`,
      error,
    );
    return answer('DEFAULT_5XX');
  }
  if (
    !result ||
    typeof result !== 'object' ||
    (result.statusCode !== undefined && !Number.isInteger(result.statusCode))
  ) {
    options.onError(`${method.integration.functionName}`, new Error('Malformed Lambda proxy response'));
    return answer('DEFAULT_5XX');
  }
  const headers: Record<string, string | string[]> = {};
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {}))
    headers[name.toLowerCase()] = values.map(String);
  for (const [name, value] of Object.entries(result.headers ?? {}))
    headers[name.toLowerCase()] = String(value);
  const payload =
    result.body === undefined || result.body === null
      ? Buffer.alloc(0)
      : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  response.writeHead(result.statusCode ?? 200, {
    'content-type': 'application/json',
    ...headers,
    'content-length': payload.length,
    'x-amzn-requestid': requestId,
    'x-amz-apigw-id': requestId.slice(0, 16),
  });
  response.end(payload);
}

function missingParameters(method: MethodSpec, request: IncomingMessage, url: URL): string[] {
  const required = method.requiredParameters;
  if (!required) return [];
  return [
    ...required.headers.filter((name) => request.headers[name.toLowerCase()] === undefined),
    ...required.querystrings.filter((name) => !url.searchParams.has(name)),
  ];
}

class IntegrationTimeout extends Error {}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new IntegrationTimeout()), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
