import { CreateQueueCommand, SetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { resourcesOfType } from '../template/assembly.ts';
import type { TemplateResolver } from '../template/intrinsics.ts';

const ATTRIBUTES = [
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
];

/**
 * Creates the template's queues. Two passes: every queue first, then redrive policies, because the SQS server
 * (like SQS) refuses a RedrivePolicy whose dead-letter queue does not exist yet.
 */
export async function provisionQueues(resolver: TemplateResolver, client: SQSClient): Promise<string[]> {
  const queues = resourcesOfType(resolver.stacks, 'AWS::SQS::Queue').map(
    ({ stack, logicalId, resource }) => ({
      physical: resolver.physical(stack, logicalId),
      properties: (resolver.resolve(resource.Properties ?? {}, stack) ?? {}) as Record<string, unknown>,
    }),
  );
  for (const { physical, properties } of queues) {
    const attributes: Record<string, string> = {};
    for (const name of ATTRIBUTES)
      if (properties[name] !== undefined) attributes[name] = String(properties[name]);
    await client.send(
      new CreateQueueCommand({ QueueName: String(physical.attributes.QueueName), Attributes: attributes }),
    );
  }
  for (const { physical, properties } of queues) {
    if (!properties.RedrivePolicy) continue;
    await client.send(
      new SetQueueAttributesCommand({
        QueueUrl: physical.ref,
        Attributes: { RedrivePolicy: JSON.stringify(properties.RedrivePolicy) },
      }),
    );
  }
  return queues.map(({ physical }) => String(physical.attributes.QueueName));
}
