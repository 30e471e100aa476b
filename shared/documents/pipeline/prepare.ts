import { documentsRepository } from '#shared/data/documents';
import { loadDocument, type PipelineState } from './common.ts';

/**
 * First step: confirms the document exists and is still to be issued, and routes it to its channel
 * (chosen at accept time from the tenant's settings, so a settings change never re-routes a document
 * already in flight).
 */
export async function prepareDocument(state: PipelineState, now: Date = new Date()): Promise<PipelineState> {
  const doc = await loadDocument(state);
  if (doc.status === 'PROCESSING') {
    await documentsRepository.appendEvent(doc.tenantId, doc.documentId, {
      at: now.toISOString(),
      type: 'PIPELINE_STARTED',
      status: doc.status,
      message: `Issuing through ${doc.channel}`,
    });
  }
  return { ...state, channel: doc.channel };
}
