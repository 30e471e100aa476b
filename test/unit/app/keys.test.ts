import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { documentItem } from '#shared/data/documents';
import { INDEX_KEY_ATTRIBUTES, INDEXES } from '#shared/data/indexes';
import {
  GSI,
  gsiKeys,
  IN_FLIGHT_SHARDS,
  inFlightPartition,
  inFlightShard,
  keys,
  PLATFORM_PARTITION,
} from '#shared/data/keys';
import { documentObjectKeys, tenantObjectKeys } from '#shared/storage/keys';
import { documentRecord } from './fixtures.ts';

describe('single-table keys', () => {
  it('lead every partition key with the tenant id', () => {
    const t = 'acme';
    const all = [
      keys.tenantProfile(t),
      keys.issuingSettings(t),
      keys.hkaCredentials(t, 'demo'),
      keys.signingKey(t),
      keys.contingency(t),
      keys.folioBalance(t),
      keys.branch(t, '0000'),
      keys.pointOfSale(t, '0000', '001'),
      keys.seriesCounter(t, '0000', '001'),
      keys.numberClaim(t, '0000', '001', '0000000001'),
      keys.document(t, '01J0000000000000000000000A'),
      keys.documentEvent(t, '01J0000000000000000000000A', '2026-11-22T10:00:00.000Z', 'ab12'),
      keys.idempotency(t, 'f'.repeat(64)),
      keys.rucVerification(t, 'demo', '2', '2588017-1-831938'),
      keys.userCounters(t),
      keys.exportJob(t, '01J0000000000000000000000A'),
    ];
    for (const key of all) expect(key.pk === `T#${t}` || key.pk.startsWith(`T#${t}#`)).toBe(true);
  });

  it('pins the shapes other code and IAM rely on', () => {
    expect(keys.document('acme', 'D1')).toEqual({ pk: 'T#acme#DOC#D1', sk: 'DOC' });
    expect(keys.exportJob('acme', 'E1')).toEqual({ pk: 'T#acme', sk: 'EXPORT#E1' });
    expect(keys.rucVerification('acme', 'prod', '1', 'e-8-127702')).toEqual({
      pk: 'T#acme#RUC#E-8-127702',
      sk: 'prod#1',
    });
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

  it('puts documents in flight in the platform’s sharded partitions, sorted by lease end', () => {
    expect(gsiKeys.documentInFlight('acme', 'D1', '2026-11-22T12:01:30.000Z')).toEqual({
      gsi4pk: `T#_platform#INFLIGHT#${inFlightShard('D1')}`,
      gsi4sk: '2026-11-22T12:01:30.000Z#acme#D1',
    });
    expect(inFlightPartition(3)).toBe('T#_platform#INFLIGHT#3');
    // Never a tenant's partition: the sweep's IAM allows only these leading keys.
    expect(inFlightPartition(0).startsWith(`${PLATFORM_PARTITION}#`)).toBe(true);
  });

  it('a document stays in one shard for its whole life: the first byte of sha256(id), modulo the shards', () => {
    const ids = Array.from({ length: 400 }, (_, n) => `01KAQ${String(n).padStart(21, '0')}`);
    for (const id of ids) {
      const expected = createHash('sha256').update(id).digest()[0]! % IN_FLIGHT_SHARDS;
      expect(inFlightShard(id)).toBe(expected);
      expect(inFlightShard(id)).toBe(inFlightShard(id));
      // Whatever the lease, the same partition.
      expect(gsiKeys.documentInFlight('t', id, '2026-01-01T00:00:00.000Z').gsi4pk).toBe(
        gsiKeys.documentInFlight('t', id, '2027-06-30T23:59:59.999Z').gsi4pk,
      );
    }
    const counts = Array.from({ length: IN_FLIGHT_SHARDS }, (_, shard) =>
      ids.filter((id) => inFlightShard(id) === shard),
    ).map((inShard) => inShard.length);
    expect(IN_FLIGHT_SHARDS).toBe(4);
    for (const count of counts) expect(count).toBeGreaterThan(50);
  });

  it('the sweep’s bound `<now>$` is above every lease ending at or before now and below every later one', () => {
    const now = '2026-11-22T12:00:00.000Z';
    const sk = (lease: string, tenant = 'zzz-tenant') => gsiKeys.documentInFlight(tenant, 'D1', lease).gsi4sk;
    const bound = `${now}$`;
    for (const lease of ['2026-11-22T11:59:59.999Z', now]) expect(sk(lease) < bound).toBe(true);
    for (const lease of ['2026-11-22T12:00:00.001Z', '2026-11-23T00:00:00.000Z'])
      expect(sk(lease, '') < bound).toBe(false);
  });

  it('only a PROCESSING document with a lease carries in-flight keys; index keys never leave the repository', () => {
    const processing = documentItem(documentRecord());
    expect(processing).toMatchObject(
      gsiKeys.documentInFlight(processing.tenantId, processing.documentId, processing.leaseUntil!),
    );
    for (const status of ['AUTHORIZED', 'REJECTED', 'FAILED', 'CANCELLED'] as const) {
      expect(documentItem(documentRecord({ status }))).not.toHaveProperty('gsi4pk');
    }
    expect(documentItem(documentRecord({ leaseUntil: undefined }))).not.toHaveProperty('gsi4pk');
    expect([...INDEX_KEY_ATTRIBUTES].sort()).toEqual(
      [
        ...['gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'gsi4pk', 'gsi4sk'],
        ...['gsi5pk', 'gsi5sk'],
      ].sort(),
    );
  });

  it('the key builders and the index declarations name the same attributes', () => {
    expect(GSI).toBe(INDEXES);
    for (const entry of [
      gsiKeys.customerByName('t', 'pena', 'C1'),
      gsiKeys.productByDescription('t', 'cafe', 'P1'),
      gsiKeys.documentByReceiverName('t', 'pena', '2026-12-01T10:00:00-05:00', 'D1'),
    ]) {
      expect(Object.keys(entry)).toEqual([GSI.bySearchKey.pk, GSI.bySearchKey.sk]);
    }
    expect(gsiKeys.documentByReceiverName('t', 'pena', '2026-12-01T10:00:00-05:00', 'D1')).toEqual({
      gsi5pk: 'T#t#DOCS#RECEIVER',
      gsi5sk: 'pena#2026-12-01T10:00:00-05:00#D1',
    });
    expect(Object.keys(gsiKeys.documentsByDate('t', 'a', 'b'))).toEqual([GSI.byDate.pk, GSI.byDate.sk]);
    expect(Object.keys(gsiKeys.documentsByStatus('t', 's', 'a', 'b'))).toEqual([
      GSI.byStatus.pk,
      GSI.byStatus.sk,
    ]);
    expect(Object.keys(gsiKeys.documentByCufe('t', 'c'))).toEqual([GSI.byCufe.pk, GSI.byCufe.sk]);
    expect(Object.keys(gsiKeys.documentInFlight('t', 'd', 'l'))).toEqual([GSI.inFlight.pk, GSI.inFlight.sk]);
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

describe('tenants and users keys', () => {
  it('keep the user counters beside the users, and the logo under the tenant prefix', () => {
    expect(keys.userCounters('acme')).toEqual({ pk: 'T#acme', sk: 'USERS' });
    expect(keys.user('acme', 'sub-1')).toEqual({ pk: 'T#acme', sk: 'USER#sub-1' });
    expect(tenantObjectKeys('acme').logo('0f3a')).toBe('tenants/acme/profile/logo-0f3a');
  });
});
