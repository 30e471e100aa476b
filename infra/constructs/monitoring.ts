import { Duration, Validations } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/** The namespace of the application metrics (shared/observability/metrics.ts). */
const METRICS_NAMESPACE = 'factu';

/** Application metrics alarmed on when their 5-minute sum passes the threshold. */
const NEVER_SILENT_ALARMS = [
  {
    metricName: 'DocumentsWaitingForHka',
    description: 'Documents are waiting for HKA (an HKA outage or a credentials problem)',
    threshold: 0,
  },
  {
    metricName: 'WebhookDeliveriesFailed',
    description: 'Webhook deliveries were marked failed after their last retry',
    threshold: 0,
  },
  {
    metricName: 'ContingencyDocumentsIssued',
    description: "Documents are being issued in contingency (HKA unreachable past the tenants' thresholds)",
    threshold: 0,
  },
  {
    metricName: 'KmsSignThrottled',
    description: 'KMS throttled Sign calls of the emitter-signed channel (request quota reached)',
    threshold: 0,
  },
] as const;

/** A new alarms topic with its operator e-mail subscription, or the one of another stack. */
export type MonitoringProps = { readonly alarmEmail: string } | { readonly alarmsTopic: ITopic };

/**
 * The alarms topic and the cheap alarms of architecture §7 (DLQ depth, pipeline failures, API 5xx), the
 * never-silent metrics and the SES bounce rate.
 */
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

  /**
   * The "never silent" alarms, on the application metrics of namespace `factu` whatever function emits them
   * (Powertools adds a `service` dimension per function, so each is a Metrics Insights query summing over
   * it): documents waiting for HKA, webhook deliveries given up, documents issued in contingency (contingency
   * active), KMS Sign throttled.
   */
  alarmOnNeverSilentMetrics(): Alarm[] {
    return NEVER_SILENT_ALARMS.map(({ metricName, description, threshold }) =>
      this.add(
        new Alarm(this, metricName, {
          alarmDescription: description,
          metric: new MathExpression({
            expression: `SELECT SUM(${metricName}) FROM SCHEMA(${METRICS_NAMESPACE}, service)`,
            period: Duration.minutes(5),
            label: metricName,
          }),
          threshold,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      ),
    );
  }

  /**
   * SES bounces: the configuration set's reputation bounce rate (SES reviews an account above 5 % and may
   * pause it above 10 %): alarmed at 5 % of the last hour's sends.
   */
  alarmOnSesBounces(configurationSetName: string): Alarm {
    return this.add(
      new Alarm(this, 'SesBounceRate', {
        alarmDescription:
          'SES bounce rate of the configuration set at or above 5 % (SES reviews the account there)',
        metric: new Metric({
          namespace: 'AWS/SES',
          metricName: 'Reputation.BounceRate',
          dimensionsMap: { 'ses:configuration-set': configurationSetName },
          period: Duration.hours(1),
          statistic: 'Maximum',
        }),
        threshold: 0.05,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
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
