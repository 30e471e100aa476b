import { beginInvocation, logger } from '#shared/observability/logger';
import { flushMetrics } from '#shared/observability/metrics';
import { runAsTenant } from '#shared/tenancy/tenant-scope';

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
