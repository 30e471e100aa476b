import { SendMessageCommand } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { config } from '#shared/config/config';
import { sqsClient } from '#shared/events/folio-fan-out';

/** The export queue's message: which job to run, for which tenant. */
const exportMessageSchema = z.object({ tenantId: z.string().min(1), exportId: z.string().min(1) });
export type ExportMessage = z.output<typeof exportMessageSchema>;

/** Throws on anything but an export message (the record then fails alone and ends in the DLQ). */
export function exportMessageOf(body: string): ExportMessage {
  return exportMessageSchema.parse(JSON.parse(body));
}

export async function enqueueExport(message: ExportMessage): Promise<void> {
  await sqsClient().send(
    new SendMessageCommand({ QueueUrl: config().exportQueueUrl, MessageBody: JSON.stringify(message) }),
  );
}
