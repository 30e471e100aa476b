import type { IssuingSettings } from '#shared/data/tenants';
import { hkaBreaker, hkaUnreachableSince } from '#shared/hka/breaker';
import { contingencyStartFor, inContingency } from './decision.ts';

/**
 * At acceptance: whether this document is issued in contingency, and the issuing input that says so.
 * The HKA circuit breaker (cached a few seconds per container) is read only for a tenant that opted in on
 * the emitter-signed channel: the others pay nothing for it.
 */
export async function contingencyIssuing(
  settings: IssuingSettings,
  input: unknown,
  now: Date,
): Promise<{ input: unknown; startedAt: string } | undefined> {
  if (!settings.contingency.enabled || settings.channel !== 'emitter-signed') return undefined;
  const breaker = await hkaBreaker.read(settings.environment);
  const start = contingencyStartFor({ settings, unreachableSince: hkaUnreachableSince(breaker), now });
  if (!start) return undefined;
  const contingencyInput = inContingency(input, start, now);
  return contingencyInput === undefined ? undefined : { input: contingencyInput, startedAt: start.startedAt };
}
