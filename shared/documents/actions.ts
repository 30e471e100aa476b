import { documentsRepository } from '#shared/data/documents';
import { startIssuingPipeline } from '#shared/events/pipeline';
import { checkCancellationWindow } from '#shared/fiscal/validate';
import { HkaRejectedError, HkaTransientError } from '#shared/hka/errors';
import { ConflictError, ServiceUnavailableError, ValidationError } from '#shared/http/errors';
import type { TenantContext } from '#shared/tenancy/context';
import { loadHkaCredentials } from '#shared/tenancy/credentials';
import { hkaClientFor } from '#shared/tenancy/hka';
import { sendDocumentEmail } from './email.ts';
import { datosDocumentoOf } from './pipeline/common.ts';
import { loadOwnDocument } from './queries.ts';
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
  await documentsRepository.transition(ctx.tenantId, id, {
    from: ['AUTHORIZED'],
    to: 'CANCELLED',
    set: { cancellation: { reason, at: now.toISOString(), by: ctx.userId } },
    event: { type: 'CANCELLED', message: reason, actor: ctx.userId },
    now,
  });
  return toDocumentResource((await documentsRepository.get(ctx.tenantId, id))!);
}

/**
 * Restarts issuing. FAILED: a new pipeline attempt (new execution name); its submit step reconciles with
 * EstadoDocumento before any re-send, since an earlier attempt may have reached HKA. PROCESSING: starts the
 * current attempt if it never started (a duplicate start is a no-op).
 */
export async function retryDocument(
  ctx: TenantContext,
  id: string,
  now: Date = new Date(),
): Promise<DocumentResource> {
  const doc = await loadOwnDocument(ctx, id);
  const current = doc.pipelineAttempt ?? 1;
  if (doc.status === 'FAILED') {
    const next = current + 1;
    const moved = await documentsRepository.transition(ctx.tenantId, id, {
      from: ['FAILED'],
      to: 'PROCESSING',
      set: { pipelineAttempt: next, reasons: [] },
      event: { type: 'RETRY_REQUESTED', message: `Pipeline attempt ${next}`, actor: ctx.userId },
      now,
    });
    if (!moved) throw new ConflictError('The document changed meanwhile; read it again', 'DOCUMENT_CHANGED');
    await startIssuingPipeline(ctx.tenantId, id, next);
  } else if (doc.status === 'PROCESSING') {
    await startIssuingPipeline(ctx.tenantId, id, current);
  } else {
    throw new ConflictError(`A ${doc.status} document cannot be retried`, 'DOCUMENT_NOT_RETRYABLE');
  }
  return toDocumentResource((await documentsRepository.get(ctx.tenantId, id))!);
}

/** Sends the authorized document again, to `to` or to the receiver's addresses. */
export async function resendDocumentEmail(
  ctx: TenantContext,
  id: string,
  to?: string[],
): Promise<{ sent: true; to: string[] }> {
  const doc = await loadOwnDocument(ctx, id);
  if (doc.status !== 'AUTHORIZED') {
    throw new ConflictError(
      `Only authorized documents can be e-mailed (status is ${doc.status})`,
      'DOCUMENT_NOT_AUTHORIZED',
    );
  }
  const outcome = await sendDocumentEmail(
    { tenantId: ctx.tenantId, documentId: id },
    to && to.length > 0 ? to : undefined,
  );
  if (!outcome.sent)
    throw new ValidationError([{ path: 'to', message: outcome.reason }], 'Nothing to send to');
  return outcome;
}
