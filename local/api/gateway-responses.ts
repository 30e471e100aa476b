import type { ServerResponse } from 'node:http';
import type { RestApiSpec } from './routes.ts';

/**
 * The responses API Gateway produces itself (no function involved), by gateway response type, with AWS's
 * default status and message. The body is AWS's default `{"message": "…"}` unless the template declares an
 * `AWS::ApiGateway::GatewayResponse` for the type (or for DEFAULT_4XX / DEFAULT_5XX): customising them is a
 * template change, and this is the one place the local API reads it.
 */
const GATEWAY_DEFAULTS: Record<string, { status: number; message: string }> = {
  UNAUTHORIZED: { status: 401, message: 'Unauthorized' },
  BAD_REQUEST_PARAMETERS: { status: 400, message: 'Missing required request parameters' },
  MISSING_AUTHENTICATION_TOKEN: { status: 403, message: 'Missing Authentication Token' },
  REQUEST_TOO_LARGE: { status: 413, message: 'Request Too Long' },
  INTEGRATION_TIMEOUT: { status: 504, message: 'Endpoint request timed out' },
  // A Lambda invocation that failed (function error, malformed proxy result, Invoke API error).
  INTEGRATION_FAILURE: { status: 502, message: 'Internal server error' },
};

export type GatewayResponseType = keyof typeof GATEWAY_DEFAULTS;

export function sendGatewayResponse(
  api: RestApiSpec,
  response: ServerResponse,
  type: GatewayResponseType,
  requestId: string,
  message?: string,
): void {
  const defaults = GATEWAY_DEFAULTS[type] ?? { status: 500, message: 'Internal server error' };
  const fallback = { ...defaults, message: message ?? defaults.message };
  const family = fallback.status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
  const custom = api.gatewayResponses[type] ?? api.gatewayResponses[family];
  const status = api.gatewayResponses[type]?.statusCode ?? fallback.status;
  const body = custom?.template
    ? custom.template
        .replaceAll('$context.error.messageString', JSON.stringify(fallback.message))
        .replaceAll('$context.error.message', fallback.message)
        .replaceAll('$context.error.responseType', type)
        .replaceAll('$context.requestId', requestId)
        .replaceAll('$context.extendedRequestId', requestId)
    : JSON.stringify({ message: fallback.message });
  const payload = Buffer.from(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    ...(custom?.headers ?? {}),
    'content-length': payload.length,
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': type === 'UNAUTHORIZED' ? 'UnauthorizedException' : type,
  });
  response.end(payload);
}
