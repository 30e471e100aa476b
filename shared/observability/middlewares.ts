import { cleanupMiddlewares } from '@aws-lambda-powertools/commons';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import { logger } from './logger.ts';
import { metrics } from './metrics.ts';
import { tracer } from './tracer.ts';

/**
 * The Powertools middlewares every handler starts with, in this order (middy runs `before`s in order and
 * `after`/`onError`s in reverse, so the trace segment opens first and closes last):
 *
 *   1. tracer  — handler subsegment with ColdStart and Service annotations; errors as metadata. Responses are
 *                not recorded: they carry presigned URLs and tenant data, and can exceed X-Ray's 64 KB.
 *   2. metrics — the cold-start metric, and the invocation's metrics flushed (EMF) when it ends.
 *   3. logger  — the Lambda context on every line; at the end, every key appended during the invocation
 *                (tenant, user, document…) is dropped, so none reaches the next invocation's lines.
 *
 * A middleware that answers early (middy then skips the remaining `after`/`onError`s) must call
 * `finishInvocation(request)` first, or the keys would survive and the metrics stay unflushed.
 */
export function powertoolsMiddlewares<E, R>(): MiddlewareObj<E, R>[] {
  return [
    captureLambdaHandler(tracer, { captureResponse: false }),
    logMetrics(metrics, { captureColdStartMetric: true }),
    injectLambdaContext(logger, { resetKeys: true }),
  ] as MiddlewareObj<E, R>[];
}

/**
 * A Lambda handler running `run` behind the Powertools middlewares, then `extra` (in that order). Callable
 * with or without a Lambda context (tests call handlers with the event alone).
 */
export function withPowertools<E, R>(
  run: (event: E) => Promise<R>,
  ...extra: MiddlewareObj<E, R>[]
): (event: E, context?: unknown) => Promise<R> {
  const handler = middy<E, R>(run).use([...powertoolsMiddlewares<E, R>(), ...extra]);
  return (event, context) => handler(event, context as never);
}

/** What the Powertools middlewares do at the end of an invocation, for a middleware that answers early. */
export function finishInvocation(request: { internal: unknown }): Promise<void> {
  return cleanupMiddlewares(request as Parameters<typeof cleanupMiddlewares>[0]);
}

/** Appends this invocation's keys (tenant, document, consumer…) to every log line until it ends. */
export function invocationKeys<E, R>(keysOf: (event: E) => Record<string, unknown>): MiddlewareObj<E, R> {
  return {
    before: (request) => {
      logger.appendKeys(keysOf(request.event));
    },
  };
}

/**
 * Logs a failed invocation with its error (stack mapped to the sources) and lets the error propagate, for
 * handlers whose caller (Step Functions, EventBridge Scheduler) only sees the error name.
 */
export function logFailure<E, R>(message: string, level: 'warn' | 'error' = 'error'): MiddlewareObj<E, R> {
  return {
    onError: (request) => {
      const error = request.error ?? undefined;
      logger[level](message, { errorName: error?.name, error });
    },
  };
}
