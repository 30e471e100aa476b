import type { DomainError, ErrorKind } from '#shared/errors';

/** The one place a domain error becomes an HTTP status (services never choose one). */
export const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  'bad-request': 400,
  'too-large': 413,
  'unsupported-media-type': 415,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  invalid: 422,
  'rate-limited': 429,
  unavailable: 503,
};

export function statusOf(error: DomainError): number {
  return STATUS_BY_KIND[error.kind];
}

/** Response headers an error asks for (`Retry-After` of an unavailable dependency, a limit, a request in progress). */
export function headersOf(error: DomainError): Record<string, string> {
  return error.retryAfterSeconds !== undefined ? { 'retry-after': String(error.retryAfterSeconds) } : {};
}
