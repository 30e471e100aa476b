import { inflateSync } from 'node:zlib';

/**
 * The checks a logo passes before it is stored and printed on CAFEs: a PNG or a JPEG as its bytes say (not
 * as a name or a declared type says), at most 200 KB, between 32 and 1024 pixels on each side. The
 * dimensions are read from the image's own header (PNG IHDR, JPEG start-of-frame), so a file that merely
 * starts like an image but has no readable frame is refused; a PNG's image data must also decode to those
 * dimensions (the PDF renderer decodes some PNGs itself; JPEG data it embeds as is).
 */

export const LOGO_MAX_BYTES = 200 * 1024;
export const LOGO_MIN_SIDE = 32;
export const LOGO_MAX_SIDE = 1024;

export type LogoImage = { contentType: 'image/png' | 'image/jpeg'; width: number; height: number };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Bit depths the PNG specification allows per colour type. */
const PNG_DEPTHS: Record<number, number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

function pngImage(bytes: Buffer): LogoImage | string {
  // Signature, then the IHDR chunk first: length 13, type, width, height, depth, colour type, …
  if (bytes.length < 33 || bytes.readUInt32BE(8) !== 13 || bytes.toString('latin1', 12, 16) !== 'IHDR') {
    return 'is a PNG without its IHDR header';
  }
  const depth = bytes[24]!;
  const colourType = bytes[25]!;
  if (!PNG_DEPTHS[colourType]?.includes(depth)) return 'is a PNG with an invalid colour type or bit depth';
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  const pixels = pngPixelData(bytes);
  if (pixels === undefined) return 'is a PNG whose image data cannot be decoded';
  // Each row is a filter byte and its pixels; interlaced images are stored in seven passes (checked by
  // inflating only).
  const interlaced = bytes[28] === 1;
  const rowBytes = Math.ceil((width * PNG_CHANNELS[colourType]! * depth) / 8);
  if (!interlaced && pixels.length !== height * (1 + rowBytes)) {
    return 'is a PNG whose image data does not match its dimensions';
  }
  return { contentType: 'image/png', width, height };
}

const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * The decompressed image data (the IDAT chunks, inflated), or undefined when a chunk is cut short or the data
 * does not inflate. The PDF renderer decodes the pixels of some PNGs (those with transparency) itself, where a
 * corrupt stream would fail a document's CAFE: it is refused here, at upload.
 */
function pngPixelData(bytes: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let offset = 8;
  while (offset + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    if (offset + 12 + length > bytes.length) return undefined;
    if (type === 'IDAT') parts.push(bytes.subarray(offset + 8, offset + 8 + length));
    if (type === 'IEND') break;
    offset += 12 + length;
  }
  if (parts.length === 0) return undefined;
  try {
    return inflateSync(Buffer.concat(parts), { maxOutputLength: MAX_DECODED_BYTES });
  } catch {
    return undefined;
  }
}

/** 1024 × 1024 pixels of 16-bit RGBA with a filter byte per row: nothing a valid logo exceeds. */
const MAX_DECODED_BYTES = 1024 * (1 + 1024 * 8);

/** Start-of-frame markers (baseline, extended, progressive, lossless…), not DHT (C4), JPG (C8) or DAC (CC). */
const isStartOfFrame = (marker: number) =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

function jpegImage(bytes: Buffer): LogoImage | string {
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return 'is a JPEG whose segments cannot be read';
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break; // end of image, or scan data before any frame
    const length = bytes.readUInt16BE(offset + 2);
    if (length < 2) return 'is a JPEG whose segments cannot be read';
    if (isStartOfFrame(marker)) {
      if (offset + 9 > bytes.length) break;
      return {
        contentType: 'image/jpeg',
        height: bytes.readUInt16BE(offset + 5),
        width: bytes.readUInt16BE(offset + 7),
      };
    }
    offset += 2 + length;
  }
  return 'is a JPEG without a frame header';
}

/** The image, or why it is refused (a message for the `logo` field). */
export function inspectLogo(bytes: Buffer): LogoImage | string {
  if (bytes.length === 0) return 'is empty';
  if (bytes.length > LOGO_MAX_BYTES) return `must be at most ${LOGO_MAX_BYTES / 1024} KB`;
  let image: LogoImage | string;
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) image = pngImage(bytes);
  else if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) image = jpegImage(bytes);
  else return 'must be a PNG or JPEG image';
  if (typeof image === 'string') return image;
  const sides = [image.width, image.height];
  if (sides.some((side) => side < LOGO_MIN_SIDE || side > LOGO_MAX_SIDE)) {
    return `must be between ${LOGO_MIN_SIDE} and ${LOGO_MAX_SIDE} pixels on each side (it is ${image.width}×${image.height})`;
  }
  return image;
}
