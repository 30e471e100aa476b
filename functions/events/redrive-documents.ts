import { redriveDueDocuments } from '#shared/documents/redrive';
import { beginInvocation, logger } from '#shared/observability/logger';
import { flushMetrics } from '#shared/observability/metrics';

/** Schedule → the next attempt of every PROCESSING document whose attempt's lease has passed. */
export const handler = async (_event: unknown, context?: unknown) => {
  beginInvocation(context);
  try {
    const result = await redriveDueDocuments();
    if (result.due > 0) logger.info('Re-drive sweep', result);
    return result;
  } finally {
    flushMetrics();
  }
};
