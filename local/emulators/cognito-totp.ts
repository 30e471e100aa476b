import { Secret, TOTP } from 'otpauth';

/**
 * Cognito's software-token MFA: RFC 6238 with SHA-1, 6 digits, 30-second steps, and a code of the previous or
 * next step still accepted (clock drift). Like Cognito, a code stays valid for its whole window: it is not
 * burnt on use.
 */
const PARAMETERS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;

/** A new shared secret, base32 as AssociateSoftwareToken's `SecretCode` (160 bits, RFC 4226's advice). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpCode(secret: string, at: number = Date.now()): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: at, ...PARAMETERS });
}

export function verifyTotpCode(secret: string, code: string, at: number = Date.now()): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  return (
    TOTP.validate({
      token: code,
      secret: Secret.fromBase32(secret),
      timestamp: at,
      window: 1,
      ...PARAMETERS,
    }) !== null
  );
}

/** The `otpauth://` URI an authenticator app reads (as a QR code or pasted). */
export function totpUri(secret: string, { issuer, account }: { issuer: string; account: string }): string {
  return new TOTP({ issuer, label: account, secret: Secret.fromBase32(secret), ...PARAMETERS }).toString();
}
