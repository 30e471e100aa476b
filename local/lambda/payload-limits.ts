import { LambdaServiceError } from './errors.ts';

/**
 * Lambda's synchronous (RequestResponse) payload quotas: 6 MB each way. The figures are those of AWS's own
 * error messages: a request is refused above 6291456 bytes, a response above 6291556 bytes.
 */
export const MAX_REQUEST_BYTES = 6_291_456;
export const MAX_RESPONSE_BYTES = 6_291_556;

/** Refuses an invocation whose JSON payload Lambda would not accept (the Invoke API's 413). */
export function assertRequestWithinLimit(event: unknown): void {
  const size = Buffer.byteLength(JSON.stringify(event) ?? 'null');
  if (size > MAX_REQUEST_BYTES) {
    throw new LambdaServiceError(
      'RequestEntityTooLargeException',
      `Request must be smaller than ${MAX_REQUEST_BYTES} bytes for the InvokeFunction operation`,
    );
  }
}
