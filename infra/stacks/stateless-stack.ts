import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { EventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { PipelineTaskName } from '../../state-machines/issuing-pipeline/definition';
import { IssuingPipeline } from '../../state-machines/issuing-pipeline/issuing-pipeline';
import type { FactuConfig } from '../config';
import type { AppFunction } from '../constructs/app-function';
import { Email } from '../constructs/email';
import { acknowledgeWildcardResource } from '../constructs/grants';
import { Messaging } from '../constructs/messaging';
import { Monitoring } from '../constructs/monitoring';
import { eventFunctions, pipelineFunctions } from '../routes';
import { exportCore } from './core-exports';
import { FunctionFactory, issuingStateMachineNameFor } from './function-factory';

export interface StatelessStackProps extends StackProps {
  readonly config: FactuConfig;
  /** Name of the stateful stack whose exports this stack imports. */
  readonly statefulStackName: string;
}

/**
 * Concurrent batch issuers (the SQS event source's maximum concurrency). Each accepts one document at a time
 * (~0.2–0.5 s each), so batches reach HKA at a few documents per second per issuer however many wait, leaving
 * the rest of HKA's and the account's capacity to the documents issued one by one.
 */
export const BATCH_ISSUE_CONCURRENCY = 4;

/**
 * The core of the code and wiring: the issuing pipeline, queues, bus, rules, the schedules, SES
 * configuration, the logs key and the alarms. It references nothing in the route and API stacks (they import
 * its exports, core-exports.ts); stateful resources are imported from the stateful stack.
 */
export class StatelessStack extends Stack {
  readonly pipeline: IssuingPipeline;
  readonly messaging: Messaging;
  /** Every function by entry path. */
  readonly functions = new Map<string, AppFunction>();

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config } = props;
    const logRetention = config.logRetentionDays as RetentionDays;

    // Key for the log groups of every stateless stack.
    const logsKey = new Key(this, 'LogsKey', {
      description: 'factu CloudWatch Logs encryption',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    logsKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchLogs',
        principals: [new ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: [
          'kms:Encrypt',
          'kms:Decrypt',
          'kms:ReEncryptFrom',
          'kms:ReEncryptTo',
          'kms:GenerateDataKey',
          'kms:GenerateDataKeyWithoutPlaintext',
          'kms:DescribeKey',
        ],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`,
          },
        },
      }),
    );

    this.messaging = new Messaging(this, 'Messaging', { environmentName: config.environmentName });
    const email = new Email(this, 'Email', {
      identity: config.email.identity,
      environmentName: config.environmentName,
    });

    const stateMachineName = issuingStateMachineNameFor(config.environmentName);
    const functions = new FunctionFactory(this, {
      config,
      statefulStackName: props.statefulStackName,
      core: {
        logsKey,
        eventBus: this.messaging.bus,
        emailQueue: this.messaging.emailQueue,
        folioSyncQueue: this.messaging.folioSyncQueue,
        exportQueue: this.messaging.exportQueue,
        batchValidationQueue: this.messaging.batchValidationQueue,
        batchIssueQueue: this.messaging.batchIssueQueue,
        webhookDeliveryQueue: this.messaging.webhookDeliveryQueue,
      },
    });
    const makeFunction: FunctionFactory['make'] = (spec, invocation) => {
      const fn = functions.make(spec, invocation);
      this.functions.set(spec.entry, fn);
      return fn;
    };

    // Issuing workflow (one EXPRESS execution per attempt) and the re-drive sweep between attempts.
    const pipelineTasks = Object.fromEntries(
      Object.entries(pipelineFunctions).map(([name, spec]) => [
        name,
        makeFunction(spec, {
          invokedBy: 'synchronously by Step Functions (retries and catches are in the state machine)',
        }).fn,
      ]),
    ) as Record<PipelineTaskName, AppFunction['fn']>;
    this.pipeline = new IssuingPipeline(this, 'IssuingPipeline', {
      stateMachineName,
      functions: pipelineTasks,
      eventBus: this.messaging.bus,
      logRetention,
      logsKey,
    });
    for (const fn of Object.values(pipelineTasks)) {
      acknowledgeWildcardResource(
        this.pipeline.stateMachine.role,
        `${fn.functionArn}:*`,
        'Step Functions may invoke any version/alias of its own task functions (added by LambdaInvoke).',
      );
    }

    // Events.
    this.messaging.routeAuthorizedDocumentsToEmail();
    const sqsInvocation = {
      invokedBy: 'synchronously by an SQS event source mapping (redrive DLQ on the queue)',
    };
    const sendEmail = makeFunction(eventFunctions.SendDocumentEmail, sqsInvocation);
    this.consume(sendEmail, this.messaging.emailQueue, 5);
    const syncFolios = makeFunction(eventFunctions.SyncFolios, sqsInvocation);
    this.consume(syncFolios, this.messaging.folioSyncQueue, 1);
    // One job per invocation: each may take the worker's whole timeout.
    const runExport = makeFunction(eventFunctions.RunExport, sqsInvocation);
    this.consume(runExport, this.messaging.exportQueue, 1);
    const validateBatch = makeFunction(eventFunctions.ValidateBatch, sqsInvocation);
    this.consume(validateBatch, this.messaging.batchValidationQueue, 1);
    // Each message's rows are issued one by one: at most BATCH_ISSUE_CONCURRENCY documents are being
    // accepted at a time, whatever the batches waiting, which bounds the pace at HKA and the folio debits.
    const issueBatchRows = makeFunction(eventFunctions.IssueBatchRows, sqsInvocation);
    this.consume(issueBatchRows, this.messaging.batchIssueQueue, 1, BATCH_ISSUE_CONCURRENCY);
    const scheduleFolioSync = makeFunction(eventFunctions.ScheduleFolioSync, {
      invokedBy: 'asynchronously by the EventBridge schedule',
      deadLetterQueue: this.messaging.eventsDlq,
    });
    this.messaging.scheduleFolioSync(scheduleFolioSync.fn);
    // Alerts: events → queue → e-mails to the ADMINs; the digest sweep; the certificate expiry scan.
    this.messaging.routeAlertEvents();
    const handleAlert = makeFunction(eventFunctions.HandleAlert, sqsInvocation);
    this.consume(handleAlert, this.messaging.alertsQueue, 5);
    const flushDigests = makeFunction(eventFunctions.FlushAlertDigests, {
      invokedBy: 'asynchronously by the EventBridge schedule',
      deadLetterQueue: this.messaging.eventsDlq,
    });
    this.messaging.scheduleAlertDigests(flushDigests.fn);
    const scanCertificates = makeFunction(eventFunctions.ScanCertificates, {
      invokedBy: 'asynchronously by the EventBridge schedule',
      deadLetterQueue: this.messaging.eventsDlq,
    });
    this.messaging.scheduleCertificateScan(scanCertificates.fn);
    // Webhooks: every subscribable event → fan-out → one delivery message per endpoint → delivery worker;
    // retries come back through the sweep.
    this.messaging.routeWebhookEvents();
    const fanOutWebhooks = makeFunction(eventFunctions.FanOutWebhookEvents, sqsInvocation);
    this.consume(fanOutWebhooks, this.messaging.webhookFanOutQueue, 10);
    // Up to 10 deliveries per invocation, attempted in parallel (one slow receiver delays none of the others'
    // requests, only the batch's end, ≤ the 10 s timeout): a tenth of the invocations of one per message.
    const deliverWebhooks = makeFunction(eventFunctions.DeliverWebhooks, sqsInvocation);
    this.consume(deliverWebhooks, this.messaging.webhookDeliveryQueue, 10);
    const sweepWebhooks = makeFunction(eventFunctions.SweepWebhookDeliveries, {
      invokedBy: 'asynchronously by the EventBridge schedule',
      deadLetterQueue: this.messaging.eventsDlq,
    });
    this.messaging.scheduleWebhookSweep(sweepWebhooks.fn);
    const redrive = makeFunction(eventFunctions.RedriveDocuments, {
      invokedBy: 'asynchronously by the EventBridge schedule',
      deadLetterQueue: this.messaging.eventsDlq,
    });
    this.messaging.scheduleRedrive(redrive.fn);

    // Alarms.
    const monitoring = new Monitoring(this, 'Monitoring', { alarmEmail: config.alarmEmail });
    monitoring.alarmOnDeadLetters(this.messaging.emailDlq, 'EmailDlq');
    monitoring.alarmOnDeadLetters(this.messaging.folioSyncDlq, 'FolioSyncDlq');
    monitoring.alarmOnDeadLetters(this.messaging.exportDlq, 'ExportDlq');
    monitoring.alarmOnDeadLetters(this.messaging.batchValidationDlq, 'BatchValidationDlq');
    monitoring.alarmOnDeadLetters(this.messaging.batchIssueDlq, 'BatchIssueDlq');
    monitoring.alarmOnDeadLetters(this.messaging.eventsDlq, 'EventsDlq');
    monitoring.alarmOnDeadLetters(this.messaging.alertsDlq, 'AlertsDlq');
    monitoring.alarmOnNeverSilentMetrics();
    monitoring.alarmOnSesBounces(email.configurationSet.configurationSetName);
    monitoring.alarmOnDeadLetters(this.messaging.webhookFanOutDlq, 'WebhookFanOutDlq');
    monitoring.alarmOnDeadLetters(this.messaging.webhookDeliveryDlq, 'WebhookDeliveryDlq');
    monitoring.alarmOnPipelineFailures(this.pipeline.stateMachine);

    new CfnOutput(this, 'IssuingStateMachineArn', { value: this.pipeline.stateMachine.stateMachineArn });
    new CfnOutput(this, 'EventBusName', { value: this.messaging.bus.eventBusName });
    exportCore(this, {
      LogsKeyArn: logsKey.keyArn,
      EventBusArn: this.messaging.bus.eventBusArn,
      EmailQueueArn: this.messaging.emailQueue.queueArn,
      EmailQueueUrl: this.messaging.emailQueue.queueUrl,
      FolioSyncQueueArn: this.messaging.folioSyncQueue.queueArn,
      FolioSyncQueueUrl: this.messaging.folioSyncQueue.queueUrl,
      ExportQueueArn: this.messaging.exportQueue.queueArn,
      ExportQueueUrl: this.messaging.exportQueue.queueUrl,
      BatchValidationQueueArn: this.messaging.batchValidationQueue.queueArn,
      BatchValidationQueueUrl: this.messaging.batchValidationQueue.queueUrl,
      BatchIssueQueueArn: this.messaging.batchIssueQueue.queueArn,
      BatchIssueQueueUrl: this.messaging.batchIssueQueue.queueUrl,
      WebhookDeliveryQueueArn: this.messaging.webhookDeliveryQueue.queueArn,
      WebhookDeliveryQueueUrl: this.messaging.webhookDeliveryQueue.queueUrl,
      AlarmsTopicArn: monitoring.topic.topicArn,
    });
  }

  private consume(
    fn: AppFunction,
    queue: Messaging['emailQueue'],
    batchSize: number,
    maxConcurrency?: number,
  ): void {
    fn.fn.addEventSource(
      new SqsEventSource(queue, { batchSize, reportBatchItemFailures: true, maxConcurrency }),
    );
    for (const child of fn.fn.node.children) {
      if (child instanceof EventSourceMapping) {
        Validations.of(child).acknowledge({
          id: 'Serverless-LambdaEventSourceMappingDestination',
          reason:
            'SQS event source: failed messages go to the queue’s own redrive DLQ (on-failure destinations apply to stream sources only).',
        });
      }
    }
  }
}
