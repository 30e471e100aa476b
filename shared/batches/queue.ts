import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { config } from '#shared/config/config';
import { sqsClient } from '#shared/events/folio-fan-out';

/** Rows per issue message: one message is issued row after row, so this bounds a message's run time. */
export const ROWS_PER_ISSUE_MESSAGE = 10;

const validationMessageSchema = z.object({
  tenantId: z.string().min(1),
  batchId: z.string().min(1),
});
export type BatchValidationMessage = z.output<typeof validationMessageSchema>;

const issueMessageSchema = z.object({
  tenantId: z.string().min(1),
  batchId: z.string().min(1),
  rows: z.array(z.int().min(1)).min(1).max(ROWS_PER_ISSUE_MESSAGE),
});
export type BatchIssueMessage = z.output<typeof issueMessageSchema>;

export const batchValidationMessageOf = (body: string) => validationMessageSchema.parse(JSON.parse(body));
export const batchIssueMessageOf = (body: string) => issueMessageSchema.parse(JSON.parse(body));

export async function enqueueBatchValidation(message: BatchValidationMessage): Promise<void> {
  await sqsClient().send(
    new SendMessageCommand({
      QueueUrl: config().batchValidationQueueUrl,
      MessageBody: JSON.stringify(message),
    }),
  );
}

/** The valid rows, ROWS_PER_ISSUE_MESSAGE per message, ten messages per request (SQS's limit). */
export async function enqueueBatchRows(
  tenantId: string,
  batchId: string,
  rows: readonly number[],
): Promise<void> {
  const messages: BatchIssueMessage[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_ISSUE_MESSAGE) {
    messages.push({ tenantId, batchId, rows: rows.slice(i, i + ROWS_PER_ISSUE_MESSAGE) });
  }
  for (let i = 0; i < messages.length; i += 10) {
    const out = await sqsClient().send(
      new SendMessageBatchCommand({
        QueueUrl: config().batchIssueQueueUrl,
        Entries: messages.slice(i, i + 10).map((message, index) => ({
          Id: String(index),
          MessageBody: JSON.stringify(message),
        })),
      }),
    );
    if (out.Failed && out.Failed.length > 0) {
      // The validation message is retried and queues every still-VALID row again; issuing is idempotent.
      throw new Error(
        `could not queue ${out.Failed.length} batch message(s): ${out.Failed[0]?.Message ?? ''}`,
      );
    }
  }
}
