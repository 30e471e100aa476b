import { randomUUID } from 'node:crypto';
import { now } from '#shared/clock';
import { errorResponse, successResponse } from '#shared/http/envelope';
import type { ApiEvent } from '#shared/http/event';
import { checkHealth } from '#shared/observability/health';

const NO_STORE = { 'cache-control': 'no-store' };

/** GET /v1/health — public, no tenant data; never cached (a monitor must see the present). */
export const handler = async (event?: ApiEvent) => {
  const health = await checkHealth(now());
  if (health.status === 'ok') return successResponse(200, health, { headers: NO_STORE });
  return errorResponse(503, {
    error: 'DynamoDB does not answer: the API cannot serve requests now',
    code: 'UPSTREAM_UNAVAILABLE',
    requestId: event?.requestContext?.requestId ?? randomUUID(),
    headers: NO_STORE,
  });
};
