import { now } from '#shared/clock';
import { config } from '#shared/config/config';
import { publishEvent } from '#shared/events/bus';
import { logger } from '#shared/observability/logger';
import { MetricUnit, metrics } from '#shared/observability/metrics';
import type { DeliveryMessage } from './queue.ts';
import { nextAttemptAfter, RETRY_WINDOW_MS } from './retry-schedule.ts';
import { decryptWebhookSecret } from './secrets.ts';
import { SIGNATURE_HEADER, signPayload } from './signature.ts';
import { type DeliveryRecord, type EndpointRecord, webhookStore } from './store.ts';
import { type PostOutcome, postToTarget, resolveWebhookTarget, WebhookUrlRefusedError } from './target.ts';

/** How long a receiver has to answer. */
export const DELIVERY_TIMEOUT_MS = 10_000;

/** How long an attempt under way keeps its delivery from the sweep (the attempt, its bookkeeping, margin). */
export const ATTEMPT_LEASE_MS = 2 * 60_000;

/** An endpoint is disabled after this many deliveries failed in a row (each one retried for 3 days) … */
export const DISABLE_AFTER_FAILED_DELIVERIES = 20;
/** … or after failing every attempt for this long, whatever the count. */
export const DISABLE_AFTER_FAILING_MS = RETRY_WINDOW_MS;

export const USER_AGENT = 'factu-webhooks/1';

/**
 * Makes attempt `attempts + 1` of a delivery, at most once per attempt number, and records its outcome:
 * succeeded (2xx), pending again with the next attempt time, or failed once the retry window is over.
 * Three table calls on the common path (the endpoint, the claim, the outcome); with `readBack` it answers
 * the delivery as it is afterwards (the API's test and redeliver show it), otherwise undefined.
 */
export async function attemptDelivery(
  message: DeliveryMessage,
  options: { readBack?: boolean } = {},
): Promise<DeliveryRecord | undefined> {
  const { tenantId, webhookId, deliveryId } = message;
  const readBack = () =>
    options.readBack ? webhookStore.getDelivery(tenantId, webhookId, deliveryId) : Promise.resolve(undefined);
  const endpoint = await webhookStore.getEndpoint(tenantId, webhookId);
  const ids = { webhookId, id: deliveryId };
  if (!endpoint) {
    await webhookStore.abandonDelivery(tenantId, { ...ids, attempts: message.attempts }, 'endpoint deleted');
    return readBack();
  }
  // A disabled endpoint still takes test events (the API's explicit test); everything else is given up.
  if (endpoint.status === 'disabled') {
    const delivery = await webhookStore.getDelivery(tenantId, webhookId, deliveryId);
    if (!delivery?.test) {
      await webhookStore.abandonDelivery(
        tenantId,
        { ...ids, attempts: message.attempts },
        'endpoint disabled',
      );
      return readBack();
    }
  }
  const startedAt = now();
  const claimed = await webhookStore.claimAttempt(
    tenantId,
    ids,
    message.attempts,
    new Date(startedAt.getTime() + ATTEMPT_LEASE_MS),
    startedAt,
  );
  // Taken by another message, or already settled.
  if (!claimed) return readBack();
  const outcome = await send(tenantId, endpoint, claimed);
  await settle(tenantId, endpoint, claimed, outcome);
  return readBack();
}

/** The URL is checked again (DNS may answer otherwise now) and the request goes to the address checked. */
async function send(
  tenantId: string,
  endpoint: EndpointRecord,
  delivery: DeliveryRecord,
): Promise<PostOutcome> {
  let target: Awaited<ReturnType<typeof resolveWebhookTarget>>;
  try {
    target = await resolveWebhookTarget(endpoint.url, { allowLoopback: config().webhooksAllowLoopback });
  } catch (error) {
    if (error instanceof WebhookUrlRefusedError) {
      return { ok: false, statusCode: null, durationMs: 0, error: error.reason };
    }
    throw error;
  }
  const secret = await decryptWebhookSecret(tenantId, endpoint.id, endpoint.secretCiphertext);
  return postToTarget(
    target,
    delivery.body,
    {
      [SIGNATURE_HEADER]: signPayload(secret, delivery.body, now()),
      'Factu-Event-Id': delivery.eventId,
      'User-Agent': USER_AGENT,
    },
    DELIVERY_TIMEOUT_MS,
  );
}

async function settle(
  tenantId: string,
  endpoint: EndpointRecord,
  delivery: DeliveryRecord,
  outcome: PostOutcome,
): Promise<void> {
  const answer = {
    responseCode: outcome.statusCode,
    durationMs: outcome.durationMs,
    error: 'error' in outcome ? outcome.error : null,
  };
  if (outcome.ok) {
    await webhookStore.recordAttempt(tenantId, delivery, { status: 'succeeded', ...answer });
    const wasFailing = endpoint.failingSince !== undefined || (endpoint.failedDeliveries ?? 0) > 0;
    if (!delivery.test && wasFailing) await webhookStore.markEndpointHealthy(tenantId, endpoint.id);
    return;
  }
  // A test event says how the endpoint answers now; it is neither retried nor held against the endpoint.
  if (delivery.test) {
    await webhookStore.recordAttempt(tenantId, delivery, { status: 'failed', ...answer });
    return;
  }
  const at = now();
  const nextAttemptAt = nextAttemptAfter(delivery.attempts, new Date(delivery.createdAt), at);
  if (nextAttemptAt) {
    await webhookStore.recordAttempt(tenantId, delivery, { status: 'pending', ...answer, nextAttemptAt });
  } else {
    await webhookStore.recordAttempt(tenantId, delivery, { status: 'failed', ...answer });
    metrics.addMetric('WebhookDeliveriesFailed', MetricUnit.Count, 1);
    logger.warn('Webhook delivery failed after its last retry', {
      tenantId,
      webhookId: endpoint.id,
      deliveryId: delivery.id,
      attempts: delivery.attempts,
    });
  }
  const after = await webhookStore.recordEndpointFailure(tenantId, endpoint.id, at, !nextAttemptAt);
  if (after?.status === 'enabled' && shouldDisable(after, at)) await disable(tenantId, after, at);
}

export function shouldDisable(
  endpoint: Pick<EndpointRecord, 'failedDeliveries' | 'failingSince'>,
  at: Date,
): boolean {
  if ((endpoint.failedDeliveries ?? 0) >= DISABLE_AFTER_FAILED_DELIVERIES) return true;
  return (
    endpoint.failingSince !== undefined &&
    at.getTime() - Date.parse(endpoint.failingSince) >= DISABLE_AFTER_FAILING_MS
  );
}

async function disable(tenantId: string, endpoint: EndpointRecord, at: Date): Promise<void> {
  if (!(await webhookStore.disableEndpoint(tenantId, endpoint.id, at))) return;
  metrics.addMetric('WebhookEndpointsDisabled', MetricUnit.Count, 1);
  logger.warn('Webhook endpoint disabled', { tenantId, webhookId: endpoint.id });
  await publishEvent({
    type: 'webhook.disabled',
    detail: {
      tenantId,
      webhookId: endpoint.id,
      url: endpoint.url,
      failures: endpoint.failedDeliveries ?? 0,
      failingSince: endpoint.failingSince ?? null,
    },
  });
}
