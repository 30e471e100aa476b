import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { LambdaRegistry } from '../../lambda/registry.ts';
import type { StepFunctions } from '../../stepfunctions/machines.ts';
import type { TemplateResolver } from '../../template/intrinsics.ts';
import type { Deliver } from './bus.ts';

/** Delivery to the target kinds the template uses: SQS queues, state machines, Lambda functions. */
export function createDeliverer(deps: {
  resolver: TemplateResolver;
  sqs: SQSClient;
  lambda: LambdaRegistry;
  stepFunctions: () => StepFunctions;
}): Deliver {
  return async (target, body) => {
    const service = target.Arn.split(':')[2];
    switch (service) {
      case 'sqs': {
        const queue = deps.resolver.findByPhysical(target.Arn);
        if (!queue) throw new Error(`queue ${target.Arn} is not in the template`);
        const queueUrl = deps.resolver.physical(queue.stack, queue.logicalId).ref;
        await deps.sqs.send(
          new SendMessageCommand({
            QueueUrl: queueUrl,
            MessageBody: body,
            ...(target.SqsParameters?.MessageGroupId
              ? { MessageGroupId: target.SqsParameters.MessageGroupId }
              : {}),
          }),
        );
        return;
      }
      case 'states':
        deps.stepFunctions().start(target.Arn, undefined, body);
        return;
      case 'lambda':
        // EventBridge invokes Lambda asynchronously; awaiting here only feeds the retry policy.
        await deps.lambda.invoke(target.Arn, JSON.parse(body));
        return;
      default:
        throw new Error(`EventBridge target ${target.Arn} is not supported locally`);
    }
  };
}
