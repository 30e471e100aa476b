import type { PipelineState } from '#shared/events/pipeline';
import { logger } from '#shared/observability/logger';
import { invocationKeys, logFailure, withPowertools } from '#shared/observability/middlewares';
import { runAsTenant } from '#shared/tenancy/tenant-scope';

/**
 * Wraps a pipeline step as a Lambda handler: traced, metrics flushed, the step, tenant and document on every
 * log line and dropped when the step ends, the step run as the state's tenant (its AWS clients sign as that
 * tenant's session). Errors propagate unchanged: Step Functions matches Retry/Catch on `name`.
 */
export function pipelineTask(step: string, run: (state: PipelineState) => Promise<PipelineState>) {
  return withPowertools<PipelineState, PipelineState>(
    async (state) => {
      const next = await runAsTenant(state?.tenantId, () => run(state));
      logger.info('Step done', { step });
      return next;
    },
    invocationKeys((state) => ({ step, tenantId: state?.tenantId, documentId: state?.documentId })),
    // A failed step is expected (HKA rejections, retried transient faults): Step Functions decides.
    logFailure('Step failed', 'warn'),
  );
}
