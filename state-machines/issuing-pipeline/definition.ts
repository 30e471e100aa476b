import { Duration } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  Fail,
  type IChainable,
  JitterType,
  JsonPath,
  type RetryProps,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { EventBridgePutEvents, LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';

/** The Lambda tasks of the pipeline (state name → function). */
export type PipelineTaskName =
  | 'PrepareDocument'
  | 'BuildXml'
  | 'SignXml'
  | 'SubmitToHka'
  | 'SubmitSigned'
  | 'ArchiveDocument'
  | 'MarkAuthorized'
  | 'MarkRejected'
  | 'MarkFailed';

export interface IssuingPipelineDefinitionProps {
  readonly functions: Readonly<Record<PipelineTaskName, IFunction>>;
  readonly eventBus: IEventBus;
}

/** Error names (the `name` of the classes in shared/hka) the machine matches on. */
export const HKA_TRANSIENT_ERROR = 'HkaTransientError';
export const HKA_REJECTED_ERROR = 'HkaRejectedError';

/** Event source and detail types published by the pipeline. */
export const DOCUMENTS_EVENT_SOURCE = 'factu.documents';
export const DOCUMENT_AUTHORIZED = 'document.authorized';
export const DOCUMENT_FAILED = 'document.failed';

/**
 * Retry policy for HKA transient errors: exponential backoff (×2) from 2 s with full jitter, at most 6
 * attempts, no single wait longer than 60 s (worst case ≈ 2+4+8+16+32+60 s ≈ 2 min before MarkFailed).
 */
export const TRANSIENT_RETRY: RetryProps = {
  errors: [HKA_TRANSIENT_ERROR],
  interval: Duration.seconds(2),
  backoffRate: 2,
  maxAttempts: 6,
  maxDelay: Duration.seconds(60),
  jitterStrategy: JitterType.FULL,
};

/**
 * The issuing pipeline (docs/contracts.md § The issuing pipeline) as a CDK chain:
 *
 * PrepareDocument → BuildXml → Channel? ─ hka-integration → SubmitToHka ─┐
 *                                        └ emitter-signed → SignXml → SubmitSigned ┤
 *   → ArchiveDocument → MarkAuthorized → PublishAuthorized
 *
 * Every task passes the whole state through (`payloadResponseOnly`, the handler returns the state with its
 * fields added). `HkaTransientError` is retried with backoff and jitter; `HkaRejectedError` goes to
 * MarkRejected and is never retried; anything else (or retries exhausted) is caught into `$.error` →
 * MarkFailed → PublishFailed → Failed.
 */
export function buildIssuingPipelineDefinition(
  scope: Construct,
  props: IssuingPipelineDefinitionProps,
): IChainable {
  const { functions, eventBus } = props;
  const task = (name: PipelineTaskName) =>
    new LambdaInvoke(scope, name, {
      lambdaFunction: functions[name],
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
    });

  // Failure branch (compensation: retried on any error, since leaving a document "in progress" is worse).
  const markFailed = task('MarkFailed');
  markFailed.addRetry({
    errors: ['States.ALL'],
    interval: Duration.seconds(2),
    backoffRate: 2,
    maxAttempts: 3,
    jitterStrategy: JitterType.FULL,
  });
  const publishFailed = new EventBridgePutEvents(scope, 'PublishFailed', {
    entries: [
      {
        eventBus,
        source: DOCUMENTS_EVENT_SOURCE,
        detailType: DOCUMENT_FAILED,
        detail: TaskInput.fromObject({
          tenantId: JsonPath.stringAt('$.tenantId'),
          documentId: JsonPath.stringAt('$.documentId'),
          error: JsonPath.objectAt('$.error'),
        }),
      },
    ],
    resultPath: JsonPath.DISCARD,
  });
  const failed = new Fail(scope, 'Failed', {
    errorPath: '$.error.Error',
    causePath: '$.error.Cause',
  });
  const failure = markFailed.next(publishFailed).next(failed);

  // Rejection branch (business outcome: the document is rejected, the execution succeeds).
  const markRejected = task('MarkRejected');
  markRejected.addRetry({
    errors: ['States.ALL'],
    interval: Duration.seconds(2),
    backoffRate: 2,
    maxAttempts: 3,
    jitterStrategy: JitterType.FULL,
  });

  const catchAll = <T extends LambdaInvoke>(state: T): T => {
    state.addCatch(failure, { errors: ['States.ALL'], resultPath: '$.error' });
    return state;
  };
  const hkaCall = (name: PipelineTaskName): LambdaInvoke => {
    const state = task(name);
    state.addRetry(TRANSIENT_RETRY);
    state.addCatch(markRejected, { errors: [HKA_REJECTED_ERROR], resultPath: '$.error' });
    return catchAll(state);
  };

  const prepare = catchAll(task('PrepareDocument'));
  const buildXml = catchAll(task('BuildXml'));
  const signXml = catchAll(task('SignXml'));
  const submitToHka = hkaCall('SubmitToHka');
  const submitSigned = hkaCall('SubmitSigned');
  const archive = catchAll(task('ArchiveDocument'));
  archive.addRetry(TRANSIENT_RETRY);
  const markAuthorized = catchAll(task('MarkAuthorized'));
  const publishAuthorized = new EventBridgePutEvents(scope, 'PublishAuthorized', {
    entries: [
      {
        eventBus,
        source: DOCUMENTS_EVENT_SOURCE,
        detailType: DOCUMENT_AUTHORIZED,
        detail: TaskInput.fromObject({
          tenantId: JsonPath.stringAt('$.tenantId'),
          documentId: JsonPath.stringAt('$.documentId'),
          authorization: JsonPath.objectAt('$.authorization'),
          artifacts: JsonPath.objectAt('$.artifacts'),
        }),
      },
    ],
    resultPath: JsonPath.DISCARD,
  });

  archive.next(markAuthorized).next(publishAuthorized);
  submitToHka.next(archive);
  signXml.next(submitSigned);
  submitSigned.next(archive);

  const channel = new Choice(scope, 'Channel')
    .when(Condition.stringEquals('$.channel', 'emitter-signed'), signXml)
    .otherwise(submitToHka);

  return prepare.next(buildXml).next(channel);
}
