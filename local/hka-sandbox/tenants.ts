/**
 * Seed tenants: deterministic token pairs (from the seed) for three demo companies whose RUCs are public
 * test vectors (brief §12.2). DVs come from the DGI algorithm, so a tenant can never hold a wrong DV.
 */
import { computeRucDv } from '#shared/fiscal/ruc-dv';
import type { Random } from './random.ts';
import type { FolioCounters, SandboxTenant } from './state.ts';

export type TenantSeed = {
  name: string;
  ruc: string;
  rucType: '1' | '2';
  tokenEmpresa?: string;
  tokenPassword?: string;
  folios?: Partial<FolioCounters>;
};

export const DEFAULT_TENANTS: TenantSeed[] = [
  { name: 'DISTRIBUIDORA DEMO, S.A.', ruc: '2588017-1-831938', rucType: '2' },
  { name: 'COMERCIAL ISTMO, S.A.', ruc: '1489806-1-645353', rucType: '2' },
  { name: 'SERVICIOS DE PRUEBA, S.A.', ruc: '797609-1-493865', rucType: '2' },
];

export function folioCounters(now: Date, overrides: Partial<FolioCounters> = {}): FolioCounters {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return {
    licencia: `LIC-${y}`,
    licenceFrom: `${y}-01-01`,
    licenceTo: `${y}-12-31`,
    ciclo: String(m + 1),
    cycleFrom: day(new Date(Date.UTC(y, m, 1))),
    cycleTo: day(new Date(Date.UTC(y, m + 1, 0))),
    cycleTotal: 10_000,
    cycleUsed: 0,
    licenceTotal: 120_000,
    ...overrides,
  };
}

export function createTenant(seed: TenantSeed, random: Random, now: Date, index: number): SandboxTenant {
  return {
    id: `tenant-${index + 1}`,
    name: seed.name,
    ruc: seed.ruc,
    dv: computeRucDv(seed.ruc, seed.rucType),
    rucType: seed.rucType,
    tokenEmpresa: seed.tokenEmpresa ?? `sbx${random.hex(8)}_ws_tfhka`,
    tokenPassword: seed.tokenPassword ?? `Sbx${random.hex(12)}`,
    folios: folioCounters(now, seed.folios),
    faults: [],
  };
}
