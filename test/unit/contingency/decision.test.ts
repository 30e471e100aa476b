import { describe, expect, it } from 'vitest';
import { contingencyStartFor, inContingency } from '#shared/contingency/decision';
import { contingencyReason, EXTENDED_CONTINGENCY_MS } from '#shared/contingency/reason';
import { validateDocument } from '#shared/fiscal/validate';
import invoiceTaxpayer from '../../../examples/documents/invoice-taxpayer.json' with { type: 'json' };

const DOWN_SINCE = '2026-12-06T15:00:00.000Z'; // 10:00 in Panama
const minutesAfter = (minutes: number) => new Date(Date.parse(DOWN_SINCE) + minutes * 60_000);
const enabled = {
  channel: 'emitter-signed' as const,
  contingency: { enabled: true, afterMinutes: 5 },
};

describe('contingencyReason', () => {
  it('names the PAC and the outage start in Panama time, within dMotCont’s 15..250 characters', () => {
    // Act
    const reason = contingencyReason(new Date(DOWN_SINCE), minutesAfter(6));

    // Assess
    expect(reason).toBe(
      'Falla de comunicación con el PAC The Factory HKA desde 06/12/2026 10:00; emisión en contingencia',
    );
    expect(reason.length).toBeGreaterThanOrEqual(15);
    expect(reason.length).toBeLessThanOrEqual(250);
  });

  it('explains why normal operation did not resume once the contingency has lasted more than 72 hours', () => {
    // Prepare
    const started = new Date(DOWN_SINCE);

    // Act
    const atLimit = contingencyReason(started, new Date(started.getTime() + EXTENDED_CONTINGENCY_MS));
    const beyond = contingencyReason(started, new Date(started.getTime() + EXTENDED_CONTINGENCY_MS + 1000));

    // Assess
    expect(atLimit).not.toContain('no se ha reanudado');
    expect(beyond).toBe(
      'Falla de comunicación con el PAC The Factory HKA desde 06/12/2026 10:00; emisión en contingencia; la operación normal no se ha reanudado porque el PAC continúa sin responder',
    );
    expect(beyond.length).toBeLessThanOrEqual(250);
  });
});

describe('contingencyStartFor', () => {
  it('starts contingency once HKA has been unreachable longer than afterMinutes', () => {
    // Act
    const start = contingencyStartFor({
      settings: enabled,
      unreachableSince: DOWN_SINCE,
      now: minutesAfter(6),
    });

    // Assess
    expect(start).toEqual({
      startedAt: DOWN_SINCE,
      reason: contingencyReason(new Date(DOWN_SINCE), minutesAfter(6)),
    });
  });

  it.each([
    ['before the threshold', enabled, DOWN_SINCE, 5],
    ['while the breaker is closed', enabled, undefined, 60],
    [
      'when the tenant did not opt in',
      { ...enabled, contingency: { enabled: false, afterMinutes: 5 } },
      DOWN_SINCE,
      60,
    ],
    ['on the hka-integration channel', { ...enabled, channel: 'hka-integration' as const }, DOWN_SINCE, 60],
  ])('does not start %s', (_case, settings, unreachableSince, minutes) => {
    // Act
    const start = contingencyStartFor({ settings, unreachableSince, now: minutesAfter(minutes) });

    // Assess
    expect(start).toBeUndefined();
  });
});

describe('inContingency', () => {
  const start = { startedAt: DOWN_SINCE, reason: contingencyReason(new Date(DOWN_SINCE), minutesAfter(6)) };

  it('makes a normal input a valid tipoEmision 02 document with dFechaCont, dMotCont and its emission date', () => {
    // Prepare
    const { issuedAt: _fixed, ...input } = invoiceTaxpayer as Record<string, unknown>;

    // Act
    const contingent = inContingency(input, start, minutesAfter(6));
    const result = validateDocument(contingent, { now: minutesAfter(6) });

    // Assess
    expect(result.ok, JSON.stringify(!result.ok && result.violations)).toBe(true);
    if (!result.ok) return;
    expect(result.document.codes.iTpEmis).toBe('02');
    expect(result.document.contingency).toEqual({
      startedAt: '2026-12-06T10:00:00-05:00',
      reason: start.reason,
    });
    expect(result.document.issuedAt).toBe('2026-12-06T10:06:00-05:00');
    expect(result.warnings.map((w) => w.code)).not.toContain('contingency.start-before-emission');
  });

  it('leaves alone an input with its own emission type or an emission date before the outage', () => {
    // Act
    const ownType = inContingency({ ...invoiceTaxpayer, emissionType: 'posterior' }, start, minutesAfter(6));
    const earlier = inContingency(
      { ...invoiceTaxpayer, issuedAt: '2026-12-06T09:59:00-05:00' },
      start,
      minutesAfter(6),
    );

    // Assess
    expect(ownType).toBeUndefined();
    expect(earlier).toBeUndefined();
  });
});
