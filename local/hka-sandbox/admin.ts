/**
 * The sandbox's test/operator API (JSON over HTTP, under `/__admin/`):
 *   GET    /__admin/state    tenants (without tokens), folio counters, SOAP calls per operation (faulted
 *                            ones included), documents per tenant
 *   POST   /__admin/faults   { faults: FaultSpec[], ruc? | tokenEmpresa? | tenantId? } → replaces the faults
 *                            of that tenant (all tenants when no selector)
 *   DELETE /__admin/faults   clears every tenant's faults
 *   POST   /__admin/tenants  { name, ruc, rucType, tokenEmpresa?, tokenPassword?, folios? } → { tenantId, tokenEmpresa, tokenPassword, ruc, dv }
 *   POST   /__admin/folios   { ruc | tokenEmpresa | tenantId, ...FolioCounters fields } → updated counters
 *   POST   /__admin/clock    { advanceMs } → moves the sandbox clock (cancellation window tests)
 *   POST   /__admin/rucs     { tipoRuc, ruc, razonSocial, afiliadoFE?, government? } → registers a RUC in the
 *                            stand-in DGI registry (ConsultarRucDV, Enviar's government check) → { ruc, dv }
 */
import { computeRucDv, RucFormatError } from '#shared/fiscal/ruc-dv';
import { FaultSpecError, validateFaultSpec } from './faults.ts';
import type { Random } from './random.ts';
import type { RucEntry } from './ruc-registry.ts';
import type { SandboxState, SandboxTenant } from './state.ts';
import { createTenant, type TenantSeed } from './tenants.ts';

export type AdminContext = {
  state: SandboxState;
  random: Random;
  now(): Date;
  advanceClock(ms: number): void;
};
export type AdminAnswer = { status: number; body: unknown };

export class AdminError extends Error {}

type Selector = { ruc?: string; tokenEmpresa?: string; tenantId?: string };

function selectTenants(ctx: AdminContext, selector: Selector): SandboxTenant[] {
  if (!selector.ruc && !selector.tokenEmpresa && !selector.tenantId) return ctx.state.data.tenants;
  const tenant = ctx.state.findTenant({
    ruc: selector.ruc,
    tokenEmpresa: selector.tokenEmpresa,
    id: selector.tenantId,
  });
  if (!tenant) throw new AdminError('no tenant matches the selector');
  return [tenant];
}

export function stateSummary(state: SandboxState) {
  return {
    tenants: state.data.tenants.map((t) => ({
      tenantId: t.id,
      name: t.name,
      ruc: t.ruc,
      dv: t.dv,
      folios: { ...t.folios, cycleAvailable: Math.max(0, t.folios.cycleTotal - t.folios.cycleUsed) },
      faults: t.faults,
      calls: state.callsOf(t.id),
      documents: state.documentsOf(t.id).map((d) => ({
        key: d.key,
        ...d.datos,
        cufe: d.cufe,
        protocol: d.protocol,
        status: d.status,
        receivedAt: d.receivedAt,
        channel: d.channel,
        receipts: d.receipts ?? 1,
        emails: d.emails,
      })),
    })),
  };
}

export function handleAdmin(ctx: AdminContext, method: string, path: string, body: unknown): AdminAnswer {
  try {
    const input = (body ?? {}) as Record<string, unknown>;
    if (method === 'GET' && path === '/__admin/state') return { status: 200, body: stateSummary(ctx.state) };
    if (method === 'DELETE' && path === '/__admin/faults') {
      for (const t of ctx.state.data.tenants) t.faults = [];
      return { status: 200, body: { cleared: true } };
    }
    if (method === 'POST' && path === '/__admin/faults') {
      if (!Array.isArray(input.faults)) throw new AdminError('faults must be an array');
      const faults = input.faults.map(validateFaultSpec);
      const tenants = selectTenants(ctx, input as Selector);
      // Each tenant gets its own copy: `times` counts down per tenant.
      for (const t of tenants) t.faults = faults.map((f) => ({ ...f }));
      return { status: 200, body: { tenants: tenants.map((t) => t.id), faults } };
    }
    if (method === 'POST' && path === '/__admin/tenants') {
      const seed = input as unknown as TenantSeed;
      if (!seed.ruc || !seed.name || (seed.rucType !== '1' && seed.rucType !== '2')) {
        throw new AdminError('name, ruc and rucType (1|2) are required');
      }
      if (
        ctx.state.findTenant({ ruc: seed.ruc }) ||
        (seed.tokenEmpresa && ctx.state.tenantByTokenEmpresa(seed.tokenEmpresa))
      ) {
        throw new AdminError('a tenant with this RUC or tokenEmpresa exists');
      }
      const tenant = createTenant(seed, ctx.random, ctx.now(), ctx.state.data.tenants.length);
      ctx.state.addTenant(tenant);
      return {
        status: 201,
        body: {
          tenantId: tenant.id,
          tokenEmpresa: tenant.tokenEmpresa,
          tokenPassword: tenant.tokenPassword,
          ruc: tenant.ruc,
          dv: tenant.dv,
        },
      };
    }
    if (method === 'POST' && path === '/__admin/folios') {
      const [tenant] = selectTenants(ctx, input as Selector);
      if (!tenant || (!input.ruc && !input.tokenEmpresa && !input.tenantId))
        throw new AdminError('a tenant selector is required');
      for (const key of Object.keys(tenant.folios) as (keyof typeof tenant.folios)[]) {
        if (input[key] !== undefined) (tenant.folios as Record<string, unknown>)[key] = input[key];
      }
      ctx.state.changed();
      return { status: 200, body: tenant.folios };
    }
    if (method === 'POST' && path === '/__admin/clock') {
      const advanceMs = Number(input.advanceMs);
      if (!Number.isFinite(advanceMs)) throw new AdminError('advanceMs must be a number');
      ctx.advanceClock(advanceMs);
      return { status: 200, body: { now: ctx.now().toISOString() } };
    }
    if (method === 'POST' && path === '/__admin/rucs') {
      const entry = rucEntryOf(input);
      ctx.state.data.registeredRucs = [...(ctx.state.data.registeredRucs ?? []), entry];
      ctx.state.changed();
      return { status: 201, body: { ruc: entry.ruc, dv: computeRucDv(entry.ruc, entry.tipoRuc) } };
    }
    return { status: 404, body: { error: `no admin route ${method} ${path}` } };
  } catch (error) {
    if (error instanceof AdminError || error instanceof FaultSpecError || error instanceof RucFormatError)
      return { status: 400, body: { error: error.message } };
    throw error;
  }
}

function rucEntryOf(input: Record<string, unknown>): RucEntry {
  const { tipoRuc, ruc, razonSocial, afiliadoFE, government } = input;
  if (tipoRuc !== '1' && tipoRuc !== '2') throw new AdminError('tipoRuc must be "1" or "2"');
  if (typeof ruc !== 'string' || typeof razonSocial !== 'string' || razonSocial.trim() === '') {
    throw new AdminError('ruc and razonSocial are required strings');
  }
  // Only a RUC the DGI algorithm can read gets a DV: the registry never holds a malformed one.
  computeRucDv(ruc, tipoRuc);
  return { tipoRuc, ruc, razonSocial, afiliadoFE: afiliadoFE === true, government: government === true };
}
