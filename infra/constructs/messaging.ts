import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { EventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ALERT_EVENT_TYPES } from '#shared/alerts/kinds';
import { EVENT_CATALOG, type FactuEventType, WEBHOOK_EVENT_TYPES } from '#shared/events/catalog';
import { MAX_EXPORT_RUNS } from '#shared/exports/api';
import { EXPORT_WORKER_TIMEOUT_SECONDS } from '../routes';

export interface MessagingProps {
  readonly environmentName: string;
}

/**
 * The event bus, the work queues (each with its DLQ; SQS-managed SSE, TLS only) and the DLQ of
 * EventBridge targets. Rules are added by its `route…` (events → a queue) and `schedule…` (a rate → a function) methods.
 */
export class Messaging extends Construct {
  readonly bus: EventBus;
  readonly emailQueue: Queue;
  readonly emailDlq: Queue;
  readonly folioSyncQueue: Queue;
  readonly folioSyncDlq: Queue;
  /** Export jobs (`POST /v1/exports`): one message per job, consumed one at a time. */
  readonly exportQueue: Queue;
  readonly exportDlq: Queue;
  /** One message per accepted batch: its rows are pre-flighted, written and queued for issuing. */
  readonly batchValidationQueue: Queue;
  readonly batchValidationDlq: Queue;
  /** Valid batch rows, a few per message, issued by a consumer of bounded concurrency. */
  readonly batchIssueQueue: Queue;
  readonly batchIssueDlq: Queue;
  /** Events that raise an alert e-mail to the tenant's ADMINs (shared/alerts/kinds.ts). */
  readonly alertsQueue: Queue;
  readonly alertsDlq: Queue;
  /** Every event a webhook may subscribe to, as EventBridge delivers it: fanned out to the endpoints. */
  readonly webhookFanOutQueue: Queue;
  readonly webhookFanOutDlq: Queue;
  /** One message per delivery attempt (first attempts from the fan-out, retries from the sweep). */
  readonly webhookDeliveryQueue: Queue;
  readonly webhookDeliveryDlq: Queue;
  /** Where EventBridge puts events it could not deliver to a target. */
  readonly eventsDlq: Queue;
  /** All dead-letter queues (alarmed on depth > 0). */
  readonly deadLetterQueues: Queue[];

  constructor(scope: Construct, id: string, props: MessagingProps) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', { eventBusName: `factu-${props.environmentName}` });

    const dlq = (name: string) => {
      const queue = new Queue(this, name, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
        removalPolicy: RemovalPolicy.DESTROY,
      });
      Validations.of(queue).acknowledge({
        id: 'Serverless-SQSRedrivePolicy',
        reason: 'This queue is itself a dead-letter queue; it is alarmed on depth > 0 and redriven by hand.',
      });
      return queue;
    };

    /**
     * A work queue and its DLQ (`<name>Queue`, `<name>Dlq`): SQS-managed SSE, TLS only. Unless said otherwise,
     * visibility is ≥ 6 × the consumer's timeout (Lambda's advice for SQS event sources), so a message is
     * never redelivered while its first delivery still runs.
     */
    const workQueue = (
      name: string,
      settings: { visibilityTimeout: Duration; retentionDays: number; maxReceiveCount: number },
    ) => {
      const deadLetters = dlq(`${name}Dlq`);
      const queue = new Queue(this, `${name}Queue`, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: settings.visibilityTimeout,
        retentionPeriod: Duration.days(settings.retentionDays),
        deadLetterQueue: { queue: deadLetters, maxReceiveCount: settings.maxReceiveCount },
        removalPolicy: RemovalPolicy.DESTROY,
      });
      return [queue, deadLetters] as const;
    };

    // Consumer timeout 60 s.
    [this.emailQueue, this.emailDlq] = workQueue('Email', {
      visibilityTimeout: Duration.minutes(6),
      retentionDays: 4,
      maxReceiveCount: 5,
    });
    [this.folioSyncQueue, this.folioSyncDlq] = workQueue('FolioSync', {
      visibilityTimeout: Duration.minutes(6),
      retentionDays: 1,
      maxReceiveCount: 3,
    });
    [this.exportQueue, this.exportDlq] = workQueue('Export', {
      // Longer than the worker's timeout, so a message reappears only once its run is surely over: a run
      // that died is then redone from scratch (and a slow one is never raced by a second).
      visibilityTimeout: Duration.seconds(EXPORT_WORKER_TIMEOUT_SECONDS + 60),
      retentionDays: 1,
      // One delivery more than the worker's runs (MAX_EXPORT_RUNS): the last one records the job FAILED.
      maxReceiveCount: MAX_EXPORT_RUNS + 1,
    });
    // The validator pre-flights up to 10,000 rows (5 min), the issuer a message's rows one by one (2 min).
    [this.batchValidationQueue, this.batchValidationDlq] = workQueue('BatchValidation', {
      visibilityTimeout: Duration.minutes(30),
      retentionDays: 4,
      maxReceiveCount: 5,
    });
    [this.batchIssueQueue, this.batchIssueDlq] = workQueue('BatchIssue', {
      visibilityTimeout: Duration.minutes(12),
      retentionDays: 4,
      maxReceiveCount: 5,
    });
    // Consumer timeout 60 s.
    [this.alertsQueue, this.alertsDlq] = workQueue('Alerts', {
      visibilityTimeout: Duration.minutes(6),
      retentionDays: 4,
      maxReceiveCount: 5,
    });
    // Consumer timeouts: 60 s fan-out, 30 s delivery.
    [this.webhookFanOutQueue, this.webhookFanOutDlq] = workQueue('WebhookFanOut', {
      visibilityTimeout: Duration.minutes(6),
      retentionDays: 4,
      maxReceiveCount: 5,
    });
    [this.webhookDeliveryQueue, this.webhookDeliveryDlq] = workQueue('WebhookDelivery', {
      visibilityTimeout: Duration.minutes(3),
      retentionDays: 1,
      maxReceiveCount: 5,
    });

    this.eventsDlq = dlq('EventsDlq');
    Validations.of(this.eventsDlq).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter queue of the EventBridge rule targets (a target DeadLetterConfig, which cdk-nag does not recognise as DLQ use).',
    });
    this.deadLetterQueues = [
      this.emailDlq,
      this.folioSyncDlq,
      this.exportDlq,
      this.batchValidationDlq,
      this.batchIssueDlq,
      this.alertsDlq,
      this.webhookFanOutDlq,
      this.webhookDeliveryDlq,
      this.eventsDlq,
    ];
  }

  /**
   * `document.authorized` and `document.contingency` (its contingency CAFE, before the authorization) with
   * e-mail recipients → e-mail queue (message body = the event). Documents without recipients (consumer
   * receipts) never reach the queue or its consumer.
   */
  routeAuthorizedDocumentsToEmail(): Rule {
    const mailed = [
      'document.authorized',
      'document.contingency',
    ] as const satisfies readonly FactuEventType[];
    return this.route(
      'DocumentAuthorizedToEmail',
      'document.authorized, document.contingency → email queue',
      {
        types: mailed,
        detail: { hasRecipients: [true] },
        queue: this.emailQueue,
      },
    );
  }

  /** Every event of the catalogue a webhook may subscribe to (its sources and types) → the fan-out queue. */
  routeWebhookEvents(): Rule {
    return this.route('WebhookEventsToFanOut', 'webhook events → webhook fan-out queue', {
      types: WEBHOOK_EVENT_TYPES,
      queue: this.webhookFanOutQueue,
    });
  }

  /** Every minute → the webhook sweep, which queues the pending deliveries whose next attempt is due. */
  scheduleWebhookSweep(sweep: IFunction): Rule {
    return this.schedule('WebhookSweepSchedule', 'Webhook delivery retry sweep', 'rate(1 minute)', sweep, {
      retryAttempts: 0,
      maxEventAge: Duration.minutes(1),
    });
  }

  /**
   * Every event that raises an alert (ALERT_KIND_OF_EVENT, sources and types from the catalogue) → the
   * alerts queue (message body = the event, whose id makes the e-mail idempotent).
   */
  routeAlertEvents(): Rule {
    return this.route('AlertEventsToQueue', 'Events with an alert kind → alerts queue', {
      types: ALERT_EVENT_TYPES,
      queue: this.alertsQueue,
    });
  }

  /**
   * Every 5 minutes → the digest sweep, which mails the documents-problems digests whose 15-minute window
   * has ended (so one goes out 15 to 20 minutes after its first problem). Idempotent: an extra run finds
   * nothing due.
   */
  scheduleAlertDigests(sweep: IFunction): Rule {
    return this.schedule('AlertDigestSchedule', 'Alert digest sweep', 'rate(5 minutes)', sweep, {
      retryAttempts: 2,
      maxEventAge: Duration.minutes(5),
    });
  }

  /** Daily → the certificate expiry scan (30/7/1-day warnings, each once). */
  scheduleCertificateScan(scan: IFunction): Rule {
    return this.schedule('CertificateScanSchedule', 'Signing certificate expiry scan', 'rate(1 day)', scan, {
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
    });
  }

  /**
   * Every minute → the re-drive sweep, which starts the next attempt of documents whose attempt's lease has
   * passed. Its period is part of how late a re-drive can be (lease + period).
   */
  scheduleRedrive(sweep: IFunction): Rule {
    return this.schedule('RedriveSchedule', 'Issuing re-drive sweep', 'rate(1 minute)', sweep, {
      retryAttempts: 0,
      maxEventAge: Duration.minutes(1),
    });
  }

  /** Every 6 hours → the fan-out function, which enqueues one folio sync message per tenant. */
  scheduleFolioSync(fanOut: IFunction): Rule {
    return this.schedule('FolioSyncSchedule', 'Folio balance sync fan-out', 'rate(6 hours)', fanOut, {
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
    });
  }

  /**
   * A rule sending events of `types` (their sources from the catalogue), optionally matching `detail`, to
   * `queue` (message body = the event); what EventBridge cannot deliver within 8 retries or a day goes to the
   * events DLQ (alarmed).
   */
  private route(
    id: string,
    description: string,
    target: { types: readonly FactuEventType[]; detail?: Record<string, unknown[]>; queue: Queue },
  ): Rule {
    return new Rule(this, id, {
      eventBus: this.bus,
      description,
      eventPattern: {
        source: [...new Set(target.types.map((type) => EVENT_CATALOG[type].source))],
        detailType: [...target.types],
        ...(target.detail ? { detail: target.detail } : {}),
      },
      targets: [
        new SqsQueue(target.queue, {
          deadLetterQueue: this.eventsDlq,
          retryAttempts: 8,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });
  }

  /**
   * A schedule rule invoking `fn` asynchronously; what EventBridge cannot deliver after `retryAttempts`
   * or `maxEventAge` goes to the events DLQ (alarmed). A sweep whose missed run the next one makes good
   * needs no retry.
   */
  private schedule(
    id: string,
    description: string,
    rate: string,
    fn: IFunction,
    delivery: { retryAttempts: number; maxEventAge: Duration },
  ): Rule {
    return new Rule(this, id, {
      description,
      schedule: Schedule.expression(rate),
      targets: [new LambdaFunction(fn, { deadLetterQueue: this.eventsDlq, ...delivery })],
    });
  }
}
