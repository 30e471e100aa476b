import type { DocumentRecord } from '#shared/data/documents';
import { logger } from '#shared/observability/logger';
import { MetricUnit, metrics } from '#shared/observability/metrics';
import { tenantContingency } from './tenant-contingency.ts';

/**
 * A document issued in contingency reached its final state at HKA: when it was the tenant's last one in
 * CONTINGENCY, the contingency is over (`contingency.ended`). Never fails the caller: the document's own
 * outcome is what matters; a lost announcement is logged and counted.
 */
export async function endContingencyIfLast(doc: Pick<DocumentRecord, 'tenantId' | 'documentId'>, now: Date) {
  try {
    await tenantContingency.endIfNoneLeft(doc.tenantId, doc.documentId, now);
  } catch (error) {
    logger.error('contingency.ended could not be settled', { error: error as Error });
    metrics.addMetric('ContingencyEndNotPublished', MetricUnit.Count, 1);
  }
}
