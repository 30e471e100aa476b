import { Duration, type Stack, Validations } from 'aws-cdk-lib';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { ATTEMPT_TIMEOUT, stateMachineArnFor } from '../../state-machines/issuing-pipeline/issuing-pipeline';
import type { FactuConfig } from '../config';
import { AppFunction } from '../constructs/app-function';
import { emailSendResourceArns } from '../constructs/email';
import { Grants } from '../constructs/grants';
import { type BackgroundFunction, LONGEST_PIPELINE_TASK_SECONDS } from '../routes';
import { importStateful } from './exports';

/** Slack between an attempt's worst-case end and the moment the re-drive sweep may start the next one. */
const ATTEMPT_LEASE_MARGIN_SECONDS = 30;

/** `functions/api/documents/get-document.ts` → `GetDocument`. */
export function functionIdFor(entry: string): string {
  const base = entry.split('/').pop()!.replace(/\.ts$/, '');
  return base
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** The construct id of a function: the registry's id when it has one, else from the file name. */
export const functionIdOf = (spec: { readonly id?: string; readonly entry: string }): string =>
  spec.id ?? functionIdFor(spec.entry);

/**
 * The physical name of a function: fixed, so the API stack reaches a route's function by name (integration
 * URI, invoke permission) without importing its ARN from the stack that holds it.
 */
export function functionNameFor(environmentName: string, id: string): string {
  const name = `factu-${environmentName}-${id}`;
  if (name.length > 64) throw new Error(`function name ${name} is longer than Lambda's 64 characters`);
  return name;
}

/** The issuing state machine's fixed name (its ARN is known to every stack before the machine exists). */
export const issuingStateMachineNameFor = (environmentName: string) => `factu-${environmentName}-issuing`;

/** The core stateless resources functions use: owned by the core stack, imported by the others. */
export interface CoreResources {
  /** Encrypts every function's log group. */
  readonly logsKey: IKey;
  readonly eventBus: IEventBus;
  readonly emailQueue: IQueue;
  readonly folioSyncQueue: IQueue;
  readonly exportQueue: IQueue;
  readonly batchValidationQueue: IQueue;
  readonly batchIssueQueue: IQueue;
  /** One message per webhook delivery attempt. */
  readonly webhookDeliveryQueue: IQueue;
}

export interface FunctionSpec
  extends Pick<BackgroundFunction, 'entry' | 'grants' | 'memorySize' | 'timeoutSeconds'> {
  /** Construct id and name suffix (default: from the file name). */
  readonly id?: string;
}

export interface Invocation {
  /** How the function is invoked (the reason of its DLQ acknowledgements). */
  readonly invokedBy: string;
  readonly deadLetterQueue?: IQueue;
}

export interface FunctionFactoryProps {
  readonly config: FactuConfig;
  /** Name of the stateful stack whose exports the functions import. */
  readonly statefulStackName: string;
  readonly core: CoreResources;
}

/**
 * Builds house functions in one stack: the same environment and the same grants (by intent, over the
 * imported stateful resources and the core resources) in every stack that holds functions.
 */
export class FunctionFactory {
  readonly environment: Record<string, string>;
  readonly issuingStateMachineArn: string;
  readonly core: CoreResources;
  private readonly grants: Grants;

  constructor(
    private readonly stack: Stack,
    private readonly props: FunctionFactoryProps,
  ) {
    const { config, core } = props;
    this.core = core;
    const imp = this.importStateful;
    const dataKey = Key.fromKeyArn(stack, 'DataKey', imp('DataKeyArn'));
    const table = Table.fromTableAttributes(stack, 'Table', {
      tableArn: imp('TableArn'),
      encryptionKey: dataKey,
    });
    const documentsBucket = Bucket.fromBucketAttributes(stack, 'DocumentsBucket', {
      bucketArn: imp('DocumentsBucketArn'),
      bucketName: imp('DocumentsBucketName'),
      encryptionKey: dataKey,
    });
    const workFilesBucket = Bucket.fromBucketAttributes(stack, 'WorkFilesBucket', {
      bucketArn: imp('WorkFilesBucketArn'),
      bucketName: imp('WorkFilesBucketName'),
      encryptionKey: dataKey,
    });
    const platformSecret = Secret.fromSecretCompleteArn(stack, 'PlatformSecret', imp('PlatformSecretArn'));
    const cursorSecret = Secret.fromSecretCompleteArn(stack, 'CursorSecret', imp('CursorSecretArn'));
    const apiKeyHashSecret = Secret.fromSecretCompleteArn(
      stack,
      'ApiKeyHashSecret',
      imp('ApiKeyHashSecretArn'),
    );
    this.issuingStateMachineArn = stateMachineArnFor(issuingStateMachineNameFor(config.environmentName));

    this.environment = {
      TABLE_NAME: imp('TableName'),
      DOCUMENTS_BUCKET_NAME: imp('DocumentsBucketName'),
      WORK_FILES_BUCKET_NAME: imp('WorkFilesBucketName'),
      ISSUING_STATE_MACHINE_ARN: this.issuingStateMachineArn,
      EVENT_BUS_NAME: core.eventBus.eventBusName,
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
      EMAIL_QUEUE_URL: core.emailQueue.queueUrl,
      FOLIO_SYNC_QUEUE_URL: core.folioSyncQueue.queueUrl,
      EXPORT_QUEUE_URL: core.exportQueue.queueUrl,
      BATCH_VALIDATION_QUEUE_URL: core.batchValidationQueue.queueUrl,
      BATCH_ISSUE_QUEUE_URL: core.batchIssueQueue.queueUrl,
      WEBHOOK_DELIVERY_QUEUE_URL: core.webhookDeliveryQueue.queueUrl,
      DOWNLOAD_URL_TTL_SECONDS: String(config.downloadUrlTtlSeconds),
      // An attempt may outlive its execution by one task's timeout (a task is not stopped with it).
      ISSUING_ATTEMPT_LEASE_SECONDS: String(
        ATTEMPT_TIMEOUT.toSeconds() + LONGEST_PIPELINE_TASK_SECONDS + ATTEMPT_LEASE_MARGIN_SECONDS,
      ),
      ISSUING_START_GRACE_SECONDS: String(config.issuing.startGraceSeconds),
      ISSUING_REDRIVE_DELAYS_SECONDS: config.issuing.redriveDelaysSeconds.join(','),
    };

    this.grants = new Grants({
      table,
      dataKey,
      documentsBucket,
      workFilesBucket,
      platformSecret,
      cursorSecret,
      eventBus: core.eventBus,
      folioSyncQueue: core.folioSyncQueue,
      exportQueue: core.exportQueue,
      batchQueues: [core.batchValidationQueue, core.batchIssueQueue],
      webhookDeliveryQueue: core.webhookDeliveryQueue,
      issuingStateMachineArn: this.issuingStateMachineArn,
      emailResourceArns: emailSendResourceArns(stack, config.email.identity, config.environmentName),
      userPoolArn: imp('UserPoolArn'),
      apiKeyHashSecret,
    });
  }

  /** `Fn::ImportValue` of one of the stateful stack's exports. */
  readonly importStateful = (key: Parameters<typeof importStateful>[1]): string =>
    importStateful(this.props.statefulStackName, key);

  /** One house function with its grants, named `factu-<env>-<id>`. */
  make(spec: FunctionSpec, invocation: Invocation): AppFunction {
    const { config, core } = this.props;
    const id = functionIdOf(spec);
    const fn = new AppFunction(this.stack, id, {
      entry: spec.entry,
      functionName: functionNameFor(config.environmentName, id),
      serviceName: `factu-${id.replace(/[A-Z]/g, (c, i: number) => (i ? '-' : '') + c.toLowerCase())}`,
      environment: this.environment,
      memorySize: spec.memorySize,
      timeout: spec.timeoutSeconds ? Duration.seconds(spec.timeoutSeconds) : undefined,
      logRetention: config.logRetentionDays as RetentionDays,
      logsKey: core.logsKey,
      deadLetterQueue: invocation.deadLetterQueue,
    });
    this.grants.apply(fn, spec.grants);
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
    return fn;
  }
}
