import { randomUUID } from 'node:crypto';
import { ACCOUNT_ID, REGION } from '../../aws.ts';
import { AwsServiceError, type JsonService } from '../json-protocol.ts';
import { matchesPattern } from './pattern.ts';
import { renderTargetInput, type TargetInput } from './transform.ts';

export type RuleTarget = TargetInput & {
  Id: string;
  Arn: string;
  SqsParameters?: { MessageGroupId?: string };
  /** Where EventBridge parks an event it could not deliver (an SQS queue). */
  DeadLetterConfig?: { Arn?: string };
  RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
};

export type EventRule = {
  name: string;
  arn: string;
  busName: string;
  eventPattern?: unknown;
  scheduleExpression?: string;
  enabled: boolean;
  targets: RuleTarget[];
};

export type BusEvent = {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
};

/** Delivers one rendered event to one target (SQS, Step Functions, Lambda, …). */
export type Deliver = (target: RuleTarget, body: string, rule: EventRule) => Promise<void>;

type Entry = {
  Source?: string;
  DetailType?: string;
  Detail?: string | Record<string, unknown>;
  EventBusName?: string;
  Resources?: string[];
  Time?: number | string;
};

const MAX_ENTRY_BYTES = 256 * 1024;
/** Retries locally are few and quick (AWS retries up to 185 times over 24 h by default). */
const DEFAULT_RETRIES = 2;

/**
 * The EventBridge stand-in: rules from the synthesized template, matched on every PutEvents and delivered
 * asynchronously to their targets (PutEvents answers before delivery, as on AWS).
 */
export class EventBridge {
  private readonly pending = new Set<Promise<void>>();
  /** The last events put on any bus (for `npm start` diagnostics and integration tests). */
  readonly recent: BusEvent[] = [];

  constructor(
    private readonly rules: EventRule[],
    private readonly buses: Set<string>,
    private readonly deliver: Deliver,
    private readonly onError: (message: string, error: unknown) => void,
  ) {
    buses.add('default');
  }

  listRules(): EventRule[] {
    return this.rules;
  }

  putEvents(entries: Entry[]): { FailedEntryCount: number; Entries: Array<Record<string, string>> } {
    if (!Array.isArray(entries) || entries.length === 0 || entries.length > 10) {
      throw new AwsServiceError('ValidationException', 'Entries must contain between 1 and 10 items');
    }
    const results = entries.map((entry) => this.putOne(entry));
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  }

  private putOne(entry: Entry): Record<string, string> {
    if (!entry.Source || !entry.DetailType || entry.Detail === undefined) {
      return {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameters Source, DetailType and Detail are required',
      };
    }
    let detail: unknown;
    const detailText = typeof entry.Detail === 'string' ? entry.Detail : JSON.stringify(entry.Detail);
    try {
      detail = JSON.parse(detailText);
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    if (Buffer.byteLength(detailText) + entry.Source.length + entry.DetailType.length > MAX_ENTRY_BYTES) {
      return {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Total size of the entries in the request is over the limit',
      };
    }
    const busName = (entry.EventBusName ?? 'default').split('/').pop()!;
    if (!this.buses.has(busName)) {
      return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${busName} does not exist.` };
    }
    const event: BusEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: ACCOUNT_ID,
      time: (entry.Time === undefined
        ? new Date()
        : new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : entry.Time)
      )
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
      region: REGION,
      resources: entry.Resources ?? [],
      detail,
    };
    this.recent.push(event);
    if (this.recent.length > 200) this.recent.shift();
    this.route(busName, event);
    return { EventId: event.id };
  }

  private route(busName: string, event: BusEvent) {
    for (const rule of this.rules) {
      if (!rule.enabled || rule.busName !== busName || rule.eventPattern === undefined) continue;
      if (!matchesPattern(rule.eventPattern, event)) continue;
      for (const target of rule.targets) this.track(this.deliverWithRetry(rule, target, event));
    }
  }

  /** Fires a schedule rule's targets (the local scheduler calls this). */
  fireSchedule(rule: EventRule): void {
    const event: BusEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: ACCOUNT_ID,
      time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: REGION,
      resources: [rule.arn],
      detail: {},
    };
    for (const target of rule.targets) this.track(this.deliverWithRetry(rule, target, event));
  }

  private async deliverWithRetry(rule: EventRule, target: RuleTarget, event: BusEvent) {
    const body = renderTargetInput(target, event as unknown as Record<string, unknown>, rule.name);
    const retries = Math.min(target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_RETRIES, DEFAULT_RETRIES);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.deliver(target, body, rule);
        return;
      } catch (error) {
        if (attempt < retries) {
          await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
          continue;
        }
        this.onError(`rule ${rule.name}: delivery to ${target.Arn} failed`, error);
        const deadLetterArn = target.DeadLetterConfig?.Arn;
        if (deadLetterArn) {
          // As on AWS: the undelivered event goes to the target's DLQ (an SQS queue) as the rendered input.
          await this.deliver({ Id: `${target.Id}-dlq`, Arn: deadLetterArn }, body, rule).catch((dlqError) =>
            this.onError(`rule ${rule.name}: dead-letter delivery to ${deadLetterArn} failed`, dlqError),
          );
        }
        return;
      }
    }
  }

  private track(promise: Promise<void>) {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }

  /** Waits for deliveries in flight (used when stopping). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}

/** The EventBridge JSON API (target prefix `AWSEvents`). */
export function eventBridgeService(bus: EventBridge): JsonService {
  return {
    targetPrefix: 'AWSEvents',
    contentType: 'application/x-amz-json-1.1',
    operations: {
      PutEvents: (input) => bus.putEvents(input.Entries as Entry[]),
      ListRules: (input) => ({
        Rules: bus
          .listRules()
          .filter(
            (rule) =>
              rule.busName ===
              String(input.EventBusName ?? 'default')
                .split('/')
                .pop(),
          )
          .map((rule) => ({
            Name: rule.name,
            Arn: rule.arn,
            EventBusName: rule.busName,
            State: rule.enabled ? 'ENABLED' : 'DISABLED',
            ...(rule.eventPattern ? { EventPattern: JSON.stringify(rule.eventPattern) } : {}),
            ...(rule.scheduleExpression ? { ScheduleExpression: rule.scheduleExpression } : {}),
          })),
      }),
      ListTargetsByRule: (input) => {
        const rule = bus.listRules().find((candidate) => candidate.name === input.Rule);
        if (!rule)
          throw new AwsServiceError(
            'ResourceNotFoundException',
            `Rule ${String(input.Rule)} does not exist.`,
          );
        return { Targets: rule.targets };
      },
      TestEventPattern: (input) => ({
        Result: matchesPatternText(String(input.EventPattern), String(input.Event)),
      }),
    },
  };
}

function matchesPatternText(pattern: string, event: string): boolean {
  try {
    return matchesPattern(JSON.parse(pattern), JSON.parse(event));
  } catch {
    throw new AwsServiceError('InvalidEventPatternException', 'Event pattern is not valid JSON');
  }
}
