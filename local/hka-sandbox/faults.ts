/**
 * Fault injection: what can go wrong between us and HKA, on demand. Faults are set per tenant
 * (`POST /__admin/faults`) or per request (header `x-hka-sandbox-fault`), and drawn from the sandbox's
 * seeded PRNG so an intermittent run replays identically for the same seed and call order.
 *
 * Kinds:
 *   latency      answer after `ms` extra milliseconds (combines with any other kind)
 *   timeout      never answer; the socket is held open until the client gives up or the sandbox closes
 *   http-500     HTTP 500 with an IIS-style HTML body (no SOAP)
 *   http-503     HTTP 503 Service Unavailable
 *   reset        destroy the connection without answering (before processing)
 *   malformed    HTTP 200 with a truncated SOAP envelope
 *   empty        HTTP 200 with an empty body
 *   lost-answer  process the request (the document is stored, folios counted), then destroy the socket:
 *                the caller never hears that it succeeded
 * Options: `rate` (0..1, default 1: intermittent failures), `operations` (only these SOAP operations),
 * `times` (apply to the next N matching requests only).
 *
 * Header syntax: comma-separated `kind[=ms][@rate]`, e.g. `lost-answer`, `latency=300`, `http-503@0.5`.
 */
import type { Random } from './random.ts';

export const FAULT_KINDS = [
  'latency',
  'timeout',
  'http-500',
  'http-503',
  'reset',
  'malformed',
  'empty',
  'lost-answer',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type FaultSpec = {
  kind: FaultKind;
  /** For `latency`. */
  ms?: number;
  /** Probability per matching request (intermittent failures). */
  rate?: number;
  operations?: string[];
  /** Remaining applications; undefined = unlimited. */
  times?: number;
};

export type ActiveFaults = { latencyMs: number; failure?: Exclude<FaultKind, 'latency'> };

export class FaultSpecError extends Error {
  override readonly name = 'FaultSpecError';
}

export function validateFaultSpec(raw: unknown): FaultSpec {
  const spec = raw as Partial<FaultSpec>;
  if (!spec || typeof spec !== 'object' || !FAULT_KINDS.includes(spec.kind as FaultKind)) {
    throw new FaultSpecError(`fault kind must be one of ${FAULT_KINDS.join(', ')}`);
  }
  if (spec.rate !== undefined && !(spec.rate >= 0 && spec.rate <= 1))
    throw new FaultSpecError('rate must be within 0..1');
  if (spec.kind === 'latency' && !(typeof spec.ms === 'number' && spec.ms >= 0)) {
    throw new FaultSpecError('latency needs ms >= 0');
  }
  return {
    kind: spec.kind as FaultKind,
    ...(spec.ms !== undefined ? { ms: spec.ms } : {}),
    ...(spec.rate !== undefined ? { rate: spec.rate } : {}),
    ...(spec.operations ? { operations: spec.operations } : {}),
    ...(spec.times !== undefined ? { times: spec.times } : {}),
  };
}

export function parseFaultHeader(header: string): FaultSpec[] {
  return header
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^([a-z0-9-]+)(?:=(\d+))?(?:@([0-9.]+))?$/.exec(part);
      if (!match) throw new FaultSpecError(`cannot read fault "${part}"`);
      const [, kind, ms, rate] = match;
      return validateFaultSpec({
        kind,
        ...(ms !== undefined ? { ms: Number(ms) } : {}),
        ...(rate !== undefined ? { rate: Number(rate) } : {}),
      });
    });
}

/** Decides which faults hit this request; consumes `times` of the specs that fire. */
export function drawFaults(specs: FaultSpec[], operation: string, random: Random): ActiveFaults {
  const active: ActiveFaults = { latencyMs: 0 };
  for (const spec of specs) {
    if (spec.operations && !spec.operations.includes(operation)) continue;
    if (spec.times !== undefined && spec.times <= 0) continue;
    // Always draw for a rated spec so the PRNG sequence does not depend on earlier outcomes.
    const fires = spec.rate === undefined ? true : random.next() < spec.rate;
    if (!fires) continue;
    if (spec.kind === 'latency') active.latencyMs += spec.ms ?? 0;
    else if (!active.failure) active.failure = spec.kind;
    else continue;
    if (spec.times !== undefined) spec.times -= 1;
  }
  return active;
}
