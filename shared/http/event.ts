/**
 * The parts of an API Gateway REST (v1) proxy event we read. Declared here because shared/ never imports
 * aws-lambda types; functions/ pass the real event straight through.
 */
export type ApiEvent = {
  httpMethod?: string;
  path?: string;
  resource?: string;
  body?: string | null;
  isBase64Encoded?: boolean;
  headers?: Record<string, string | undefined> | null;
  pathParameters?: Record<string, string | undefined> | null;
  queryStringParameters?: Record<string, string | undefined> | null;
  requestContext?: {
    requestId?: string;
    /** The Lambda authorizer's context (`AuthorizerContext`, shared/tenancy/context.ts). */
    authorizer?: Record<string, unknown> | null;
    identity?: { sourceIp?: string | null } | null;
  } | null;
};

export function header(event: ApiEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}
