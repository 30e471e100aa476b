import { beginInvocation, logger } from '#shared/observability/logger';
import { flushMetrics } from '#shared/observability/metrics';

/** The parts of an SQS event we read (shared/ never imports aws-lambda types). */
export type SqsEvent = { Records: Array<{ messageId: string; body: string }> };
export type SqsBatchResponse = { batchItemFailures: Array<{ itemIdentifier: string }> };

/**
 * Processes each record on its own and reports only the failed ones (ReportBatchItemFailures), so one bad
 * message neither blocks nor re-delivers the rest of its batch.
 */
export function sqsBatchHandler(name: string, processRecord: (body: string) => Promise<void>) {
  return async (event: SqsEvent, context?: unknown): Promise<SqsBatchResponse> => {
    beginInvocation(context, { consumer: name });
    const batchItemFailures: SqsBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records ?? []) {
      try {
        await processRecord(record.body);
      } catch (error) {
        logger.error('Message failed', {
          consumer: name,
          messageId: record.messageId,
          error: error as Error,
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    flushMetrics();
    return { batchItemFailures };
  };
}
