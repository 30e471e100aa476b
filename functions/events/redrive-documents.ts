import { redriveDueDocuments } from '#shared/documents/redrive';
import { logger } from '#shared/observability/logger';
import { logFailure, withPowertools } from '#shared/observability/middlewares';

/** Schedule → the next attempt of every PROCESSING document whose attempt's lease has passed. */
export const handler = withPowertools(async () => {
  const result = await redriveDueDocuments();
  if (result.due > 0) logger.info('Re-drive sweep', result);
  return result;
}, logFailure('Re-drive sweep failed'));
