import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { FunctionError, LambdaServiceError } from '../lambda/errors.ts';
import type { LambdaRegistry } from '../lambda/registry.ts';
import type { EventBridge } from '../standins/eventbridge/bus.ts';

/** An error as Step Functions sees it: `name` is the `Error` that Retry/Catch match, `message` the `Cause`. */
export class TaskError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

export type TaskDependencies = { lambda: LambdaRegistry; eventBridge: EventBridge; sqs: SQSClient };

/**
 * Runs one Task state's resource locally. Supports what the CDK emits for Lambda (`payloadResponseOnly`:
 * the function ARN as resource; otherwise `lambda:invoke`), EventBridge PutEvents and SQS SendMessage.
 */
export async function runTask(resource: string, input: unknown, deps: TaskDependencies): Promise<unknown> {
  if (/^arn:[^:]+:lambda:/.test(resource)) return invokeLambda(resource, input, deps);
  const integration = /^arn:[^:]+:states:::([^.]+(?:\.[^.]+)?)$/.exec(resource)?.[1];
  switch (integration) {
    case 'lambda:invoke': {
      const { FunctionName, Payload } = input as { FunctionName: string; Payload?: unknown };
      const result = await invokeLambda(FunctionName, Payload ?? {}, deps);
      return { ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 };
    }
    case 'events:putEvents': {
      const { Entries } = input as { Entries: Array<Record<string, unknown>> };
      const entries = Entries.map((entry) => ({
        ...entry,
        // The service integration accepts Detail as JSON (an object); the API wants a string.
        Detail: typeof entry.Detail === 'string' ? entry.Detail : JSON.stringify(entry.Detail ?? {}),
      }));
      const result = deps.eventBridge.putEvents(entries as never);
      if (result.FailedEntryCount > 0) {
        throw new TaskError('EventBridge.FailedEntry', JSON.stringify(result));
      }
      return result;
    }
    case 'sqs:sendMessage': {
      const { QueueUrl, MessageBody, ...rest } = input as Record<string, unknown>;
      const output = await deps.sqs.send(
        new SendMessageCommand({
          ...(rest as object),
          QueueUrl: String(QueueUrl),
          MessageBody: typeof MessageBody === 'string' ? MessageBody : JSON.stringify(MessageBody),
        }),
      );
      return { MessageId: output.MessageId, MD5OfMessageBody: output.MD5OfMessageBody };
    }
    default:
      throw new TaskError('States.Runtime', `Task resource ${resource} is not supported by the local cloud`);
  }
}

async function invokeLambda(functionArn: string, payload: unknown, deps: TaskDependencies): Promise<unknown> {
  try {
    return await deps.lambda.invoke(functionArn, payload);
  } catch (error) {
    if (error instanceof FunctionError) {
      // Same shape as on AWS: Error = errorType, Cause = the JSON error payload of the function.
      throw new TaskError(error.name, JSON.stringify(error.toPayload()));
    }
    // The Invoke API refused the call: Step Functions names such errors after the Lambda exception.
    if (error instanceof LambdaServiceError) throw new TaskError(`Lambda.${error.name}`, error.message);
    throw new TaskError('Lambda.ServiceException', error instanceof Error ? error.message : String(error));
  }
}
