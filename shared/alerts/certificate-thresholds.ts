/** Days before a certificate's expiry at which its tenant's ADMINs are warned. */
export const CERTIFICATE_EXPIRY_THRESHOLDS = [30, 7, 1] as const;

const DAY_MS = 86_400_000;

/** Whole days left until `notAfter` (rounded up: 1 h left is 1 day); 0 or less once it has expired. */
export function daysUntil(notAfter: Date, now: Date): number {
  // `|| 0`: a part day past expiry rounds to -0, which is no day left, as 0 is.
  return Math.ceil((notAfter.getTime() - now.getTime()) / DAY_MS) || 0;
}

/**
 * The tightest threshold the certificate is within (5 days left → 7), or undefined when it is further
 * away than the widest or already expired (signing then refuses it; there is nothing left to warn of).
 * Only the tightest one is alerted: a certificate first seen 5 days out gets the 7-day e-mail, not 30 and 7.
 */
export function crossedThreshold(daysLeft: number): number | undefined {
  if (daysLeft <= 0) return undefined;
  return [...CERTIFICATE_EXPIRY_THRESHOLDS].sort((a, b) => a - b).find((days) => daysLeft <= days);
}
