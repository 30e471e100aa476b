/**
 * Keys whose values must never reach a log line: HKA tokens, certificate PINs, private keys, bearer tokens,
 * ciphertexts of credentials. Matching is by key name (case-insensitive) so a new field called e.g.
 * `hkaTokenPassword` is covered without a code change.
 */
const SENSITIVE_KEY =
  /token|password|passwd|secret|pin$|^pin|privatekey|private_key|authorization|cookie|p12|pfx|credential|ciphertext/i;

export const REDACTED = '[REDACTED]';

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

/** A JSON replacer (also used as the logger's `jsonReplacerFn`) that masks sensitive values. */
export function redactingReplacer(key: string, value: unknown): unknown {
  if (key !== '' && isSensitiveKey(key) && value !== undefined && value !== null) return REDACTED;
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** A deep copy with sensitive values masked, for objects logged or returned in error details. */
export function redact<T>(value: T): T {
  if (value === undefined) return value;
  return JSON.parse(JSON.stringify(value, redactingReplacer)) as T;
}
