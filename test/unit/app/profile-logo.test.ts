/**
 * The logo: accepted only as a PNG or JPEG by its bytes, with readable dimensions between 32 and 1024 pixels
 * a side and at most 200 KB; then printed on the CAFE (letter and ticket), which the PDF shows as an image.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderCafePdf } from '#shared/fiscal/cafe-pdf/index';
import { inspectLogo, LOGO_MAX_BYTES } from '#shared/tenancy/profile-logo';
import { jpegHeader, pngImage } from '#test/support/images';
import { sampleView } from '../cafe-pdf/fixtures.ts';
import { hasCommand, pdfText } from '../cafe-pdf/pdf-inspect.ts';

describe('inspectLogo', () => {
  it('reads the type and size of a PNG and of a JPEG from their headers', () => {
    expect(inspectLogo(pngImage(200, 80))).toEqual({ contentType: 'image/png', width: 200, height: 80 });
    expect(inspectLogo(jpegHeader(640, 480))).toEqual({ contentType: 'image/jpeg', width: 640, height: 480 });
  });

  it('refuses what is not a PNG or JPEG, whatever it claims to be', () => {
    expect(inspectLogo(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'))).toMatch(/PNG or JPEG/);
    expect(inspectLogo(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toMatch(/PNG or JPEG/);
    expect(inspectLogo(Buffer.alloc(0))).toMatch(/empty/);
  });

  it('refuses a PNG signature without a header, and a JPEG without a frame', () => {
    const signatureOnly = pngImage(64, 64).subarray(0, 12);
    expect(inspectLogo(signatureOnly)).toMatch(/IHDR/);
    expect(inspectLogo(Buffer.from([0xff, 0xd8, 0xff, 0xd9]))).toMatch(/frame/);
    const badDepth = pngImage(64, 64);
    badDepth[24] = 3; // bit depth 3 does not exist
    expect(inspectLogo(badDepth)).toMatch(/bit depth/);
  });

  it('refuses sides under 32 or over 1024 pixels, and more than 200 KB', () => {
    expect(inspectLogo(pngImage(31, 100))).toMatch(/between 32 and 1024/);
    expect(inspectLogo(jpegHeader(1025, 100))).toMatch(/between 32 and 1024/);
    const large = Buffer.concat([pngImage(64, 64), Buffer.alloc(LOGO_MAX_BYTES)]);
    expect(inspectLogo(large)).toMatch(/200 KB/);
  });
});

describe('PNG image data', () => {
  it('must decode to the header’s dimensions (the renderer decodes PNGs with transparency itself)', () => {
    const good = pngImage(64, 64, { alpha: true });
    expect(inspectLogo(good)).toMatchObject({ width: 64, height: 64 });
    const corrupt = Buffer.from(good);
    const data = corrupt.indexOf('IDAT') + 4;
    corrupt.fill(0xff, data, data + 20);
    expect(inspectLogo(corrupt)).toMatch(/cannot be decoded/);
    // A header claiming more rows than the data holds.
    const taller = Buffer.from(good);
    taller.writeUInt32BE(80, 20);
    expect(inspectLogo(taller)).toMatch(/does not match its dimensions/);
  });
});

describe('the logo on the CAFE', () => {
  it.each(['letter', 'ticket'] as const)(
    '%s: drawn as an image of the logo, the issuer text still printed',
    async (layout) => {
      const logo = pngImage(120, 60);
      const withLogo = await renderCafePdf(
        { ...sampleView(), logo: { data: logo, width: 120, height: 60 } },
        { layout, compress: false },
      );
      const without = await renderCafePdf(sampleView(), { layout, compress: false });
      expect(withLogo.toString('latin1')).toContain('/Subtype /Image');
      expect(without.toString('latin1')).not.toContain('/Subtype /Image');
      expect(pdfText(withLogo)).toContain('Distribuidora Ñandú, S.A.');
      if (hasCommand('pdfimages')) {
        const dir = mkdtempSync(join(tmpdir(), 'factu-logo-'));
        try {
          writeFileSync(join(dir, 'cafe.pdf'), withLogo);
          const listing = execFileSync('pdfimages', ['-list', join(dir, 'cafe.pdf')], { encoding: 'utf8' });
          expect(listing).toMatch(/^\s*1\s+\d+\s+image\s+120\s+60\b/m);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    },
  );
});
