import { createHash } from 'node:crypto';
import * as z from 'zod';
import { now } from '#shared/clock';
import { WEBHOOK_EVENT_TYPES } from '#shared/events/catalog';
import { ATTEMPT_LEASE_MS } from './delivery.ts';
import { eventData, type WebhookEventBody } from './payload.ts';
import { type DeliveryMessage, enqueueDeliveries } from './queue.ts';
import { type DeliveryRecord, webhookStore } from './store.ts';

/** An EventBridge event as its SQS target receives it (the message body is the whole event). */
const busEventSchema = z.object({
  id: z.string().min(1).max(128),
  'detail-type': z.enum(WEBHOOK_EVENT_TYPES),
  time: z.string().min(1),
  detail: z.looseObject({ tenantId: z.string().min(1) }),
});
export type BusEvent = z.output<typeof busEventSchema>;

/** Throws on anything but a webhook event of the catalogue (the record then fails alone and ends in the DLQ). */
export function busEventOf(body: string): BusEvent & { tenantId: string } {
  const event = busEventSchema.parse(JSON.parse(body));
  return { ...event, tenantId: event.detail.tenantId };
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The delivery id of an event at an endpoint: a ULID whose time is the event's and whose random part comes
 * from the event id, so a second fan-out of the same event (EventBridge and SQS deliver at least once)
 * names the same delivery, and an endpoint's deliveries still list in time order.
 */
export function deliveryIdFor(eventTime: string, eventId: string): string {
  let time = Math.max(0, Date.parse(eventTime) || 0);
  let timePart = '';
  for (let i = 0; i < 10; i++) {
    timePart = CROCKFORD[time % 32] + timePart;
    time = Math.floor(time / 32);
  }
  const hash = createHash('sha256').update(eventId).digest();
  let rest = '';
  for (let i = 0; i < 16; i++) rest += CROCKFORD[hash[i]! % 32];
  return timePart + rest;
}

/**
 * One delivery per endpoint of the tenant subscribed to the event's type (enabled ones), each queued for its
 * first attempt. The body is built once, here: every attempt and redelivery sends the same bytes.
 */
export async function fanOutEvent(event: BusEvent & { tenantId: string }): Promise<{ deliveries: number }> {
  const type = event['detail-type'];
  const endpoints = (await webhookStore.listEndpoints(event.tenantId)).filter(
    (endpoint) => endpoint.status === 'enabled' && endpoint.events.includes(type),
  );
  if (endpoints.length === 0) return { deliveries: 0 };
  const body: WebhookEventBody = {
    id: event.id,
    type,
    createdAt: new Date(Date.parse(event.time) || now().getTime()).toISOString(),
    data: await eventData(event.tenantId, type, event.detail),
  };
  const text = JSON.stringify(body);
  const at = now();
  const deliveryId = deliveryIdFor(body.createdAt, event.id);
  const messages: DeliveryMessage[] = [];
  for (const endpoint of endpoints) {
    const delivery: DeliveryRecord = {
      id: deliveryId,
      webhookId: endpoint.id,
      eventId: event.id,
      type,
      body: text,
      status: 'pending',
      attempts: 0,
      createdAt: at.toISOString(),
      nextAttemptAt: at.toISOString(),
    };
    const created = await webhookStore.createDelivery(
      event.tenantId,
      delivery,
      new Date(at.getTime() + ATTEMPT_LEASE_MS),
      at,
    );
    // A repeated event: queue it again only if its first attempt never happened (the claim stops doubles).
    const existing = created
      ? delivery
      : await webhookStore.getDelivery(event.tenantId, endpoint.id, deliveryId);
    if (existing?.status === 'pending' && existing.attempts === 0) {
      messages.push({ tenantId: event.tenantId, webhookId: endpoint.id, deliveryId, attempts: 0 });
    }
  }
  await enqueueDeliveries(messages);
  return { deliveries: messages.length };
}
