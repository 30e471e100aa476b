/**
 * `dMotCont` (motivoContingencia, 15..250 characters), in Spanish for the tenant and the DGI. The rules
 * (brief §9.4) require a contingency that lasts more than 72 hours to explain why normal operation was not
 * resumed: from then on the reason says so.
 */
import { toPanamaDateTime } from '#shared/fiscal/panama-time';

/** After this long, the reason must explain why normal operation has not resumed. */
export const EXTENDED_CONTINGENCY_MS = 72 * 60 * 60 * 1000;

/** `06/12/2026 10:00`, Panama local time. */
export function panamaDayAndTime(instant: Date): string {
  const local = toPanamaDateTime(instant);
  return `${local.slice(8, 10)}/${local.slice(5, 7)}/${local.slice(0, 4)} ${local.slice(11, 16)}`;
}

export function contingencyReason(startedAt: Date, emittedAt: Date): string {
  const base = `Falla de comunicación con el PAC The Factory HKA desde ${panamaDayAndTime(startedAt)}; emisión en contingencia`;
  return emittedAt.getTime() - startedAt.getTime() > EXTENDED_CONTINGENCY_MS
    ? `${base}; la operación normal no se ha reanudado porque el PAC continúa sin responder`
    : base;
}
