/**
 * The cost bench's results: every measured window priced into lines, the totals per scenario, the fixed
 * and optional costs, the assumptions and the per-function detail, as written to bench/results/cost.json,
 * and the printed tables.
 */

import { ROWS_PER_ISSUE_MESSAGE } from '#shared/batches/queue';
import type { BenchReport } from '../stats';
import { ASSUMPTIONS, EXAMPLE_DOCUMENT, GOALS, lineAssumptions } from './assumptions';
import { type CostLine, significant, totalPerThousand } from './billing';
import { documentLines } from './document-lines';
import { type FixedLine, platformFixedLines, sumPerMonth, tenantFixedLines } from './fixed-costs';
import { lambdaPlatformLogBytes } from './log-sizes';
import { PRICES } from './prices';
import { fixedTable, optionalTable, scenarioTable, usd } from './report';
import {
  type apiReads,
  type folioSyncRun,
  functionNameFor,
  type ScenarioResult,
  TRIES_PER_ATTEMPT,
} from './scenarios';
import type { EmitterSetup } from './setup';
import { type CostTemplate, emailFunctionNames, scheduleInvoking } from './template-model';
import { type FunctionTotals, functionTotals, scaleTotals, zeroTotals } from './totals';
import type { Usage } from './usage';

export type ReportInput = {
  template: CostTemplate;
  results: ScenarioResult[];
  idleSweep: Usage;
  polling: Record<'status' | 'list', Awaited<ReturnType<typeof apiReads>>>;
  folio: Awaited<ReturnType<typeof folioSyncRun>>;
  setup: EmitterSetup;
  kmsKeySpecs: Record<string, string>;
  tenantItemBytes: number;
  documents: number;
  assemblySource: string;
  elapsedSeconds: number;
};

const roundLine = (line: CostLine) => ({
  ...line,
  unitPriceUsd: significant(line.unitPriceUsd),
  countPerDocument: significant(line.countPerDocument),
  usdPerThousandDocuments: significant(line.usdPerThousandDocuments),
});
const roundFixed = (line: FixedLine) => ({
  ...line,
  unitPriceUsd: significant(line.unitPriceUsd),
  quantityPerMonth: significant(line.quantityPerMonth),
  usdPerMonth: significant(line.usdPerMonth),
});
const sumRuns = (usage: Usage) =>
  Object.values(usage.eventBridge.schedules).reduce((sum, runs) => sum + runs, 0);
const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);

/** Per function, what happened per document (for the reader of the JSON). */
function scenarioDetail(result: ScenarioResult) {
  const per = Math.max(1, result.documents);
  const functions = Object.fromEntries(
    Object.entries(result.usage.functions)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, fn]) => [
        name,
        {
          invocationsPerDocument: significant(fn.invocations / per),
          coldInvocations: fn.coldInvocations,
          errors: fn.errors,
          meanWarmRunMs: significant(mean(fn.warmRunMs), 4),
          logBytesPerDocument: significant(fn.logBytes / per, 4),
          dynamodb: {
            wruPerDocument: significant(fn.dynamodb.units.wru / per),
            rruPerDocument: significant(fn.dynamodb.units.rru / per),
            dynamodbLocalReportedWruPerDocument: significant(fn.dynamodb.reported.wru / per),
            calls: fn.dynamodb.calls,
          },
          s3: fn.s3,
          kms: fn.kms,
          ...(fn.secretsManagerCalls ? { secretsManagerCalls: fn.secretsManagerCalls } : {}),
          ...(fn.sqsRequests || fn.sqsMessages
            ? { sqsRequests: fn.sqsRequests, sqsMessages: fn.sqsMessages }
            : {}),
          ...(fn.stepFunctionsStarts ? { stepFunctionsStarts: fn.stepFunctionsStarts } : {}),
          ...(fn.ses.emails ? { ses: fn.ses } : {}),
          ...(Object.keys(fn.hka).length
            ? {
                hkaCalls: fn.hka,
                hkaMeanMs: Object.fromEntries(
                  Object.entries(fn.hkaMs).map(([operation, ms]) => [
                    operation,
                    significant(ms / Math.max(1, fn.hka[operation] ?? 0), 4),
                  ]),
                ),
              }
            : {}),
          ...(Object.keys(fn.otherCalls).length ? { otherCalls: fn.otherCalls } : {}),
        },
      ]),
  );
  const durations = result.usage.executions.map((execution) => execution.durationMs);
  return {
    documents: result.documents,
    statuses: result.statuses,
    redriven: result.redriven,
    sweepsFired: result.sweepsFired,
    faults: result.faults,
    waitedThroughOutage: result.waitedThroughOutage,
    postFailures: result.postFailures,
    seconds: significant(result.seconds, 3),
    executions: {
      count: durations.length,
      meanDurationMs: significant(mean(durations), 4),
      maxDurationMs: significant(Math.max(0, ...durations), 4),
      failureEvents: result.usage.executions.reduce((sum, execution) => sum + execution.failureEvents, 0),
      transitionsPerExecution: significant(
        mean(result.usage.executions.map((execution) => execution.transitions)),
        4,
      ),
    },
    eventBridge: result.usage.eventBridge,
    tableBytesAddedPerDocument: significant(
      (result.tableBytesAdded.table + result.tableBytesAdded.indexes) / per,
      5,
    ),
    functions,
  };
}

/** The re-drive sweep's usage per idle run: a fixed platform cost, taken out of the windows that fire it. */
function sweepBaseline(input: ReportInput, assumptions: ReturnType<typeof lineAssumptions>) {
  const { template } = input;
  const name = functionNameFor(template, 'RedriveDocuments');
  const fn = template.functions.find((candidate) => candidate.name === name)!;
  const runs = Math.max(1, sumRuns(input.idleSweep));
  const usage = input.idleSweep.functions[name];
  const perRun = usage ? scaleTotals(functionTotals(usage, fn, assumptions), 1 / runs) : undefined;
  return { name, runs, perRun, schedule: scheduleInvoking(template, 'RedriveDocuments') };
}

/** Each scenario window priced per document, with its e-mail and storage lines. */
function priceScenarios(
  input: ReportInput,
  assumptions: ReturnType<typeof lineAssumptions>,
  sweep: ReturnType<typeof sweepBaseline>,
) {
  const { template, results } = input;
  const perThousandDocuments: Record<string, Record<string, number>> = {};
  const lines: Array<CostLine & { scenario: string }> = [];
  const emailByChannel: Record<string, { usdPerThousandEmailedDocuments: number; lines: CostLine[] }> = {};
  const storage: Record<string, unknown> = {};
  const summaries: Array<{ key: string; goalUsd: number; lines: CostLine[] }> = [];
  const table = template.tables[0];
  const dynamodbStoragePrice =
    PRICES.dynamodbStorage.usd + (table?.pointInTimeRecovery ? PRICES.dynamodbPitr.usd : 0);
  for (const result of results) {
    const key = `${result.channel}/${result.kind}`;
    const scheduledBaseline = sweep.perRun
      ? { totalsPerRun: { [sweep.name]: sweep.perRun }, runs: { [sweep.name]: result.sweepsFired } }
      : undefined;
    const computed = documentLines({
      template,
      usage: result.usage,
      documents: Math.max(1, result.documents),
      api: result.api,
      assumptions,
      ...(scheduledBaseline ? { scheduledBaseline } : {}),
    });
    perThousandDocuments[result.channel] ??= {};
    perThousandDocuments[result.channel]![result.kind] = significant(totalPerThousand(computed.lines));
    lines.push(...computed.lines.map((line) => ({ scenario: key, ...roundLine(line) })));
    summaries.push({
      key,
      goalUsd: result.kind === 'oneRetry' ? GOALS.oneRetry : GOALS.happy,
      lines: computed.lines,
    });
    if (result.kind === 'happy') {
      emailByChannel[result.channel] = {
        usdPerThousandEmailedDocuments: significant(totalPerThousand(computed.emailLines)),
        lines: computed.emailLines.map(roundLine),
      };
    }
    const per = Math.max(1, result.documents);
    const dynamodbBytes = (result.tableBytesAdded.table + result.tableBytesAdded.indexes) / per;
    const s3Bytes = Object.values(result.usage.functions).reduce((sum, fn) => sum + fn.s3.bytesPut, 0) / per;
    storage[key] = {
      dynamodbBytesPerDocument: Math.round(dynamodbBytes),
      s3BytesPerDocument: Math.round(s3Bytes),
      usdPerThousandDocumentsPerMonth: significant(
        (1000 * (dynamodbBytes * dynamodbStoragePrice + s3Bytes * PRICES.s3Storage.usd)) / 1024 ** 3,
      ),
    };
  }

  return { perThousandDocuments, lines, emailByChannel, storage, summaries };
}

/** A GET of the API priced per request, from its own window. */
function pricePolling(input: ReportInput, assumptions: ReturnType<typeof lineAssumptions>) {
  return Object.fromEntries(
    Object.entries(input.polling).map(([kind, reads]) => [
      kind,
      documentLines({
        template: input.template,
        usage: reads.usage,
        documents: Math.max(1, reads.api.count),
        api: [reads.api],
        assumptions,
      }).lines,
    ]),
  ) as Record<'status' | 'list', CostLine[]>;
}

/**
 * Fixed per platform-month (the sweep's idle runs at its rate, the folio fan-out's own run, queue polling,
 * keys, secrets, alarms) and per tenant-month (users, the tenant's share of the folio sync, its items).
 */
function fixedCosts(
  input: ReportInput,
  assumptions: ReturnType<typeof lineAssumptions>,
  sweep: ReturnType<typeof sweepBaseline>,
) {
  const { template } = input;
  const folioSchedule = scheduleInvoking(template, 'ScheduleFolioSync');
  const fanOutName = functionNameFor(template, 'ScheduleFolioSync');
  const syncName = functionNameFor(template, 'SyncFolios');
  const fanOutFn = template.functions.find((fn) => fn.name === fanOutName)!;
  const syncFn = template.functions.find((fn) => fn.name === syncName)!;
  const tenantsSynced = Math.max(1, input.folio.tenants);
  const fanOutUsage = input.folio.usage.functions[fanOutName];
  const fanOut = fanOutUsage ? functionTotals(fanOutUsage, fanOutFn, assumptions) : undefined;
  const syncUsage = input.folio.usage.functions[syncName];
  const sync = syncUsage ? functionTotals(syncUsage, syncFn, assumptions) : undefined;
  const scheduled = [];
  if (sweep.perRun && sweep.schedule?.runsPerMonth) {
    scheduled.push({
      label: `re-drive sweep, ${sweep.schedule.expression} (an idle run, measured)`,
      functionName: sweep.name,
      totalsPerRun: sweep.perRun,
      runsPerMonth: sweep.schedule.runsPerMonth,
    });
  }
  if (fanOut && folioSchedule?.runsPerMonth) {
    // Its one send per tenant is the tenant's; the rest runs once per schedule whatever the tenants.
    scheduled.push({
      label: `folio sync fan-out, ${folioSchedule.expression}`,
      functionName: fanOutName,
      totalsPerRun: { ...fanOut, sqsRequests: 0 },
      runsPerMonth: folioSchedule.runsPerMonth,
    });
  }
  const platformLines = platformFixedLines({ template, scheduled, esm: ASSUMPTIONS.esm });

  const tenantFunctions: Record<string, FunctionTotals> = {};
  if (sync) tenantFunctions[syncName] = scaleTotals(sync, 1 / tenantsSynced);
  if (fanOut) {
    tenantFunctions[fanOutName] = { ...zeroTotals(), sqsRequests: fanOut.sqsRequests / tenantsSynced };
  }
  const tenantInput = {
    template,
    mauPerTenant: ASSUMPTIONS.mauPerTenant,
    ...(folioSchedule?.runsPerMonth
      ? { folioSync: { functions: tenantFunctions, runsPerMonth: folioSchedule.runsPerMonth } }
      : {}),
    tableBytes: input.tenantItemBytes,
  };
  const tenantLines = tenantFixedLines(tenantInput);
  const tenantTotal = sumPerMonth(tenantLines);
  const platformTotal = sumPerMonth(platformLines);
  // The same tenant on Cognito's Lite plan, for comparison with the plan the template chose.
  const tenantTotalIfLite = sumPerMonth(
    tenantFixedLines({ ...tenantInput, template: { ...template, userPoolTiers: ['LITE'] } }),
  );

  return { platformLines, tenantLines, tenantTotal, platformTotal, tenantTotalIfLite };
}

/** What the numbers rest on that the local cloud cannot count. */
function assumptionsOf(input: ReportInput, tenantTotalIfLite: number) {
  const { template } = input;
  return {
    hkaLatency: `${ASSUMPTIONS.hkaLatencyMs} ms added to every HKA call (sandbox latency fault on SOAP; the bench's front on the PAC reception, which the sandbox does not fault)`,
    oneRetry: `an HKA outage through every first attempt: HTTP 503 on the first submission tries (up to ${TRIES_PER_ATTEMPT} per attempt) until the circuit breaker opens, the later attempts stop before calling HKA, every document waits (WAITING_FOR_HKA); HKA back, the re-drive sweep's probe closes the breaker and the documents drain, each authorized on its second attempt; the sweep's marginal cost per document is its runs minus idle runs`,
    batch: `hka-integration, the happy path with the scenario's documents sent as ONE POST /v1/batches (JSON): the batch's input put in and read from the work-files bucket, two SQS queues (a validation message, then a message per ${ROWS_PER_ISSUE_MESSAGE} rows: each delivery billed as send + receive + delete), every row pre-flighted by the validation and again by the issue service, the row items and counters; the client's GETs of the batch are left out (polling is priced apart)`,
    documentsPerScenario: input.documents,
    document: EXAMPLE_DOCUMENT,
    issuingPattern: 'one client issuing one document after the other (one point of sale); pipelines overlap',
    mauPerTenant: `${ASSUMPTIONS.mauPerTenant} active users per tenant a month, at the user pool's plan from the template (${template.userPoolTiers.join(', ')}); the Lite plan beyond its 10,000 free MAU would make the tenant-month ${usd(tenantTotalIfLite)}`,
    fixedPerTenantMonthIfLite: significant(tenantTotalIfLite),
    lambdaDurations:
      'measured run time of each invocation on this machine (worker round trip: the handler, its AWS calls on the local emulators and the HKA latency), rounded up to 1 ms; cold runs billed at the warm mean; INIT not modeled',
    lambdaPlatformLogLines: `START/END/REPORT (+XRAY when tracing) per invocation: ${lambdaPlatformLogBytes({ memoryMb: 512, durationMs: 400, tracing: true })} bytes at 512 MB and 400 ms (rendered from the lines' shapes)`,
    functionLogs:
      'every line the function writes (Powertools JSON logs and EMF metrics), newline included; console.* prefixes not added (Powertools writes to stdout directly)',
    apiExecutionLogs: `${ASSUMPTIONS.apiExecutionLogBytesPerRequest} bytes per request at INFO without data trace (not produced locally); access log line rendered from the stage's format`,
    stepFunctionsLogs: `ERROR level: one event per failed task try, ${ASSUMPTIONS.stepFunctionsLogEventBytes} bytes of envelope plus the error and cause`,
    xray: `default sampling (1 request/s reservoir + 5 %): at scale about ${ASSUMPTIONS.xraySampledShare * 100} % of invocations recorded, each counted as its own trace (an upper bound: a document's invocations share traces where the trace header propagates)`,
    eventSourceMappings: `${ASSUMPTIONS.esm.pollersPerMapping} pollers per SQS mapping, ${ASSUMPTIONS.esm.longPollSeconds} s long polls, around the clock`,
    month: `${ASSUMPTIONS.esm.hoursPerMonth} hours`,
    stepFunctionsExpressMemory: '64 MB (definition and state far below it)',
    dynamodb:
      'units as DynamoDB Local reports them (ReturnConsumedCapacity INDEXES), except TransactWriteItems: 2 × item size in KB per item (prepare + commit, AWS rule), index entries as ordinary writes, from the items before and after; refused conditional writes charged; GSI and table storage with 100 bytes per item',
    s3: 'PUT/COPY/POST/LIST vs GET/HEAD request classes; bytes of every PutObject (versioned bucket: every version is stored)',
    notModeled:
      'KMS requests AWS services make on our behalf (DynamoDB table key, S3 bucket key, Secrets Manager, CloudWatch Logs CMK; cached data keys make them small); data transfer; CloudWatch metrics (EMF) beyond log ingestion; free tiers',
    kmsKeys:
      'customer managed keys at $1/key-month; keys with automatic rotation add $1/month for each of their first two rotations (after one and two years), not included',
    emailBatching:
      "the local event source mapping hands the e-mail function up to its batch size when messages wait; at low traffic each message is its own invocation, which raises the e-mail path's Lambda lines (not its SES lines)",
    kmsKeySpecs: input.kmsKeySpecs,
  };
}

export function buildReport(input: ReportInput): BenchReport {
  const { template, results } = input;
  const assumptions = lineAssumptions(input.kmsKeySpecs);
  const sweep = sweepBaseline(input, assumptions);
  const { perThousandDocuments, lines, emailByChannel, storage, summaries } = priceScenarios(
    input,
    assumptions,
    sweep,
  );
  const pollingLines = pricePolling(input, assumptions);
  const { platformLines, tenantLines, tenantTotal, platformTotal, tenantTotalIfLite } = fixedCosts(
    input,
    assumptions,
    sweep,
  );
  const pollingPerThousand = {
    status: significant(totalPerThousand(pollingLines.status)),
    list: significant(totalPerThousand(pollingLines.list)),
  };
  const results_ = {
    currency: 'USD',
    perThousandDocuments,
    fixedPerTenantMonth: significant(tenantTotal),
    perImportedSigningKeyMonth: PRICES.kmsKeyMonth.usd,
    fixedPerPlatformMonth: significant(platformTotal),
    goals: {
      perThousandDocumentsHappy: GOALS.happy,
      perThousandDocumentsOneRetry: GOALS.oneRetry,
      fixedPerTenantMonth: GOALS.tenantMonth,
    },
    lines,
    fixedPerTenantMonthLines: tenantLines.map(roundFixed),
    fixedPerPlatformMonthLines: platformLines.map(roundFixed),
    optional: {
      emailDeliveryPerThousandEmailedDocuments: emailByChannel,
      statusPollingPerThousandGets: {
        usd: pollingPerThousand.status,
        route: 'GET /v1/documents/{id}',
        lines: pollingLines.status.map(roundLine),
      },
      listPollingPerThousandGets: {
        usd: pollingPerThousand.list,
        route: 'GET /v1/documents (first page)',
        lines: pollingLines.list.map(roundLine),
      },
      storagePerThousandDocumentsPerMonth: storage,
      note: 'E-mail delivery (the SES e-mail and its attachments, the queue EventBridge fills, the sending function) is billed only for documents whose receiver has addresses (the rule matches detail.hasRecipients): it is priced per e-mailed document and kept out of perThousandDocuments. Polling and storage depend on the client and on retention.',
    },
    assumptions: assumptionsOf(input, tenantTotalIfLite),
    fixedPerPlatformMonthDetail: {
      idleSweepRuns: sweep.runs,
      sweepPerRun: sweep.perRun,
      folioSyncTenants: input.folio.tenants,
    },
    setup: {
      emitterSigned: {
        certificateUpload: input.setup.certificateStatus,
        channelSwitch: input.setup.channelStatus,
        kmsCalls: Object.fromEntries(
          Object.entries(input.setup.usage.functions)
            .filter(([, fn]) => Object.keys(fn.kms).length > 0)
            .map(([name, fn]) => [name, fn.kms]),
        ),
      },
    },
    scenarios: Object.fromEntries(
      results.map((result) => [`${result.channel}/${result.kind}`, scenarioDetail(result)]),
    ),
    template: {
      assembly: input.assemblySource,
      functions: Object.fromEntries(
        template.functions.map((fn) => [fn.name, { memoryMb: fn.memoryMb, architecture: fn.architecture }]),
      ),
      stateMachines: template.stateMachines,
      schedules: template.schedules,
      emailFunctions: emailFunctionNames(template),
      userPoolTiers: template.userPoolTiers,
    },
    prices: PRICES,
    durationSeconds: significant(input.elapsedSeconds, 4),
  };

  const tables = [
    scenarioTable(summaries),
    fixedTable(
      'Fixed per tenant-month (+ $1 per imported signing key)',
      tenantLines,
      tenantTotal,
      GOALS.tenantMonth,
    ),
    fixedTable('Fixed per platform-month', platformLines, platformTotal),
    optionalTable([
      ...Object.entries(emailByChannel).map(([channel, email]) => ({
        what: `e-mail delivery (SES + queue + function), ${channel}`,
        usd: email.usdPerThousandEmailedDocuments,
        per: '1,000 e-mailed documents',
      })),
      { what: 'status polling, GET /v1/documents/{id}', usd: pollingPerThousand.status, per: '1,000 GETs' },
      { what: 'list polling, GET /v1/documents', usd: pollingPerThousand.list, per: '1,000 GETs' },
      ...Object.entries(storage).map(([key, value]) => ({
        what: `storage (DynamoDB + PITR + S3 Standard), ${key}`,
        usd: (value as { usdPerThousandDocumentsPerMonth: number }).usdPerThousandDocumentsPerMonth,
        per: '1,000 documents, each month kept',
      })),
    ]),
  ];
  return { results: results_, tables };
}
