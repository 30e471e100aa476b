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

/** The issuing pipeline: Standard workflow, ALL-level logging, X-Ray. */
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
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(buildIssuingPipelineDefinition(this, props)),
      timeout: Duration.hours(1),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: true },
    });
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Added by CDK for X-Ray tracing and CloudWatch Logs delivery (logs:CreateLogDelivery etc.), which do not support resource-level permissions.',
    });
  }
}
