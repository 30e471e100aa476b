/**
 * What the synthesized templates say about cost: each function's memory and architecture, the issuing state
 * machine's type and logging, the schedule rules and their rates, which rules route where (and on what
 * pattern), the event source mappings, and the fixed resources (keys, secrets, alarms, user pool plan, the
 * table's indexes and backups, the API stage's logging). Read from the cloud assembly the bench runs, so the
 * model follows the infrastructure as it is, never a copy of it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

type Resource = { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> };
export type Template = { Resources?: Record<string, Resource> };

export type TemplateFunction = {
  logicalId: string;
  /** The logical id without CDK's hash suffix (`SubmitToHkaFunction`): how the bench names a function. */
  name: string;
  memoryMb: number;
  architecture: 'arm64' | 'x86_64';
  entry?: string;
  tracing: boolean;
};

export type StateMachineModel = {
  logicalId: string;
  name?: string;
  type: 'EXPRESS' | 'STANDARD';
  loggingLevel: string;
  includeExecutionData: boolean;
  tracing: boolean;
};

export type ScheduleModel = {
  logicalId: string;
  expression: string;
  /** Runs in a month of 730 hours; undefined for a cron expression. */
  runsPerMonth?: number;
  /** Function names the schedule invokes. */
  targets: string[];
};

export type EventRuleModel = {
  logicalId: string;
  pattern: unknown;
  /** Logical ids of the targets (queues, functions, state machines). */
  targetLogicalIds: string[];
};

export type EventSourceMappingModel = { queueLogicalId: string; functionName: string; batchSize: number };

export type GsiModel = {
  name: string;
  hashKey: string;
  rangeKey?: string;
  projection: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  nonKeyAttributes: string[];
};

export type TableModel = {
  logicalId: string;
  hashKey: string;
  rangeKey?: string;
  gsis: GsiModel[];
  billingMode: string;
  pointInTimeRecovery: boolean;
};

export type ApiStageModel = {
  loggingLevel: string;
  dataTrace: boolean;
  accessLogFormat?: string;
  tracing: boolean;
};

export type CostTemplate = {
  functions: TemplateFunction[];
  stateMachines: StateMachineModel[];
  schedules: ScheduleModel[];
  eventRules: EventRuleModel[];
  eventSourceMappings: EventSourceMappingModel[];
  kmsKeys: Array<{ logicalId: string; rotation: boolean }>;
  secrets: number;
  alarms: number;
  userPoolTiers: string[];
  tables: TableModel[];
  apiStages: ApiStageModel[];
};

const HOURS_PER_MONTH = 730;
const MINUTES_PER_MONTH = HOURS_PER_MONTH * 60;
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const MINUTES_PER_UNIT: Record<string, number> = { minute: 1, hour: 60, day: 1440 };

/** `rate(1 minute)` → 43,800 runs in a month of 730 hours; undefined for cron expressions. */
export function runsPerMonth(expression: string): number | undefined {
  const match = RATE.exec(expression.trim());
  if (!match) return undefined;
  const minutes = Number(match[1]) * MINUTES_PER_UNIT[match[2]!.replace(/s$/, '')]!;
  return MINUTES_PER_MONTH / minutes;
}

/** CDK logical ids end in an 8-hex-digit hash: `IssueDocumentFunctionD42FDCB1` → `IssueDocumentFunction`. */
export const functionNameOf = (logicalId: string) => logicalId.replace(/[0-9A-F]{8}$/, '');

/** `Fn::GetAtt: [X, Arn]` or `Ref: X` → X. */
function referencedLogicalId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const getAtt = (value as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  const ref = (value as { Ref?: unknown }).Ref;
  return typeof ref === 'string' ? ref : undefined;
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function keyOf(schema: unknown, type: 'HASH' | 'RANGE'): string | undefined {
  const entry = list(schema)
    .map(record)
    .find((key) => key.KeyType === type);
  return typeof entry?.AttributeName === 'string' ? entry.AttributeName : undefined;
}

/** The cost-relevant view of a set of templates (the stacks of one cloud assembly). */
export function costTemplateOf(templates: Template[]): CostTemplate {
  const resources = templates.flatMap((template) => Object.entries(template.Resources ?? {}));
  const ofType = (type: string) => resources.filter(([, resource]) => resource.Type === type);
  const functionNames = new Map(
    ofType('AWS::Lambda::Function').map(([logicalId]) => [logicalId, functionNameOf(logicalId)]),
  );

  const functions = ofType('AWS::Lambda::Function').map(([logicalId, resource]) => {
    const p = record(resource.Properties);
    const entry = record(resource.Metadata)['factu:entry'];
    return {
      logicalId,
      name: functionNameOf(logicalId),
      // Lambda's defaults when the template leaves them out.
      memoryMb: typeof p.MemorySize === 'number' ? p.MemorySize : 128,
      architecture: list(p.Architectures)[0] === 'arm64' ? ('arm64' as const) : ('x86_64' as const),
      ...(typeof entry === 'string' ? { entry } : {}),
      tracing: record(p.TracingConfig).Mode === 'Active',
    };
  });

  const stateMachines = ofType('AWS::StepFunctions::StateMachine').map(([logicalId, resource]) => {
    const p = record(resource.Properties);
    const logging = record(p.LoggingConfiguration);
    return {
      logicalId,
      ...(typeof p.StateMachineName === 'string' ? { name: p.StateMachineName } : {}),
      type: p.StateMachineType === 'EXPRESS' ? ('EXPRESS' as const) : ('STANDARD' as const),
      loggingLevel: typeof logging.Level === 'string' ? logging.Level : 'OFF',
      includeExecutionData: logging.IncludeExecutionData === true,
      tracing: record(p.TracingConfiguration).Enabled === true,
    };
  });

  const rules = ofType('AWS::Events::Rule').filter(
    ([, resource]) => record(resource.Properties).State !== 'DISABLED',
  );
  const targetsOf = (resource: Resource) =>
    list(record(resource.Properties).Targets)
      .map((target) => referencedLogicalId(record(target).Arn))
      .filter((id): id is string => id !== undefined);
  const schedules = rules
    .filter(([, resource]) => typeof record(resource.Properties).ScheduleExpression === 'string')
    .map(([logicalId, resource]) => {
      const expression = String(record(resource.Properties).ScheduleExpression);
      const runs = runsPerMonth(expression);
      return {
        logicalId,
        expression,
        ...(runs !== undefined ? { runsPerMonth: runs } : {}),
        targets: targetsOf(resource)
          .map((id) => functionNames.get(id))
          .filter((name): name is string => name !== undefined),
      };
    });
  const eventRules = rules
    .filter(([, resource]) => record(resource.Properties).EventPattern !== undefined)
    .map(([logicalId, resource]) => ({
      logicalId,
      pattern: record(resource.Properties).EventPattern,
      targetLogicalIds: targetsOf(resource),
    }));

  const eventSourceMappings = ofType('AWS::Lambda::EventSourceMapping').flatMap(([, resource]) => {
    const p = record(resource.Properties);
    const queueLogicalId = referencedLogicalId(p.EventSourceArn);
    const functionLogicalId = referencedLogicalId(p.FunctionName);
    const functionName = functionLogicalId ? functionNames.get(functionLogicalId) : undefined;
    if (!queueLogicalId || !functionName) return [];
    return [{ queueLogicalId, functionName, batchSize: typeof p.BatchSize === 'number' ? p.BatchSize : 10 }];
  });

  const tables = ofType('AWS::DynamoDB::Table').map(([logicalId, resource]) => {
    const p = record(resource.Properties);
    return {
      logicalId,
      hashKey: keyOf(p.KeySchema, 'HASH') ?? '',
      ...(keyOf(p.KeySchema, 'RANGE') ? { rangeKey: keyOf(p.KeySchema, 'RANGE') } : {}),
      gsis: list(p.GlobalSecondaryIndexes).map((raw) => {
        const gsi = record(raw);
        const projection = record(gsi.Projection);
        const type = projection.ProjectionType;
        return {
          name: String(gsi.IndexName),
          hashKey: keyOf(gsi.KeySchema, 'HASH') ?? '',
          ...(keyOf(gsi.KeySchema, 'RANGE') ? { rangeKey: keyOf(gsi.KeySchema, 'RANGE') } : {}),
          projection: (type === 'ALL' || type === 'INCLUDE' ? type : 'KEYS_ONLY') as GsiModel['projection'],
          nonKeyAttributes: list(projection.NonKeyAttributes).map(String),
        };
      }),
      billingMode: typeof p.BillingMode === 'string' ? p.BillingMode : 'PROVISIONED',
      pointInTimeRecovery:
        record(p.PointInTimeRecoverySpecification).PointInTimeRecoveryEnabled === true ||
        record(p.PointInTimeRecoverySpecification).PointInTimeRecoveryEnabled === 'true',
    };
  });

  const apiStages = ofType('AWS::ApiGateway::Stage').map(([, resource]) => {
    const p = record(resource.Properties);
    const settings = list(p.MethodSettings).map(record);
    const all = settings.find((s) => s.ResourcePath === '/*' && s.HttpMethod === '*') ?? settings[0] ?? {};
    const format = record(p.AccessLogSetting).Format;
    return {
      loggingLevel: typeof all.LoggingLevel === 'string' ? all.LoggingLevel : 'OFF',
      dataTrace: all.DataTraceEnabled === true,
      ...(typeof format === 'string' ? { accessLogFormat: format } : {}),
      tracing: p.TracingEnabled === true,
    };
  });

  return {
    functions,
    stateMachines,
    schedules,
    eventRules,
    eventSourceMappings,
    kmsKeys: ofType('AWS::KMS::Key').map(([logicalId, resource]) => ({
      logicalId,
      rotation: record(resource.Properties).EnableKeyRotation === true,
    })),
    secrets: ofType('AWS::SecretsManager::Secret').length,
    alarms: ofType('AWS::CloudWatch::Alarm').length,
    userPoolTiers: ofType('AWS::Cognito::UserPool').map(([, resource]) =>
      String(record(resource.Properties).UserPoolTier ?? 'ESSENTIALS'),
    ),
    tables,
    apiStages,
  };
}

/** Every `*.template.json` of a cloud assembly directory. */
export function loadCostTemplate(assemblyDir: string): CostTemplate {
  const templates = readdirSync(assemblyDir)
    .filter((name) => name.endsWith('.template.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(assemblyDir, name), 'utf8')) as Template);
  return costTemplateOf(templates);
}

/**
 * The functions that deliver e-mail: the event source mappings of the queues targeted by a rule that
 * matches on `detail.hasRecipients` (e-mail is sent only to documents with receiver addresses).
 */
export function emailFunctionNames(model: CostTemplate): string[] {
  const queues = model.eventRules
    .filter((rule) => 'hasRecipients' in record(record(rule.pattern).detail))
    .flatMap((rule) => rule.targetLogicalIds);
  return model.eventSourceMappings
    .filter((mapping) => queues.includes(mapping.queueLogicalId))
    .map((mapping) => mapping.functionName);
}

/** Functions fed by an SQS queue that an EventBridge rule fills (each message was a SendMessage by EventBridge). */
export function queueConsumerNames(model: CostTemplate): string[] {
  const queues = model.eventRules.flatMap((rule) => rule.targetLogicalIds);
  return model.eventSourceMappings
    .filter((mapping) => queues.includes(mapping.queueLogicalId))
    .map((mapping) => mapping.functionName);
}

/** The schedule that invokes a function, by a fragment of the function's name (`RedriveDocuments`). */
export function scheduleInvoking(model: CostTemplate, functionFragment: string): ScheduleModel | undefined {
  return model.schedules.find((schedule) => schedule.targets.some((name) => name.includes(functionFragment)));
}
