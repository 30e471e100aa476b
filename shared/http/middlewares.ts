import type { MiddlewareObj, Request } from '@middy/core';
import * as z from 'zod';
import {
  bodyHash,
  decide,
  type IdempotencyClaim,
  type IdempotencyDecision,
  idempotencyRepository,
  MAX_STORED_BODY_BYTES,
  type ReplayedResponse,
  type StoredResponse,
} from '#shared/data/idempotency';
import { PLATFORM_SCOPE } from '#shared/data/keys';
import {
  BadRequestError,
  ConflictError,
  type ErrorDetail,
  isDomainError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '#shared/errors';
import { logger } from '#shared/observability/logger';
import { MetricUnit, metrics } from '#shared/observability/metrics';
import { finishInvocation } from '#shared/observability/middlewares';
import {
  callerContextFromAuthorizer,
  type PlatformContext,
  requirePermission,
  type TenantContext,
} from '#shared/tenancy/context';
import { type HttpResponse, httpErrorResponse, internalErrorResponse, successResponse } from './envelope.ts';
import { statusOf } from './errors.ts';
import { type ApiEvent, header } from './event.ts';
import {
  exceedsBodyLimit,
  isJsonMediaType,
  jsonDepthExceeds,
  MAX_BODY_BYTES,
  MAX_JSON_DEPTH,
} from './json-limits.ts';
import type { Operation } from './operation.ts';
import { formatPath } from './paths.ts';

/** What the middlewares hand each other and the handler (middy's `request.internal`). */
export type ApiInternal = {
  requestId: string;
  body?: unknown;
  ctx?: TenantContext | PlatformContext;
  params?: unknown;
  query?: unknown;
  /** The Idempotency-Key this request holds (its IN_PROGRESS record), once claimed. */
  idempotency?: IdempotencyClaim;
  idempotencyStored?: boolean;
};

export type ApiMiddyRequest = Request<ApiEvent, HttpResponse, Error> & {
  internal: ApiInternal;
};

type Mw = MiddlewareObj<ApiEvent, HttpResponse, Error>;
const internalOf = (request: unknown) => (request as ApiMiddyRequest).internal;

/**
 * Answers now, skipping middy's remaining `after`/`onError` middlewares: the Powertools middlewares'
 * end-of-invocation work (log keys dropped, metrics flushed, trace closed) is done here instead.
 */
async function answerEarly(request: unknown, response: HttpResponse): Promise<HttpResponse> {
  await finishInvocation(request as { internal: unknown });
  return response;
}

/** 1. Request keys: the requestId and operation on every log line of the invocation. */
export function requestKeys(operation: Operation): Mw {
  return {
    before: (request) => {
      const requestId =
        request.event?.requestContext?.requestId ??
        (request.context as { awsRequestId?: string })?.awsRequestId ??
        'unknown';
      internalOf(request).requestId = requestId;
      logger.appendKeys({ requestId, operationId: operation.operationId });
    },
  };
}

/**
 * 2. JSON body: refused before anything parses or walks it when it is not declared as JSON (415), larger
 * than MAX_BODY_BYTES (413) or nested deeper than MAX_JSON_DEPTH (400); malformed JSON is the caller's
 * fault (400), never a 500. A body without a Content-Type is read as JSON, as API Gateway does when it
 * picks the request model.
 */
export function jsonBody(operation: Operation): Mw {
  return {
    before: (request) => {
      const raw = request.event?.body;
      if (raw === undefined || raw === null || raw === '') {
        if (!operation.body) return;
        // A body whose every field is optional may be omitted: it means `{}`.
        if (operation.bodyValidation !== 'service' && operation.body.safeParse({}).success) {
          internalOf(request).body = {};
          return;
        }
        throw new BadRequestError('A JSON request body is required', 'BODY_REQUIRED');
      }
      const contentType = header(request.event, 'content-type');
      if (contentType !== undefined && !isJsonMediaType(contentType)) {
        throw new UnsupportedMediaTypeError(
          'The request body must be JSON: send it with Content-Type: application/json',
        );
      }
      const text = request.event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
      if (exceedsBodyLimit(text)) {
        throw new PayloadTooLargeError(`The request body is larger than ${MAX_BODY_BYTES} bytes`);
      }
      if (jsonDepthExceeds(text)) {
        throw new BadRequestError(
          `The request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`,
          'BODY_TOO_DEEP',
        );
      }
      try {
        internalOf(request).body = JSON.parse(text);
      } catch {
        throw new BadRequestError('The request body is not valid JSON', 'MALFORMED_JSON');
      }
    },
  };
}

/** 3. The caller's context from the authorizer's verified context only; then the operation's role requirement. */
export function tenantContext(operation: Operation): Mw {
  return {
    before: (request) => {
      if (!operation.permission) return;
      const internal = internalOf(request);
      const ctx = callerContextFromAuthorizer(
        request.event?.requestContext?.authorizer,
        operation.scope ?? 'tenant',
        {
          requestId: internal.requestId,
          sourceIp: request.event?.requestContext?.identity?.sourceIp ?? undefined,
        },
      );
      internal.ctx = ctx;
      logger.appendKeys({ tenantId: ctx.tenantId, actorType: ctx.actor.type, actorId: ctx.actor.id });
      requirePermission(ctx, operation.permission);
    },
  };
}

function issuesToDetails(prefix: string, error: z.ZodError): ErrorDetail[] {
  return error.issues.map((issue) => {
    const path = formatPath(issue.path);
    return { path: prefix && path ? `${prefix}.${path}` : prefix || path, message: issue.message };
  });
}

/** Query parameters the operation does not declare: refused, so a misspelt filter never lists everything. */
function unknownQueryParameters(operation: Operation, query: Record<string, unknown>): ErrorDetail[] {
  const declared = operation.query instanceof z.ZodObject ? Object.keys(operation.query.shape) : [];
  return Object.keys(query)
    .filter((name) => !declared.includes(name))
    .map((name) => ({
      path: `query.${name}`,
      message: declared.length
        ? `Unknown query parameter ${shown(name)}; this operation accepts ${declared.join(', ')}`
        : `Unknown query parameter ${shown(name)}; this operation accepts none`,
    }));
}

/** A parameter name as messages quote it: a name may be as long as the URL, a message stays short. */
const shown = (name: string) => (name.length > 64 ? `${name.slice(0, 64)}…` : name);

/** 4. zod validation of path parameters, query string and (unless the service owns it) the body. */
export function validation(operation: Operation): Mw {
  return {
    before: (request) => {
      const internal = internalOf(request);
      const unknown = unknownQueryParameters(operation, request.event?.queryStringParameters ?? {});
      if (unknown.length > 0) {
        throw new BadRequestError(
          `Unknown query parameter${unknown.length > 1 ? 's' : ''}: ${unknown.map((d) => shown(d.path.slice('query.'.length))).join(', ')}`,
          'UNKNOWN_QUERY_PARAMETER',
          unknown,
        );
      }
      const details: ErrorDetail[] = [];
      const check = (schema: z.ZodType | undefined, value: unknown, prefix: string) => {
        if (!schema) return value;
        const parsed = schema.safeParse(value);
        if (parsed.success) return parsed.data;
        details.push(...issuesToDetails(prefix, parsed.error));
        return undefined;
      };
      internal.params = check(operation.params, request.event?.pathParameters ?? {}, 'path');
      internal.query = check(operation.query, request.event?.queryStringParameters ?? {}, 'query');
      if (operation.body && operation.bodyValidation !== 'service') {
        internal.body = check(operation.body, internal.body, '');
      } else if (
        operation.body &&
        (typeof internal.body !== 'object' || internal.body === null || Array.isArray(internal.body))
      ) {
        details.push({ path: '', message: 'The body must be a JSON object' });
      }
      if (details.length > 0) throw new ValidationError(details);
    },
  };
}

const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The function's remaining time: how long a claim may hold the key before it counts as crashed. */
function remainingTimeMs(context: unknown): number {
  const remaining = (
    context as { getRemainingTimeInMillis?: () => number } | undefined
  )?.getRemainingTimeInMillis?.();
  // Without a Lambda context (never on AWS): API Gateway's integration timeout, after which nobody waits.
  return typeof remaining === 'number' && remaining > 0 ? remaining : 29_000;
}

function replayed(stored: ReplayedResponse): HttpResponse {
  const headers = { ...stored.headers, 'idempotent-replayed': 'true' };
  if ('body' in stored) return { statusCode: stored.statusCode, headers, body: stored.body };
  // The first response was too large to keep: its status, headers and the resource it described.
  return successResponse(stored.statusCode, stored.resourceId ? { id: stored.resourceId } : null, {
    headers,
    message:
      'The first response to this Idempotency-Key was too large to keep; read the resource for its details',
  });
}

/** What a request that does not hold the key gets: the first response, or a 409. */
function answerFor(decision: Exclude<IdempotencyDecision, { kind: 'new' }>): HttpResponse {
  if (decision.kind === 'replay') return replayed(decision.response);
  if (decision.kind === 'mismatch') {
    throw new ConflictError(
      'This Idempotency-Key was already used with a different request body',
      'IDEMPOTENCY_KEY_REUSED',
    );
  }
  throw new ConflictError(
    'A request with this Idempotency-Key is still in progress; retry shortly',
    'IDEMPOTENCY_KEY_IN_PROGRESS',
    [],
    decision.retryAfterSeconds,
  );
}

/**
 * 5. Idempotency (shared/data/idempotency.ts has the protocol): `Idempotency-Key` required; before the handler
 * the key is claimed with an IN_PROGRESS record held for the function's remaining time, or the request is
 * answered from the record: the first response (same body, completed), 409 IDEMPOTENCY_KEY_IN_PROGRESS with
 * Retry-After (same body, still running), 409 IDEMPOTENCY_KEY_REUSED (another body). After a success the record
 * becomes the final one with the response (handlers that complete it inside their own transaction say so with
 * `idempotencyStored`); after an error it is deleted, so nothing is stored for a refusal and the same request
 * may be sent again.
 */
export function idempotency(operation: Operation): Mw {
  return {
    before: async (request) => {
      if (!operation.idempotent) return;
      const internal = internalOf(request);
      const key = header(request.event, 'idempotency-key');
      if (!key)
        throw new BadRequestError('The Idempotency-Key header is required', 'IDEMPOTENCY_KEY_REQUIRED');
      if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
        throw new BadRequestError(
          'The Idempotency-Key header must be 1..255 visible ASCII characters',
          'IDEMPOTENCY_KEY_INVALID',
        );
      }
      if (!internal.ctx) throw new Error('idempotent operations need a caller context');
      const outcome = await idempotencyRepository.claim(
        {
          // Platform operations keep their keys in the platform partition (`T#_platform#IDEMPOTENCY#…`).
          tenantId: internal.ctx.tenantId ?? PLATFORM_SCOPE,
          operation: operation.operationId,
          key,
          bodyHash: bodyHash(internal.body),
        },
        { lockMs: remainingTimeMs(request.context) },
      );
      if (outcome.kind === 'claimed') {
        internal.idempotency = outcome.claim;
        return;
      }
      return answerEarly(request, answerFor(outcome));
    },
    after: async (request) => {
      const internal = internalOf(request);
      const claim = internal.idempotency;
      if (!claim || internal.idempotencyStored || !request.response) return;
      try {
        const completed = await idempotencyRepository.complete(claim, toStored(request.response));
        if (!completed) logger.warn('Idempotency claim taken over before completion; the other one is kept');
      } catch (error) {
        // The side effect is done: failing the request now would make the client repeat it. The claim
        // lapses when the function's time would have run out.
        logger.error('Idempotency record not completed', { error: error as Error });
        metrics.addMetric('IdempotencyCompletionFailed', MetricUnit.Count, 1);
      }
    },
    onError: async (request) => {
      const internal = internalOf(request);
      const claim = internal.idempotency;
      if (!claim) return;
      if (request.error?.name === 'IdempotencyKeyTakenError') {
        // The claim lapsed and another request took the key before the service's transaction completed it
        // (that transaction was cancelled): answer as the record now says.
        try {
          const decision = decide(await idempotencyRepository.get(claim), claim, new Date());
          return answerEarly(
            request,
            answerFor(decision.kind === 'new' ? { kind: 'in-progress', retryAfterSeconds: 1 } : decision),
          );
        } catch (error) {
          request.error = error as Error;
          return;
        }
      }
      try {
        await idempotencyRepository.release(claim);
      } catch (error) {
        // Left in place, the claim lapses when the function's time would have run out.
        logger.error('Idempotency claim not released', { error: error as Error });
      }
    },
  };
}

/** The response as kept for replay; a body too large to keep is kept as the id of the resource it describes. */
export function toStored(response: HttpResponse): StoredResponse {
  const stored: StoredResponse = {
    statusCode: response.statusCode,
    headers: response.headers,
    body: response.body,
  };
  if (Buffer.byteLength(response.body, 'utf8') <= MAX_STORED_BODY_BYTES) return stored;
  const resourceId = resourceIdOf(response.body);
  return resourceId ? { ...stored, resourceId } : stored;
}

function resourceIdOf(body: string): string | undefined {
  try {
    const id = (JSON.parse(body) as { data?: { id?: unknown } }).data?.id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * 7. Error mapper, the last onError of the chain: intended HTTP errors keep their status, code and details;
 * everything else is logged with its stack and answered with an opaque 500 carrying only the requestId.
 * It logs while the invocation's keys are still attached, then ends the invocation (its answer stops
 * middy's onError chain before the Powertools middlewares' own onError).
 */
export function errorMapper(): Mw {
  return {
    onError: (request) => {
      const requestId = internalOf(request).requestId ?? 'unknown';
      const error = request.error;
      if (isDomainError(error)) {
        const statusCode = statusOf(error);
        if (statusCode >= 500) logger.error('HTTP error', { error });
        else logger.info('Request refused', { statusCode, code: error.code });
        return answerEarly(request, httpErrorResponse(error, requestId));
      }
      logger.error('Unhandled error', { error: error as Error });
      return answerEarly(request, internalErrorResponse(requestId));
    },
  };
}
