import { beforeAll, describe, expect, it } from 'vitest';
import { ALERT_DIGESTS_DUE_PARTITION_KEY } from '#infra/constructs/grants';
import { eventFunctions } from '#infra/routes';
import { ALERT_EVENT_TYPES } from '#shared/alerts/kinds';
import { ALERT_DIGESTS_DUE_PARTITION } from '#shared/data/keys';
import { EVENT_CATALOG } from '#shared/events/catalog';
import { type CfnResource, resourcesOfType, type Synthesized, synth } from './synth';

let s: Synthesized;
beforeAll(async () => {
  s = await synth();
}, 600_000);

const props = (r: CfnResource) => r.Properties as Record<string, unknown>;

describe('alerts infrastructure', () => {
  it('routes exactly the catalogue events that have an alert kind to the alerts queue, which has a DLQ', () => {
    // Prepare
    const rules = resourcesOfType(s.templates.stateless, 'AWS::Events::Rule').filter(
      ([, r]) => props(r).Description === 'Events with an alert kind → alerts queue',
    );
    // Act
    const pattern = props(rules[0]![1]).EventPattern as { source: string[]; 'detail-type': string[] };
    const queueRef = JSON.stringify((props(rules[0]![1]).Targets as { Arn: unknown }[])[0]!.Arn);
    // Assess
    expect(rules).toHaveLength(1);
    expect([...pattern['detail-type']].sort()).toEqual([...ALERT_EVENT_TYPES].sort());
    expect([...pattern.source].sort()).toEqual(
      [...new Set(ALERT_EVENT_TYPES.map((type) => EVENT_CATALOG[type].source))].sort(),
    );
    expect(queueRef).toContain('AlertsQueue');
    const [, queue] = resourcesOfType(s.templates.stateless, 'AWS::SQS::Queue').find(([id]) =>
      id.includes('AlertsQueue'),
    )!;
    expect(JSON.stringify(props(queue).RedrivePolicy)).toContain('AlertsDlq');
  });

  it('runs the digest sweep every 5 minutes and the certificate scan daily', () => {
    const schedules = resourcesOfType(s.templates.stateless, 'AWS::Events::Rule')
      .map(([, r]) => props(r))
      .filter((p) => p.ScheduleExpression);
    const byDescription = Object.fromEntries(schedules.map((p) => [p.Description, p.ScheduleExpression]));
    expect(byDescription['Alert digest sweep']).toBe('rate(5 minutes)');
    expect(byDescription['Signing certificate expiry scan']).toBe('rate(1 day)');
  });

  it('alarms on the never-silent metrics, SES bounces and the alerts DLQ', () => {
    const alarms = resourcesOfType(s.templates.stateless, 'AWS::CloudWatch::Alarm').map(([, a]) =>
      JSON.stringify(props(a)),
    );
    for (const metric of [
      'DocumentsWaitingForHka',
      'WebhookDeliveriesFailed',
      'ContingencyDocumentsIssued',
      'KmsSignThrottled',
    ]) {
      expect(alarms.some((a) => a.includes(`SELECT SUM(${metric}) FROM SCHEMA(factu, service)`))).toBe(true);
    }
    expect(alarms.some((a) => a.includes('Reputation.BounceRate') && a.includes('AWS/SES'))).toBe(true);
    expect(alarms.some((a) => a.includes('AlertsDlq'))).toBe(true);
  });

  it('grants the due-digest partition to the alert functions only, on exactly that partition', () => {
    expect(ALERT_DIGESTS_DUE_PARTITION_KEY).toBe(ALERT_DIGESTS_DUE_PARTITION);
    const holders = Object.values(eventFunctions).filter((f) =>
      (f.grants as readonly string[]).includes('trackAlertDigests'),
    );
    expect(holders.map((f) => f.id).sort()).toEqual(['FlushAlertDigests', 'HandleAlert']);
    const statements = resourcesOfType(s.templates.stateless, 'AWS::IAM::Policy').flatMap(([, p]) =>
      (props(p).PolicyDocument as { Statement: Record<string, unknown>[] }).Statement.filter(
        (st) => st.Sid === 'TrackAlertDigests',
      ),
    );
    expect(statements).toHaveLength(2);
    for (const st of statements) {
      expect(st.Condition).toEqual({
        'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [ALERT_DIGESTS_DUE_PARTITION] },
      });
    }
  });
});
