/**
 * Files the company settings send to the API as base64 (the logo, the signing certificate): checked in the
 * browser against the API's own limits before anything is sent, so the person learns at once what to fix.
 */

/** The API's logo limits: PNG or JPEG, ≤ 200 KB (its pixel size is checked by the API). */
export const LOGO_TYPES = ['image/png', 'image/jpeg'] as const;
export const LOGO_MAX_BYTES = 200 * 1024;
/** The API takes at most 200,000 base64 characters of P12: 150,000 bytes. */
export const CERTIFICATE_MAX_BYTES = 150_000;

export type FileProblem = { problem: 'wrong-type' } | { problem: 'too-big'; kilobytes: number };

export function logoProblem(file: { type: string; size: number }): FileProblem | undefined {
  if (!(LOGO_TYPES as readonly string[]).includes(file.type)) return { problem: 'wrong-type' };
  return sizeProblem(file.size, LOGO_MAX_BYTES);
}

export function certificateProblem(file: { size: number }): FileProblem | undefined {
  return sizeProblem(file.size, CERTIFICATE_MAX_BYTES);
}

function sizeProblem(size: number, max: number): FileProblem | undefined {
  return size > max ? { problem: 'too-big', kilobytes: Math.ceil(size / 1024) } : undefined;
}

/** The file's bytes as plain base64 (no `data:` prefix), as the API's JSON bodies take them. */
export async function base64Of(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  return btoa(binary);
}

/** How a certificate's validity reads: renewing one takes the DGI's and the CA's time, so warn 30 days ahead. */
export const EXPIRY_WARNING_DAYS = 30;
export type Validity = 'expired' | 'expiring-soon' | 'valid' | 'unknown';

export function validityOf(notAfter: string | null, now: Date): Validity {
  if (notAfter === null) return 'unknown';
  const left = Date.parse(notAfter) - now.getTime();
  if (Number.isNaN(left)) return 'unknown';
  if (left <= 0) return 'expired';
  return left <= EXPIRY_WARNING_DAYS * 24 * 60 * 60 * 1000 ? 'expiring-soon' : 'valid';
}
