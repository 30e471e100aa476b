/** A field-level problem, as the API reports it: `path` like `items[0].quantity`. */
export type ErrorDetail = { path: string; message: string };

/**
 * An intended HTTP error: its status, stable code and message are safe to show to the caller.
 * Anything else thrown on a request path is an internal error and becomes an opaque 500.
 */
export abstract class HttpError extends Error {
  abstract readonly statusCode: number;
  readonly code: string;
  readonly details: ErrorDetail[];
  readonly headers: Record<string, string>;

  constructor(
    message: string,
    code: string,
    details: ErrorDetail[] = [],
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
}

export class BadRequestError extends HttpError {
  override readonly name = 'BadRequestError';
  readonly statusCode = 400;
  constructor(message: string, code = 'BAD_REQUEST', details: ErrorDetail[] = []) {
    super(message, code, details);
  }
}

export class UnauthorizedError extends HttpError {
  override readonly name = 'UnauthorizedError';
  readonly statusCode = 401;
  constructor(message = 'Authentication is required', code = 'UNAUTHORIZED') {
    super(message, code);
  }
}

export class ForbiddenError extends HttpError {
  override readonly name = 'ForbiddenError';
  readonly statusCode = 403;
  constructor(message = 'You are not allowed to do this', code = 'FORBIDDEN') {
    super(message, code);
  }
}

export class NotFoundError extends HttpError {
  override readonly name = 'NotFoundError';
  readonly statusCode = 404;
  constructor(message = 'Not found', code = 'NOT_FOUND') {
    super(message, code);
  }
}

export class ConflictError extends HttpError {
  override readonly name = 'ConflictError';
  readonly statusCode = 409;
  constructor(message: string, code = 'CONFLICT', details: ErrorDetail[] = []) {
    super(message, code, details);
  }
}

export class ValidationError extends HttpError {
  override readonly name = 'ValidationError';
  readonly statusCode = 422;
  constructor(details: ErrorDetail[], message = 'The request is not valid', code = 'VALIDATION_FAILED') {
    super(message, code, details);
  }
}

export function isHttpError(error: unknown): error is HttpError {
  return error instanceof HttpError;
}

/** A dependency (HKA) did not answer in time; the caller may retry the same request later. */
export class ServiceUnavailableError extends HttpError {
  override readonly name = 'ServiceUnavailableError';
  readonly statusCode = 503;
  constructor(message: string, code = 'UPSTREAM_UNAVAILABLE') {
    super(message, code, [], { 'retry-after': '30' });
  }
}
