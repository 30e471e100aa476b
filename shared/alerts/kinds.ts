import type { FactuEventType } from '#shared/events/catalog';

/** The alert kinds an ADMIN receives by e-mail and can opt out of, one by one (API values). */
export const ALERT_KINDS = [
  'documents-problems',
  'hka-waiting',
  'contingency',
  'folios-low',
  'certificate-expiring',
  'hka-credentials',
  'webhook-disabled',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Which alert each event feeds; events not listed here raise no alert (and never reach the alerts queue). */
export const ALERT_KIND_OF_EVENT = {
  'document.rejected': 'documents-problems',
  'document.failed': 'documents-problems',
  'hka.waiting-long': 'hka-waiting',
  'contingency.started': 'contingency',
  'contingency.ended': 'contingency',
  'folios.low': 'folios-low',
  'certificate.expiring': 'certificate-expiring',
  'hka.credentials-failing': 'hka-credentials',
  'webhook.disabled': 'webhook-disabled',
} as const satisfies Partial<Record<FactuEventType, AlertKind>>;

export type AlertEventType = keyof typeof ALERT_KIND_OF_EVENT;
export const ALERT_EVENT_TYPES = Object.keys(ALERT_KIND_OF_EVENT) as AlertEventType[];

export function isAlertEventType(type: string): type is AlertEventType {
  return Object.hasOwn(ALERT_KIND_OF_EVENT, type);
}

/** Kinds sent as a digest (at most one e-mail per window) rather than one e-mail per event. */
export const DIGESTED_KINDS: ReadonlySet<AlertKind> = new Set(['documents-problems']);
