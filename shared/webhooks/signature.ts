import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The `Factu-Signature` header of a webhook delivery, Stripe-style: `t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<raw body>" keyed with the endpoint's secret>`. The timestamp is signed with the body, so a captured
 * delivery replayed later fails the receiver's tolerance check; the receiver must verify the raw bytes it
 * received (re-serialized JSON may differ).
 */
export const SIGNATURE_HEADER = 'Factu-Signature';

/** Replays older (or clocks further apart) than this are refused by default. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const SECRET_PREFIX = 'whsec_';

/** A fresh endpoint secret: `whsec_` + 32 random bytes, base64url. */
export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

function hmacHex(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/** The header value for `body` sent at `at`. */
export function signPayload(secret: string, body: string, at: Date): string {
  const timestamp = Math.floor(at.getTime() / 1000);
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, body)}`;
}

export type SignatureCheck =
  | { valid: true; timestamp: number }
  | { valid: false; reason: 'malformed-header' | 'timestamp-outside-tolerance' | 'no-matching-signature' };

/**
 * Verifies a `Factu-Signature` header against the raw body: the timestamp within `toleranceSeconds` of `now`
 * and one of its `v1` signatures (a header may carry several while a secret is rotated) equal to ours,
 * compared in constant time.
 */
export function verifySignature(
  secret: string,
  body: string,
  header: string,
  options: { now: Date; toleranceSeconds?: number },
): SignatureCheck {
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const name = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (name === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (name === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) return { valid: false, reason: 'malformed-header' };
  if (Math.abs(options.now.getTime() / 1000 - timestamp) > tolerance) {
    return { valid: false, reason: 'timestamp-outside-tolerance' };
  }
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex');
  const matches = signatures.some((signature) => timingSafeEqual(Buffer.from(signature, 'hex'), expected));
  return matches ? { valid: true, timestamp } : { valid: false, reason: 'no-matching-signature' };
}
