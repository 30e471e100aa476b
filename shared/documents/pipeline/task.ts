import type { PipelineState } from '#shared/events/pipeline';
import { beginInvocation, logger } from '#shared/observability/logger';
import { flushMetrics } from '#shared/observability/metrics';
import { runAsTenant } from '#shared/tenancy/tenant-scope';

/**
 * Wraps a pipeline step as a Lambda handler: fresh log keys per invocation, the tenant and document on
 * every line, metrics flushed, the step run as the state's tenant (its AWS clients sign as that tenant's
 * session). Errors propagate unchanged: Step Functions matches Retry/Catch on `name`.
 */
export function pipelineTask(step: string, run: (state: PipelineState) => Promise<PipelineState>) {
  return async (state: PipelineState, context?: unknown): Promise<PipelineState> => {
    beginInvocation(context, { step, tenantId: state?.tenantId, documentId: state?.documentId });
    try {
      const next = await runAsTenant(state?.tenantId, () => run(state));
      logger.info('Step done', { step });
      return next;
    } catch (error) {
      logger.warn('Step failed', { step, errorName: (error as Error)?.name, error: error as Error });
      throw error;
    } finally {
      flushMetrics();
    }
  };
}
