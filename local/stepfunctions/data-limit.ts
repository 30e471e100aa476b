/**
 * Step Functions' quota on data: an execution's input, every state's input and output and every task's result
 * are at most 256 KiB as UTF-8 JSON. Beyond it a running execution fails with `States.DataLimitExceeded`,
 * which `States.ALL` does not catch (a Catch must name it).
 */
export const MAX_STATE_DATA_BYTES = 262_144;

export const payloadBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value) ?? 'null');

/** The error a Task state fails with; the interpreter reads `isCatchable` / `isRetryable`. */
export class DataLimitExceeded extends Error {
  readonly isRetryable = false;

  constructor(
    cause: string,
    /** Only a Catch that names `States.DataLimitExceeded` may catch it. */
    readonly isCatchable: boolean,
  ) {
    super(cause);
    this.name = 'States.DataLimitExceeded';
  }
}

export const inputTooLarge = (state: string) =>
  `The state/task '${state}' has an input with a size exceeding the maximum number of bytes service limit.`;
export const resultTooLarge = (state: string) =>
  `The state/task '${state}' returned a result with a size exceeding the maximum number of bytes service limit.`;
