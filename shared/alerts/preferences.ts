import { now } from '#shared/clock';
import { ForbiddenError } from '#shared/errors';
import type { TenantContext } from '#shared/tenancy/context';
import { ALERT_KINDS, type AlertKind } from './kinds.ts';
import { alertStore } from './store.ts';

export type AlertPreferences = { optOut: AlertKind[]; kinds: AlertKind[] };

/** Alerts go to people: an API key has no address and no preferences. */
function personOf(ctx: TenantContext): string {
  if (ctx.actor.type !== 'user') {
    throw new ForbiddenError(
      'Alert preferences belong to a signed-in person; an API key receives no alerts',
      'ALERT_PREFERENCES_PERSON_ONLY',
    );
  }
  return ctx.actor.id;
}

export async function getAlertPreferences(ctx: TenantContext): Promise<AlertPreferences> {
  const optOut = await alertStore.getOptOut(ctx.tenantId, personOf(ctx));
  return { optOut, kinds: [...ALERT_KINDS] };
}

/** Replaces the caller's opt-outs (a repeated kind counts once); the same body twice writes the same item. */
export async function putAlertPreferences(
  ctx: TenantContext,
  input: { optOut: AlertKind[] },
): Promise<AlertPreferences> {
  const userId = personOf(ctx);
  const optOut = ALERT_KINDS.filter((kind) => input.optOut.includes(kind));
  await alertStore.putOptOut(ctx.tenantId, userId, optOut, now());
  return { optOut, kinds: [...ALERT_KINDS] };
}
