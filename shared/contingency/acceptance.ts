import type { IssuingSettings } from '#shared/data/tenants';
import { hkaBreaker, hkaUnreachableSince } from '#shared/hka/breaker';
import { contingencyStartFor, inContingency } from './decision.ts';

/**
 * At acceptance: whether this document is issued in contingency, and the issuing input that says so.
 * The HKA circuit breaker is read only for a tenant that opted in on the emitter-signed channel (the others
 * pay nothing for it), and read fresh: the process cache could still hold the closed breaker of a few seconds
 * ago, and a sale at the counter must not wait for HKA once the tenant's threshold has passed.
 */
export async function contingencyIssuing(
  settings: IssuingSettings,
  input: unknown,
  now: Date,
): Promise<{ input: unknown; startedAt: string } | undefined> {
  if (!settings.contingency.enabled || settings.channel !== 'emitter-signed') return undefined;
  const breaker = await hkaBreaker.read(settings.environment, { fresh: true });
  const start = contingencyStartFor({ settings, unreachableSince: hkaUnreachableSince(breaker), now });
  if (!start) return undefined;
  const contingencyInput = inContingency(input, start, now);
  return contingencyInput === undefined ? undefined : { input: contingencyInput, startedAt: start.startedAt };
}
