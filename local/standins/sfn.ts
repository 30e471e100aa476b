import type { StepFunctions } from '../stepfunctions/machines.ts';
import { AwsServiceError, type JsonService, requireString } from './json-protocol.ts';

/** The Step Functions JSON API (target prefix `AWSStepFunctions`), over the local interpreter. */
export function stepFunctionsService(stepFunctions: StepFunctions): JsonService {
  const describe = (executionArn: string) => {
    const record = stepFunctions.executions.get(executionArn);
    if (!record)
      throw new AwsServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return record;
  };
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
        const record = describe(requireString(input, 'executionArn'));
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
        stepFunctions.describe(stateMachineArn);
        return {
          executions: stepFunctions.executions
            .list(stateMachineArn)
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
          type: 'STANDARD',
          creationDate: 0,
        };
      },
      ListStateMachines: () => ({
        stateMachines: stepFunctions.list().map((spec) => ({
          stateMachineArn: spec.arn,
          name: spec.name,
          type: 'STANDARD',
          creationDate: 0,
        })),
      }),
    },
  };
}
