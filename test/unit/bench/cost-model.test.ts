import { describe, expect, it } from 'vitest';
import { documentLines } from '../../../bench/cost/document-lines';
import { platformFixedLines, sumPerMonth, tenantFixedLines } from '../../../bench/cost/fixed-costs';
import { PRICES } from '../../../bench/cost/prices';
import type { CostTemplate } from '../../../bench/cost/template-model';
import { billedRunMs, functionTotals, subtractTotals, zeroTotals } from '../../../bench/cost/totals';
import { emptyFunctionUsage, type FunctionUsage, type Usage } from '../../../bench/cost/usage';

const ASSUMPTIONS = {
  kmsKeySpecs: { 'key-2048': 'RSA_2048', 'key-4096': 'RSA_4096' },
  xraySampledShare: 0.05,
  apiExecutionLogBytesPerRequest: 1500,
  stepFunctionsLogEventBytes: 300,
};

const usageOf = (changes: Partial<FunctionUsage>): FunctionUsage => ({ ...emptyFunctionUsage(), ...changes });

const TEMPLATE: CostTemplate = {
  functions: [
    { logicalId: 'IssueFnA1B2C3D4', name: 'IssueFn', memoryMb: 512, architecture: 'arm64', tracing: true },
    { logicalId: 'MailFnA1B2C3D4', name: 'MailFn', memoryMb: 1024, architecture: 'arm64', tracing: false },
  ],
  stateMachines: [
    {
      logicalId: 'M',
      name: 'issuing',
      type: 'EXPRESS',
      loggingLevel: 'ERROR',
      includeExecutionData: true,
      tracing: true,
    },
  ],
  schedules: [],
  eventRules: [
    { logicalId: 'ToMail', pattern: { detail: { hasRecipients: [true] } }, targetLogicalIds: ['Q'] },
  ],
  eventSourceMappings: [{ queueLogicalId: 'Q', functionName: 'MailFn', batchSize: 5 }],
  kmsKeys: [{ logicalId: 'DataKey', rotation: true }],
  secrets: 1,
  alarms: 5,
  userPoolTiers: ['PLUS'],
  tables: [
    {
      logicalId: 'T',
      hashKey: 'pk',
      rangeKey: 'sk',
      gsis: [],
      billingMode: 'PAY_PER_REQUEST',
      pointInTimeRecovery: true,
    },
  ],
  apiStages: [
    { loggingLevel: 'INFO', dataTrace: false, accessLogFormat: '$context.requestId', tracing: true },
  ],
};

describe('function totals', () => {
  it('bills cold runs at the warm mean (a local cold start says nothing about Lambda INIT)', () => {
    // Act
    const billed = billedRunMs({ warmRunMs: [100.2, 200.5], coldRunMs: [900] });

    // Assess: 101 + 201 + one cold run at ceil(150.35) = 151
    expect(billed).toEqual({ billedMs: 101 + 201 + 151, meanRunMs: 150.35 });
    expect(billedRunMs({ warmRunMs: [], coldRunMs: [900.5] }).billedMs).toBe(901);
  });

  it('prices Sign by the key spec, counts SQS receive/delete per delivered message and samples traces', () => {
    // Arrange
    const usage = usageOf({
      invocations: 4,
      warmRunMs: [1000, 1000, 1000, 1000],
      sqsMessages: 2,
      sqsRequests: 1,
      kms: { Decrypt: 3, Sign: 3 },
      kmsSignsByKey: { 'key-2048': 2, 'key-4096': 1 },
    });

    // Act
    const totals = functionTotals(usage, { memoryMb: 512, tracing: true }, ASSUMPTIONS);
    const fedByRule = functionTotals(usage, { memoryMb: 512, tracing: false }, ASSUMPTIONS, {
      queueFedByEventBridge: true,
    });

    // Assess
    expect(totals.gbSeconds).toBe(2);
    expect(totals).toMatchObject({
      kmsSymmetric: 3,
      kmsSignRsa2048: 2,
      kmsSignOther: 1,
      sqsRequests: 5,
      traces: 0.2,
    });
    expect(fedByRule).toMatchObject({ sqsRequests: 7, traces: 0 });
  });

  it('takes a schedule’s idle runs out of a window, never below zero', () => {
    // Arrange
    const window = { ...zeroTotals(), invocations: 1, gbSeconds: 0.5, rru: 2, wru: 10 };
    const idle = { ...zeroTotals(), invocations: 1, gbSeconds: 0.1, rru: 2.5 };

    // Act
    const marginal = subtractTotals(window, idle, 1);

    // Assess
    expect(marginal).toMatchObject({ invocations: 0, gbSeconds: 0.4, rru: 0, wru: 10 });
  });
});

describe('document lines', () => {
  const usage: Usage = {
    functions: {
      IssueFn: usageOf({
        invocations: 10,
        warmRunMs: Array.from({ length: 10 }, () => 99.5),
        dynamodb: {
          units: { rru: 65, wru: 150, table: 215, indexes: {} },
          reported: { rru: 65, wru: 240, table: 305, indexes: {} },
          calls: {},
          refusedWrites: 0,
        },
        s3: { putClass: 10, getClass: 0, bytesPut: 14_000, calls: {} },
      }),
      MailFn: usageOf({
        invocations: 2,
        warmRunMs: [80, 80],
        sqsMessages: 8,
        ses: { emails: 8, recipients: 8, attachmentBase64Bytes: 8 * 20_000 },
      }),
    },
    executions: Array.from({ length: 10 }, () => ({
      machine: 'issuing',
      durationMs: 750,
      transitions: 5,
      failureEvents: 0,
      failureDetailBytes: 0,
    })),
    eventBridge: { entries: 10, chunks: 10, deliveries: {}, schedules: {} },
    windowMs: 1000,
  };
  const result = documentLines({
    template: TEMPLATE,
    usage,
    documents: 10,
    api: [{ method: 'POST', path: '/v1/documents', count: 10, meanResponseBytes: 200 }],
    assumptions: ASSUMPTIONS,
  });
  const line = (what: string) => result.lines.find((candidate) => candidate.what.startsWith(what));

  it('divides counted usage by the documents and prices it', () => {
    // Assess
    expect(line('requests: Issue')?.countPerDocument).toBe(1);
    expect(line('requests: Issue')?.usdPerThousandDocuments).toBeCloseTo(0.0002, 12);
    expect(line('writes (WRU): Issue')?.countPerDocument).toBe(15);
    expect(line('PUT-class requests: Issue')?.usdPerThousandDocuments).toBeCloseTo(0.005, 12);
    expect(line('REST requests: POST /v1/documents')?.usdPerThousandDocuments).toBeCloseTo(0.0035, 12);
    expect(line('custom events')?.usdPerThousandDocuments).toBeCloseTo(0.001, 12);
  });

  it('prices the Express executions per start and per 64 MB × 100 ms', () => {
    // Assess
    expect(line('Express executions')?.countPerDocument).toBe(1);
    expect(line('Express duration')?.countPerDocument).toBeCloseTo(0.8 * (64 / 1024), 12);
  });

  it('keeps the e-mail path apart, per e-mailed document, with the send EventBridge made into its queue', () => {
    // Assess
    expect(result.emailedDocuments).toBe(8);
    expect(result.lines.some((candidate) => candidate.what.includes('Mail'))).toBe(false);
    const ses = result.emailLines.find((candidate) => candidate.what.startsWith('e-mails'));
    expect(ses?.usdPerThousandDocuments).toBeCloseTo(0.1, 12);
    const sqs = result.emailLines.find((candidate) => candidate.service === 'SQS');
    expect(sqs?.countPerDocument).toBe(3);
  });
});

describe('fixed costs', () => {
  it('prices the platform: scheduled runs, queue polling, keys, secrets, alarms', () => {
    // Act
    const lines = platformFixedLines({
      template: TEMPLATE,
      scheduled: [],
      esm: { pollersPerMapping: 5, longPollSeconds: 20, hoursPerMonth: 730 },
    });

    // Assess: 1 mapping × 5 pollers × 180 polls/h × 730 h
    expect(lines.find((candidate) => candidate.service === 'SQS')?.quantityPerMonth).toBe(657_000);
    expect(sumPerMonth(lines)).toBeCloseTo(657_000 * 0.4e-6 + 1 + 0.4 + 0.5, 10);
  });

  it("prices a tenant's users at the user pool's plan and its items' storage", () => {
    // Act
    const lines = tenantFixedLines({ template: TEMPLATE, mauPerTenant: 3, tableBytes: 1024 ** 3 / 1000 });

    // Assess
    expect(lines[0]).toMatchObject({
      service: 'Cognito',
      quantityPerMonth: 3,
      unitPriceUsd: PRICES.cognitoPlusMau.usd,
    });
    expect(sumPerMonth(lines)).toBeCloseTo(0.06 + (0.25 + 0.2) / 1000, 10);
  });
});
