import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { EventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { PipelineTaskName } from '../../state-machines/issuing-pipeline/definition';
import {
  ATTEMPT_TIMEOUT,
  IssuingPipeline,
  stateMachineArnFor,
} from '../../state-machines/issuing-pipeline/issuing-pipeline';
import type { FactuConfig } from '../config';
import { Api } from '../constructs/api';
import { AppFunction } from '../constructs/app-function';
import { Email } from '../constructs/email';
import { acknowledgeWildcardResource, Grants } from '../constructs/grants';
import { Messaging } from '../constructs/messaging';
import { Monitoring } from '../constructs/monitoring';
import {
  apiRoutes,
  authorizerFunction,
  type BackgroundFunction,
  eventFunctions,
  LONGEST_PIPELINE_TASK_SECONDS,
  pipelineFunctions,
} from '../routes';
import { importStateful } from './exports';

export interface StatelessStackProps extends StackProps {
  readonly config: FactuConfig;
  /** Name of the stateful stack whose exports this stack imports. */
  readonly statefulStackName: string;
}

/** Slack between an attempt's worst-case end and the moment the re-drive sweep may start the next one. */
const ATTEMPT_LEASE_MARGIN_SECONDS = 30;

/**
 * Concurrent batch issuers (the SQS event source's maximum concurrency). Each accepts one document at a time
 * (~0.2–0.5 s each), so batches reach HKA at a few documents per second per issuer however many wait, leaving
 * the rest of HKA's and the account's capacity to the documents issued one by one.
 */
export const BATCH_ISSUE_CONCURRENCY = 4;

/** `functions/api/documents/get-document.ts` → `GetDocument`. */
export function functionIdFor(entry: string): string {
  const base = entry.split('/').pop()!.replace(/\.ts$/, '');
  return base
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/**
 * Code and wiring: the API (one function per route), the issuing pipeline, queues, bus, rules, the
 * schedule, SES configuration and alarms. Stateful resources are imported from the stateful stack.
 */
export class StatelessStack extends Stack {
  readonly api: Api;
  readonly pipeline: IssuingPipeline;
  readonly messaging: Messaging;
  /** Every function by entry path. */
  readonly functions = new Map<string, AppFunction>();

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config } = props;
    const imp = (key: Parameters<typeof importStateful>[1]) => importStateful(props.statefulStackName, key);
    const logRetention = config.logRetentionDays as RetentionDays;

    // Imported stateful resources.
    const dataKey = Key.fromKeyArn(this, 'DataKey', imp('DataKeyArn'));
    const table = Table.fromTableAttributes(this, 'Table', {
      tableArn: imp('TableArn'),
      encryptionKey: dataKey,
    });
    const documentsBucket = Bucket.fromBucketAttributes(this, 'DocumentsBucket', {
      bucketArn: imp('DocumentsBucketArn'),
      bucketName: imp('DocumentsBucketName'),
      encryptionKey: dataKey,
    });
    const workFilesBucket = Bucket.fromBucketAttributes(this, 'WorkFilesBucket', {
      bucketArn: imp('WorkFilesBucketArn'),
      bucketName: imp('WorkFilesBucketName'),
      encryptionKey: dataKey,
    });
    const platformSecret = Secret.fromSecretCompleteArn(this, 'PlatformSecret', imp('PlatformSecretArn'));
    const cursorSecret = Secret.fromSecretCompleteArn(this, 'CursorSecret', imp('CursorSecretArn'));
    const apiKeyHashSecret = Secret.fromSecretCompleteArn(
      this,
      'ApiKeyHashSecret',
      imp('ApiKeyHashSecretArn'),
    );

    // Key for the log groups of this stack.
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

    const stateMachineName = `factu-${config.environmentName}-issuing`;
    const issuingStateMachineArn = stateMachineArnFor(stateMachineName);

    const environment: Record<string, string> = {
      TABLE_NAME: imp('TableName'),
      DOCUMENTS_BUCKET_NAME: imp('DocumentsBucketName'),
      WORK_FILES_BUCKET_NAME: imp('WorkFilesBucketName'),
      ISSUING_STATE_MACHINE_ARN: issuingStateMachineArn,
      EVENT_BUS_NAME: this.messaging.bus.eventBusName,
      DATA_KEY_ID: imp('DataKeyArn'),
      HKA_DEMO_ENDPOINT: config.hka.demoEndpoint,
      HKA_PROD_ENDPOINT: config.hka.prodEndpoint,
      ...(config.hka.demoPacReceptionEndpoint
        ? { HKA_DEMO_PAC_RECEPTION_ENDPOINT: config.hka.demoPacReceptionEndpoint }
        : {}),
      ...(config.hka.prodPacReceptionEndpoint
        ? { HKA_PROD_PAC_RECEPTION_ENDPOINT: config.hka.prodPacReceptionEndpoint }
        : {}),
      PLATFORM_SECRET_ARN: imp('PlatformSecretArn'),
      CURSOR_SECRET_ARN: imp('CursorSecretArn'),
      USER_POOL_ID: imp('UserPoolId'),
      API_KEY_HASH_SECRET_ARN: imp('ApiKeyHashSecretArn'),
      EMAIL_FROM_ADDRESS: config.email.fromAddress,
      EMAIL_QUEUE_URL: this.messaging.emailQueue.queueUrl,
      FOLIO_SYNC_QUEUE_URL: this.messaging.folioSyncQueue.queueUrl,
      EXPORT_QUEUE_URL: this.messaging.exportQueue.queueUrl,
      BATCH_VALIDATION_QUEUE_URL: this.messaging.batchValidationQueue.queueUrl,
      BATCH_ISSUE_QUEUE_URL: this.messaging.batchIssueQueue.queueUrl,
      DOWNLOAD_URL_TTL_SECONDS: String(config.downloadUrlTtlSeconds),
      // An attempt may outlive its execution by one task's timeout (a task is not stopped with it).
      ISSUING_ATTEMPT_LEASE_SECONDS: String(
        ATTEMPT_TIMEOUT.toSeconds() + LONGEST_PIPELINE_TASK_SECONDS + ATTEMPT_LEASE_MARGIN_SECONDS,
      ),
      ISSUING_START_GRACE_SECONDS: String(config.issuing.startGraceSeconds),
      ISSUING_REDRIVE_DELAYS_SECONDS: config.issuing.redriveDelaysSeconds.join(','),
    };

    const grants = new Grants({
      table,
      dataKey,
      documentsBucket,
      workFilesBucket,
      platformSecret,
      cursorSecret,
      eventBus: this.messaging.bus,
      folioSyncQueue: this.messaging.folioSyncQueue,
      exportQueue: this.messaging.exportQueue,
      batchQueues: [this.messaging.batchValidationQueue, this.messaging.batchIssueQueue],
      issuingStateMachineArn,
      emailResourceArns: email.sendResourceArns,
      userPoolArn: imp('UserPoolArn'),
      apiKeyHashSecret,
    });

    const makeFunction = (
      spec: Pick<BackgroundFunction, 'entry' | 'grants' | 'memorySize' | 'timeoutSeconds'> & {
        readonly id?: string;
      },
      invocation: { readonly invokedBy: string; readonly deadLetterQueue?: IQueue },
    ): AppFunction => {
      // The registry's id when it has one (background functions: equal to functionIdFor of their file).
      const id = spec.id ?? functionIdFor(spec.entry);
      const fn = new AppFunction(this, id, {
        entry: spec.entry,
        serviceName: `factu-${id.replace(/[A-Z]/g, (c, i: number) => (i ? '-' : '') + c.toLowerCase())}`,
        environment,
        memorySize: spec.memorySize,
        timeout: spec.timeoutSeconds ? Duration.seconds(spec.timeoutSeconds) : undefined,
        logRetention,
        logsKey,
        deadLetterQueue: invocation.deadLetterQueue,
      });
      grants.apply(fn, spec.grants);
      const runtimeReason =
        'Node.js 22 is the house runtime (package engines, esbuild target, local cloud); the move to 24 is planned as one change.';
      Validations.of(fn.fn).acknowledge({ id: 'AwsSolutions-L1', reason: runtimeReason });
      Validations.of(fn.fn).acknowledge({ id: 'Serverless-LambdaLatestVersion', reason: runtimeReason });
      if (invocation.deadLetterQueue) {
        Validations.of(fn.fn).acknowledge({
          id: 'Serverless-LambdaAsyncFailureDestination',
          reason: `Invoked ${invocation.invokedBy}; failed async invocations go to its dead-letter queue (DeadLetterConfig) instead of an on-failure destination.`,
        });
      } else {
        const reason = `Invoked ${invocation.invokedBy}; failures return to the caller, never through Lambda's asynchronous queue.`;
        Validations.of(fn.fn).acknowledge({ id: 'Serverless-LambdaDLQ', reason });
        Validations.of(fn.fn).acknowledge({ id: 'Serverless-LambdaAsyncFailureDestination', reason });
      }
      this.functions.set(spec.entry, fn);
      return fn;
    };

    // API: the authorizer, then one function per route.
    const authorizer = makeFunction(authorizerFunction, {
      invokedBy: 'synchronously by API Gateway (the REST API authorizer)',
    });
    authorizer.fn.addEnvironment('USER_POOL_ID', imp('UserPoolId'));
    authorizer.fn.addEnvironment('USER_POOL_CLIENT_IDS', imp('UserPoolClientIds'));
    this.api = new Api(this, 'Api', {
      authorizerFunction: authorizer.fn,
      stageName: config.environmentName,
      throttlingRateLimit: config.api.throttlingRateLimit,
      throttlingBurstLimit: config.api.throttlingBurstLimit,
      logRetention,
      logsKey,
    });
    for (const route of apiRoutes) {
      this.api.addRoute(route, makeFunction(route, { invokedBy: 'synchronously by API Gateway' }));
    }

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
    monitoring.alarmOnPipelineFailures(this.pipeline.stateMachine);
    monitoring.alarmOnApi5xx(this.api.restApi);

    new CfnOutput(this, 'ApiUrl', { value: this.api.restApi.url });
    new CfnOutput(this, 'IssuingStateMachineArn', { value: this.pipeline.stateMachine.stateMachineArn });
    new CfnOutput(this, 'EventBusName', { value: this.messaging.bus.eventBusName });
    new CfnOutput(this, 'EmailQueueUrl', { value: this.messaging.emailQueue.queueUrl });
    new CfnOutput(this, 'FolioSyncQueueUrl', { value: this.messaging.folioSyncQueue.queueUrl });
    new CfnOutput(this, 'ExportQueueUrl', { value: this.messaging.exportQueue.queueUrl });
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
