import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/config';
import { renderDefinitionString } from '#state-machines/issuing-pipeline/render-asl';
import { resourcesOfType, synth } from './synth';

const SNAPSHOT = join(REPO_ROOT, 'state-machines', 'issuing-pipeline', 'asl.snapshot.json');
const UPDATE = process.env.UPDATE_ASL_SNAPSHOT === '1';
/** How render-asl.ts prints the `AWS::Partition` pseudo parameter. */
const PARTITION = '$' + '{AWS::Partition}';

type State = {
  Type: string;
  Next?: string;
  End?: boolean;
  Resource?: string;
  Retry?: {
    ErrorEquals: string[];
    BackoffRate?: number;
    MaxAttempts?: number;
    MaxDelaySeconds?: number;
    JitterStrategy?: string;
    IntervalSeconds?: number;
  }[];
  Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string }[];
  Choices?: { Variable: string; StringEquals: string; Next: string }[];
  Default?: string;
  Parameters?: { Entries?: { Source: string; DetailType: string }[] };
};
type Asl = { StartAt: string; States: Record<string, State> };

let asl: Asl;
let stateMachine: Record<string, unknown>;

beforeAll(async () => {
  const s = await synth();
  const t = s.templates.stateless;
  const machines = resourcesOfType(t, 'AWS::StepFunctions::StateMachine');
  expect(machines).toHaveLength(1);
  stateMachine = machines[0]![1].Properties as Record<string, unknown>;
  asl = renderDefinitionString(stateMachine.DefinitionString, t) as Asl;
});

describe('issuing pipeline ASL', () => {
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

  it('is a Standard workflow with ALL-level logging and X-Ray', () => {
    expect(stateMachine.StateMachineType).toBe('STANDARD');
    expect(stateMachine.TracingConfiguration).toEqual({ Enabled: true });
    expect((stateMachine.LoggingConfiguration as { Level: string }).Level).toBe('ALL');
  });

  it('follows the contract: Prepare → BuildXml → Channel → Submit | Sign → SubmitSigned → Archive → MarkAuthorized → PublishAuthorized', () => {
    const st = asl.States;
    expect(asl.StartAt).toBe('PrepareDocument');
    expect(st.PrepareDocument!.Next).toBe('BuildXml');
    expect(st.BuildXml!.Next).toBe('Channel');
    expect(st.Channel!.Type).toBe('Choice');
    expect(st.Channel!.Choices).toEqual([
      { Variable: '$.channel', StringEquals: 'emitter-signed', Next: 'SignXml' },
    ]);
    expect(st.Channel!.Default).toBe('SubmitToHka');
    expect(st.SignXml!.Next).toBe('SubmitSigned');
    expect(st.SubmitToHka!.Next).toBe('ArchiveDocument');
    expect(st.SubmitSigned!.Next).toBe('ArchiveDocument');
    expect(st.ArchiveDocument!.Next).toBe('MarkAuthorized');
    expect(st.MarkAuthorized!.Next).toBe('PublishAuthorized');
    expect(st.PublishAuthorized!.Resource).toBe(`arn:${PARTITION}:states:::events:putEvents`);
    expect(st.PublishAuthorized!.Parameters!.Entries![0]).toMatchObject({
      Source: 'factu.documents',
      DetailType: 'document.authorized',
    });
    expect(st.PublishAuthorized!.End).toBe(true);
    expect(st.MarkFailed!.Next).toBe('PublishFailed');
    expect(st.PublishFailed!.Parameters!.Entries![0]).toMatchObject({ DetailType: 'document.failed' });
    expect(st.MarkRejected!.End).toBe(true);
  });

  it('each Lambda task calls the handler of the same name and returns the whole state', () => {
    const expected: Record<string, string> = {
      PrepareDocument: 'functions/pipeline/prepare-document.ts',
      BuildXml: 'functions/pipeline/build-xml.ts',
      SignXml: 'functions/pipeline/sign-xml.ts',
      SubmitToHka: 'functions/pipeline/submit-to-hka.ts',
      SubmitSigned: 'functions/pipeline/submit-signed.ts',
      ArchiveDocument: 'functions/pipeline/archive-document.ts',
      MarkAuthorized: 'functions/pipeline/mark-authorized.ts',
      MarkRejected: 'functions/pipeline/mark-rejected.ts',
      MarkFailed: 'functions/pipeline/mark-failed.ts',
    };
    for (const [state, entry] of Object.entries(expected)) {
      // payloadResponseOnly: the Resource is the function ARN itself, no Parameters/ResultSelector.
      expect(asl.States[state]!.Resource, state).toBe(`\${fn:${entry}}`);
    }
  });

  it.each(['SubmitToHka', 'SubmitSigned'])(
    '%s: retries HkaTransientError, catches HkaRejectedError and States.ALL',
    (name) => {
      const state = asl.States[name]!;
      const retry = state.Retry!.find((r) => r.ErrorEquals.includes('HkaTransientError'))!;
      expect(retry).toMatchObject({ BackoffRate: 2, JitterStrategy: 'FULL', MaxAttempts: 6 });
      expect(retry.MaxDelaySeconds).toBeGreaterThan(0);
      expect(retry.MaxDelaySeconds).toBeLessThanOrEqual(300);
      expect(state.Retry!.some((r) => r.ErrorEquals.includes('HkaRejectedError'))).toBe(false);
      expect(state.Catch).toEqual([
        { ErrorEquals: ['HkaRejectedError'], ResultPath: '$.error', Next: 'MarkRejected' },
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'MarkFailed' },
      ]);
    },
  );

  it('every other work task catches States.ALL into $.error → MarkFailed', () => {
    for (const name of ['PrepareDocument', 'BuildXml', 'SignXml', 'ArchiveDocument', 'MarkAuthorized']) {
      expect(asl.States[name]!.Catch, name).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'MarkFailed' },
      ]);
    }
  });
});
