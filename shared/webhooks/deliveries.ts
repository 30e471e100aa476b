import { now } from '#shared/clock';
import { cursorSecret } from '#shared/config/secrets';
import { newId } from '#shared/data/ids';
import { BadRequestError, NotFoundError } from '#shared/errors';
import type { TenantContext } from '#shared/tenancy/context';
import type { DeliveryResource } from './api.ts';
import { ATTEMPT_LEASE_MS, attemptDelivery } from './delivery.ts';
import { ownEndpoint } from './endpoints.ts';
import { testEventBody } from './payload.ts';
import { type DeliveryRecord, InvalidDeliveryCursorError, webhookStore } from './store.ts';

export async function listDeliveries(
  ctx: TenantContext,
  webhookId: string,
  query: { limit: number; cursor?: string },
): Promise<{ items: DeliveryResource[]; nextCursor: string | null }> {
  await ownEndpoint(ctx, webhookId);
  try {
    const page = await webhookStore.listDeliveries(ctx.tenantId, webhookId, {
      limit: query.limit,
      cursor: query.cursor,
      cursorSecret: await cursorSecret(),
    });
    return { items: page.deliveries.map(toDeliveryResource), nextCursor: page.nextCursor ?? null };
  } catch (error) {
    if (error instanceof InvalidDeliveryCursorError) {
      throw new BadRequestError('The cursor is not valid for this listing', 'INVALID_CURSOR');
    }
    throw error;
  }
}

/** The same event (id and body) as a new delivery, attempted now; retried like any other if it fails. */
export async function redeliver(
  ctx: TenantContext,
  webhookId: string,
  deliveryId: string,
): Promise<DeliveryResource> {
  await ownEndpoint(ctx, webhookId);
  const original = await webhookStore.getDelivery(ctx.tenantId, webhookId, deliveryId);
  if (!original) {
    throw new NotFoundError(`Delivery ${deliveryId} not found`, 'WEBHOOK_DELIVERY_NOT_FOUND');
  }
  return deliverNow(ctx.tenantId, {
    webhookId,
    eventId: original.eventId,
    type: original.type,
    body: original.body,
    ...(original.test ? { test: true } : {}),
  });
}

/** A sample event of the endpoint's first subscribed type, marked `test`, attempted now. */
export async function sendTestEvent(ctx: TenantContext, webhookId: string): Promise<DeliveryResource> {
  const endpoint = await ownEndpoint(ctx, webhookId);
  const body = testEventBody(endpoint.events[0]!, now());
  return deliverNow(ctx.tenantId, {
    webhookId,
    eventId: body.id,
    type: body.type,
    body: JSON.stringify(body),
    test: true,
  });
}

async function deliverNow(
  tenantId: string,
  event: Pick<DeliveryRecord, 'webhookId' | 'eventId' | 'type' | 'body' | 'test'>,
): Promise<DeliveryResource> {
  const at = now();
  const delivery: DeliveryRecord = {
    id: newId(at),
    ...event,
    status: 'pending',
    attempts: 0,
    createdAt: at.toISOString(),
    nextAttemptAt: at.toISOString(),
  };
  await webhookStore.createDelivery(tenantId, delivery, new Date(at.getTime() + ATTEMPT_LEASE_MS), at);
  const after = await attemptDelivery(
    { tenantId, webhookId: event.webhookId, deliveryId: delivery.id, attempts: 0 },
    { readBack: true },
  );
  return toDeliveryResource(after ?? delivery);
}

export function toDeliveryResource(delivery: DeliveryRecord): DeliveryResource {
  return {
    id: delivery.id,
    eventId: delivery.eventId,
    type: delivery.type,
    status: delivery.status,
    attempts: delivery.attempts,
    lastResponseCode: delivery.lastResponseCode ?? null,
    lastDurationMs: delivery.lastDurationMs ?? null,
    lastError: delivery.lastError ?? null,
    nextAttemptAt: delivery.status === 'pending' ? (delivery.nextAttemptAt ?? null) : null,
    createdAt: delivery.createdAt,
    test: delivery.test === true,
  };
}
