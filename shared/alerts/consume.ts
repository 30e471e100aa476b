import { documentsRepository } from '#shared/data/documents';
import { tenantsRepository } from '#shared/data/tenants';
import { MalformedMessageError } from '#shared/documents/email';
import { logger } from '#shared/observability/logger';
import { runAsTenant } from '#shared/tenancy/tenant-scope';
import { digestWindowEnd } from './digest-window.ts';
import { tenantFolioForecast } from './folio-usage.ts';
import { ALERT_KIND_OF_EVENT, type AlertEventType, isAlertEventType } from './kinds.ts';
import { alertMessage } from './messages.ts';
import { alertRecipients } from './recipients.ts';
import { sendAlertEmail } from './send.ts';
import { alertStore, dueDigests } from './store.ts';

/** An event as the alerts queue receives it (the rule's target takes the whole EventBridge event). */
export type AlertEvent = {
  id: string;
  type: AlertEventType;
  tenantId: string;
  detail: Record<string, unknown>;
};

export function alertEventOf(body: string): AlertEvent {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(body) as Record<string, unknown>;
  } catch {
    throw new MalformedMessageError('message is not JSON');
  }
  const type = parsed['detail-type'];
  const detail = parsed.detail as Record<string, unknown> | undefined;
  if (typeof parsed.id !== 'string' || typeof type !== 'string' || !isAlertEventType(type))
    throw new MalformedMessageError('message is not an alert event');
  if (!detail || typeof detail.tenantId !== 'string')
    throw new MalformedMessageError('event detail has no tenantId');
  return { id: parsed.id, type, tenantId: detail.tenantId, detail };
}

export type AlertOutcome =
  | { outcome: 'sent'; recipients: number }
  | { outcome: 'digested'; windowEndsAt: string }
  | { outcome: 'skipped'; reason: string };

/**
 * Turns one event into its alert: a problem document joins the tenant's digest (mailed when the window ends,
 * flushDueDigests); every other kind is mailed at once to the ADMINs who did not opt out. An event is
 * mailed once however often EventBridge delivers it (claimed by its event id).
 */
export async function handleAlertEvent(event: AlertEvent, now: Date): Promise<AlertOutcome> {
  if (event.type === 'document.rejected' || event.type === 'document.failed') {
    const windowEndsAt = await runAsTenant(event.tenantId, () => addToDigest(event, now));
    if (!windowEndsAt) return { outcome: 'skipped', reason: 'document not found' };
    // The sweep's entry is written outside the tenant scope (platform partition), on every delivery: a
    // redelivery after a failure here puts it then.
    await dueDigests.add(event.tenantId, windowEndsAt);
    return { outcome: 'digested', windowEndsAt };
  }
  const type = event.type;
  return runAsTenant(event.tenantId, async () => {
    if (!(await alertStore.claimSend(event.tenantId, event.id, now)))
      return { outcome: 'skipped', reason: 'already sent' } as const;
    try {
      const kind = ALERT_KIND_OF_EVENT[type];
      const [users, optOuts, profile] = await Promise.all([
        alertStore.listUsers(event.tenantId),
        alertStore.optOuts(event.tenantId),
        tenantsRepository.getProfile(event.tenantId),
      ]);
      const to = alertRecipients(users, optOuts, kind);
      if (to.length > 0) {
        const forecast =
          type === 'folios.low'
            ? await tenantFolioForecast(event.tenantId, Number(event.detail.available ?? 0), now)
            : undefined;
        const message = alertMessage(type, event.detail, {
          company: profile?.name ?? event.tenantId,
          forecast,
        });
        await sendAlertEmail(event.tenantId, kind, to, message);
      }
      await alertStore.markSent(event.tenantId, event.id, to.length);
      logger.info('Alert handled', { kind, eventId: event.id, recipients: to.length });
      return { outcome: 'sent', recipients: to.length } as const;
    } catch (error) {
      await alertStore.releaseClaim(event.tenantId, event.id);
      throw error;
    }
  });
}

/** The problem document joins the digest; returns the end of the open window (undefined: no such document). */
async function addToDigest(event: AlertEvent, now: Date): Promise<string | undefined> {
  const documentId = event.detail.documentId;
  if (typeof documentId !== 'string') throw new MalformedMessageError('event detail has no documentId');
  const doc = await documentsRepository.get(event.tenantId, documentId);
  if (!doc) return undefined;
  const error = event.detail.error as { message?: unknown; Cause?: unknown } | undefined;
  const reason =
    doc.reasons?.[0]?.message ??
    (typeof error?.message === 'string' ? error.message : undefined) ??
    (typeof error?.Cause === 'string' ? error.Cause : undefined) ??
    (event.type === 'document.rejected' ? 'rechazado por HKA/DGI' : 'error al emitir');
  await alertStore.addProblem(event.tenantId, {
    documentId,
    number: `${doc.branch}-${doc.pointOfSale}-${doc.number}`,
    status: event.type === 'document.rejected' ? 'REJECTED' : 'FAILED',
    reason,
    at: now.toISOString(),
  });
  return alertStore.openWindow(event.tenantId, digestWindowEnd(now));
}
