import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { now } from '#shared/clock';
import { documentClient, tableName } from '#shared/data/client';
import { GSI, IN_FLIGHT_SHARDS, webhookDuePartition } from '#shared/data/keys';
import { MetricUnit, metrics } from '#shared/observability/metrics';
import { runAsTenant } from '#shared/tenancy/tenant-scope';
import { ATTEMPT_LEASE_MS } from './delivery.ts';
import { type DeliveryMessage, enqueueDeliveries } from './queue.ts';
import { webhookStore } from './store.ts';

/** Deliveries one sweep hands to the queue per shard; the rest wait for the next sweep (a minute later). */
export const SWEEP_BATCH_PER_SHARD = 200;

type DueDelivery = { tenantId: string; webhookId: string; deliveryId: string; sk: string };

/**
 * Retries are due hours apart (up to 8 h), but SQS delays a message by at most 15 minutes: rather than
 * re-queue a message every 15 minutes for each waiting delivery (up to 32 sends and receives a delivery per
 * 8 h wait), a pending delivery carries its due time in the in-flight index and this scheduled sweep
 * queues the due ones, one Query per shard per minute however many wait. The same entry, set to an attempt's
 * lease while it runs, brings back a delivery whose attempt or queue message was lost.
 */
export async function sweepDueDeliveries(): Promise<{ due: number; queued: number }> {
  const at = now();
  const shards = Array.from({ length: IN_FLIGHT_SHARDS }, (_, shard) => shard);
  const due = (await Promise.all(shards.map((shard) => dueDeliveries(shard, at)))).flat();
  const messages: DeliveryMessage[] = [];
  const leaseUntil = new Date(at.getTime() + ATTEMPT_LEASE_MS);
  for (const entry of due) {
    // Read with the sweep's own role; each delivery is leased with its tenant's session.
    const leased = await runAsTenant(entry.tenantId, () =>
      webhookStore.leaseDueDelivery(
        entry.tenantId,
        { webhookId: entry.webhookId, id: entry.deliveryId },
        entry.sk,
        leaseUntil,
      ),
    );
    if (leased) {
      messages.push({
        tenantId: entry.tenantId,
        webhookId: entry.webhookId,
        deliveryId: entry.deliveryId,
        attempts: leased.attempts,
      });
    }
  }
  await enqueueDeliveries(messages);
  if (messages.length > 0) metrics.addMetric('WebhookDeliveriesRequeued', MetricUnit.Count, messages.length);
  return { due: due.length, queued: messages.length };
}

async function dueDeliveries(shard: number, at: Date): Promise<DueDelivery[]> {
  const out = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: GSI.inFlight.name,
      KeyConditionExpression: '#pk = :pk AND #sk < :bound',
      ExpressionAttributeNames: { '#pk': GSI.inFlight.pk, '#sk': GSI.inFlight.sk },
      // `<dueAt>#<tenant>#<webhook>#<delivery>`: `$` sorts right after `#`, so every due time ≤ now is below.
      ExpressionAttributeValues: { ':pk': webhookDuePartition(shard), ':bound': `${at.toISOString()}$` },
      Limit: SWEEP_BATCH_PER_SHARD,
    }),
  );
  return (out.Items ?? []).flatMap((item) => {
    const sk = String(item[GSI.inFlight.sk]);
    const [, tenantId, webhookId, deliveryId] = sk.split('#');
    return tenantId && webhookId && deliveryId ? [{ tenantId, webhookId, deliveryId, sk }] : [];
  });
}
