import { batchValidationMessageOf } from '#shared/batches/queue';
import { validateBatch } from '#shared/batches/validate';
import { sqsTenantBatchHandler } from '#shared/events/sqs-batch';

/** Batch validation queue → every row pre-flighted, row items written, valid rows queued for issuing. */
export const handler = sqsTenantBatchHandler('validate-batch', batchValidationMessageOf, (message) =>
  validateBatch(message),
);
