import { Logger } from '@aws-lambda-powertools/logger';
import { redactingReplacer } from './redact.ts';

/**
 * One logger per process, configured once (service name and level come from the POWERTOOLS_* variables the
 * library reads itself). Every serialized attribute goes through the redacting replacer.
 */
export const logger = new Logger({ jsonReplacerFn: redactingReplacer });

type InvocationContext = { awsRequestId?: string; functionName?: string } & Record<string, unknown>;

/**
 * Start of every invocation: drop the previous invocation's temporary keys (so one tenant's ids never
 * appear in the next request's lines), then attach the Lambda context and this invocation's keys.
 */
export function beginInvocation(context: unknown, keys: Record<string, unknown> = {}): void {
  logger.resetKeys();
  const lambdaContext = context as InvocationContext | undefined;
  if (lambdaContext && typeof lambdaContext.awsRequestId === 'string') {
    // biome-ignore lint/suspicious/noExplicitAny: Powertools wants the aws-lambda Context type, which shared/ never imports.
    logger.addContext(lambdaContext as any);
  }
  if (Object.keys(keys).length > 0) logger.appendKeys(keys);
}
