import type { Reason } from '#shared/data/documents';
import type { HkaViolation } from '#shared/hka/errors';
import { unexplained, violationsFromMessage } from '#shared/hka/messages';
import { UNEXPLAINED } from '#shared/hka/rejections';
import { logger } from '#shared/observability/logger';
import { MetricUnit, metrics } from '#shared/observability/metrics';

/**
 * HKA's rejection as document reasons, each explained (path, hkaField, code, hkaCode, message verbatim,
 * hint): the details the client explained, or HKA's whole message explained here when it came without.
 * Parts the catalogue does not know are counted (HkaRejectionUnexplained) and logged verbatim — HKA's
 * messages carry no secrets — so the catalogue can grow.
 */
export function reasonsFromRejection(error: {
  code?: string;
  message: string;
  details?: HkaViolation[];
}): Reason[] {
  const violations =
    error.details && error.details.length > 0
      ? error.details
      : violationsFromMessage(error.message, error.code ? String(error.code) : undefined);
  const reasons = violations.map(reasonOf);
  const unknown = unexplained(reasons);
  if (unknown > 0) {
    metrics.addMetric('HkaRejectionUnexplained', MetricUnit.Count, unknown);
    logger.warn('HKA rejection not in the catalogue', {
      hkaCode: error.code,
      messages: reasons.filter((r) => r.code === UNEXPLAINED).map((r) => r.message),
    });
  }
  return reasons;
}

function reasonOf(violation: HkaViolation): Reason {
  const { path, message, code, hkaCode, hkaField, hint } = violation;
  return {
    path,
    message,
    ...(code ? { code } : {}),
    ...(hkaCode ? { hkaCode } : {}),
    ...(hkaField ? { hkaField } : {}),
    ...(hint ? { hint } : {}),
  };
}

/**
 * HKA/DGI refused the document itself when it was submitted (Enviar or the PAC reception): a business outcome,
 * never retried; its reasons are on the document. Other refusals HKA answers (a download, an EstadoDocumento
 * with an unexpected code) are not the document's rejection and keep their own error.
 */
export class DocumentRejectedError extends Error {
  override readonly name = 'DocumentRejectedError';
}
