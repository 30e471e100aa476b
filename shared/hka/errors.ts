import type { HkaCallName } from './namespaces.ts';

/**
 * One explained part of HKA's answer (see `messages.ts`): `path` in our model (`''` when it names no field),
 * HKA's text verbatim, the catalogue `code`, HKA's own `hkaCode`, the element and a fix in Spanish and English.
 * Kept local so the client has no fiscal dependency.
 */
export type HkaViolation = {
  path: string;
  message: string;
  code?: string;
  hkaCode?: string;
  hkaField?: string;
  hint?: { es: string; en: string };
};

/** Why a rejection happened, when we can tell; lets callers react without parsing Spanish text. */
export type HkaRejectionReason =
  | 'validation'
  | 'folios-exhausted'
  | 'cancellation-window'
  | 'not-found'
  | 'soap-fault'
  | 'number-taken';

/**
 * HKA answered and refused: the same request will fail again, never retry it (Step Functions catches by
 * `name`). `message` is HKA's own text; `details` name the fields in our document model where possible.
 */
export class HkaRejectedError extends Error {
  override readonly name = 'HkaRejectedError';
  constructor(
    readonly operation: HkaCallName,
    readonly code: string,
    message: string,
    readonly details: HkaViolation[],
    readonly reason: HkaRejectionReason = 'validation',
  ) {
    super(message);
  }
}

/** Wrong or revoked token pair. Retrying does not help; the tenant's configuration must be fixed. */
export class HkaAuthenticationError extends Error {
  override readonly name = 'HkaAuthenticationError';
  constructor(
    readonly operation: HkaCallName,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * No usable answer. `not-sent`: the request never left (connect refused / timed out) — resending is safe.
 * `unknown`: the request was sent and HKA may have processed it — ask `EstadoDocumento` before resending.
 */
export class HkaTransientError extends Error {
  override readonly name = 'HkaTransientError';
  constructor(
    readonly operation: HkaCallName,
    readonly outcome: 'not-sent' | 'unknown',
    message: string,
    readonly httpStatus?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type HkaError = HkaRejectedError | HkaAuthenticationError | HkaTransientError;
