import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { logger } from '#shared/observability/logger';
import { invocationKeys, withPowertools } from '#shared/observability/middlewares';
import { runAsTenant } from '#shared/tenancy/tenant-scope';

/** The parts of an SQS event we read (shared/ never imports aws-lambda types). */
export type SqsRecord = { messageId: string; body: string };
export type SqsEvent = { Records: SqsRecord[] };
export type SqsBatchResponse = { batchItemFailures: Array<{ itemIdentifier: string }> };

/**
 * An SQS consumer with partial batch responses (ReportBatchItemFailures): each record is processed on its
 * own (Powertools `BatchProcessor`, records in parallel) and only the failed ones are reported, so one poison
 * message neither blocks nor re-delivers the rest of its batch.
 *
 * A batch whose every record failed is answered the same way rather than thrown (Powertools' default):
 * SQS retries exactly the reported records either way, and a lone poison message should not count as a
 * function error on every redelivery until it reaches the DLQ.
 */
export function sqsBatchHandler(name: string, processRecord: (body: string) => Promise<void>) {
  const processor = new BatchProcessor(EventType.SQS);
  const handleRecord = async (record: SqsRecord) => {
    try {
      await processRecord(record.body);
    } catch (error) {
      logger.error('Message failed', { consumer: name, messageId: record.messageId, error: error as Error });
      throw error;
    }
  };
  return withPowertools<SqsEvent, SqsBatchResponse>(
    (event) => processPartialResponse(event, handleRecord, processor, { throwOnFullBatchFailure: false }),
    invocationKeys(() => ({ consumer: name })),
  );
}

/**
 * `sqsBatchHandler` for messages that belong to one tenant each: `parse` reads the message (throwing on a
 * malformed one, which then fails alone), and `process` runs as the message's tenant, so its AWS clients sign
 * as that tenant's session (shared/tenancy/tenant-scope.ts).
 */
export function sqsTenantBatchHandler<M extends { tenantId: string }>(
  name: string,
  parse: (body: string) => M,
  process: (message: M) => Promise<unknown>,
) {
  return sqsBatchHandler(name, async (body) => {
    const message = parse(body);
    await runAsTenant(message.tenantId, () => process(message));
  });
}
