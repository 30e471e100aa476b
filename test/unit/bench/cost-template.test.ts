import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  costTemplateOf,
  emailFunctionNames,
  functionNameOf,
  scheduleInvoking,
  type Template,
} from '../../../bench/cost/template-model';

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/cost-template.json', import.meta.url), 'utf8'),
) as Template;

describe('the cost view of a template', () => {
  it("reads each function's memory, architecture and tracing, with Lambda's defaults", () => {
    // Act
    const model = costTemplateOf([fixture]);

    // Assess
    expect(model.functions).toEqual([
      {
        logicalId: 'IssueFnA1B2C3D4',
        name: 'IssueFn',
        memoryMb: 512,
        architecture: 'arm64',
        entry: 'functions/api/issue.ts',
        tracing: true,
      },
      { logicalId: 'MailFn0F0F0F0F', name: 'MailFn', memoryMb: 1024, architecture: 'arm64', tracing: false },
      {
        logicalId: 'SweepFnDEADBEEF',
        name: 'SweepFn',
        memoryMb: 128,
        architecture: 'x86_64',
        tracing: false,
      },
    ]);
  });

  it('reads the state machine type (STANDARD when unset) and its logging', () => {
    // Act
    const [express, standard] = costTemplateOf([fixture]).stateMachines;

    // Assess
    expect(express).toEqual({
      logicalId: 'PipelineABCDEF12',
      name: 'demo-issuing',
      type: 'EXPRESS',
      loggingLevel: 'ERROR',
      includeExecutionData: true,
      tracing: true,
    });
    expect(standard).toMatchObject({ type: 'STANDARD', loggingLevel: 'OFF' });
  });

  it('reads enabled schedules with their monthly runs and the functions they invoke', () => {
    // Act
    const model = costTemplateOf([fixture]);

    // Assess
    expect(model.schedules).toEqual([
      {
        logicalId: 'SweepSchedule33333333',
        expression: 'rate(1 minute)',
        runsPerMonth: 43_800,
        targets: ['SweepFn'],
      },
    ]);
    expect(scheduleInvoking(model, 'Sweep')?.logicalId).toBe('SweepSchedule33333333');
  });

  it('finds the e-mail path: the consumers of a queue a hasRecipients rule fills', () => {
    // Act
    const model = costTemplateOf([fixture]);

    // Assess
    expect(model.eventSourceMappings).toEqual([
      { queueLogicalId: 'MailQueue11111111', functionName: 'MailFn', batchSize: 5 },
    ]);
    expect(emailFunctionNames(model)).toEqual(['MailFn']);
  });

  it("reads the table's keys, indexes with projections and backups", () => {
    // Act
    const [table] = costTemplateOf([fixture]).tables;

    // Assess
    expect(table).toEqual({
      logicalId: 'TableAAAAAAAA',
      hashKey: 'pk',
      rangeKey: 'sk',
      gsis: [
        {
          name: 'byStatus',
          hashKey: 'gpk',
          rangeKey: 'gsk',
          projection: 'INCLUDE',
          nonKeyAttributes: ['type'],
        },
        { name: 'byCufe', hashKey: 'cufe', projection: 'KEYS_ONLY', nonKeyAttributes: [] },
      ],
      billingMode: 'PAY_PER_REQUEST',
      pointInTimeRecovery: true,
    });
  });

  it('counts the fixed resources and reads the user pool plan and the API stage logging', () => {
    // Act
    const model = costTemplateOf([fixture]);

    // Assess
    expect(model.kmsKeys).toEqual([{ logicalId: 'DataKeyBBBBBBBB', rotation: true }]);
    expect(model.secrets).toBe(1);
    expect(model.alarms).toBe(2);
    expect(model.userPoolTiers).toEqual(['PLUS']);
    expect(model.apiStages).toEqual([
      {
        loggingLevel: 'INFO',
        dataTrace: false,
        accessLogFormat: '{"requestId":"$context.requestId"}',
        tracing: true,
      },
    ]);
  });

  it("drops CDK's hash from logical ids to name functions", () => {
    // Act & Assess
    expect(functionNameOf('SubmitToHkaFunctionB849B872')).toBe('SubmitToHkaFunction');
    expect(functionNameOf('NoHash')).toBe('NoHash');
  });
});
