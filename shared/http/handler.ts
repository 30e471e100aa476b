import middy from '@middy/core';
import type { z } from 'zod';
import type { IdempotencyClaim, StoredResponse } from '#shared/data/idempotency';
import { powertoolsMiddlewares } from '#shared/observability/middlewares';
import {
  callerContextFromAuthorizer,
  type PlatformContext,
  type TenantContext,
} from '#shared/tenancy/context';
import { runAsTenant } from '#shared/tenancy/tenant-scope';
import { type HttpResponse, successResponse } from './envelope.ts';
import type { ApiEvent } from './event.ts';
import {
  type ApiInternal,
  errorMapper,
  idempotency,
  jsonBody,
  requestKeys,
  tenantContext,
  toStored,
  validation,
} from './middlewares.ts';
import type { Operation } from './operation.ts';

/** What a handler returns: data for the success envelope, or a redirect. */
export type ApiResult =
  | { statusCode?: number; data: unknown; message?: string; headers?: Record<string, string> }
  | { redirect: string };

export type ApiRequest<O extends Operation> = {
  /**
   * Present on every operation with a `permission` (all but the documentation routes): the tenant's context,
   * or for platform operations the platform principal's.
   */
  ctx: O['scope'] extends 'platform'
    ? PlatformContext
    : O['scope'] extends 'tenant-or-platform'
      ? TenantContext | PlatformContext
      : TenantContext;
  params: z.output<NonNullable<O['params']>>;
  query: z.output<NonNullable<O['query']>>;
  /** Parsed by the operation's schema, or the raw JSON when the service validates it. */
  body: O['bodyValidation'] extends 'service' ? unknown : z.output<NonNullable<O['body']>>;
  requestId: string;
  event: ApiEvent;
  /**
   * For idempotent operations whose service completes the idempotency record in its own transaction: the
   * request's claim of the key, and how to turn the eventual result into the stored HTTP response.
   */
  idempotency?: { scope: IdempotencyClaim; storedResponse: (result: ApiResult) => StoredResponse };
  /** Call when the record was written by the service, so the middleware does not write it again. */
  markIdempotencyStored: () => void;
};

export function toHttpResponse(result: ApiResult, successStatus: number): HttpResponse {
  if ('redirect' in result) {
    return { statusCode: 302, headers: { location: result.redirect, 'cache-control': 'no-store' }, body: '' };
  }
  return successResponse(result.statusCode ?? successStatus, result.data, {
    message: result.message,
    headers: result.headers,
  });
}

// middy hands the handler only (event, context): the middlewares' results reach it through this map,
// keyed by the invocation's event object (weak, so nothing outlives the invocation).
const internals = new WeakMap<object, ApiInternal>();
const exposeInternal = {
  before: (request: { event: ApiEvent; internal: unknown }) => {
    internals.set(request.event, request.internal as ApiInternal);
  },
};

/**
 * Builds an API Lambda handler. The middleware order is fixed and is the contract of every route:
 *
 *   0. Powertools       — tracer, metrics, logger context (`#shared/observability/middlewares`): the trace
 *                         subsegment, metrics flushed at the end, every log key dropped at the end
 *   1. request keys     — requestId and operationId on every log line
 *   2. JSON body        — JSON Content-Type (415), size (413) and depth (400) checked on the raw text, then
 *                         parse (base64 aware); malformed → 400 MALFORMED_JSON
 *   3. tenant context   — from `requestContext.authorizer` (the Lambda authorizer's verified context) only;
 *                         no tenant or a suspended one → 403; role check → 403
 *   4. validation       — zod on path, query and body; every issue → 422 with field paths
 *   5. idempotency      — `Idempotency-Key` required on idempotent operations (400); the key claimed
 *                         (IN_PROGRESS record) before the handler, or replay / 409; completed after it,
 *                         released on an error
 *   6. handler          — thin: calls shared/ services and returns data
 *   7. error mapper     — domain errors keep their code/details and get the status of their kind; anything
 *                         else → opaque 500
 *
 * The whole chain runs inside `runAsTenant(<tenant of the verified claims>)`: every AWS client it uses signs
 * as that tenant's session (shared/tenancy/tenant-scope.ts).
 *
 * Middy runs `before`s in `use` order and `after`s/`onError`s in reverse. The error mapper is registered
 * right after the Powertools middlewares so that its `onError` is the last word on every failure, including
 * failures of the other middlewares, and logs while the tenant keys are still attached. A middleware that
 * answers (the error mapper, an idempotent replay) ends middy's chain there, so it runs the Powertools
 * end-of-invocation work itself (`finishInvocation`).
 */
export function createApiHandler<O extends Operation>(
  operation: O,
  handle: (request: ApiRequest<O>) => Promise<ApiResult>,
) {
  const core = async (event: ApiEvent) => {
    const internal = internals.get(event);
    if (!internal) throw new Error('handler invoked outside the middleware chain');
    let stored = false;
    const request: ApiRequest<O> = {
      ctx: internal.ctx as ApiRequest<O>['ctx'],
      params: internal.params as ApiRequest<O>['params'],
      query: internal.query as ApiRequest<O>['query'],
      body: internal.body as ApiRequest<O>['body'],
      requestId: internal.requestId,
      event,
      idempotency: internal.idempotency
        ? {
            scope: internal.idempotency,
            storedResponse: (result) => toStored(toHttpResponse(result, operation.successStatus)),
          }
        : undefined,
      markIdempotencyStored: () => {
        stored = true;
      },
    };
    const result = await handle(request);
    internal.idempotencyStored = stored;
    return toHttpResponse(result, operation.successStatus);
  };

  const chain = middy<ApiEvent, HttpResponse>()
    .use([
      ...powertoolsMiddlewares<ApiEvent, HttpResponse>(),
      errorMapper(),
      requestKeys(operation),
      jsonBody(operation),
      tenantContext(operation),
      validation(operation),
      idempotency(operation),
      exposeInternal,
    ])
    .handler(core as never);

  // The whole chain runs as the caller's tenant, not only the handler: the idempotency middleware reads and
  // writes the tenant's records too. Without a valid tenant in the claims no scope is opened and the tenant
  // context middleware answers 401/403, as it always did.
  return (event: ApiEvent, context?: unknown): Promise<HttpResponse> => {
    const tenantId = operation.permission ? verifiedTenantOf(operation, event) : undefined;
    const run = () => chain(event, context as never);
    return tenantId ? runAsTenant(tenantId, run) : run();
  };
}

/**
 * The tenant the authorizer verified, or undefined when it names none (the middleware refuses, or the
 * operation serves the platform and runs outside any tenant).
 */
function verifiedTenantOf(operation: Operation, event: ApiEvent): string | undefined {
  try {
    return callerContextFromAuthorizer(event?.requestContext?.authorizer, operation.scope ?? 'tenant')
      .tenantId;
  } catch {
    return undefined;
  }
}
