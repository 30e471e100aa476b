import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/config';
import { pipelineFunctions } from '#infra/routes';
import { renderDefinitionString } from '#state-machines/issuing-pipeline/render-asl';
import { type CfnTemplate, resourcesOfType, synth } from './synth';

const SNAPSHOT = join(REPO_ROOT, 'state-machines', 'issuing-pipeline', 'asl.snapshot.json');
const UPDATE = process.env.UPDATE_ASL_SNAPSHOT === '1';
/** How render-asl.ts prints the `AWS::Partition` pseudo parameter. */
const PARTITION = '$' + '{AWS::Partition}';

type Retrier = {
  ErrorEquals: string[];
  BackoffRate?: number;
  MaxAttempts?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: string;
  IntervalSeconds?: number;
};
type State = {
  Type: string;
  Next?: string;
  End?: boolean;
  Resource?: string;
  Comment?: string;
  ResultPath?: string | null;
  ErrorPath?: string;
  CausePath?: string;
  Retry?: Retrier[];
  Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string }[];
  Choices?: { Variable?: string; StringEquals?: string; And?: unknown[]; Next: string }[];
  Default?: string;
  Parameters?: Record<string, unknown> & {
    Entries?: { Source: string; DetailType: string; Detail: Record<string, string> }[];
  };
};
type Asl = { StartAt: string; States: Record<string, State>; TimeoutSeconds?: number };

/** The Lambda tasks and the handler each one runs — written out here, independently of infra/routes.ts. */
const LAMBDA_TASKS: Record<string, string> = {
  SubmitToHka: 'functions/pipeline/submit-to-hka.ts',
  SignXml: 'functions/pipeline/sign-xml.ts',
  SubmitSigned: 'functions/pipeline/submit-signed.ts',
  IssueInContingency: 'functions/pipeline/issue-in-contingency.ts',
  FinalizeDocument: 'functions/pipeline/finalize-document.ts',
  EndAttempt: 'functions/pipeline/end-attempt.ts',
};
/** The tasks an attempt runs before its end: any of their errors is the attempt's end. */
const WORK_TASKS = ['SubmitToHka', 'SignXml', 'SubmitSigned', 'IssueInContingency', 'FinalizeDocument'];
/** The tasks that call HKA (or the PAC reception) and retry its transient errors inside the attempt. */
const HKA_TASKS = ['SubmitToHka', 'SubmitSigned', 'FinalizeDocument'];
const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
];

let asl: Asl;
let template: CfnTemplate;
let stateMachine: Record<string, unknown>;

beforeAll(async () => {
  const s = await synth();
  template = s.templates.stateless;
  const machines = resourcesOfType(template, 'AWS::StepFunctions::StateMachine');
  expect(machines).toHaveLength(1);
  stateMachine = machines[0]![1].Properties as Record<string, unknown>;
  asl = renderDefinitionString(stateMachine.DefinitionString, template) as Asl;
});

/** Every state reachable from StartAt, following Next, Default, Choices and Catch. */
function reachable(): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const state = asl.States[name]!;
    for (const next of [
      state.Next,
      state.Default,
      ...(state.Choices ?? []).map((c) => c.Next),
      ...(state.Catch ?? []).map((c) => c.Next),
    ]) {
      if (next) visit(next);
    }
  };
  visit(asl.StartAt);
  return seen;
}

describe('issuing workflow ASL', () => {
  it('matches the reviewed snapshot (UPDATE_ASL_SNAPSHOT=1 to accept a change)', () => {
    const rendered = `${JSON.stringify(asl, null, 2)}\n`;
    if (UPDATE) writeFileSync(SNAPSHOT, rendered);
    expect(existsSync(SNAPSHOT), `${SNAPSHOT} missing: run with UPDATE_ASL_SNAPSHOT=1 and review it`).toBe(
      true,
    );
    expect(rendered, 'ASL drifted from the reviewed snapshot: review, then UPDATE_ASL_SNAPSHOT=1').toBe(
      readFileSync(SNAPSHOT, 'utf8'),
    );
  });

  it('is an EXPRESS workflow of one attempt: bounded by its timeout, ERROR-level logs with data, X-Ray', () => {
    expect(stateMachine.StateMachineType).toBe('EXPRESS');
    // EXPRESS executions are capped at five minutes; the attempt stops well before.
    expect(asl.TimeoutSeconds).toBe(270);
    expect(stateMachine.TracingConfiguration).toEqual({ Enabled: true });
    const logging = stateMachine.LoggingConfiguration as {
      Level: string;
      IncludeExecutionData: boolean;
      Destinations: { CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [string, string] } } }[];
    };
    expect(logging).toMatchObject({ Level: 'ERROR', IncludeExecutionData: true });
    const group =
      template.Resources[logging.Destinations[0]!.CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0]]!;
    expect(group.Type).toBe('AWS::Logs::LogGroup');
    expect((group.Properties as { LogGroupName: string }).LogGroupName).toMatch(
      /^\/aws\/vendedlogs\/states\//,
    );
  });

  it('has exactly the states of an attempt, every one reachable', () => {
    expect(Object.keys(asl.States).sort()).toEqual(
      [
        'Init',
        'Channel',
        'SubmitToHka',
        'SignXml',
        'SubmitSigned',
        'Contingency',
        'IssueInContingency',
        'PublishContingency',
        'IssuedInContingency',
        'FinalizeDocument',
        'PublishAuthorized',
        'EndAttempt',
        'Outcome',
        'PublishFailed',
        'Failed',
        'PublishRejected',
        'Rejected',
        'AttemptEnded',
      ].sort(),
    );
    expect([...reachable()].sort()).toEqual(Object.keys(asl.States).sort());
  });

  it('Init keeps only the attempt (its HKA environment and probe flag too) and adds the execution id, which owns the attempt', () => {
    expect(asl.StartAt).toBe('Init');
    const init = asl.States.Init!;
    expect(init.Type).toBe('Pass');
    expect(init.Parameters).toEqual({
      'tenantId.$': '$.tenantId',
      'documentId.$': '$.documentId',
      'attempt.$': '$.attempt',
      'channel.$': '$.channel',
      'environment.$': '$.environment',
      'probe.$': '$.probe',
      'executionId.$': '$$.Execution.Id',
    });
    expect(init.Next).toBe('Channel');
  });

  it('routes by channel: SubmitToHka | SignXml → SubmitSigned, then FinalizeDocument → PublishAuthorized', () => {
    const st = asl.States;
    expect(st.Channel!.Type).toBe('Choice');
    expect(st.Channel!.Choices).toEqual([
      { Variable: '$.channel', StringEquals: 'emitter-signed', Next: 'SignXml' },
    ]);
    expect(st.Channel!.Default).toBe('SubmitToHka');
    expect(st.SubmitToHka!.Next).toBe('FinalizeDocument');
    expect(st.SignXml!.Next).toBe('Contingency');
    expect(st.Contingency!.Default).toBe('SubmitSigned');
    expect(st.SubmitSigned!.Next).toBe('FinalizeDocument');
    expect(st.FinalizeDocument!.Next).toBe('PublishAuthorized');

    const publish = st.PublishAuthorized!;
    expect(publish.Resource).toBe(`arn:${PARTITION}:states:::events:putEvents`);
    expect(publish.ResultPath).toBeNull();
    expect(publish.End).toBe(true);
    expect(publish.Parameters!.Entries).toEqual([
      {
        Source: 'factu.documents',
        DetailType: 'document.authorized',
        EventBusName: expect.stringContaining('MessagingBus'),
        // The e-mail rule matches on hasRecipients; consumers read the rest.
        Detail: {
          'tenantId.$': '$.tenantId',
          'documentId.$': '$.documentId',
          'hasRecipients.$': '$.hasRecipients',
          'authorization.$': '$.authorization',
          'artifacts.$': '$.artifacts',
        },
      },
    ]);
  });

  it('a document accepted in contingency and not yet delivered: SignXml → IssueInContingency → PublishContingency, no HKA call', () => {
    const st = asl.States;
    expect(st.Contingency!.Type).toBe('Choice');
    expect(st.Contingency!.Choices).toEqual([
      {
        And: [
          { Variable: '$.issueInContingency', IsPresent: true },
          { Variable: '$.issueInContingency', BooleanEquals: true },
        ],
        Next: 'IssueInContingency',
      },
    ]);
    expect(st.IssueInContingency!.Next).toBe('PublishContingency');
    expect(st.IssueInContingency!.Retry?.some((r) => r.ErrorEquals.includes('HkaTransientError'))).toBe(
      false,
    );
    const publish = st.PublishContingency!;
    expect(publish.Resource).toBe(`arn:${PARTITION}:states:::events:putEvents`);
    expect(publish.ResultPath).toBeNull();
    expect(publish.Next).toBe('IssuedInContingency');
    expect(st.IssuedInContingency!.Type).toBe('Succeed');
    expect(publish.Parameters!.Entries).toEqual([
      {
        Source: 'factu.documents',
        DetailType: 'document.contingency',
        EventBusName: expect.stringContaining('MessagingBus'),
        Detail: {
          'tenantId.$': '$.tenantId',
          'documentId.$': '$.documentId',
          'hasRecipients.$': '$.hasRecipients',
          'contingencyStartedAt.$': '$.contingency.startedAt',
        },
      },
    ]);
  });

  it('every Catch of every task leads to EndAttempt with the error in $.error; EndAttempt itself catches nothing', () => {
    const catching = Object.entries(asl.States).filter(([, state]) => state.Catch);
    expect(catching.map(([name]) => name).sort()).toEqual([...WORK_TASKS].sort());
    for (const [name, state] of catching) {
      expect(state.Catch, name).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'EndAttempt' },
      ]);
    }
    expect(asl.States.EndAttempt!.Catch).toBeUndefined();
  });

  it('EndAttempt’s outcome routes the end: authorized → FinalizeDocument, failed → PublishFailed → Failed, rejected → PublishRejected, else success', () => {
    const st = asl.States;
    expect(st.EndAttempt!.Next).toBe('Outcome');
    expect(st.Outcome!.Type).toBe('Choice');
    expect(st.Outcome!.Choices).toEqual([
      { Variable: '$.outcome', StringEquals: 'authorized', Next: 'FinalizeDocument' },
      { Variable: '$.outcome', StringEquals: 'failed', Next: 'PublishFailed' },
      { Variable: '$.outcome', StringEquals: 'rejected', Next: 'PublishRejected' },
    ]);
    expect(st.Outcome!.Default).toBe('AttemptEnded');
    expect(st.AttemptEnded!.Type).toBe('Succeed');
    expect(st.PublishFailed!.Resource).toBe(`arn:${PARTITION}:states:::events:putEvents`);
    expect(st.PublishFailed!.Parameters!.Entries![0]).toMatchObject({
      Source: 'factu.documents',
      DetailType: 'document.failed',
      Detail: { 'tenantId.$': '$.tenantId', 'documentId.$': '$.documentId', 'error.$': '$.error' },
    });
    expect(st.PublishFailed!.Next).toBe('Failed');
    expect(st.Failed).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
    expect(st.PublishRejected!.Parameters!.Entries![0]).toMatchObject({
      Source: 'factu.documents',
      DetailType: 'document.rejected',
      Detail: { 'tenantId.$': '$.tenantId', 'documentId.$': '$.documentId', 'reasons.$': '$.reasons' },
    });
    expect(st.PublishRejected!.Next).toBe('Rejected');
    expect(st.Rejected).toEqual({ Type: 'Succeed' });
  });

  it('each Lambda task runs the handler of the same name and passes the whole state through', () => {
    expect(Object.fromEntries(Object.values(pipelineFunctions).map((fn) => [fn.id, fn.entry]))).toEqual(
      LAMBDA_TASKS,
    );
    for (const [state, entry] of Object.entries(LAMBDA_TASKS)) {
      // payloadResponseOnly: the Resource is the function ARN itself, no Parameters/ResultSelector.
      expect(asl.States[state]!.Resource, state).toBe(`\${fn:${entry}}`);
      expect(asl.States[state]!.Parameters, state).toBeUndefined();
      expect(asl.States[state]!.ResultPath, state).toBeUndefined();
    }
  });

  it('every Lambda task retries the Lambda service’s own transient errors', () => {
    for (const state of Object.keys(LAMBDA_TASKS)) {
      expect(asl.States[state]!.Retry![0], state).toMatchObject({ ErrorEquals: LAMBDA_SERVICE_ERRORS });
    }
  });

  it.each(HKA_TASKS)(
    '%s: short jittered retries of HkaTransientError only; rejections are never retried',
    (name) => {
      const retry = asl.States[name]!.Retry!;
      expect(retry.find((r) => r.ErrorEquals.includes('HkaTransientError'))).toEqual({
        ErrorEquals: ['HkaTransientError'],
        IntervalSeconds: 2,
        BackoffRate: 2,
        MaxAttempts: 2,
        MaxDelaySeconds: 10,
        JitterStrategy: 'FULL',
      });
      for (const forbidden of ['HkaRejectedError', 'HkaAuthenticationError', 'States.ALL']) {
        expect(
          retry.some((r) => r.ErrorEquals.includes(forbidden)),
          `${name} retries ${forbidden}`,
        ).toBe(false);
      }
    },
  );

  it('SignXml calls no HKA operation: nothing but the Lambda service is retried', () => {
    expect(asl.States.SignXml!.Retry).toHaveLength(1);
  });

  it('EndAttempt, which keeps a document from limbo, retries any error a few times with jitter', () => {
    expect(asl.States.EndAttempt!.Retry).toContainEqual({
      ErrorEquals: ['States.ALL'],
      IntervalSeconds: 2,
      BackoffRate: 2,
      MaxAttempts: 3,
      JitterStrategy: 'FULL',
    });
  });

  it('the in-attempt waits of HKA retries stay a small part of the attempt’s timeout', () => {
    for (const name of HKA_TASKS) {
      const retry = asl.States[name]!.Retry!.find((r) => r.ErrorEquals.includes('HkaTransientError'))!;
      const worstWait = retry.MaxAttempts! * retry.MaxDelaySeconds!;
      expect(worstWait * HKA_TASKS.length).toBeLessThan(asl.TimeoutSeconds! / 4);
    }
  });
});
