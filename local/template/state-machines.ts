import type { AslDefinition, StateMachineSpec, StateMachineType } from '../stepfunctions/machines.ts';
import { resourcesOfType } from './assembly.ts';
import type { TemplateResolver } from './intrinsics.ts';

/**
 * `AWS::StepFunctions::StateMachine` definitions with intrinsics resolved: `DefinitionString` (what the CDK
 * emits, usually an `Fn::Join` around function ARNs) or `Definition` + `DefinitionSubstitutions`, and the
 * machine's `StateMachineType` (STANDARD when absent, as in CloudFormation).
 */
export function stateMachineSpecs(resolver: TemplateResolver): StateMachineSpec[] {
  return resourcesOfType(resolver.stacks, 'AWS::StepFunctions::StateMachine').map(
    ({ stack, logicalId, resource }) => {
      const properties = resource.Properties ?? {};
      let text: string;
      if (properties.DefinitionString !== undefined) {
        text = resolver.resolveString(properties.DefinitionString, stack);
      } else {
        text = JSON.stringify(resolver.resolve(properties.Definition ?? {}, stack));
      }
      const substitutions = (resolver.resolve(properties.DefinitionSubstitutions ?? {}, stack) ??
        {}) as Record<string, unknown>;
      text = text.replace(/\$\{([^}]+)\}/g, (match, name: string) =>
        name in substitutions ? String(substitutions[name]) : match,
      );
      const physical = resolver.physical(stack, logicalId);
      const type = String(resolver.resolve(properties.StateMachineType, stack) ?? 'STANDARD');
      if (type !== 'STANDARD' && type !== 'EXPRESS') {
        throw new Error(`${logicalId}: unknown StateMachineType ${type}`);
      }
      return {
        arn: physical.ref,
        name: String(physical.attributes.Name),
        definition: JSON.parse(text) as AslDefinition,
        type: type as StateMachineType,
      };
    },
  );
}
