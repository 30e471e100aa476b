import { Duration, Validations } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/** A new alarms topic with its operator e-mail subscription, or the one of another stack. */
export type MonitoringProps = { readonly alarmEmail: string } | { readonly alarmsTopic: ITopic };

/** The alarms topic and the cheap alarms of architecture §7 (DLQ depth, pipeline failures, API 5xx). */
export class Monitoring extends Construct {
  readonly topic: ITopic;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = 'alarmsTopic' in props ? props.alarmsTopic : this.createTopic(props.alarmEmail);
    this.action = new SnsAction(this.topic);
  }

  /** Any message in a DLQ is an incident. */
  alarmOnDeadLetters(queue: Queue, name: string): Alarm {
    return this.add(
      new Alarm(this, `${name}Depth`, {
        alarmDescription: `${name}: messages in a dead-letter queue`,
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  alarmOnPipelineFailures(stateMachine: StateMachine): Alarm {
    return this.add(
      new Alarm(this, 'PipelineFailures', {
        alarmDescription: 'Issuing pipeline executions failed, timed out or were aborted',
        metric: stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  alarmOnApi5xx(api: RestApi): Alarm {
    return this.add(
      new Alarm(this, 'Api5xx', {
        alarmDescription: 'API returned 5xx responses',
        metric: api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  private createTopic(alarmEmail: string): Topic {
    const topic = new Topic(this, 'AlarmsTopic', { displayName: 'factu alarms', enforceSSL: true });
    topic.addSubscription(new EmailSubscription(alarmEmail));
    Validations.of(topic).acknowledge({
      id: 'Serverless-SNSRedrivePolicy',
      reason:
        'The only subscription is an operator e-mail; an undeliverable alarm notification is still visible as the alarm state in CloudWatch.',
    });
    return topic;
  }

  private add(alarm: Alarm): Alarm {
    alarm.addAlarmAction(this.action);
    return alarm;
  }
}
