import { describe, expect, it } from 'vitest';
import { nextAttemptAfter, RETRY_DELAYS_SECONDS, RETRY_WINDOW_MS } from '#shared/webhooks/retry-schedule';

const createdAt = new Date('2026-12-06T00:00:00.000Z');

describe('webhook retry schedule', () => {
  it('waits 30 s, 2 m, 10 m, 30 m, 1 h, 2 h, 4 h, 8 h, then every 8 h', () => {
    // Act: the wait after each failed attempt, each attempt made when it was due
    let at = createdAt;
    const waits: number[] = [];
    for (let attempts = 1; attempts <= 10; attempts++) {
      const next = nextAttemptAfter(attempts, createdAt, at)!;
      waits.push((next.getTime() - at.getTime()) / 1000);
      at = next;
    }

    // Assess
    expect(waits).toEqual([...RETRY_DELAYS_SECONDS, 28800, 28800]);
  });

  it('gives up once the next attempt would fall more than 3 days after the delivery was created', () => {
    // Prepare
    let at = createdAt;
    let attempts = 1;

    // Act
    for (;;) {
      const next = nextAttemptAfter(attempts, createdAt, at);
      if (!next) break;
      at = next;
      attempts++;
    }

    // Assess
    expect(at.getTime() - createdAt.getTime()).toBeLessThanOrEqual(RETRY_WINDOW_MS);
    expect(at.getTime() + 8 * 3600_000 - createdAt.getTime()).toBeGreaterThan(RETRY_WINDOW_MS);
    expect(attempts).toBe(16);
  });
});
