/** An error raised by (or on behalf of) a Lambda function, keeping the `errorType` as `name`. */
export class FunctionError extends Error {
  constructor(
    name: string,
    message: string,
    readonly trace: string[] = [],
  ) {
    super(message);
    this.name = name;
  }

  /** The payload Lambda returns for a failed invocation (what Step Functions puts in `Cause`). */
  toPayload(): { errorType: string; errorMessage: string; trace: string[] } {
    return { errorType: this.name, errorMessage: this.message, trace: this.trace };
  }
}

/**
 * The Lambda service refusing an invocation before any function code runs (the Invoke API's error, such as
 * `RequestEntityTooLargeException`), as opposed to a `FunctionError` raised by the function.
 */
export class LambdaServiceError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}
