/**
 * Rejected and failed documents are mailed as a digest: the first problem opens a window, and when it ends
 * one e-mail lists every problem gathered meanwhile. A problem arriving after the e-mail opens the next
 * window, so a tenant gets at most one such e-mail per window however many documents go wrong.
 */
export const DIGEST_WINDOW_MS = 15 * 60_000;

/** When a window opened by a problem at `at` ends (and its e-mail is due). */
export function digestWindowEnd(at: Date): string {
  return new Date(at.getTime() + DIGEST_WINDOW_MS).toISOString();
}

/** A window is due once its end has passed. */
export function isDigestDue(windowEndsAt: string, now: Date): boolean {
  return Date.parse(windowEndsAt) <= now.getTime();
}

/**
 * The largest sort key of the due-digests partition (`<windowEndsAt>#<tenant>`) that is due at `now`: ISO
 * instants sort as text, and `#` + U+FFFF follows every tenant id.
 */
export function dueBound(now: Date): string {
  return `${now.toISOString()}#\uffff`;
}
