import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, isLocalSynth } from '#infra/app';
import { constructTree, type Synthesized, synth, synthTolerant } from './synth';

let s: Synthesized;
beforeAll(async () => {
  s = await synth();
});

describe('cdk-nag (AwsSolutions + Serverless)', () => {
  it('the real synth reports zero unacknowledged findings', () => {
    const violations = (s.validationReport.pluginReports ?? []).flatMap((r) => r.violations ?? []);
    expect(violations).toEqual([]);
    expect((s.validationReport.pluginReports ?? []).filter((r) => r.conclusion === 'failure')).toEqual([]);
  });

  it.each([
    ['AwsSolutions', () => new AwsSolutionsChecks()],
    ['Serverless', () => new ServerlessChecks()],
  ])('%s pack: zero unacknowledged findings on the construct tree', (_name, pack) => {
    const report = pack().validateScope(constructTree());
    const findings = report.violations.map(
      (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('every acknowledgement is scoped below a stack and has a reason', () => {
    let count = 0;
    for (const metadata of [s.metadata.stateful, s.metadata.stateless]) {
      for (const [path, entries] of Object.entries(metadata)) {
        for (const entry of entries) {
          if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
          expect(path.split('/').filter(Boolean).length, `${path}: not on a whole stack`).toBeGreaterThan(1);
          for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
            count++;
            expect(typeof reason === 'string' && reason.length >= 30, `${path} ${id}`).toBe(true);
            if (id.includes('IAM5'))
              expect(id, `${path}: IAM5 acknowledged per finding`).toMatch(/IAM5\[.+\]$/);
          }
        }
      }
    }
    expect(count).toBeGreaterThan(0);
  });

  it('the Lite plan (COG8: threat protection is a Plus feature) is acknowledged on the user pool alone, which requires MFA instead', () => {
    const paths = Object.entries({ ...s.metadata.stateful, ...s.metadata.stateless })
      .filter(([, entries]) =>
        entries.some(
          (entry) =>
            entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY &&
            Object.keys(entry.data as Record<string, string>).some((id) => id.endsWith('AwsSolutions-COG8')),
        ),
      )
      .map(([path]) => path);
    expect(paths).toEqual(['/Factu-Stateful/Identity/UserPool']);
    const pool = Object.values(s.templates.stateful.Resources).find(
      (resource) => resource.Type === 'AWS::Cognito::UserPool',
    );
    expect(pool?.Properties).toMatchObject({ MfaConfiguration: 'ON', UserPoolTier: 'LITE' });
  });

  it('the packs run unless the synth is for the local cloud (FACTU_LOCAL_SYNTH=1)', () => {
    expect(isLocalSynth({})).toBe(false);
    expect(isLocalSynth({ FACTU_LOCAL_SYNTH: '0' })).toBe(false);
    expect(isLocalSynth({ FACTU_LOCAL_SYNTH: '1' })).toBe(true);
    const outdir = mkdtempSync(join(tmpdir(), 'factu-infra-nonag-'));
    const { app, stateless } = buildApp({ outdir, context: { 'aws:cdk:bundling-stacks': [] }, nag: false });
    new Queue(stateless, 'UnsafeQueue', { enforceSSL: false });
    expect(synthTolerant(app).validationFailed).toBe(false);
  });

  it('buildApp registers the packs: an unacknowledged violation fails the synth', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'factu-infra-nag-'));
    const { app, stateless } = buildApp({ outdir, context: { 'aws:cdk:bundling-stacks': [] }, nag: true });
    new Queue(stateless, 'UnsafeQueue', { enforceSSL: false });
    expect(synthTolerant(app).validationFailed).toBe(true);
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: {
        violations: { ruleName: string; violatingConstructs: { constructPath?: string }[] }[];
      }[];
    };
    const violations = report.pluginReports.flatMap((r) => r.violations);
    const rules = violations.map((v) => v.ruleName);
    expect(rules).toEqual(
      expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4', 'Serverless-SQSRedrivePolicy']),
    );
    for (const v of violations) {
      expect(v.violatingConstructs.every((r) => r.constructPath?.includes('UnsafeQueue'))).toBe(true);
    }
  });
});
