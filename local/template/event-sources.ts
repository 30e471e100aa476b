import { resourcesOfType } from './assembly.ts';
import type { TemplateResolver } from './intrinsics.ts';
import { functionNameFromArn } from './names.ts';

export type SqsEventSource = {
  functionName: string;
  queueArn: string;
  queueUrl: string;
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  reportBatchItemFailures: boolean;
  enabled: boolean;
  maximumConcurrency?: number;
};

/** `AWS::Lambda::EventSourceMapping`s reading SQS queues (other sources are reported as unsupported). */
export function sqsEventSources(resolver: TemplateResolver): {
  sources: SqsEventSource[];
  unsupported: string[];
} {
  const sources: SqsEventSource[] = [];
  const unsupported: string[] = [];
  for (const { stack, logicalId, resource } of resourcesOfType(
    resolver.stacks,
    'AWS::Lambda::EventSourceMapping',
  )) {
    const properties = (resolver.resolve(resource.Properties ?? {}, stack) ?? {}) as Record<string, unknown>;
    const sourceArn = String(properties.EventSourceArn ?? '');
    if (!sourceArn.startsWith('arn:aws:sqs:')) {
      unsupported.push(`${stack.stackName}/${logicalId} (${sourceArn || 'no EventSourceArn'})`);
      continue;
    }
    const queue = resolver.findByPhysical(sourceArn);
    if (!queue) {
      unsupported.push(`${stack.stackName}/${logicalId} (queue ${sourceArn} not in the template)`);
      continue;
    }
    sources.push({
      functionName: functionNameFromArn(String(properties.FunctionName)),
      queueArn: sourceArn,
      queueUrl: resolver.physical(queue.stack, queue.logicalId).ref,
      batchSize: Number(properties.BatchSize ?? 10),
      maximumBatchingWindowSeconds: Number(properties.MaximumBatchingWindowInSeconds ?? 0),
      reportBatchItemFailures: ((properties.FunctionResponseTypes as string[]) ?? []).includes(
        'ReportBatchItemFailures',
      ),
      enabled: properties.Enabled !== false && properties.Enabled !== 'false',
      maximumConcurrency: (properties.ScalingConfig as { MaximumConcurrency?: number } | undefined)
        ?.MaximumConcurrency,
    });
  }
  return { sources, unsupported };
}
