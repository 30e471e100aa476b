/**
 * When a new document is issued in contingency (brief §9.4), and with which start and reason. Pure: the
 * caller reads the tenant's settings and the HKA circuit breaker (shared/hka/breaker.ts) and passes the
 * clock's `now()`.
 *
 * A document goes into contingency only when all hold:
 * - the tenant opted in and issues on the emitter-signed channel (contingency needs our own signature);
 * - the breaker of the tenant's environment is open: HKA stopped answering every document, not one call;
 * - HKA has been unreachable for more than the tenant's `afterMinutes`;
 * - the document names no emission type of its own other than normal, and its emission date (when it
 *   names one) is not before the contingency's start — the DGI refuses a start after the emission (1507).
 */
import type { ContingencySettings, IssuingSettings } from '#shared/data/tenants';
import { parseDateTime, toPanamaDateTime } from '#shared/fiscal/panama-time';
import { contingencyReason } from './reason.ts';

export type ContingencyStart = {
  /** When HKA became unreachable (the breaker's first failure of the outage), ISO-8601. */
  startedAt: string;
  /** `dMotCont`, written for the tenant. */
  reason: string;
};

/** The bounds `PUT /v1/settings/issuing` accepts for `contingency.afterMinutes`. */
export const CONTINGENCY_AFTER_MINUTES = { min: 5, max: 1440 } as const;

export function contingencyStartFor(input: {
  settings: Pick<IssuingSettings, 'channel'> & { contingency: ContingencySettings };
  /** `hkaUnreachableSince(breaker)`: undefined while the breaker is closed. */
  unreachableSince: string | undefined;
  now: Date;
}): ContingencyStart | undefined {
  const { settings, unreachableSince, now } = input;
  if (!settings.contingency.enabled || settings.channel !== 'emitter-signed') return undefined;
  if (!unreachableSince) return undefined;
  const since = new Date(unreachableSince);
  if (Number.isNaN(since.getTime()) || since.getTime() > now.getTime()) return undefined;
  if (now.getTime() - since.getTime() <= settings.contingency.afterMinutes * 60_000) return undefined;
  return { startedAt: since.toISOString(), reason: contingencyReason(since, now) };
}

/**
 * The issuing input of a document issued in contingency: emission type `contingency` (iTpEmis 02) with its
 * start and reason, the emission date stamped now when the input names none. Undefined when the input
 * cannot be issued in contingency as it stands (another emission type, or an emission date before the
 * contingency's start): it is then issued normally and waits for HKA like any other document.
 */
export function inContingency(input: unknown, start: ContingencyStart, now: Date): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return undefined;
  const raw = input as Record<string, unknown>;
  if (raw.emissionType !== undefined && raw.emissionType !== 'normal') return undefined;
  if (raw.contingency !== undefined) return undefined;
  if (raw.issuedAt !== undefined) {
    const issuedAt = typeof raw.issuedAt === 'string' ? parseDateTime(raw.issuedAt) : undefined;
    if (!issuedAt || issuedAt.getTime() < new Date(start.startedAt).getTime()) return undefined;
  }
  return {
    ...raw,
    emissionType: 'contingency',
    contingency: { startedAt: toPanamaDateTime(new Date(start.startedAt)), reason: start.reason },
    issuedAt: raw.issuedAt ?? toPanamaDateTime(now),
  };
}

/** A document accepted in contingency that was not delivered yet: the workflow issues it without HKA. */
export function awaitsContingencyIssue(doc: { contingency?: { deliveredAt?: string } }): boolean {
  return doc.contingency !== undefined && doc.contingency.deliveredAt === undefined;
}
