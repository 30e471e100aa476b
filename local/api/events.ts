import type { IncomingMessage } from 'node:http';
import { ACCOUNT_ID } from '../aws.ts';
import { clfTime } from './request-time.ts';
import type { MethodSpec } from './routes.ts';

export type ProxyEvent = {
  resource: string;
  path: string;
  httpMethod: string;
  headers: Record<string, string> | null;
  multiValueHeaders: Record<string, string[]> | null;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  pathParameters: Record<string, string> | null;
  stageVariables: null;
  /** `authorizer` is set by the gateway once the method's authorizer allowed the request. */
  requestContext: Record<string, unknown> & { authorizer?: Record<string, unknown> };
  body: string | null;
  isBase64Encoded: boolean;
};

/**
 * Builds the REST API (v1) Lambda proxy event API Gateway would send. Single-value maps keep the last value
 * of repeated headers/parameters, as API Gateway does; header names keep the client's casing.
 */
export function buildProxyEvent(input: {
  request: IncomingMessage;
  url: URL;
  path: string;
  body: Buffer;
  method: MethodSpec;
  apiId: string;
  stageName: string;
  pathParameters: Record<string, string>;
  requestId: string;
  requestTimeEpoch: number;
  binaryMediaTypes: string[];
}): ProxyEvent {
  const { request, url, body, method } = input;
  // No prototype: a header or query parameter may be named `constructor` or `__proto__`.
  const multiValueHeaders: Record<string, string[]> = Object.create(null);
  for (let index = 0; index < request.rawHeaders.length; index += 2) {
    const name = request.rawHeaders[index]!;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), request.rawHeaders[index + 1]!];
  }
  const headers = Object.fromEntries(
    Object.entries(multiValueHeaders).map(([name, values]) => [name, values.at(-1)!]),
  );
  const multiValueQuery: Record<string, string[]> = Object.create(null);
  for (const [name, value] of url.searchParams)
    multiValueQuery[name] = [...(multiValueQuery[name] ?? []), value];
  const query = Object.fromEntries(
    Object.entries(multiValueQuery).map(([name, values]) => [name, values.at(-1)!]),
  );
  const contentType = String(request.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim();
  const binary = body.length > 0 && isBinary(contentType, input.binaryMediaTypes);
  const sourceIp = request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1';
  return {
    resource: method.resourcePath,
    path: input.path,
    httpMethod: String(request.method),
    headers: Object.keys(headers).length ? headers : null,
    multiValueHeaders: Object.keys(multiValueHeaders).length ? multiValueHeaders : null,
    queryStringParameters: Object.keys(query).length ? query : null,
    multiValueQueryStringParameters: Object.keys(multiValueQuery).length ? multiValueQuery : null,
    pathParameters: Object.keys(input.pathParameters).length ? input.pathParameters : null,
    stageVariables: null,
    requestContext: {
      accountId: ACCOUNT_ID,
      apiId: input.apiId,
      resourceId: method.resourceId,
      resourcePath: method.resourcePath,
      httpMethod: String(request.method),
      path: `/${input.stageName}${input.path}`,
      stage: input.stageName,
      domainName: String(request.headers.host ?? '127.0.0.1'),
      domainPrefix: input.apiId,
      protocol: `HTTP/${request.httpVersion}`,
      requestId: input.requestId,
      extendedRequestId: input.requestId,
      requestTime: clfTime(new Date(input.requestTimeEpoch)),
      requestTimeEpoch: input.requestTimeEpoch,
      identity: {
        sourceIp,
        userAgent: request.headers['user-agent'] ?? null,
        accountId: null,
        caller: null,
        user: null,
        userArn: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        accessKey: null,
      },
    },
    body: body.length === 0 ? null : binary ? body.toString('base64') : body.toString('utf8'),
    isBase64Encoded: binary,
  };
}

function isBinary(contentType: string, binaryMediaTypes: string[]): boolean {
  return binaryMediaTypes.some((type) => {
    if (type === '*/*') return true;
    if (type.endsWith('/*')) return contentType.startsWith(type.slice(0, -1));
    return type === contentType;
  });
}
