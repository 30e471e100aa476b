import type { EventRule, RuleTarget } from '../standins/eventbridge/bus.ts';
import { resourcesOfType } from './assembly.ts';
import type { TemplateResolver } from './intrinsics.ts';

/** `AWS::Events::Rule`s with their targets and the event buses (`AWS::Events::EventBus`) they live on. */
export function eventRules(resolver: TemplateResolver): { rules: EventRule[]; buses: Set<string> } {
  const buses = new Set<string>(['default']);
  for (const { stack, logicalId } of resourcesOfType(resolver.stacks, 'AWS::Events::EventBus')) {
    buses.add(resolver.physical(stack, logicalId).ref);
  }
  const rules: EventRule[] = [];
  for (const { stack, logicalId, resource } of resourcesOfType(resolver.stacks, 'AWS::Events::Rule')) {
    const properties = (resolver.resolve(resource.Properties ?? {}, stack) ?? {}) as Record<string, unknown>;
    const physical = resolver.physical(stack, logicalId);
    const pattern = properties.EventPattern;
    rules.push({
      name: physical.ref,
      arn: String(physical.attributes.Arn),
      busName: String(properties.EventBusName ?? 'default')
        .split('/')
        .pop()!,
      eventPattern: typeof pattern === 'string' ? JSON.parse(pattern) : pattern,
      scheduleExpression: properties.ScheduleExpression as string | undefined,
      enabled: (properties.State ?? 'ENABLED') === 'ENABLED',
      targets: (properties.Targets as RuleTarget[] | undefined) ?? [],
    });
  }
  return { rules, buses };
}
