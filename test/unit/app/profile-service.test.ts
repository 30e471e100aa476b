/**
 * The profile service against the table and bucket in memory: the logo checked and stored under the tenant's
 * prefix before the profile names it, the head office following the legal address, the audit entry naming
 * the changed fields (the logo as its type and size, never its bytes); and folio assignments only to the
 * tenant's own users, within the pool.
 */
import { createHash } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { keys } from '#shared/data/keys';
import { assignFolios } from '#shared/documents/folios';
import type { TenantContext } from '#shared/tenancy/context';
import { getProfile, putProfile } from '#shared/tenancy/profile';
import { cafeLogoOf } from '#shared/tenancy/profile-cafe-logo';
import { pngImage } from '#test/support/images';
import { installBucket } from './fake-bucket.ts';
import { FakeTable } from './fake-table.ts';
import { branch, folioPool, tenantProfile } from './fixtures.ts';
import { setTestEnv, TENANT } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const table = new FakeTable();
let bucket: ReturnType<typeof installBucket>;

const ctx: TenantContext = {
  tenantId: TENANT,
  actor: { type: 'user', id: 'admin-sub', email: 'admin@tenant-a.test' },
  roles: ['ADMIN'],
};
const now = new Date('2026-12-01T15:00:00.000Z');
const input = (overrides: Record<string, unknown> = {}) => ({
  name: tenantProfile.name,
  address: 'Calle 50, Edificio Demo',
  locationCode: '8-8-7',
  phone: '507-0001',
  ...overrides,
});
const auditEntries = () => table.partition(`T#${TENANT}#AUDIT`);

beforeEach(() => {
  ddb.reset();
  s3.reset();
  table.clear();
  table.install(ddb);
  bucket = installBucket(s3);
  table.put({ ...keys.tenantProfile(TENANT), ...tenantProfile });
  table.put({ ...keys.branch(TENANT, '0000'), ...branch, code: '0000' });
});

describe('profile', () => {
  it('stores the logo under the tenant, names it on the profile and audits the change without its bytes', async () => {
    const logo = pngImage(100, 50);
    const result = await putProfile(ctx, input({ tradeName: 'Café', logo: logo.toString('base64') }), now);

    const digest = createHash('sha256').update(logo).digest('hex').slice(0, 32);
    const objectKey = `tenants/${TENANT}/profile/logo-${digest}`;
    expect(bucket.objects.get(objectKey)?.equals(logo)).toBe(true);
    expect(result.logo).toMatchObject({ contentType: 'image/png', width: 100, height: 50 });
    expect(result.logo?.url).toContain(objectKey);
    expect(table.get(keys.tenantProfile(TENANT))?.logo).toMatchObject({
      objectKey,
      bytes: logo.length,
      width: 100,
    });
    const [entry] = auditEntries();
    expect(entry).toMatchObject({ action: 'profile.changed', target: { type: 'profile', id: TENANT } });
    expect(Object.keys(entry!.changes as object).sort()).toEqual(
      ['address', 'location', 'logo', 'phones', 'tradeName'].sort(),
    );
    expect(JSON.stringify(entry)).not.toContain(logo.toString('base64').slice(0, 40));
    expect(await cafeLogoOf(TENANT)).toMatchObject({ width: 100, height: 50 });
  });

  it('moves the head office with the legal address', async () => {
    await putProfile(ctx, input({ address: 'Vía España, Local 2', locationCode: '8-8-8' }), now);
    expect(table.get(keys.branch(TENANT, '0000'))).toMatchObject({
      address: 'Vía España, Local 2',
      location: { code: '8-8-8', province: 'PANAMA', district: 'PANAMA' },
    });
    expect((await getProfile(ctx)).locationCode).toBe('8-8-8');
  });

  it('a bad logo is a 422 on logo and nothing is stored', async () => {
    const before = table.writes;
    await expect(
      putProfile(ctx, input({ logo: Buffer.from('GIF89a....').toString('base64') })),
    ).rejects.toMatchObject({ details: [expect.objectContaining({ path: 'logo' })] });
    expect(bucket.objects.size).toBe(0);
    expect(table.writes).toBe(before);
  });

  it('null removes the logo; an unchanged profile writes nothing', async () => {
    await putProfile(ctx, input({ logo: pngImage(64, 64).toString('base64') }), now);
    const removed = await putProfile(ctx, input({ logo: null }), now);
    expect(removed.logo).toBeNull();
    expect(await cafeLogoOf(TENANT)).toBeUndefined();
    const before = table.writes;
    await putProfile(ctx, input(), now);
    expect(table.writes).toBe(before);
  });
});

describe('folio assignments', () => {
  beforeEach(() => {
    table.put({ ...folioPool(10), ...keys.folioBalance(TENANT), tenantId: TENANT });
    table.put({
      ...keys.user(TENANT, 'clerk'),
      userId: 'clerk',
      email: 'clerk@example.com',
      name: 'Clerk',
      role: 'USER',
      enabled: true,
      createdAt: now.toISOString(),
    });
  });

  it('go to the tenant’s users only (422 on userId otherwise)', async () => {
    await expect(assignFolios(ctx, { userId: 'stranger', quantity: 1 })).rejects.toMatchObject({
      details: [{ path: 'userId', message: 'is not a user of this tenant' }],
    });
    expect(table.get(keys.folioAssignment(TENANT, 'stranger'))).toBeUndefined();
    expect(await assignFolios(ctx, { userId: 'clerk', quantity: 4 })).toMatchObject({ remaining: 4 });
  });

  it('never more than the pool (422 on quantity), counting what the user already holds', async () => {
    await assignFolios(ctx, { userId: 'clerk', quantity: 8 });
    await expect(assignFolios(ctx, { userId: 'clerk', quantity: 3 })).rejects.toMatchObject({
      details: [expect.objectContaining({ path: 'quantity' })],
    });
    expect(table.get(keys.folioAssignment(TENANT, 'clerk'))).toMatchObject({ remaining: 8 });
    expect(await assignFolios(ctx, { userId: 'clerk', quantity: 2 })).toMatchObject({ remaining: 10 });
  });
});
