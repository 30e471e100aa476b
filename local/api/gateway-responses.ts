import type { ServerResponse } from 'node:http';
import { ACCOUNT_ID } from '../aws.ts';
import { clfTime } from './request-time.ts';
import type { RestApiSpec } from './routes.ts';

/**
 * The responses API Gateway produces itself (no function answers), by the gateway response type it renders,
 * with AWS's default status, message and `x-amzn-ErrorType`. A failed Lambda proxy invocation (function
 * error, malformed proxy result, Invoke API error) has no type of its own: API Gateway renders it with
 * DEFAULT_5XX and status 502.
 */
const GATEWAY_DEFAULTS = {
  UNAUTHORIZED: { status: 401, message: 'Unauthorized', errorType: 'UnauthorizedException' },
  MISSING_AUTHENTICATION_TOKEN: {
    status: 403,
    message: 'Missing Authentication Token',
    errorType: 'MissingAuthenticationTokenException',
  },
  BAD_REQUEST_PARAMETERS: {
    status: 400,
    message: 'Missing required request parameters',
    errorType: 'BadRequestException',
  },
  REQUEST_TOO_LARGE: { status: 413, message: 'Request Too Long', errorType: 'RequestTooLargeException' },
  THROTTLED: { status: 429, message: 'Too Many Requests', errorType: 'TooManyRequestsException' },
  INTEGRATION_TIMEOUT: {
    status: 504,
    message: 'Endpoint request timed out',
    errorType: 'InternalServerErrorException',
  },
  ACCESS_DENIED: {
    status: 403,
    message: 'User is not authorized to access this resource',
    errorType: 'AccessDeniedException',
  },
  AUTHORIZER_FAILURE: { status: 500, message: null, errorType: 'AuthorizerFailureException' },
  AUTHORIZER_CONFIGURATION_ERROR: {
    status: 500,
    message: null,
    errorType: 'AuthorizerConfigurationException',
  },
  DEFAULT_5XX: { status: 502, message: 'Internal server error', errorType: 'InternalServerErrorException' },
} as const;

export type GatewayResponseType = keyof typeof GATEWAY_DEFAULTS;

/** What API Gateway knows of a request when it answers it itself: the `$context` its templates can read. */
export type GatewayRequestContext = {
  requestId: string;
  requestTimeEpoch: number;
  apiId: string;
  stage: string;
  httpMethod: string;
  path: string;
  resourcePath?: string;
  domainName?: string;
  sourceIp?: string;
  userAgent?: string;
};

/**
 * Renders the gateway response of `type`: the template's `AWS::ApiGateway::GatewayResponse` for the type, else
 * its DEFAULT_4XX / DEFAULT_5XX (with the type's own status unless that one sets a status), else AWS's default
 * body `{"message": "…"}`.
 */
export function sendGatewayResponse(
  api: RestApiSpec,
  response: ServerResponse,
  type: GatewayResponseType,
  context: GatewayRequestContext,
  message?: string,
): void {
  const defaults = GATEWAY_DEFAULTS[type];
  const family = defaults.status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
  const custom = api.gatewayResponses[type] ?? api.gatewayResponses[family];
  const status = custom?.statusCode ?? defaults.status;
  const variables = contextVariables(context, type, message ?? defaults.message);
  const body = renderGatewayTemplate(
    custom?.template ?? '{"message":$context.error.messageString}',
    variables,
  );
  const payload = Buffer.from(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    ...(custom?.headers ?? {}),
    'content-length': payload.length,
    'x-amzn-requestid': context.requestId,
    'x-amzn-errortype': defaults.errorType,
  });
  response.end(payload);
}

/** The `$context` variables a gateway response template can use, as API Gateway fills them. */
export function contextVariables(
  context: GatewayRequestContext,
  type: string,
  /** `null` for the authorizer failures: API Gateway answers `{"message": null}` for them. */
  message: string | null,
): Map<string, string> {
  return new Map([
    ['requestId', context.requestId],
    ['extendedRequestId', context.requestId],
    ['requestTime', clfTime(new Date(context.requestTimeEpoch))],
    ['requestTimeEpoch', String(context.requestTimeEpoch)],
    ['accountId', ACCOUNT_ID],
    ['apiId', context.apiId],
    ['stage', context.stage],
    ['httpMethod', context.httpMethod],
    ['path', context.path],
    ['resourcePath', context.resourcePath ?? ''],
    ['domainName', context.domainName ?? ''],
    ['identity.sourceIp', context.sourceIp ?? ''],
    ['identity.userAgent', context.userAgent ?? ''],
    ['error.message', message ?? ''],
    ['error.messageString', JSON.stringify(message)],
    ['error.responseType', type],
    ['error.validationErrorString', ''],
  ]);
}

const CONTEXT_VARIABLE = /\$(?:\{context\.([A-Za-z0-9_.]+)\}|context\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*))/g;

/**
 * Gateway response templates are plain `$context` substitution, not VTL: `$context.x.y` and `${context.x.y}`
 * become their values, everything else is literal text. A variable this renderer does not know stays as
 * written (test/infra checks that the template's templates use none).
 */
export function renderGatewayTemplate(template: string, variables: Map<string, string>): string {
  return template.replace(CONTEXT_VARIABLE, (whole, braced?: string, bare?: string) => {
    const name = braced ?? bare ?? '';
    return variables.get(name) ?? whole;
  });
}

/** The `$context` variable names a template uses. */
export function templateVariables(template: string): string[] {
  return [...template.matchAll(CONTEXT_VARIABLE)].map((match) => match[1] ?? match[2] ?? '');
}
