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
  Pass,
  type RetryProps,
  Succeed,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { EventBridgePutEvents, LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { EVENT_CATALOG, type FactuEventType } from '#shared/events/catalog';

/** The Lambda tasks of the workflow (state name → function). */
export type PipelineTaskName =
  | 'SubmitToHka'
  | 'SignXml'
  | 'SubmitSigned'
  | 'IssueInContingency'
  | 'FinalizeDocument'
  | 'EndAttempt';

export interface IssuingPipelineDefinitionProps {
  readonly functions: Readonly<Record<PipelineTaskName, IFunction>>;
  readonly eventBus: IEventBus;
}

/** Error names (the `name` of the classes in shared/hka) the machine matches on. */
export const HKA_TRANSIENT_ERROR = 'HkaTransientError';

/**
 * Short retries inside one attempt for HKA's transient errors (exponential backoff from 2 s with full
 * jitter, two retries: at most ~6 s of waiting). Longer waits happen between attempts, durably, in the
 * document's lease (shared/documents/attempts.ts) — an EXPRESS execution lives at most five minutes.
 */
export const TRANSIENT_RETRY: RetryProps = {
  errors: [HKA_TRANSIENT_ERROR],
  interval: Duration.seconds(2),
  backoffRate: 2,
  maxAttempts: 2,
  maxDelay: Duration.seconds(10),
  jitterStrategy: JitterType.FULL,
};

/**
 * One issuing attempt (docs/contracts.md § The issuing workflow) as a CDK chain:
 *
 * Init → Channel? ─ hka-integration → SubmitToHka ───────────────┐
 *                 └ emitter-signed  → SignXml → SubmitSigned ─────┤
 *   → FinalizeDocument (archive + AUTHORIZED) → PublishAuthorized
 *
 * A document accepted in contingency and not delivered yet leaves SignXml for IssueInContingency (its CAFE,
 * CONTINGENCY) → PublishContingency, without calling HKA; a later attempt takes the normal path.
 *
 * Every task passes the whole state through (`payloadResponseOnly`). Any error of any task is caught into
 * `$.error` → EndAttempt, which decides the document's fate and answers with `$.outcome`: `authorized`
 * (HKA holds it: EstadoDocumento found it) → FinalizeDocument; `failed` → PublishFailed → Failed;
 * `rejected` → PublishRejected; anything else (waiting for HKA, next attempt scheduled, superseded) ends
 * the execution successfully. `environment` and `probe` travel in the state: the HKA steps are gated by the
 * environment's circuit breaker unless the attempt is its probe (a failed probe is not retried here).
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

  const endAttempt = task('EndAttempt');
  // Its decision is what keeps a document from staying in limbo: retried on any error.
  endAttempt.addRetry({
    errors: ['States.ALL'],
    interval: Duration.seconds(2),
    backoffRate: 2,
    maxAttempts: 3,
    jitterStrategy: JitterType.FULL,
  });
  const caught = <T extends LambdaInvoke>(state: T): T => {
    state.addCatch(endAttempt, { errors: ['States.ALL'], resultPath: '$.error' });
    return state;
  };
  const hkaCall = (name: PipelineTaskName): LambdaInvoke => {
    const state = task(name);
    state.addRetry(TRANSIENT_RETRY);
    return caught(state);
  };

  const init = new Pass(scope, 'Init', {
    comment: 'The execution id owns the attempt (its first task claims it).',
    parameters: {
      'tenantId.$': '$.tenantId',
      'documentId.$': '$.documentId',
      'attempt.$': '$.attempt',
      'channel.$': '$.channel',
      'environment.$': '$.environment',
      'probe.$': '$.probe',
      'executionId.$': '$$.Execution.Id',
    },
  });
  const submitToHka = hkaCall('SubmitToHka');
  const signXml = caught(task('SignXml'));
  const submitSigned = hkaCall('SubmitSigned');
  const issueInContingency = caught(task('IssueInContingency'));
  const finalize = hkaCall('FinalizeDocument');

  // Every publication names its event in the catalogue; the document's tenant and id come first.
  const publish = (id: string, type: FactuEventType, fields: Record<string, unknown>) => {
    const state = new EventBridgePutEvents(scope, id, {
      entries: [
        {
          eventBus,
          source: EVENT_CATALOG[type].source,
          detailType: type,
          detail: TaskInput.fromObject({
            tenantId: JsonPath.stringAt('$.tenantId'),
            documentId: JsonPath.stringAt('$.documentId'),
            ...fields,
          }),
        },
      ],
      resultPath: JsonPath.DISCARD,
    });
    // A lost publication is a lost e-mail or alert: PutEvents is retried like any AWS call that may throttle.
    state.addRetry({
      errors: ['States.ALL'],
      interval: Duration.seconds(1),
      backoffRate: 2,
      maxAttempts: 3,
      jitterStrategy: JitterType.FULL,
    });
    return state;
  };
  const publishAuthorized = publish('PublishAuthorized', 'document.authorized', {
    hasRecipients: JsonPath.stringAt('$.hasRecipients'),
    authorization: JsonPath.objectAt('$.authorization'),
    artifacts: JsonPath.objectAt('$.artifacts'),
  });
  const publishFailed = publish('PublishFailed', 'document.failed', { error: JsonPath.objectAt('$.error') });
  const publishRejected = publish('PublishRejected', 'document.rejected', {
    reasons: JsonPath.objectAt('$.reasons'),
  });
  const publishContingency = publish('PublishContingency', 'document.contingency', {
    hasRecipients: JsonPath.stringAt('$.hasRecipients'),
    contingencyStartedAt: JsonPath.stringAt('$.contingency.startedAt'),
  });
  const failed = new Fail(scope, 'Failed', { errorPath: '$.error.Error', causePath: '$.error.Cause' });

  endAttempt.next(
    new Choice(scope, 'Outcome')
      .when(Condition.stringEquals('$.outcome', 'authorized'), finalize)
      .when(Condition.stringEquals('$.outcome', 'failed'), publishFailed.next(failed))
      .when(
        Condition.stringEquals('$.outcome', 'rejected'),
        publishRejected.next(new Succeed(scope, 'Rejected')),
      )
      .otherwise(new Succeed(scope, 'AttemptEnded')),
  );
  finalize.next(publishAuthorized);
  submitToHka.next(finalize);
  signXml.next(
    new Choice(scope, 'Contingency')
      .when(
        Condition.and(
          Condition.isPresent('$.issueInContingency'),
          Condition.booleanEquals('$.issueInContingency', true),
        ),
        issueInContingency,
      )
      .otherwise(submitSigned),
  );
  issueInContingency.next(publishContingency).next(new Succeed(scope, 'IssuedInContingency'));
  submitSigned.next(finalize);

  return init.next(
    new Choice(scope, 'Channel')
      .when(Condition.stringEquals('$.channel', 'emitter-signed'), signXml)
      .otherwise(submitToHka),
  );
}
