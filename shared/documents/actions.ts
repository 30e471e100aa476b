import { type AuditInput, auditPut, recordAudit } from '#shared/audit/entries';
import { now as clockNow } from '#shared/clock';
import { tableName } from '#shared/data/client';
import {
  type DocumentRecord,
  documentsRepository,
  eventItem,
  isInFlight,
  TransitionExtraRefusedError,
} from '#shared/data/documents';
import { folioReservationItems } from '#shared/data/folios';
import { writeTogether } from '#shared/data/transactions';
import { ConflictError, ServiceUnavailableError, ValidationError } from '#shared/errors';
import { publishEvent } from '#shared/events/bus';
import { checkCancellationWindow } from '#shared/fiscal/validate';
import { HkaRejectedError, HkaTransientError } from '#shared/hka/errors';
import { logger } from '#shared/observability/logger';
import { MetricUnit, metrics } from '#shared/observability/metrics';
import { actorRef, type TenantContext } from '#shared/tenancy/context';
import { loadHkaCredentials } from '#shared/tenancy/credentials';
import { hkaClientFor } from '#shared/tenancy/hka';
import { attemptIsLive, claimNextAttempt, initialLease, startClaimedAttempt } from './attempts.ts';
import { mailDocument } from './email.ts';
import { datosDocumentoOf } from './pipeline/common.ts';
import { loadOwnDocument } from './queries.ts';
import { resendRecipients, takeResendAllowance } from './resend-policy.ts';
import { type DocumentResource, toDocumentResource } from './resource.ts';

/**
 * Anulación through HKA (brief §9.1): only for an AUTHORIZED document and within 7 days of its
 * authorization; later, the answer says to issue a credit note. HKA stays the judge: its refusal is shown.
 */
export async function cancelDocument(
  ctx: TenantContext,
  id: string,
  reason: string,
  now: Date = new Date(),
): Promise<DocumentResource> {
  const doc = await loadOwnDocument(ctx, id);
  if (doc.status === 'CANCELLED') return toDocumentResource(doc);
  if (doc.status !== 'AUTHORIZED' || !doc.authorizedAt) {
    throw new ConflictError(
      `Only authorized documents can be cancelled (status is ${doc.status})`,
      'DOCUMENT_NOT_AUTHORIZED',
    );
  }
  const window = checkCancellationWindow(new Date(doc.authorizedAt), now);
  if (!window.allowed) {
    throw new ValidationError(
      [{ path: '', message: `The document was ${window.reason}` }],
      'The cancellation window has passed: issue a credit note instead',
      'CANCELLATION_WINDOW_EXPIRED',
    );
  }
  try {
    const credentials = await loadHkaCredentials(ctx.tenantId, doc.environment);
    await hkaClientFor(doc.environment).anulacionDocumento(credentials, datosDocumentoOf(doc), reason);
  } catch (error) {
    if (error instanceof HkaRejectedError) {
      const details = error.details.length > 0 ? error.details : [{ path: '', message: error.message }];
      throw new ValidationError(
        details,
        `HKA refused the cancellation: ${error.message}`,
        'CANCELLATION_REFUSED',
      );
    }
    if (error instanceof HkaTransientError)
      throw new ServiceUnavailableError('HKA did not answer; try again later');
    throw error;
  }
  const audit = auditPut(
    ctx,
    ctx.tenantId,
    {
      action: 'document.cancelled',
      target: { type: 'document', id },
      changes: { status: { from: 'AUTHORIZED', to: 'CANCELLED' }, reason: { to: reason } },
    },
    now,
  );
  await documentsRepository.transition(ctx.tenantId, id, {
    from: ['AUTHORIZED'],
    to: 'CANCELLED',
    set: { cancellation: { reason, at: now.toISOString(), by: actorRef(ctx.actor) } },
    event: { type: 'CANCELLED', message: reason, actor: actorRef(ctx.actor) },
    extraItems: [{ name: 'audit', item: audit }],
    now,
  });
  await publishEvent({
    type: 'document.cancelled',
    detail: { tenantId: ctx.tenantId, documentId: id, reason },
  });
  return toDocumentResource((await documentsRepository.get(ctx.tenantId, id))!);
}

/**
 * Starts a fresh issuing attempt whenever no attempt is live. FAILED: back to PROCESSING with a new attempt
 * and its folio reserved again (the failure gave it back); the attempt's submission asks EstadoDocumento
 * before any re-send when an earlier one may have reached HKA. PROCESSING whose attempt is over (ended on a
 * transient failure, never started, died) or WAITING_FOR_HKA / CONTINGENCY: its next attempt now, without
 * waiting for the re-drive sweep or the backoff.
 * PROCESSING with a live attempt: 409, nothing is started twice.
 */
export async function retryDocument(
  ctx: TenantContext,
  id: string,
  now: Date = clockNow(),
): Promise<DocumentResource> {
  const doc = await loadOwnDocument(ctx, id);
  let claimed: DocumentRecord | undefined;
  if (doc.status === 'FAILED') {
    claimed = await claimAfterFailure(ctx, doc, now);
  } else if (isInFlight(doc.status)) {
    if (attemptIsLive(doc, now)) {
      throw new ConflictError(
        `Attempt ${doc.attempt} is in progress (until ${doc.leaseUntil} at the latest); retry after it ends`,
        'ATTEMPT_IN_PROGRESS',
      );
    }
    // A document waiting for HKA runs its next attempt now instead of at `nextAttemptAt` (while HKA's
    // circuit breaker is open, that attempt ends waiting again without calling HKA).
    claimed = await claimNextAttempt(doc, now, { pullForward: true });
    if (claimed) {
      // The claim is a conditional update of attempt bookkeeping; the request's own record, the history
      // event, is written with its audit entry.
      const event = eventItem(ctx.tenantId, id, {
        at: now.toISOString(),
        type: 'RETRY_REQUESTED',
        status: claimed.status,
        message: `Attempt ${claimed.attempt}`,
        actor: actorRef(ctx.actor),
      });
      await writeTogether({ Put: { TableName: tableName(), Item: event } }, [
        auditPut(ctx, ctx.tenantId, retryAudit(id, doc, claimed.attempt), now),
      ]);
    }
  } else {
    throw new ConflictError(`A ${doc.status} document cannot be retried`, 'DOCUMENT_NOT_RETRYABLE');
  }
  if (!claimed) throw new ConflictError('The document changed meanwhile; read it again', 'DOCUMENT_CHANGED');
  const started = await startClaimedAttempt(claimed, (error) =>
    logger.error('Retry did not start; the re-drive sweep will start it', {
      documentId: id,
      error: error as Error,
    }),
  );
  if (!started) {
    throw new ServiceUnavailableError(
      'The attempt is claimed but could not be started now; it starts automatically within minutes',
    );
  }
  return toDocumentResource((await documentsRepository.get(ctx.tenantId, id))!);
}

function retryAudit(id: string, doc: DocumentRecord, attempt: number): AuditInput {
  return {
    action: 'document.retried',
    target: { type: 'document', id },
    changes: {
      status: { from: doc.status, to: doc.status === 'FAILED' ? 'PROCESSING' : doc.status },
      attempt: { from: doc.attempt, to: attempt },
    },
  };
}

/**
 * FAILED → PROCESSING with the next attempt, reserving its folios again in the same transaction, with the
 * audit entry.
 */
async function claimAfterFailure(
  ctx: TenantContext,
  doc: DocumentRecord,
  now: Date,
): Promise<DocumentRecord | undefined> {
  const next = doc.attempt + 1;
  const debit = doc.folioDebit ?? { pool: false };
  try {
    const moved = await documentsRepository.transition(ctx.tenantId, doc.documentId, {
      from: ['FAILED'],
      attempt: doc.attempt,
      to: 'PROCESSING',
      set: { attempt: next, reasons: [], ...initialLease(doc, now) },
      event: { type: 'RETRY_REQUESTED', message: `Attempt ${next}`, actor: actorRef(ctx.actor) },
      extraItems: [
        ...folioReservationItems(ctx.tenantId, debit),
        { name: 'audit', item: auditPut(ctx, ctx.tenantId, retryAudit(doc.documentId, doc, next), now) },
      ],
      now,
    });
    return moved ? documentsRepository.get(ctx.tenantId, doc.documentId) : undefined;
  } catch (error) {
    // The audit entry's condition fails only on an id collision: a fault, not exhausted folios.
    if (error instanceof TransitionExtraRefusedError && error.extra !== 'audit') {
      throw new ConflictError(
        error.extra === 'assignment'
          ? 'The folios assigned to the user who issued this document are used up; assign more first'
          : 'The company has no folios left in this cycle; buy more from HKA, then sync folios',
        'FOLIOS_EXHAUSTED',
      );
    }
    throw error;
  }
}

/**
 * Sends the authorized document again, to `to` or to the receiver's addresses (shared/documents/resend-policy.ts:
 * who may be named, how often). Everything that can refuse the request is checked before the limits count it.
 */
export async function resendDocumentEmail(
  ctx: TenantContext,
  id: string,
  to?: string[],
  now: Date = new Date(),
): Promise<{ sent: true; to: string[] }> {
  const doc = await loadOwnDocument(ctx, id);
  if (doc.status !== 'AUTHORIZED' || !doc.artifacts) {
    throw new ConflictError(
      `Only authorized documents can be e-mailed (status is ${doc.status})`,
      'DOCUMENT_NOT_AUTHORIZED',
    );
  }
  const recipients = resendRecipients(doc, to);
  await takeResendAllowance(ctx.tenantId, id, now);
  await mailDocument({ ...doc, artifacts: doc.artifacts }, recipients);
  await auditResend(ctx, id, recipients.length, now);
  return { sent: true, to: recipients };
}

/**
 * The resend's audit entry, right after the mail left. It records how many addresses, not which: the trail
 * is kept for good and cannot be edited, and addresses are personal data (the document's history and the
 * response name them). The mail is out, so a failure here is logged and counted, never answered as an error
 * that would invite sending it again.
 */
async function auditResend(ctx: TenantContext, id: string, recipients: number, now: Date): Promise<void> {
  try {
    await recordAudit(
      ctx,
      ctx.tenantId,
      {
        action: 'document.emailed',
        target: { type: 'document', id },
        changes: { recipients: { to: recipients } },
      },
      now,
    );
  } catch (error) {
    metrics.addMetric('AuditEntryNotWritten', MetricUnit.Count, 1);
    logger.error('E-mail sent but its audit entry was not written', {
      documentId: id,
      error: error as Error,
    });
  }
}
