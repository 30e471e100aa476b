import { CfnOutput, Fn, type Stack } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { CoreResources } from './function-factory';

/**
 * Values the core stateless stack exports for the route and API stacks, under fixed export names
 * (`<CoreStackName>-<Key>`). Only long-lived shared resources are exported (never a route's function), so
 * adding or removing a route never touches an export another stack imports.
 */
export const CORE_EXPORTS = [
  'LogsKeyArn',
  'EventBusArn',
  'EmailQueueArn',
  'EmailQueueUrl',
  'FolioSyncQueueArn',
  'FolioSyncQueueUrl',
  'ExportQueueArn',
  'ExportQueueUrl',
  'BatchValidationQueueArn',
  'BatchValidationQueueUrl',
  'BatchIssueQueueArn',
  'BatchIssueQueueUrl',
  'WebhookDeliveryQueueArn',
  'WebhookDeliveryQueueUrl',
  'AlarmsTopicArn',
] as const;

export type CoreExport = (typeof CORE_EXPORTS)[number];

export function coreExportName(coreStackName: string, key: CoreExport): string {
  return `${coreStackName}-${key}`;
}

export function importCore(coreStackName: string, key: CoreExport): string {
  return Fn.importValue(coreExportName(coreStackName, key));
}

/** Declares every core export (the core stack calls this once with all values). */
export function exportCore(stack: Stack, values: Record<CoreExport, string>): void {
  for (const key of CORE_EXPORTS) {
    new CfnOutput(stack, key, {
      value: values[key],
      exportName: coreExportName(stack.stackName, key),
    });
  }
}

/** The core resources functions use, imported into another stateless stack. */
export function importCoreResources(scope: Construct, coreStackName: string): CoreResources {
  const imp = (key: CoreExport) => importCore(coreStackName, key);
  const queue = (id: string, arn: CoreExport, url: CoreExport) =>
    Queue.fromQueueAttributes(scope, id, { queueArn: imp(arn), queueUrl: imp(url) });
  return {
    logsKey: Key.fromKeyArn(scope, 'LogsKey', imp('LogsKeyArn')),
    eventBus: EventBus.fromEventBusArn(scope, 'EventBus', imp('EventBusArn')),
    emailQueue: queue('EmailQueue', 'EmailQueueArn', 'EmailQueueUrl'),
    folioSyncQueue: queue('FolioSyncQueue', 'FolioSyncQueueArn', 'FolioSyncQueueUrl'),
    exportQueue: queue('ExportQueue', 'ExportQueueArn', 'ExportQueueUrl'),
    batchValidationQueue: queue('BatchValidationQueue', 'BatchValidationQueueArn', 'BatchValidationQueueUrl'),
    batchIssueQueue: queue('BatchIssueQueue', 'BatchIssueQueueArn', 'BatchIssueQueueUrl'),
    webhookDeliveryQueue: queue('WebhookDeliveryQueue', 'WebhookDeliveryQueueArn', 'WebhookDeliveryQueueUrl'),
  };
}
