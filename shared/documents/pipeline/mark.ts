import { type DocumentStatus, documentsRepository, type Reason } from '#shared/data/documents';
import { foliosRepository } from '#shared/data/folios';
import { logger } from '#shared/observability/logger';
import { MetricUnit, metrics } from '#shared/observability/metrics';
import { loadDocument, type PipelineState, PipelineStateError, parseCause } from './common.ts';

/** Authorized by HKA/DGI and archived: the final success state. Idempotent for re-runs. */
export async function markAuthorized(state: PipelineState, now: Date = new Date()): Promise<PipelineState> {
  const { authorization, artifacts } = state;
  if (!authorization || !artifacts)
    throw new PipelineStateError('mark-authorized needs authorization and artifacts');
  const changed = await documentsRepository.transition(state.tenantId, state.documentId, {
    from: ['PROCESSING', 'FAILED'],
    to: 'AUTHORIZED',
    set: { ...authorization, artifacts, reasons: [] },
    event: { type: 'AUTHORIZED', message: `Authorized, protocol ${authorization.protocol}` },
    now,
  });
  if (changed) metrics.addMetric('DocumentAuthorized', MetricUnit.Count, 1);
  else await expectStatus(state, 'AUTHORIZED');
  return state;
}

/** HKA/DGI refused it: reasons (recorded by the submit step) stay on the document. Never retried. */
export async function markRejected(state: PipelineState, now: Date = new Date()): Promise<PipelineState> {
  const doc = await loadDocument(state);
  const cause = parseCause(state.error);
  const reasons: Reason[] = doc.reasons?.length ? doc.reasons : [{ path: '', message: cause.message }];
  const changed = await documentsRepository.transition(state.tenantId, state.documentId, {
    from: ['PROCESSING'],
    to: 'REJECTED',
    set: { reasons },
    event: { type: 'REJECTED', message: cause.message, reasons },
    now,
  });
  if (changed) {
    metrics.addMetric('DocumentRejected', MetricUnit.Count, 1);
    // A rejected document consumed no folio at HKA: give back what accepting it debited.
    if (doc.folioDebit) await foliosRepository.credit(doc.tenantId, doc.folioDebit);
  }
  return state;
}

/**
 * Retries exhausted or an unexpected error: FAILED, with the reason, so staff see it in the list of
 * never-accepted documents and can retry it.
 */
export async function markFailed(state: PipelineState, now: Date = new Date()): Promise<PipelineState> {
  const doc = await loadDocument(state);
  const cause = parseCause(state.error);
  const reasons: Reason[] =
    cause.type === 'HkaAuthenticationError' && doc.reasons?.length
      ? doc.reasons
      : [{ path: '', message: cause.message, code: cause.type }];
  const changed = await documentsRepository.transition(state.tenantId, state.documentId, {
    from: ['PROCESSING'],
    to: 'FAILED',
    set: { reasons },
    event: { type: 'FAILED', message: cause.message, reasons },
    now,
  });
  if (changed) {
    metrics.addMetric('DocumentFailed', MetricUnit.Count, 1);
    logger.warn('Document failed', { documentId: state.documentId, errorType: cause.type });
  }
  return state;
}

async function expectStatus(state: PipelineState, status: DocumentStatus): Promise<void> {
  const doc = await loadDocument(state);
  if (doc.status !== status) {
    throw new PipelineStateError(`document ${doc.documentId} is ${doc.status}, cannot become ${status}`);
  }
}
