import { tenantsRepository } from '#shared/data/tenants';
import { logger } from '#shared/observability/logger';
import { runAsTenant } from '#shared/tenancy/tenant-scope';
import { digestWindowEnd, dueBound } from './digest-window.ts';
import { digestMessage } from './messages.ts';
import { alertRecipients } from './recipients.ts';
import { sendAlertEmail } from './send.ts';
import { alertStore, dueDigests } from './store.ts';

/**
 * Mails every digest whose window has ended (the sweep, on a schedule). Each due entry is settled on its
 * own: one tenant's failure leaves its entry for the next sweep and does not hold back the others.
 */
export async function flushDueDigests(now: Date): Promise<{ flushed: number; failed: number }> {
  const due = await dueDigests.listDue(dueBound(now));
  let flushed = 0;
  let failed = 0;
  for (const entry of due) {
    try {
      const reopened = await runAsTenant(entry.tenantId, () =>
        flushDigest(entry.tenantId, entry.windowEndsAt, now),
      );
      if (reopened) await dueDigests.add(entry.tenantId, reopened);
      await dueDigests.remove(entry.tenantId, entry.windowEndsAt);
      flushed += 1;
    } catch (error) {
      failed += 1;
      logger.error('Digest flush failed', { tenantId: entry.tenantId, error: error as Error });
    }
  }
  return { flushed, failed };
}

/**
 * Mails the tenant's problems gathered in the window ending at `windowEndsAt` and closes it. Only the
 * problems read are removed: one added while the e-mail went out stays, and opens the next window (returned,
 * for the sweep's entry), so nothing is lost. An entry of a window already closed does nothing.
 */
async function flushDigest(tenantId: string, windowEndsAt: string, now: Date): Promise<string | undefined> {
  const open = await alertStore.getWindow(tenantId);
  if (open !== windowEndsAt) return undefined;
  const problems = await alertStore.listProblems(tenantId);
  if (problems.length > 0) {
    const [users, optOuts, profile] = await Promise.all([
      alertStore.listUsers(tenantId),
      alertStore.optOuts(tenantId),
      tenantsRepository.getProfile(tenantId),
    ]);
    const to = alertRecipients(users, optOuts, 'documents-problems');
    if (to.length > 0) {
      await sendAlertEmail(
        tenantId,
        'documents-problems',
        to,
        digestMessage(problems, profile?.name ?? tenantId),
      );
    }
    logger.info('Digest sent', { tenantId, problems: problems.length, recipients: to.length });
  }
  for (const problem of problems) await alertStore.removeProblem(tenantId, problem.documentId);
  await alertStore.closeWindow(tenantId, windowEndsAt);
  const remaining = await alertStore.listProblems(tenantId);
  return remaining.length > 0 ? alertStore.openWindow(tenantId, digestWindowEnd(now)) : undefined;
}
