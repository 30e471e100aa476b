import { Logger } from '@aws-lambda-powertools/logger';
import { redactingReplacer } from './redact.ts';
import { withOriginalStack } from './source-maps.ts';

/**
 * Every serialized attribute goes through the redacting replacer (secrets never reach a line); an error
 * then has its stack mapped to the sources (only errors pay for the source map, see source-maps.ts).
 */
function logReplacer(key: string, value: unknown): unknown {
  const replaced = redactingReplacer(key, value);
  return replaced instanceof Error ? withOriginalStack(replaced) : replaced;
}

/**
 * One logger per process, configured once (service name and level come from the POWERTOOLS_* variables the
 * library reads itself). Handlers attach the Lambda context and drop the previous invocation's keys through
 * Powertools' `injectLambdaContext` middleware (`#shared/observability/middlewares`).
 */
export const logger = new Logger({ jsonReplacerFn: logReplacer });
