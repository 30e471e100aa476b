import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { config } from '#shared/config/config';
import { sqsClient } from '#shared/events/folio-fan-out';

/**
 * The delivery queue's message: attempt `attempts + 1` of one delivery. The attempt number makes duplicate
 * messages harmless: only one of them can take that attempt (store.claimAttempt).
 */
const deliveryMessageSchema = z.object({
  tenantId: z.string().min(1),
  webhookId: z.string().min(1),
  deliveryId: z.string().min(1),
  attempts: z.number().int().min(0),
});
export type DeliveryMessage = z.output<typeof deliveryMessageSchema>;

/** Throws on anything but a delivery message (the record then fails alone and ends in the DLQ). */
export function deliveryMessageOf(body: string): DeliveryMessage {
  return deliveryMessageSchema.parse(JSON.parse(body));
}

export async function enqueueDeliveries(messages: readonly DeliveryMessage[]): Promise<void> {
  for (let i = 0; i < messages.length; i += 10) {
    const out = await sqsClient().send(
      new SendMessageBatchCommand({
        QueueUrl: config().webhookDeliveryQueueUrl,
        Entries: messages.slice(i, i + 10).map((message, index) => ({
          Id: String(index),
          MessageBody: JSON.stringify(message),
        })),
      }),
    );
    if (out.Failed && out.Failed.length > 0) {
      // The caller's message is retried; the deliveries already written are found again, or by the sweep.
      throw new Error(`SendMessageBatch failed for ${out.Failed.length} delivery message(s)`);
    }
  }
}
