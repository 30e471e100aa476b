import type { EventBridge, EventRule } from '../standins/eventbridge/bus.ts';

/**
 * When the schedule rules fire locally:
 * - `declared`: each `rate(...)` rule at its own rate, as EventBridge would (`npm start`); `cron(...)` rules
 *   only through `fire()`;
 * - `every`: every rule at one fixed interval (`npm start -- --schedules=<seconds>`);
 * - `manual`: only through `fire()`, except the rules whose name contains a key of `except`, which fire at
 *   that interval (tests: the re-drive sweep every second, the folio sync only when a test asks).
 */
export type ScheduleMode =
  | { kind: 'declared' }
  | { kind: 'every'; intervalMs: number }
  | { kind: 'manual'; except?: Record<string, number> };

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** `rate(5 minutes)` → 300000; undefined for cron expressions. */
export function rateIntervalMs(expression: string): number | undefined {
  const match = RATE.exec(expression.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2]!.replace(/s$/, '')]!;
}

function intervalFor(rule: EventRule, mode: ScheduleMode): number | undefined {
  switch (mode.kind) {
    case 'declared':
      return rateIntervalMs(rule.scheduleExpression ?? '');
    case 'every':
      return mode.intervalMs;
    case 'manual':
      return Object.entries(mode.except ?? {}).find(([fragment]) => rule.name.includes(fragment))?.[1];
  }
}

export function startSchedules(
  eventBridge: EventBridge,
  rules: EventRule[],
  mode: ScheduleMode,
): { fire(ruleName?: string): number; stop(): void } {
  const scheduled = rules.filter((rule) => rule.enabled && rule.scheduleExpression);
  const timers = scheduled.flatMap((rule) => {
    const interval = intervalFor(rule, mode);
    if (!interval) return [];
    const timer = setInterval(() => eventBridge.fireSchedule(rule), interval);
    timer.unref();
    return [timer];
  });
  return {
    /** Fires the schedule rules whose name contains `ruleName` (all when omitted); returns how many fired. */
    fire(ruleName) {
      const selected = scheduled.filter((rule) => !ruleName || rule.name.includes(ruleName));
      for (const rule of selected) eventBridge.fireSchedule(rule);
      return selected.length;
    },
    stop() {
      for (const timer of timers) clearInterval(timer);
    },
  };
}
