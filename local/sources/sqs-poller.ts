import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { REGION } from '../aws.ts';
import type { LambdaRegistry } from '../lambda/registry.ts';
import type { SqsEventSource } from '../template/event-sources.ts';

export type PollerOptions = {
  sqs: SQSClient;
  lambda: LambdaRegistry;
  /** Tests: failed messages become visible again at once instead of after the visibility timeout. */
  fastRetries: boolean;
  onError(message: string, error: unknown): void;
};

/**
 * The Lambda SQS event source, locally: long-poll the queue, invoke the function with an SQS event, delete what
 * succeeded. With `ReportBatchItemFailures` only the reported failures stay; a thrown error keeps the whole
 * batch. Messages that stay are received again after their visibility timeout, and the SQS server moves them to
 * the DLQ once `maxReceiveCount` is reached — the same redrive path as on AWS.
 */
export function startSqsPoller(source: SqsEventSource, options: PollerOptions): { stop(): Promise<void> } {
  const abort = new AbortController();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      let messages: Message[] = [];
      try {
        const output = await options.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: source.queueUrl,
            MaxNumberOfMessages: Math.min(10, source.batchSize),
            // Short long-poll so stopping never waits long.
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: abort.signal },
        );
        messages = output.Messages ?? [];
      } catch (error) {
        if (stopped) return;
        options.onError(`polling ${source.queueUrl}`, error);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      if (messages.length === 0) continue;
      await deliver(source, messages, options);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      abort.abort();
      await loop.catch(() => undefined);
    },
  };
}

async function deliver(source: SqsEventSource, messages: Message[], options: PollerOptions) {
  const event = { Records: messages.map((message) => toRecord(message, source.queueArn)) };
  let failedIds = new Set<string>();
  try {
    const result = (await options.lambda.invoke(source.functionName, event)) as {
      batchItemFailures?: Array<{ itemIdentifier?: string }>;
    } | null;
    if (source.reportBatchItemFailures && result?.batchItemFailures) {
      failedIds = new Set(result.batchItemFailures.map((failure) => String(failure.itemIdentifier)));
      // An unknown or empty identifier makes Lambda treat the whole batch as failed.
      if (result.batchItemFailures.some((failure) => !failure.itemIdentifier)) {
        failedIds = new Set(messages.map((message) => message.MessageId!));
      }
    }
  } catch (error) {
    options.onError(`${source.functionName} failed on a batch from ${source.queueUrl}`, error);
    failedIds = new Set(messages.map((message) => message.MessageId!));
  }
  const succeeded = messages.filter((message) => !failedIds.has(message.MessageId!));
  if (succeeded.length) {
    await options.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: source.queueUrl,
        Entries: succeeded.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle!,
        })),
      }),
    );
  }
  if (options.fastRetries) {
    for (const message of messages.filter((candidate) => failedIds.has(candidate.MessageId!))) {
      await options.sqs
        .send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: source.queueUrl,
            ReceiptHandle: message.ReceiptHandle!,
            VisibilityTimeout: 0,
          }),
        )
        .catch(() => undefined);
    }
  }
}

/** One record of the SQS event Lambda sends (camelCase keys, message attributes in Lambda's shape). */
function toRecord(message: Message, queueArn: string) {
  return {
    messageId: message.MessageId,
    receiptHandle: message.ReceiptHandle,
    body: message.Body ?? '',
    attributes: message.Attributes ?? {},
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        {
          stringValue: value.StringValue,
          binaryValue: value.BinaryValue ? Buffer.from(value.BinaryValue).toString('base64') : undefined,
          stringListValues: value.StringListValues ?? [],
          binaryListValues: [],
          dataType: value.DataType,
        },
      ]),
    ),
    md5OfBody: message.MD5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: REGION,
  };
}
