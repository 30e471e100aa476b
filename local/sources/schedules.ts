import type { EventBridge, EventRule } from '../standins/eventbridge/bus.ts';

/**
 * Schedule rules (`rate(...)`/`cron(...)`) fire only when asked: a developer rarely wants folio syncs hitting
 * the HKA sandbox every few minutes. `intervalMs` fires every schedule rule at that fixed interval.
 */
export function startSchedules(
  eventBridge: EventBridge,
  rules: EventRule[],
  intervalMs: number | undefined,
): { fire(ruleName?: string): number; stop(): void } {
  const scheduled = rules.filter((rule) => rule.enabled && rule.scheduleExpression);
  const timer = intervalMs
    ? setInterval(() => {
        for (const rule of scheduled) eventBridge.fireSchedule(rule);
      }, intervalMs)
    : undefined;
  timer?.unref();
  return {
    /** Fires one schedule rule by name, or all of them; returns how many fired. */
    fire(ruleName) {
      const selected = scheduled.filter((rule) => !ruleName || rule.name === ruleName);
      for (const rule of selected) eventBridge.fireSchedule(rule);
      return selected.length;
    },
    stop() {
      clearInterval(timer);
    },
  };
}
