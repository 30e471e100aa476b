import { AwsServiceError } from '../standins/json-protocol.ts';

export type AslState = {
  Type: string;
  Resource?: string;
  Retry?: unknown[];
  Catch?: Array<{ ErrorEquals: string[] }>;
  Branches?: AslDefinition[];
  Iterator?: AslDefinition;
  ItemProcessor?: AslDefinition;
};
export type AslDefinition = { StartAt: string; States: Record<string, AslState>; TimeoutSeconds?: number };

/** Every state, including those nested in Parallel branches and Map processors (overrides are by name). */
export function allStates(definition: AslDefinition): Array<[string, AslState]> {
  const found: Array<[string, AslState]> = [];
  for (const [name, state] of Object.entries(definition.States)) {
    found.push([name, state]);
    for (const branch of state.Branches ?? []) found.push(...allStates(branch));
    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor) found.push(...allStates(processor));
  }
  return found;
}

/**
 * What CreateStateMachine refuses for an EXPRESS machine: the run-a-job (`.sync`) and callback
 * (`.waitForTaskToken`) integration patterns and activities. AWS refuses such a definition when the machine is
 * created (so the stack deploy fails); locally, when the local cloud starts.
 */
export function assertExpressCompatible(machineName: string, definition: AslDefinition): void {
  for (const [stateName, state] of allStates(definition)) {
    const resource = state.Resource ?? '';
    const pattern = /\.(sync(?::\d+)?|waitForTaskToken)$/.exec(resource)?.[1];
    const activity = /^arn:[^:]+:states:[^:]*:[^:]*:activity:/.test(resource);
    if (pattern || activity) {
      throw new AwsServiceError(
        'InvalidDefinition',
        `Invalid State Machine Definition: state machine '${machineName}' is EXPRESS, which does not support ${
          activity ? 'activities' : `the '.${pattern}' service integration pattern`
        } (state '${stateName}', resource '${resource}')`,
      );
    }
  }
}
