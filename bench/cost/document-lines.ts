/**
 * A measured window as cost lines per document: every function's requests, GB-seconds, logs, DynamoDB
 * units, S3 and KMS requests…, the Step Functions executions, the EventBridge events and the API requests,
 * each priced and divided by the documents issued in the window. The e-mail path (the functions fed by the
 * queue a `hasRecipients` rule fills, and the SQS traffic into it) is kept apart: SES and everything around
 * it is billed only for documents whose receiver has an address, so it is priced per e-mailed document.
 */
import { BYTES_PER_GB, type CostLine, costLine, expressBilled } from './billing';
import { accessLogLineBytes } from './log-sizes';
import { PRICES } from './prices';
import {
  type CostTemplate,
  emailFunctionNames,
  queueConsumerNames,
  type TemplateFunction,
} from './template-model';
import { type FunctionTotals, functionTotals, subtractTotals, type TotalsContext } from './totals';
import type { Usage } from './usage';

export type ApiRequests = { method: string; path: string; count: number; meanResponseBytes: number };

export type DocumentLineAssumptions = TotalsContext & {
  /** API Gateway execution logs at INFO (no data trace): bytes per request. */
  apiExecutionLogBytesPerRequest: number;
  /** A Step Functions log event's JSON envelope (ids, type, timestamps, execution ARN), bytes. */
  stepFunctionsLogEventBytes: number;
};

export type DocumentLinesInput = {
  template: CostTemplate;
  usage: Usage;
  documents: number;
  api: ApiRequests[];
  assumptions: DocumentLineAssumptions;
  /** Scheduled runs inside the window that are a fixed cost: their idle per-run totals are taken out. */
  scheduledBaseline?: { totalsPerRun: Record<string, FunctionTotals>; runs: Record<string, number> };
};

export type DocumentLines = {
  lines: CostLine[];
  /** Per e-mailed document (SES e-mails sent in the window). */
  emailLines: CostLine[];
  emailedDocuments: number;
  /** The billable quantities per function in the window (before division), for the JSON detail. */
  totals: Record<string, FunctionTotals>;
};

const fmtBytes = (bytes: number) => `${Math.round(bytes).toLocaleString('en-US')} bytes`;
const displayName = (name: string) => name.replace(/Function$/, '');

export function functionLines(
  name: string,
  fn: TemplateFunction,
  totals: FunctionTotals,
  per: number,
  unit = 'document',
): CostLine[] {
  const label = displayName(name);
  const lambdaPrice = fn.architecture === 'arm64' ? PRICES.lambdaArmGbSecond : PRICES.lambdaX86GbSecond;
  const lines = [
    costLine('Lambda', `requests: ${label}`, totals.invocations / per, PRICES.lambdaRequest),
    costLine(
      'Lambda',
      `duration: ${label} (${fn.memoryMb} MB ${fn.architecture})`,
      totals.gbSeconds / per,
      lambdaPrice,
    ),
    costLine(
      'CloudWatch Logs',
      `ingestion: ${label} (${fmtBytes(totals.logBytes / per)} per ${unit}, Lambda's lines included)`,
      totals.logBytes / per / BYTES_PER_GB,
      PRICES.logsIngestionGb,
    ),
    costLine('DynamoDB', `writes (WRU): ${label}`, totals.wru / per, PRICES.dynamodbWrite),
    costLine('DynamoDB', `reads (RRU): ${label}`, totals.rru / per, PRICES.dynamodbRead),
    costLine('S3', `PUT-class requests: ${label}`, totals.s3PutClass / per, PRICES.s3PutClass),
    costLine('S3', `GET-class requests: ${label}`, totals.s3GetClass / per, PRICES.s3GetClass),
    costLine('KMS', `symmetric requests: ${label}`, totals.kmsSymmetric / per, PRICES.kmsSymmetric),
    costLine('KMS', `Sign, RSA_2048 key: ${label}`, totals.kmsSignRsa2048 / per, PRICES.kmsRsa2048),
    costLine(
      'KMS',
      `Sign, other asymmetric key: ${label}`,
      totals.kmsSignOther / per,
      PRICES.kmsAsymmetricOther,
    ),
    costLine(
      'Secrets Manager',
      `API calls: ${label}`,
      totals.secretsManagerCalls / per,
      PRICES.secretsManagerCall,
    ),
    costLine(
      'SQS',
      `requests: ${label} (own calls; receive + delete per delivered message, + EventBridge's send into a rule's queue)`,
      totals.sqsRequests / per,
      PRICES.sqsRequest,
    ),
    costLine('SES', `e-mails (recipients): ${label}`, totals.sesEmails / per, PRICES.sesEmail),
    costLine(
      'SES',
      `attachments: ${label} (${fmtBytes(totals.sesAttachmentBase64Bytes / per)} base64)`,
      totals.sesAttachmentBase64Bytes / per / BYTES_PER_GB,
      PRICES.sesAttachmentGb,
    ),
    costLine('X-Ray', `traces recorded: ${label}`, totals.traces / per, PRICES.xrayTrace),
  ];
  return lines.filter((line) => line.countPerDocument > 0);
}

export function documentLines(input: DocumentLinesInput): DocumentLines {
  const { template, usage, documents, assumptions } = input;
  const emailFunctions = new Set(emailFunctionNames(template));
  const fedByEventBridge = new Set(queueConsumerNames(template));
  const functionsByName = new Map(template.functions.map((fn) => [fn.name, fn]));

  const totals: Record<string, FunctionTotals> = {};
  for (const [name, fnUsage] of Object.entries(usage.functions)) {
    const fn = functionsByName.get(name);
    if (!fn) continue;
    let t = functionTotals(fnUsage, fn, assumptions, { queueFedByEventBridge: fedByEventBridge.has(name) });
    const baseline = input.scheduledBaseline;
    const runs = baseline?.runs[name] ?? 0;
    if (baseline && runs > 0 && baseline.totalsPerRun[name])
      t = subtractTotals(t, baseline.totalsPerRun[name], runs);
    totals[name] = t;
  }

  const emailedDocuments = Object.entries(usage.functions)
    .filter(([name]) => emailFunctions.has(name))
    .reduce((sum, [, fnUsage]) => sum + fnUsage.ses.emails, 0);

  const lines: CostLine[] = [];
  const emailLines: CostLine[] = [];
  for (const [name, t] of Object.entries(totals).sort(([a], [b]) => a.localeCompare(b))) {
    const fn = functionsByName.get(name)!;
    if (emailFunctions.has(name))
      emailLines.push(...functionLines(name, fn, t, Math.max(1, emailedDocuments)));
    else lines.push(...functionLines(name, fn, t, documents));
  }

  // API Gateway: the requests, their access log lines and execution logs.
  const stage = template.apiStages[0];
  for (const request of input.api) {
    const perDocument = request.count / documents;
    const route = `${request.method} ${request.path}`;
    lines.push(costLine('API Gateway', `REST requests: ${route}`, perDocument, PRICES.apiGatewayRestRequest));
    if (stage?.accessLogFormat) {
      const bytes = accessLogLineBytes(stage.accessLogFormat, {
        httpMethod: request.method,
        resourcePath: request.path,
        status: 202,
        responseLength: request.meanResponseBytes,
      });
      lines.push(
        costLine(
          'CloudWatch Logs',
          `ingestion: API access log, ${route} (${fmtBytes(bytes)} per request, from the stage's format)`,
          (perDocument * bytes) / BYTES_PER_GB,
          PRICES.logsIngestionGb,
        ),
      );
    }
    if (stage && stage.loggingLevel !== 'OFF') {
      const bytes = assumptions.apiExecutionLogBytesPerRequest * (stage.dataTrace ? 4 : 1);
      lines.push(
        costLine(
          'CloudWatch Logs',
          `ingestion: API execution log ${stage.loggingLevel}, ${route} (${fmtBytes(bytes)} per request, assumed)`,
          (perDocument * bytes) / BYTES_PER_GB,
          PRICES.logsIngestionGb,
        ),
      );
    }
  }

  // Step Functions: by each machine's type.
  for (const machine of template.stateMachines) {
    const executions = usage.executions.filter(
      (execution) => !machine.name || execution.machine === machine.name,
    );
    if (executions.length === 0) continue;
    const label = machine.name ?? machine.logicalId;
    if (machine.type === 'EXPRESS') {
      const gbSeconds = executions.reduce(
        (sum, execution) => sum + expressBilled(execution.durationMs).gbSeconds,
        0,
      );
      lines.push(
        costLine(
          'Step Functions',
          `Express executions: ${label}`,
          executions.length / documents,
          PRICES.expressRequest,
        ),
        costLine(
          'Step Functions',
          `Express duration: ${label} (64 MB, rounded up to 100 ms)`,
          gbSeconds / documents,
          PRICES.expressGbSecond,
        ),
      );
    } else {
      const transitions = executions.reduce((sum, execution) => sum + execution.transitions, 0);
      lines.push(
        costLine(
          'Step Functions',
          `state transitions: ${label}`,
          transitions / documents,
          PRICES.standardTransition,
        ),
      );
    }
    const level = machine.loggingLevel;
    if (level === 'ERROR' || level === 'ALL') {
      const events = executions.reduce(
        (sum, execution) =>
          sum +
          (level === 'ALL' ? execution.transitions * 2 + execution.failureEvents : execution.failureEvents),
        0,
      );
      const detail = executions.reduce((sum, execution) => sum + execution.failureDetailBytes, 0);
      const bytes =
        events * assumptions.stepFunctionsLogEventBytes + (machine.includeExecutionData ? detail : 0);
      if (bytes > 0) {
        lines.push(
          costLine(
            'CloudWatch Logs',
            `ingestion: ${label} ${level}-level log (${events / documents} events per document)`,
            bytes / documents / BYTES_PER_GB,
            PRICES.logsIngestionGb,
          ),
        );
      }
    }
  }

  // EventBridge: custom events reaching the bus (deliveries into queues are counted with the queue's consumer).
  const eventChunks = usage.eventBridge.chunks;
  if (eventChunks > 0) {
    lines.push(
      costLine(
        'EventBridge',
        'custom events put on the bus',
        eventChunks / documents,
        PRICES.eventBridgeEvent,
      ),
    );
  }

  return { lines, emailLines, emailedDocuments, totals };
}
