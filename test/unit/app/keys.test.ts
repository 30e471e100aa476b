import { describe, expect, it } from 'vitest';
import { gsiKeys, keys, PLATFORM_PARTITION } from '#shared/data/keys';
import { documentObjectKeys } from '#shared/storage/keys';

describe('single-table keys', () => {
  it('lead every partition key with the tenant id', () => {
    const t = 'acme';
    const all = [
      keys.tenantProfile(t),
      keys.issuingSettings(t),
      keys.hkaCredentials(t, 'demo'),
      keys.signingKey(t),
      keys.folioBalance(t),
      keys.branch(t, '0000'),
      keys.pointOfSale(t, '0000', '001'),
      keys.seriesCounter(t, '0000', '001'),
      keys.numberClaim(t, '0000', '001', '0000000001'),
      keys.document(t, '01J0000000000000000000000A'),
      keys.documentEvent(t, '01J0000000000000000000000A', '2026-11-22T10:00:00.000Z', 'ab12'),
      keys.idempotency(t, 'f'.repeat(64)),
    ];
    for (const key of all) expect(key.pk === `T#${t}` || key.pk.startsWith(`T#${t}#`)).toBe(true);
  });

  it('pins the shapes other code and IAM rely on', () => {
    expect(keys.document('acme', 'D1')).toEqual({ pk: 'T#acme#DOC#D1', sk: 'DOC' });
    expect(keys.seriesCounter('acme', '0000', '001')).toEqual({
      pk: 'T#acme#SERIES#0000#001',
      sk: 'COUNTER',
    });
    expect(keys.numberClaim('acme', '0000', '001', '0000000007')).toEqual({
      pk: 'T#acme#SERIES#0000#001',
      sk: 'NUMBER#0000000007',
    });
    expect(keys.pointOfSale('acme', '0000', '001')).toEqual({ pk: 'T#acme', sk: 'BRANCH#0000#POS#001' });
    expect(keys.documentEvent('acme', 'D1', '2026-01-01T00:00:00.000Z', 'x')).toEqual({
      pk: 'T#acme#DOC#D1',
      sk: 'EVENT#2026-01-01T00:00:00.000Z#x',
    });
  });

  it('leads every GSI partition key with the tenant id', () => {
    expect(gsiKeys.documentsByDate('acme', '2026-11-22T10:00:00-05:00', 'D1')).toEqual({
      gsi1pk: 'T#acme#DOCS',
      gsi1sk: '2026-11-22T10:00:00-05:00#D1',
    });
    expect(gsiKeys.documentsByStatus('acme', 'AUTHORIZED', '2026-11-22', 'D1')).toEqual({
      gsi2pk: 'T#acme#STATUS#AUTHORIZED',
      gsi2sk: '2026-11-22#D1',
    });
    expect(gsiKeys.documentByCufe('acme', 'FE01')).toEqual({ gsi3pk: 'T#acme#CUFE#FE01', gsi3sk: 'DOC' });
  });

  it('keeps the platform partition outside any tenant id', () => {
    expect(PLATFORM_PARTITION.startsWith('T#')).toBe(true);
    expect(keys.tenantRegistryEntry('acme')).toEqual({ pk: 'T#_platform', sk: 'TENANT#acme' });
  });

  it('puts every object under the tenant prefix', () => {
    const objects = documentObjectKeys('acme', 'D1');
    for (const key of Object.values(objects)) expect(key.startsWith('tenants/acme/documents/D1')).toBe(true);
    expect(objects.authorizedXml).toBe('tenants/acme/documents/D1/rfe.xml');
    expect(objects.pdf).toBe('tenants/acme/documents/D1/cafe.pdf');
    expect(objects.computed).toBe('tenants/acme/documents/D1/computed.json');
  });
});
