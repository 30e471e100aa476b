/**
 * Pagination cursors the caller cannot forge: `c1.<payload>.<mac>`, the payload being the start key of the
 * next page (base64url JSON) and the MAC an HMAC-SHA256 over it, the tenant and the listing it belongs to
 * (index and every filter), keyed with the platform's cursor secret. A cursor crafted, altered, taken from
 * another tenant or from a listing with other filters does not open, so a query never starts from a key
 * the service did not hand out (DynamoDB answers those with a ValidationException: a 500 before).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const VERSION = 'c1';
const MAC_BYTES = 32;

/** Who and what a cursor belongs to; every field takes part in the MAC. */
export type CursorBinding = {
  tenantId: string;
  /** The listing, as ordered name/value pairs (index, filters); absent filters are `null`. */
  listing: ReadonlyArray<readonly [string, string | number | null]>;
};

function mac(payload: string, binding: CursorBinding, secret: string): Buffer {
  return createHmac('sha256', secret)
    .update(`${VERSION}\n${binding.tenantId}\n${JSON.stringify(binding.listing)}\n${payload}`)
    .digest();
}

export function sealCursor(key: Record<string, unknown>, binding: CursorBinding, secret: string): string {
  const payload = Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
  return `${VERSION}.${payload}.${mac(payload, binding, secret).toString('base64url')}`;
}

/** The start key a cursor carries, or undefined when it was not sealed for this tenant and listing. */
export function openCursor(
  cursor: string,
  binding: CursorBinding,
  secret: string,
): Record<string, unknown> | undefined {
  const parts = cursor.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) return undefined;
  const [, payload = '', sealed = ''] = parts;
  const given = Buffer.from(sealed, 'base64url');
  if (given.length !== MAC_BYTES || !timingSafeEqual(given, mac(payload, binding, secret))) return undefined;
  try {
    const key: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return key !== null && typeof key === 'object' && !Array.isArray(key)
      ? (key as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
