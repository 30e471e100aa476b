import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { buildIssuingPipelineDefinition, type IssuingPipelineDefinitionProps } from './definition';

export interface IssuingPipelineProps extends IssuingPipelineDefinitionProps {
  /** Fixed state machine name, so its ARN is known before it exists (functions get it in their env). */
  readonly stateMachineName: string;
  readonly logRetention: RetentionDays;
  readonly logsKey?: IKey;
  readonly eventBus: IEventBus;
}

/** ARN of a state machine with a fixed name in the deploying account and region. */
export function stateMachineArnFor(name: string): string {
  return `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:stateMachine:${name}`;
}

/**
 * How long one attempt may run. EXPRESS executions are capped at five minutes; the worst case of one attempt
 * (three HKA calls of 25 s each with their retries, EstadoDocumento, the two downloads) fits well inside.
 */
export const ATTEMPT_TIMEOUT = Duration.seconds(270);

/**
 * The issuing workflow: one EXPRESS execution per attempt (billed per execution and duration, not per state
 * transition — the Standard workflow it replaces cost more than every other line together). Durability
 * between attempts lives in the document's lease and the re-drive sweep (shared/documents/attempts.ts), not
 * in the execution. Logs at ERROR level: the document's own history records every step that matters.
 */
export class IssuingPipeline extends Construct {
  readonly stateMachine: StateMachine;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: IssuingPipelineProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      // Step Functions vended logs must go to a /aws/vendedlogs/ group to avoid the resource policy size limit.
      logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retention: props.logRetention,
      encryptionKey: props.logsKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: StateMachineType.EXPRESS,
      definitionBody: DefinitionBody.fromChainable(buildIssuingPipelineDefinition(this, props)),
      timeout: ATTEMPT_TIMEOUT,
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: LogLevel.ERROR, includeExecutionData: true },
    });
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-SF1',
      reason:
        'EXPRESS executions log at ERROR level: ALL would log every state of every document (billed per GB ingested), while the document history in DynamoDB already records each attempt, submission and outcome.',
    });
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Added by CDK for X-Ray tracing and CloudWatch Logs delivery (logs:CreateLogDelivery etc.), which do not support resource-level permissions.',
    });
  }
}
