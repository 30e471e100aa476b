import { sqsTenantBatchHandler } from '#shared/events/sqs-batch';
import { exportMessageOf } from '#shared/exports/queue';
import { runExport } from '#shared/exports/run-export';

/** Export queue → the job's ZIP streamed to the work-files bucket, as the job's tenant (one message per batch). */
export const handler = sqsTenantBatchHandler('run-export', exportMessageOf, (message) => runExport(message));
