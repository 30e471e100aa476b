import type { DomainError, ErrorDetail } from '#shared/errors';
import { redactingReplacer } from '#shared/observability/redact';
import { type ErrorCode, INTERNAL_ERROR_CODE } from './error-codes.ts';
import { headersOf, statusOf } from './errors.ts';

/** The API Gateway proxy result, declared here because shared/ never imports aws-lambda types. */
export type HttpResponse = {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
};

export type SuccessEnvelope<T> = { success: true; data: T; message?: string };
export type ErrorEnvelope = {
  success: false;
  error: string;
  code: string;
  details: ErrorDetail[];
  requestId: string;
  timestamp: string;
};

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

export function successResponse<T>(
  statusCode: number,
  data: T,
  options: { message?: string; headers?: Record<string, string> } = {},
): HttpResponse {
  const envelope: SuccessEnvelope<T> = { success: true, data };
  if (options.message) envelope.message = options.message;
  return { statusCode, headers: { ...JSON_HEADERS, ...options.headers }, body: JSON.stringify(envelope) };
}

export function errorResponse(
  statusCode: number,
  fields: {
    error: string;
    code: ErrorCode;
    details?: ErrorDetail[];
    requestId: string;
    headers?: Record<string, string>;
  },
  now: Date = new Date(),
): HttpResponse {
  const envelope: ErrorEnvelope = {
    success: false,
    error: fields.error,
    code: fields.code,
    details: fields.details ?? [],
    requestId: fields.requestId,
    timestamp: now.toISOString(),
  };
  // The replacer keeps a credential echoed back in a validation detail out of the response too.
  return {
    statusCode,
    headers: { ...JSON_HEADERS, ...fields.headers },
    body: JSON.stringify(envelope, redactingReplacer),
  };
}

export function httpErrorResponse(error: DomainError, requestId: string): HttpResponse {
  return errorResponse(statusOf(error), {
    error: error.message,
    code: error.code,
    details: error.details,
    requestId,
    headers: headersOf(error),
  });
}

/** Everything unintended: the caller learns only that it failed and which request to quote. */
export function internalErrorResponse(requestId: string): HttpResponse {
  return errorResponse(500, {
    error: 'An internal error occurred. Quote the requestId if you contact support.',
    code: INTERNAL_ERROR_CODE,
    requestId,
  });
}
