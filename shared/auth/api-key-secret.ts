import { createHmac, randomBytes } from 'node:crypto';

export const API_KEY_ENVIRONMENTS = ['test', 'live'] as const;
export type ApiKeyEnvironment = (typeof API_KEY_ENVIRONMENTS)[number];

/** 32 bytes of CSPRNG output: 256 bits, 43 base64url characters. */
const SECRET_ENTROPY_BYTES = 32;
/** Characters of the random part kept in the public prefix: enough to tell keys apart, 48 bits of 256. */
const PREFIX_RANDOM_CHARS = 8;

/** `fk_<environment>_` + the random part; anything else with the `fk_` mark is still refused the same way. */
export const API_KEY_SECRET_PATTERN = /^fk_(test|live)_[A-Za-z0-9_-]{43}$/;

/** Tokens with this mark are API keys; every other bearer token is taken as a Cognito ID token. */
export const API_KEY_MARK = 'fk_';

/** A new key's secret, shown to its creator once and stored only as its HMAC. */
export function generateApiKeySecret(environment: ApiKeyEnvironment): string {
  return `fk_${environment}_${randomBytes(SECRET_ENTROPY_BYTES).toString('base64url')}`;
}

/** The public part that names a key in listings and audit entries: `fk_live_AbCd1234`. */
export function publicPrefixOf(secret: string): string {
  const [, environment, random] = /^fk_(test|live)_(.*)$/.exec(secret) ?? [];
  return `fk_${environment ?? 'unknown'}_${(random ?? '').slice(0, PREFIX_RANDOM_CHARS)}`;
}

/**
 * The keyed hash a key is stored and found by. Keyed (HMAC with a secret of its own in Secrets Manager), so a
 * copy of the table alone allows no offline guessing, and the same for every input: the authorizer computes
 * it for every `fk_` token, well-formed or not.
 */
export function apiKeyHmac(secret: string, hashKey: string): string {
  return createHmac('sha256', hashKey).update(secret, 'utf8').digest('base64url');
}
