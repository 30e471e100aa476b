import { issueBatchRows } from '#shared/batches/issue-rows';
import { batchIssueMessageOf } from '#shared/batches/queue';
import { sqsTenantBatchHandler } from '#shared/events/sqs-batch';

/** Batch issue queue → each row issued through the same service as POST /v1/documents, once. */
export const handler = sqsTenantBatchHandler('issue-batch-rows', batchIssueMessageOf, issueBatchRows);
