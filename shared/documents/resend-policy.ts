import type { DocumentRecord } from '#shared/data/documents';
import { type RateLimit, takeFromLimits } from '#shared/data/rate-limits';
import { type ErrorDetail, RateLimitedError, ValidationError } from '#shared/errors';

/**
 * Who a document may be e-mailed to again (`POST /v1/documents/{id}/email`), and how often: a resend goes out
 * from the platform's address to whoever the caller names, so an OPERATOR must not be able to turn it into a
 * mail cannon. Replays of one Idempotency-Key send nothing and count nothing.
 */

/** Resends of one document per clock hour (UTC). */
export const RESENDS_PER_DOCUMENT_PER_HOUR = 5;
/** Resends of all a tenant's documents per clock hour (UTC). */
export const RESENDS_PER_TENANT_PER_HOUR = 50;
/** Addresses a resend may name besides the document's own receiver addresses. */
export const MAX_OTHER_RECIPIENTS = 2;
/** The receiver's addresses (at most 3 in an rFE: `dCorElectRec`) plus the others. */
export const MAX_RESEND_RECIPIENTS = 3 + MAX_OTHER_RECIPIENTS;

const HOUR_SECONDS = 3600;

/**
 * The addresses a resend goes to: `requested` (duplicates dropped, compared without case) or, when none, the
 * receiver's own. At most MAX_OTHER_RECIPIENTS of them may be outside the receiver's addresses; 422 naming
 * the extra ones otherwise.
 */
export function resendRecipients(doc: DocumentRecord, requested: readonly string[] = []): string[] {
  const own = doc.receiver.emails ?? [];
  if (requested.length === 0) {
    if (own.length > 0) return own;
    throw new ValidationError(
      [{ path: 'to', message: 'The receiver has no e-mail address; name one in `to`' }],
      'Nothing to send to',
      'EMAIL_NO_RECIPIENTS',
    );
  }
  const receivers = new Set(own.map((address) => address.toLowerCase()));
  const seen = new Set<string>();
  const recipients: string[] = [];
  const refused: ErrorDetail[] = [];
  let others = 0;
  requested.forEach((address, index) => {
    const normalized = address.toLowerCase();
    if (seen.has(normalized)) return;
    seen.add(normalized);
    if (!receivers.has(normalized) && ++others > MAX_OTHER_RECIPIENTS) {
      refused.push({
        path: `to[${index}]`,
        message: `At most ${MAX_OTHER_RECIPIENTS} addresses besides the receiver's own may be named`,
      });
      return;
    }
    recipients.push(address);
  });
  if (refused.length > 0) {
    throw new ValidationError(
      refused,
      'Too many addresses outside the document’s receiver',
      'EMAIL_RECIPIENTS_LIMIT',
    );
  }
  return recipients;
}

/**
 * Counts one resend against the document's and the tenant's hourly limits, or refuses it with 429
 * EMAIL_RESEND_LIMIT and the seconds until the limit's hour ends (nothing is counted then).
 */
export async function takeResendAllowance(tenantId: string, documentId: string, now: Date): Promise<void> {
  const perDocument: RateLimit = {
    counter: `EMAIL_RESEND#DOC#${documentId}`,
    limit: RESENDS_PER_DOCUMENT_PER_HOUR,
    windowSeconds: HOUR_SECONDS,
  };
  const perTenant: RateLimit = {
    counter: 'EMAIL_RESEND',
    limit: RESENDS_PER_TENANT_PER_HOUR,
    windowSeconds: HOUR_SECONDS,
  };
  const decision = await takeFromLimits(tenantId, [perDocument, perTenant], now);
  if (decision.allowed) return;
  throw new RateLimitedError(
    decision.exceeded === perDocument
      ? `This document was already e-mailed ${RESENDS_PER_DOCUMENT_PER_HOUR} times this hour; try again later`
      : `The company has e-mailed ${RESENDS_PER_TENANT_PER_HOUR} documents this hour; try again later`,
    'EMAIL_RESEND_LIMIT',
    decision.retryAfterSeconds,
  );
}
