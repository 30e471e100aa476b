/**
 * Sizes of the log lines AWS writes on our behalf, which the local cloud does not produce: Lambda's own
 * START/END/REPORT lines per invocation, and API Gateway's access log line (rendered from the stage's
 * format in the template). Built from the lines' documented shapes with typical values, so the assumed
 * size is visible and follows the configuration.
 */

const REQUEST_ID = '8f0f2b7e-1b3c-4a3e-9a3e-2f0b8c9d1e2f';

/** Lambda's platform lines for one invocation (text log format), the X-Ray line included when tracing. */
export function lambdaPlatformLogLines(input: {
  memoryMb: number;
  durationMs: number;
  tracing: boolean;
}): string[] {
  const duration = input.durationMs.toFixed(2);
  const billed = Math.max(1, Math.ceil(input.durationMs));
  const used = Math.min(input.memoryMb, 100);
  const xray = input.tracing
    ? 'XRAY TraceId: 1-6650f1a2-3b4c5d6e7f8091a2b3c4d5e6\tSegmentId: 1a2b3c4d5e6f7081\tSampled: true\t'
    : '';
  return [
    `START RequestId: ${REQUEST_ID} Version: $LATEST`,
    `END RequestId: ${REQUEST_ID}`,
    `REPORT RequestId: ${REQUEST_ID}\tDuration: ${duration} ms\tBilled Duration: ${billed} ms\tMemory Size: ${input.memoryMb} MB\tMax Memory Used: ${used} MB\t${xray}`,
  ];
}

export function lambdaPlatformLogBytes(input: {
  memoryMb: number;
  durationMs: number;
  tracing: boolean;
}): number {
  return lambdaPlatformLogLines(input).reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
}

/** Typical values of the `$context` variables an access log format may use. */
export type AccessLogValues = {
  httpMethod: string;
  resourcePath: string;
  status: number;
  responseLength: number;
};

const CONTEXT_SAMPLES: Record<string, (values: AccessLogValues) => string> = {
  requestId: () => REQUEST_ID,
  extendedRequestId: () => 'XyZ1aBcDeFgHiJk=',
  'identity.sourceIp': () => '203.0.113.10',
  'identity.user': () => '-',
  'identity.caller': () => '-',
  'identity.userAgent': () => 'factu-client/1.0',
  requestTime: () => '06/May/2026:12:00:00 +0000',
  requestTimeEpoch: () => '1778068800000',
  httpMethod: (values) => values.httpMethod,
  resourcePath: (values) => values.resourcePath,
  path: (values) => values.resourcePath,
  status: (values) => String(values.status),
  protocol: () => 'HTTP/1.1',
  responseLength: (values) => String(values.responseLength),
  'integration.latency': () => '120',
  responseLatency: () => '135',
};

/** An access log line rendered from the stage's format (`$context.x` variables), newline included. */
export function accessLogLineBytes(format: string, values: AccessLogValues): number {
  const line = format.replace(/\$context\.([A-Za-z.]+)/g, (_, name: string) => {
    const sample = CONTEXT_SAMPLES[name];
    return sample ? sample(values) : '-';
  });
  return Buffer.byteLength(line) + 1;
}
