import { recordAudit } from '#shared/audit/entries';
import { branchesRepository } from '#shared/data/branches';
import { type IssuingSettings, tenantsRepository } from '#shared/data/tenants';
import { ServiceUnavailableError, ValidationError } from '#shared/errors';
import { HkaAuthenticationError, HkaRejectedError, HkaTransientError } from '#shared/hka/errors';
import type { TenantContext } from './context.ts';
import { type HkaCredentialsInput, HkaCredentialsMissingError, loadHkaCredentials } from './credentials.ts';
import { hkaClientFor } from './hka.ts';
import { type IssuingSettingsInput, saveHkaCredentials, setIssuingSettings } from './provisioning.ts';

/** Stores the token pair (encrypted); the answer never contains it. */
export async function putHkaCredentials(
  ctx: TenantContext,
  input: HkaCredentialsInput,
): Promise<{ environment: 'demo' | 'prod'; configured: true }> {
  await saveHkaCredentials(ctx.tenantId, input, ctx);
  return { environment: input.environment, configured: true };
}

export type CredentialsTestResult =
  | { ok: true; environment: 'demo' | 'prod'; folios: { available: number; used: number; total: number } }
  | { ok: false; environment: 'demo' | 'prod'; reason: string };

/**
 * Calls FoliosRestantes with the stored pair: the cheapest operation that proves the pair works. The outcome
 * (ok or failed, never HKA's answer) is audited once known; an HKA that does not answer tested nothing.
 */
export async function testHkaCredentials(
  ctx: TenantContext,
  environment?: 'demo' | 'prod',
  now: Date = new Date(),
): Promise<CredentialsTestResult> {
  const env = environment ?? (await tenantsRepository.getIssuingSettings(ctx.tenantId)).environment;
  const result = await tryHkaCredentials(ctx.tenantId, env);
  await recordAudit(
    ctx,
    ctx.tenantId,
    {
      action: 'hka-credentials.tested',
      target: { type: 'hka-credentials', id: env },
      changes: { result: { to: result.ok ? 'ok' : 'failed' } },
    },
    now,
  );
  return result;
}

async function tryHkaCredentials(tenantId: string, env: 'demo' | 'prod'): Promise<CredentialsTestResult> {
  try {
    const credentials = await loadHkaCredentials(tenantId, env);
    const folios = await hkaClientFor(env).foliosRestantes(credentials);
    return {
      ok: true,
      environment: env,
      folios: { available: folios.cycleAvailable, used: folios.cycleUsed, total: folios.cycleTotal },
    };
  } catch (error) {
    if (error instanceof HkaCredentialsMissingError) {
      return { ok: false, environment: env, reason: `No ${env} credentials are stored` };
    }
    if (error instanceof HkaAuthenticationError || error instanceof HkaRejectedError) {
      return { ok: false, environment: env, reason: `HKA refused the credentials: ${error.message}` };
    }
    if (error instanceof HkaTransientError)
      throw new ServiceUnavailableError('HKA did not answer; try again later');
    throw error;
  }
}

export function getIssuingSettings(ctx: TenantContext): Promise<IssuingSettings> {
  return tenantsRepository.getIssuingSettings(ctx.tenantId);
}

/** Validates references (default branch/point of sale must exist) before storing. */
export async function putIssuingSettings(
  ctx: TenantContext,
  input: IssuingSettingsInput,
): Promise<IssuingSettings> {
  const details = [];
  if (input.defaultBranch && !(await branchesRepository.getBranch(ctx.tenantId, input.defaultBranch))) {
    details.push({ path: 'defaultBranch', message: `branch ${input.defaultBranch} does not exist` });
  }
  if (input.channel === 'emitter-signed' && !(await tenantsRepository.getSigningKey(ctx.tenantId))) {
    details.push({
      path: 'channel',
      message: 'emitter-signed needs a signing certificate; upload one first',
    });
  }
  details.push(...(await contingencyChannelProblems(ctx.tenantId, input)));
  if (details.length > 0) throw new ValidationError(details);
  return setIssuingSettings(ctx.tenantId, input, ctx);
}

/**
 * Contingency means signing and delivering the document ourselves: only the emitter-signed channel can.
 * Enabling it on another channel, or leaving that channel while it is enabled, is refused rather than
 * stored inactive — a tenant must never believe it is covered during an outage when it is not.
 */
async function contingencyChannelProblems(
  tenantId: string,
  input: IssuingSettingsInput,
): Promise<{ path: string; message: string }[]> {
  if (input.contingency === undefined && input.channel === undefined) return [];
  const current = await tenantsRepository.getIssuingSettings(tenantId);
  const channel = input.channel ?? current.channel;
  const enabled = input.contingency?.enabled ?? current.contingency.enabled;
  if (!enabled || channel === 'emitter-signed') return [];
  return input.contingency?.enabled
    ? [
        {
          path: 'contingency.enabled',
          message:
            'contingency needs the emitter-signed channel (documents are signed with your certificate)',
        },
      ]
    : [{ path: 'channel', message: 'contingency is enabled and needs emitter-signed; disable it first' }];
}
