import { describe, expect, it } from 'vitest';
import {
  chunks64k,
  costLine,
  expressBilled,
  gbSeconds,
  lambdaBilledMs,
  totalPerThousand,
} from '../../../bench/cost/billing';
import {
  accessLogLineBytes,
  lambdaPlatformLogBytes,
  lambdaPlatformLogLines,
} from '../../../bench/cost/log-sizes';
import { PRICES } from '../../../bench/cost/prices';
import { runsPerMonth } from '../../../bench/cost/template-model';

describe('Lambda duration billing', () => {
  it('rounds each run up to the next millisecond, at least one', () => {
    // Act & Assess
    expect(lambdaBilledMs(412.01)).toBe(413);
    expect(lambdaBilledMs(412)).toBe(412);
    expect(lambdaBilledMs(0.2)).toBe(1);
  });

  it('turns billed milliseconds and memory into GB-seconds (1 GB = 1,024 MB)', () => {
    // Act & Assess
    expect(gbSeconds(1000, 1024)).toBe(1);
    expect(gbSeconds(413, 512)).toBeCloseTo(0.2065, 10);
  });
});

describe('Step Functions Express billing', () => {
  it('rounds the duration up to 100 ms and the memory up to 64 MB steps', () => {
    // Act
    const short = expressBilled(788.5);
    const exact = expressBilled(800);
    const bigger = expressBilled(150, 65);

    // Assess
    expect(short.billedMs).toBe(800);
    expect(short.gbSeconds).toBeCloseTo(0.8 * (64 / 1024), 12);
    expect(exact.billedMs).toBe(800);
    expect(bigger).toEqual({ billedMs: 200, gbSeconds: 0.2 * (128 / 1024) });
  });

  it('bills at least 100 ms', () => {
    // Act & Assess
    expect(expressBilled(3).billedMs).toBe(100);
  });
});

describe('price × count per 1,000 documents', () => {
  it('prices a count per document for 1,000 documents', () => {
    // Act
    const line = costLine('DynamoDB', 'writes', 15, PRICES.dynamodbWrite);

    // Assess
    expect(line.usdPerThousandDocuments).toBeCloseTo(15 * 0.625e-6 * 1000, 12);
    expect(line.unit).toBe('write request unit ($0.625 per million)');
    expect(line.priceUrl).toMatch(/^https:\/\/aws\.amazon\.com\/dynamodb\//);
  });

  it('adds lines up', () => {
    // Arrange
    const lines = [
      costLine('API Gateway', 'POST', 1, PRICES.apiGatewayRestRequest),
      costLine('Lambda', 'requests', 3, PRICES.lambdaRequest),
    ];

    // Act & Assess
    expect(totalPerThousand(lines)).toBeCloseTo(0.0035 + 0.0006, 12);
  });

  it('counts 64 KB chunks for EventBridge and SQS', () => {
    // Act & Assess
    expect(chunks64k(10)).toBe(1);
    expect(chunks64k(64 * 1024)).toBe(1);
    expect(chunks64k(64 * 1024 + 1)).toBe(2);
  });
});

describe('schedule rates', () => {
  it('counts the runs of a rate expression in a month of 730 hours', () => {
    // Act & Assess
    expect(runsPerMonth('rate(1 minute)')).toBe(43_800);
    expect(runsPerMonth('rate(6 hours)')).toBeCloseTo(730 / 6, 10);
    expect(runsPerMonth('rate(2 days)')).toBeCloseTo(730 / 48, 10);
    expect(runsPerMonth('cron(0 12 * * ? *)')).toBeUndefined();
  });
});

describe('log lines AWS writes for us', () => {
  it("renders Lambda's START, END and REPORT lines, with the X-Ray part when tracing", () => {
    // Act
    const traced = lambdaPlatformLogLines({ memoryMb: 512, durationMs: 412.3, tracing: true });
    const plain = lambdaPlatformLogBytes({ memoryMb: 512, durationMs: 412.3, tracing: false });

    // Assess
    expect(traced[0]).toMatch(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/);
    expect(traced[2]).toContain('Billed Duration: 413 ms\tMemory Size: 512 MB');
    expect(traced[2]).toContain('XRAY TraceId:');
    expect(lambdaPlatformLogBytes({ memoryMb: 512, durationMs: 412.3, tracing: true })).toBeGreaterThan(
      plain,
    );
  });

  it("renders an access log line from the stage's format", () => {
    // Arrange
    const format =
      '{"requestId":"$context.requestId","status":"$context.status","len":"$context.responseLength"}';

    // Act
    const bytes = accessLogLineBytes(format, {
      httpMethod: 'POST',
      resourcePath: '/v1/documents',
      status: 202,
      responseLength: 230,
    });

    // Assess
    expect(bytes).toBe(
      Buffer.byteLength('{"requestId":"8f0f2b7e-1b3c-4a3e-9a3e-2f0b8c9d1e2f","status":"202","len":"230"}') +
        1,
    );
  });
});
