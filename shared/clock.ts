import { readFileSync, statSync } from 'node:fs';

/**
 * The application's clock: every time-based decision reads `now()` — attempt leases and the re-drive sweep,
 * the HKA circuit breaker, the 72-hour wait, contingency thresholds, alert windows, certificate expiry,
 * webhook retries.
 *
 * On AWS it is the system clock. The local cloud can move it forward (a test clock): it sets
 * `FACTU_CLOCK_FILE` on every function and writes `{"offsetMs": n}` there, so a test lets an HKA outage
 * last ten minutes, or a certificate come within a week of its expiry, without waiting. The file is read
 * again only when it changes (one stat per call), and a missing or unreadable file means no offset.
 */
export function now(): Date {
  return new Date(Date.now() + clockOffsetMs());
}

let cached: { path: string; mtimeMs: number; offsetMs: number } | undefined;

function clockOffsetMs(): number {
  const path = process.env.FACTU_CLOCK_FILE;
  if (!path) return 0;
  try {
    const { mtimeMs } = statSync(path);
    if (cached?.path === path && cached.mtimeMs === mtimeMs) return cached.offsetMs;
    const { offsetMs } = JSON.parse(readFileSync(path, 'utf8')) as { offsetMs?: unknown };
    const offset = typeof offsetMs === 'number' && Number.isFinite(offsetMs) ? offsetMs : 0;
    cached = { path, mtimeMs, offsetMs: offset };
    return offset;
  } catch {
    return 0;
  }
}
