/**
 * The Powertools middlewares on every kind of handler: one invocation's log keys never reach the next one's
 * lines (also when a middleware answers early), a poison SQS record is the only one reported, the platform
 * secret is fetched once per max age.
 */

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

// The logger takes its level from the environment when it is built, and every invocation restores that
// level (the unit tests run with SILENT): set INFO before anything that loads the logger is imported.
process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
const { apiEvent, principal, lambdaContext, setTestEnv, TENANT } = await import('./helpers.ts');
setTestEnv();
const { createApiHandler } = await import('#shared/http/handler');
const { defineOperation } = await import('#shared/http/operation');
const { bodyHash, completedItem } = await import('#shared/data/idempotency');
const { pipelineTask } = await import('#shared/documents/pipeline/task');
const { sqsBatchHandler } = await import('#shared/events/sqs-batch');
const { logger } = await import('#shared/observability/logger');
logger.setLogLevel('INFO'); // setTestEnv silenced it
const { platformSecrets, resetPlatformSecretsForTests, PLATFORM_SECRET_MAX_AGE_SECONDS } = await import(
  '#shared/config/secrets'
);

const ddb = mockClient(DynamoDBDocumentClient);
const secretsManager = mockClient(SecretsManagerClient);

type LogLine = Record<string, unknown> & { message: string; level: string };

/** Runs `act` and returns the JSON log lines it wrote (stdout and stderr). */
async function logLinesOf(act: () => Promise<unknown>): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  const collect = (chunk: unknown) => {
    for (const text of String(chunk).split('\n')) {
      if (text.startsWith('{"level"')) lines.push(JSON.parse(text) as LogLine);
    }
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(collect),
    vi.spyOn(process.stderr, 'write').mockImplementation(collect),
  ];
  try {
    await act();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines;
}

const readThing = defineOperation({
  operationId: 'readThing',
  method: 'get',
  path: '/v1/things/{id}',
  summary: 'test',
  tags: ['test'],
  permission: 'documents:read',
  params: z.object({ id: z.string() }),
  successStatus: 200,
});
const createThing = defineOperation({
  operationId: 'createThing',
  method: 'post',
  path: '/v1/things',
  summary: 'test',
  tags: ['test'],
  permission: 'documents:issue',
  body: z.object({ name: z.string() }),
  idempotent: true,
  successStatus: 201,
});

const read = createApiHandler(readThing, async ({ params }) => {
  logger.appendKeys({ thingOwner: 'owner-of-T1' });
  if (params.id === 'T500') throw new Error('unexpected');
  return { data: { id: params.id } };
});
const create = createApiHandler(createThing, async () => ({ data: { id: 'T1' } }));

beforeEach(() => {
  ddb.reset();
  ddb.on(GetCommand).resolves({});
  ddb.on(PutCommand).resolves({});
});

/** A workflow state of attempt 1 on the default channel. */
const attemptOf = (tenantId: string, documentId: string) => ({
  tenantId,
  documentId,
  attempt: 1,
  channel: 'hka-integration' as const,
  executionId: 'arn:exec',
});

describe('API handlers', () => {
  it('log the failure with the tenant keys, and the next invocation carries none of them', async () => {
    // Prepare
    const failing = apiEvent({ pathParameters: { id: 'T500' } });
    const anonymous = apiEvent({ pathParameters: { id: 'T1' }, authorizer: null });
    anonymous.requestContext = { ...anonymous.requestContext, requestId: 'req-456' };

    // Act
    const first = await logLinesOf(() => read(failing, lambdaContext));
    const second = await logLinesOf(() => read(anonymous, lambdaContext));

    // Assess
    const failure = first.find((line) => line.message === 'Unhandled error');
    expect(failure).toMatchObject({ tenantId: TENANT, actorId: 'user-1', thingOwner: 'owner-of-T1' });
    expect(failure?.function_request_id).toBe('aws-req-1');
    const refused = second.find((line) => line.message === 'Request refused');
    expect(refused).toMatchObject({ requestId: 'req-456', statusCode: 401 });
    for (const key of ['tenantId', 'actorId', 'thingOwner']) expect(refused).not.toHaveProperty(key);
  });

  it('drop the keys after an idempotent replay, which ends the middleware chain early', async () => {
    // Prepare
    const payload = { name: 'x' };
    const scope = { tenantId: TENANT, operation: 'createThing', key: 'key-1', bodyHash: bodyHash(payload) };
    const stored = { statusCode: 201, headers: {}, body: '{"success":true}' };
    // The key is taken (the claim's conditional put fails) by a completed record: the replay.
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'taken', $metadata: {} }));
    ddb.on(GetCommand).resolves({ Item: completedItem(scope, stored, new Date()) });
    const replayed = apiEvent({
      httpMethod: 'POST',
      body: JSON.stringify(payload),
      headers: { 'Idempotency-Key': 'key-1' },
      authorizer: principal({ roles: 'ADMIN' }),
    });

    // Act
    const response = await create(replayed, lambdaContext);
    const next = await logLinesOf(() =>
      read(apiEvent({ pathParameters: { id: 'T1' }, authorizer: null }), lambdaContext),
    );

    // Assess
    expect(response.headers?.['idempotent-replayed']).toBe('true');
    const refused = next.find((line) => line.message === 'Request refused');
    expect(refused).toBeDefined();
    expect(refused).not.toHaveProperty('tenantId');
    expect(refused).not.toHaveProperty('operationId', 'createThing');
  });
});

describe('pipeline steps', () => {
  it("carry their own tenant and document, never the previous step invocation's keys", async () => {
    // Prepare
    const step = pipelineTask('probe', async (state) => {
      if (state.documentId === 'doc-1') {
        logger.appendKeys({ hkaAttempt: 3 });
        throw Object.assign(new Error('HKA did not answer'), { name: 'HkaTransientError' });
      }
      return state;
    });

    // Act
    const first = await logLinesOf(() =>
      step({ ...attemptOf('tenant-a', 'doc-1') }, lambdaContext).catch((error: Error) => error),
    );
    const second = await logLinesOf(() => step({ ...attemptOf('tenant-b', 'doc-2') }, lambdaContext));

    // Assess
    expect(first.find((line) => line.message === 'Step failed')).toMatchObject({
      level: 'WARN',
      step: 'probe',
      tenantId: 'tenant-a',
      documentId: 'doc-1',
      hkaAttempt: 3,
      errorName: 'HkaTransientError',
    });
    const done = second.find((line) => line.message === 'Step done');
    expect(done).toMatchObject({ tenantId: 'tenant-b', documentId: 'doc-2' });
    expect(done).not.toHaveProperty('hkaAttempt');
  });

  it('propagate the error unchanged (Step Functions matches on its name)', async () => {
    const step = pipelineTask('probe', async () => {
      throw Object.assign(new Error('rejected'), { name: 'HkaRejectedError' });
    });
    await expect(logLinesOf(() => step({ ...attemptOf('t', 'd') }, lambdaContext))).rejects.toMatchObject({
      name: 'HkaRejectedError',
      message: 'rejected',
    });
  });
});

describe('SQS consumers', () => {
  it('report a poison record as the only batch item failure while the others succeed', async () => {
    // Prepare
    const processed: string[] = [];
    const consume = sqsBatchHandler('probe-consumer', async (body) => {
      const message = JSON.parse(body) as { n: number };
      processed.push(String(message.n));
    });
    const event = {
      Records: [
        { messageId: 'm0', body: '{"n":0}' },
        { messageId: 'm1', body: 'not json' },
        { messageId: 'm2', body: '{"n":2}' },
      ],
    };

    // Act
    let response: unknown;
    const lines = await logLinesOf(async () => {
      response = await consume(event, lambdaContext);
    });

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(processed.sort()).toEqual(['0', '2']);
    expect(lines.find((line) => line.message === 'Message failed')).toMatchObject({
      consumer: 'probe-consumer',
      messageId: 'm1',
    });
  });

  it('answer a batch whose every record failed with every record, not an error', async () => {
    const consume = sqsBatchHandler('probe-consumer', async () => {
      throw new Error('SES refused');
    });
    const event = { Records: [{ messageId: 'only', body: '{}' }] };
    const response = await logLinesOf(() => consume(event, lambdaContext)).then(() => consume(event));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'only' }] });
  });
});

describe('platform secret', () => {
  afterEach(() => {
    vi.useRealTimers();
    resetPlatformSecretsForTests();
  });

  it('is fetched once per max age and read from the cache in between', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-01T10:00:00Z'));
    secretsManager.reset();
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: JSON.stringify({ qrHmacSecret: 'first-key' }) })
      .resolves({ SecretString: JSON.stringify({ qrHmacSecret: 'rotated-key' }) });
    const later = (seconds: number) => new Date(Date.parse('2026-03-01T10:00:00Z') + seconds * 1000);

    // Act
    const cold = await platformSecrets();
    const warm = await platformSecrets();
    vi.setSystemTime(later(PLATFORM_SECRET_MAX_AGE_SECONDS - 1));
    const stillCached = await platformSecrets();
    const callsWithinMaxAge = secretsManager.commandCalls(GetSecretValueCommand).length;
    vi.setSystemTime(later(PLATFORM_SECRET_MAX_AGE_SECONDS + 1));
    const refreshed = await platformSecrets();

    // Assess
    expect([cold, warm, stillCached].map((s) => s.qrSecret)).toEqual(['first-key', 'first-key', 'first-key']);
    expect(callsWithinMaxAge).toBe(1);
    expect(refreshed.qrSecret).toBe('rotated-key');
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    expect(secretsManager.commandCalls(GetSecretValueCommand)[0]!.args[0].input.SecretId).toBe(
      process.env.PLATFORM_SECRET_ARN,
    );
  });
});
