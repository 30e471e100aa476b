/**
 * When a failed delivery is tried again: quickly at first (a receiver restarting), then further apart (a
 * receiver down for hours), every 8 hours at the end, for 3 days after the delivery was created. A receiver
 * down for a weekend still gets every event once it is back, and redeliver covers anything older.
 */
export const RETRY_DELAYS_SECONDS = [30, 120, 600, 1800, 3600, 7200, 14400, 28800] as const;

/** How long a delivery keeps being retried. */
export const RETRY_WINDOW_MS = 3 * 24 * 60 * 60 * 1000;

/**
 * The next attempt after `attempts` failed ones, or undefined when it would fall outside the retry window
 * (the delivery is then failed).
 */
export function nextAttemptAfter(attempts: number, createdAt: Date, now: Date): Date | undefined {
  const index = Math.min(Math.max(attempts, 1), RETRY_DELAYS_SECONDS.length) - 1;
  const next = new Date(now.getTime() + RETRY_DELAYS_SECONDS[index]! * 1000);
  return next.getTime() - createdAt.getTime() <= RETRY_WINDOW_MS ? next : undefined;
}
