import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpegHeader, pngImage } from '#test/support/images';
import { hasCommand } from '#test/unit/cafe-pdf/pdf-inspect';
import { exampleDocument, issueAndWait, type Json, type Session, session } from './helpers/local-cloud.ts';

/**
 * The company profile through the local cloud: read by every role, replaced by the ADMIN (the address also
 * becomes the head office's), the logo checked by its bytes and dimensions, stored under the tenant's prefix,
 * served by a presigned URL, and printed on the CAFE of the emitter-signed channel (an image in the PDF).
 */

const TENANT = 0;

describe('profile', () => {
  let admin: Session;
  let user: Session;
  let original: Json;

  beforeAll(async () => {
    [admin, user] = await Promise.all([session(TENANT, 'ADMIN'), session(TENANT, 'USER')]);
    const read = await admin.call('GET', '/v1/profile');
    expect(read.status, read.text).toBe(200);
    original = read.body.data;
  });

  afterAll(async () => {
    // Other files share the tenant: its seeded profile and channel back.
    await admin?.call('PUT', '/v1/settings/issuing', { body: { channel: 'hka-integration' } });
    if (original) {
      await admin?.call('PUT', '/v1/profile', {
        body: {
          name: original.name,
          tradeName: original.tradeName ?? undefined,
          address: original.address,
          locationCode: original.locationCode,
          phone: original.phone ?? undefined,
          email: original.email ?? undefined,
          logo: null,
        },
      });
    }
  });

  const body = (overrides: Record<string, unknown> = {}) => ({
    name: original.name,
    tradeName: original.tradeName ?? undefined,
    address: original.address,
    locationCode: original.locationCode,
    phone: original.phone ?? undefined,
    email: original.email ?? undefined,
    ...overrides,
  });

  it('every role reads it; only the ADMIN changes it (403 for USER)', async () => {
    const read = await user.call('GET', '/v1/profile');
    expect(read.status, read.text).toBe(200);
    expect(read.body.data).toMatchObject({ ruc: original.ruc, name: original.name });
    const refused = await user.call('PUT', '/v1/profile', { body: body() });
    expect(refused.status, refused.text).toBe(403);
  });

  it('refuses a logo that is not a PNG/JPEG, too small, too large or too big in bytes (422 on logo)', async () => {
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
    const cases = [gif, pngImage(16, 16), jpegHeader(2000, 100), Buffer.alloc(210 * 1024, 1)];
    for (const bytes of cases) {
      const response = await admin.call('PUT', '/v1/profile', {
        body: body({ logo: bytes.toString('base64') }),
      });
      expect(response.status, response.text).toBe(422);
      expect(response.body.details).toEqual([expect.objectContaining({ path: 'logo' })]);
    }
    const location = await admin.call('PUT', '/v1/profile', { body: body({ locationCode: '99-1-1' }) });
    expect(location.status, location.text).toBe(422);
    expect(location.body.details).toEqual([expect.objectContaining({ path: 'locationCode' })]);
    expect((await admin.call('GET', '/v1/profile')).body.data.logo).toBeNull();
  });

  it('stores a PNG logo under the tenant, serves it by a presigned URL, and keeps it when left out', async () => {
    const logo = pngImage(120, 60);
    const put = await admin.call('PUT', '/v1/profile', {
      body: body({ tradeName: 'Café del Istmo (logo)', logo: logo.toString('base64') }),
    });
    expect(put.status, put.text).toBe(200);
    expect(put.body.data).toMatchObject({
      tradeName: 'Café del Istmo (logo)',
      logo: { contentType: 'image/png', width: 120, height: 60 },
    });
    const read = await user.call('GET', '/v1/profile');
    const url = new URL(read.body.data.logo.url);
    expect(url.pathname).toContain(`/tenants/${admin.user.tenantId}/profile/logo`);
    const downloaded = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(downloaded.equals(logo)).toBe(true);

    const kept = await admin.call('PUT', '/v1/profile', { body: body({ tradeName: original.tradeName }) });
    expect(kept.body.data.logo).toMatchObject({ width: 120, height: 60 });
  });

  it('prints the logo on the CAFE the emitter-signed channel renders', async () => {
    const channel = await admin.call('PUT', '/v1/settings/issuing', { body: { channel: 'emitter-signed' } });
    expect(channel.status, channel.text).toBe(200);
    const authorized = await issueAndWait(user, exampleDocument('invoice-final-consumer.json'));
    expect(authorized.status, JSON.stringify(authorized.reasons)).toBe('AUTHORIZED');
    const link = await user.call('GET', `/v1/documents/${authorized.id}/pdf`);
    const pdf = Buffer.from(await (await fetch(link.body.data.url)).arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // An image XObject of the logo's size is in the PDF.
    const raw = pdf.toString('latin1');
    expect(raw).toContain('/Subtype /Image');
    expect(raw).toMatch(/\/Width 120\b/);
    if (hasCommand('pdfimages')) {
      const dir = mkdtempSync(join(tmpdir(), 'factu-cafe-'));
      try {
        writeFileSync(join(dir, 'cafe.pdf'), pdf);
        const listing = execFileSync('pdfimages', ['-list', join(dir, 'cafe.pdf')], { encoding: 'utf8' });
        expect(listing).toMatch(/^\s*1\s+\d+\s+image\s+120\s+60\b/m);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('the address becomes the head office’s; logo: null removes the logo', async () => {
    const moved = await admin.call('PUT', '/v1/profile', {
      body: body({ address: 'Vía España, Edificio Nuevo, Local 2', locationCode: '8-8-8', logo: null }),
    });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.data).toMatchObject({ address: 'Vía España, Edificio Nuevo, Local 2', logo: null });
    const branches = await admin.call('GET', '/v1/branches');
    const headOffice = branches.body.data.find((branch: Json) => branch.code === '0000');
    expect(headOffice).toMatchObject({
      address: 'Vía España, Edificio Nuevo, Local 2',
      location: { code: '8-8-8' },
    });
    const restored = await admin.call('PUT', '/v1/profile', { body: body() });
    expect(restored.status, restored.text).toBe(200);
  });
});
