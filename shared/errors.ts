/**
 * The errors services throw when they refuse a request: a stable `code`, a message safe to show the caller,
 * field-level `details`, and a `kind` saying what sort of refusal it is. They know nothing of HTTP: the API
 * maps each kind to a status in one place (shared/http/errors.ts). Anything else thrown on a request path is
 * an internal error, answered as an opaque 500.
 */

import type { ErrorCode, ErrorCodeOf } from '#shared/http/error-codes';

/**
 * A field-level problem, as the API reports it: `path` like `items[0].quantity`. A finding of the document
 * rules also says which rule found it (`code`), how it weighs (`severity`) and how to fix it (`hint`: one
 * text from the pre-flight, Spanish and English from an explained HKA answer), so a client can act on a 422
 * without a second call; other details carry only the path and the message.
 */
export type ErrorDetail = {
  path: string;
  message: string;
  code?: string;
  severity?: 'error' | 'warning';
  hint?: string | { es: string; en: string };
};

export type ErrorKind =
  /** The request itself is malformed (not JSON, a missing header, an unknown parameter). */
  | 'bad-request'
  /** The request body is larger than the operation accepts. */
  | 'too-large'
  /** The request body is not in a media type the operation reads (JSON). */
  | 'unsupported-media-type'
  /** No verified identity. */
  | 'unauthenticated'
  /** The caller's role or tenant may not do this. */
  | 'forbidden'
  /** Nothing of the caller's by that id (another tenant's id looks exactly the same). */
  | 'not-found'
  /** The request is fine, the state of things does not allow it now. */
  | 'conflict'
  /** The content breaks a rule; `details` name every field. */
  | 'invalid'
  /** A per-tenant limit is used up for now; `retryAfterSeconds` says when it frees up. */
  | 'rate-limited'
  /** A dependency (HKA) did not answer; the same request may succeed later. */
  | 'unavailable';

export abstract class DomainError extends Error {
  abstract readonly kind: ErrorKind;
  /** Declared in shared/http/error-codes.ts, the one catalogue of envelope codes. */
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];
  /** For `unavailable`, `rate-limited` and transient conflicts: when the caller may try again. */
  readonly retryAfterSeconds?: number;

  constructor(message: string, code: ErrorCode, details: ErrorDetail[] = [], retryAfterSeconds?: number) {
    super(message);
    this.code = code;
    this.details = details;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class BadRequestError extends DomainError {
  override readonly name = 'BadRequestError';
  readonly kind = 'bad-request';
  constructor(
    message: string,
    code: ErrorCodeOf<'bad-request'> = 'BAD_REQUEST',
    details: ErrorDetail[] = [],
  ) {
    super(message, code, details);
  }
}

export class PayloadTooLargeError extends DomainError {
  override readonly name = 'PayloadTooLargeError';
  readonly kind = 'too-large';
  constructor(message: string, code: ErrorCodeOf<'too-large'> = 'PAYLOAD_TOO_LARGE') {
    super(message, code);
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  override readonly name = 'UnsupportedMediaTypeError';
  readonly kind = 'unsupported-media-type';
  constructor(message: string, code: ErrorCodeOf<'unsupported-media-type'> = 'UNSUPPORTED_MEDIA_TYPE') {
    super(message, code);
  }
}

export class UnauthorizedError extends DomainError {
  override readonly name = 'UnauthorizedError';
  readonly kind = 'unauthenticated';
  constructor(message = 'Authentication is required', code: ErrorCodeOf<'unauthenticated'> = 'UNAUTHORIZED') {
    super(message, code);
  }
}

export class ForbiddenError extends DomainError {
  override readonly name = 'ForbiddenError';
  readonly kind = 'forbidden';
  constructor(message = 'You are not allowed to do this', code: ErrorCodeOf<'forbidden'> = 'FORBIDDEN') {
    super(message, code);
  }
}

export class NotFoundError extends DomainError {
  override readonly name = 'NotFoundError';
  readonly kind = 'not-found';
  constructor(message = 'Not found', code: ErrorCodeOf<'not-found'> = 'NOT_FOUND') {
    super(message, code);
  }
}

export class ConflictError extends DomainError {
  override readonly name = 'ConflictError';
  readonly kind = 'conflict';
  /** `retryAfterSeconds`: the conflict is transient (a concurrent request) and ends by then. */
  constructor(
    message: string,
    code: ErrorCodeOf<'conflict'> = 'CONFLICT',
    details: ErrorDetail[] = [],
    retryAfterSeconds?: number,
  ) {
    super(message, code, details, retryAfterSeconds);
  }
}

export class ValidationError extends DomainError {
  override readonly name = 'ValidationError';
  readonly kind = 'invalid';
  constructor(
    details: ErrorDetail[],
    message = 'The request is not valid',
    code: ErrorCodeOf<'invalid'> = 'VALIDATION_FAILED',
  ) {
    super(message, code, details);
  }
}

export class RateLimitedError extends DomainError {
  override readonly name = 'RateLimitedError';
  readonly kind = 'rate-limited';
  constructor(message: string, code: ErrorCodeOf<'rate-limited'>, retryAfterSeconds: number) {
    super(message, code, [], retryAfterSeconds);
  }
}

export class ServiceUnavailableError extends DomainError {
  override readonly name = 'ServiceUnavailableError';
  readonly kind = 'unavailable';
  constructor(
    message: string,
    code: ErrorCodeOf<'unavailable'> = 'UPSTREAM_UNAVAILABLE',
    retryAfterSeconds = 30,
  ) {
    super(message, code, [], retryAfterSeconds);
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
