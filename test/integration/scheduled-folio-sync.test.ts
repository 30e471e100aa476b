import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fireSchedules,
  hkaSandbox,
  type Json,
  pollUntil,
  type Session,
  session,
} from './helpers/local-cloud.ts';

/**
 * The scheduled folio sync as deployed: the schedule rule → schedule-folio-sync (one message per tenant,
 * listed from the platform partition) → folio-sync queue → sync-folios (HKA FoliosRestantes) → the balance
 * every tenant reads on GET /v1/folios. Nobody calls the API to sync: only the schedule fires.
 */

const TENANTS = [0, 1] as const;

describe('scheduled folio sync', () => {
  const admins: Session[] = [];
  const original: number[] = [];

  const balance = async (admin: Session) => {
    const response = await admin.call('GET', '/v1/folios');
    expect(response.status, response.text).toBe(200);
    return (response.body.data as { balance: Json | null }).balance;
  };

  beforeAll(async () => {
    for (const tenant of TENANTS) {
      admins[tenant] = await session(tenant, 'ADMIN');
      original[tenant] = (await hkaSandbox.tenant(tenant)).folios.cycleTotal as number;
    }
  });

  afterAll(async () => {
    for (const tenant of TENANTS) {
      if (original[tenant] !== undefined)
        await hkaSandbox.setFolios(tenant, { cycleTotal: original[tenant] });
    }
    await fireSchedules();
  });

  it('brings every tenant’s balance to HKA’s counters without any API call', async () => {
    // Prepare: HKA's cycle changes behind our back, differently per tenant.
    const expected: number[] = [];
    for (const tenant of TENANTS) {
      await hkaSandbox.setFolios(tenant, { cycleTotal: (original[tenant] as number) + 7 + tenant });
      expected[tenant] = (await hkaSandbox.tenant(tenant)).folios.cycleAvailable as number;
    }

    // Act
    const fired = await fireSchedules();

    // Assess
    expect(fired).toBeGreaterThan(0);
    for (const tenant of TENANTS) {
      const synced = await pollUntil(
        () => balance(admins[tenant] as Session),
        (current) => current?.cycleAvailable === expected[tenant],
        30_000,
      );
      expect(synced).toMatchObject({ cycleAvailable: expected[tenant], syncedAt: expect.any(String) });
    }
  });
});
