import type { StepFunctions } from '../stepfunctions/machines.ts';
import type { JsonService } from './json-protocol.ts';
import { requireString } from './json-protocol.ts';

/**
 * The Step Functions JSON API (target prefix `AWSStepFunctions`), over the local interpreter. The service's
 * rules (names, input size, EXPRESS restrictions) live in `StepFunctions`; this maps requests and responses.
 */
export function stepFunctionsService(stepFunctions: StepFunctions): JsonService {
  return {
    targetPrefix: 'AWSStepFunctions',
    contentType: 'application/x-amz-json-1.0',
    operations: {
      StartExecution: (input) =>
        stepFunctions.start(
          requireString(input, 'stateMachineArn'),
          input.name as string | undefined,
          typeof input.input === 'string' ? input.input : '{}',
        ),
      DescribeExecution: (input) => {
        const record = stepFunctions.describeExecution(requireString(input, 'executionArn'));
        return {
          executionArn: record.executionArn,
          stateMachineArn: record.stateMachineArn,
          name: record.name,
          status: record.status,
          startDate: record.startDate,
          input: record.input,
          ...(record.stopDate ? { stopDate: record.stopDate } : {}),
          ...(record.output !== undefined ? { output: record.output } : {}),
          ...(record.error !== undefined ? { error: record.error } : {}),
          ...(record.cause !== undefined ? { cause: record.cause } : {}),
        };
      },
      StopExecution: (input) => ({
        stopDate: stepFunctions.stop(
          requireString(input, 'executionArn'),
          input.error as string | undefined,
          input.cause as string | undefined,
        ),
      }),
      ListExecutions: (input) => {
        const stateMachineArn = requireString(input, 'stateMachineArn');
        return {
          executions: stepFunctions
            .listExecutions(stateMachineArn)
            .filter((record) => !input.statusFilter || record.status === input.statusFilter)
            .sort((a, b) => b.startDate - a.startDate)
            .map(({ executionArn, name, status, startDate, stopDate }) => ({
              executionArn,
              stateMachineArn,
              name,
              status,
              startDate,
              ...(stopDate ? { stopDate } : {}),
            })),
        };
      },
      DescribeStateMachine: (input) => {
        const spec = stepFunctions.describe(requireString(input, 'stateMachineArn'));
        return {
          stateMachineArn: spec.arn,
          name: spec.name,
          status: 'ACTIVE',
          definition: JSON.stringify(spec.definition),
          roleArn: `local:${spec.name}-role`,
          type: spec.type,
          creationDate: 0,
        };
      },
      ListStateMachines: () => ({
        stateMachines: stepFunctions.list().map((spec) => ({
          stateMachineArn: spec.arn,
          name: spec.name,
          type: spec.type,
          creationDate: 0,
        })),
      }),
    },
  };
}
