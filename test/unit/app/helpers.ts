import type { ApiEvent } from '#shared/http/event';
import { logger } from '#shared/observability/logger';
import type { AuthorizerContext } from '#shared/tenancy/context';

/** Environment the functions get from infra/, with fake resource names. */
export function setTestEnv(): void {
  Object.assign(process.env, {
    TABLE_NAME: 'factu-test',
    DOCUMENTS_BUCKET_NAME: 'factu-documents-test',
    WORK_FILES_BUCKET_NAME: 'factu-work-files-test',
    ISSUING_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:111111111111:stateMachine:issuing',
    EVENT_BUS_NAME: 'factu-test',
    DATA_KEY_ID: 'alias/factu-data',
    HKA_DEMO_ENDPOINT: 'http://127.0.0.1:9/ws/obj/v1.0/Service.svc',
    HKA_PROD_ENDPOINT: 'http://127.0.0.1:9/prod/Service.svc',
    PLATFORM_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:factu-platform',
    CURSOR_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:factu-cursor',
    USER_POOL_ID: 'us-east-1_pool',
    EMAIL_FROM_ADDRESS: 'facturas@factu.test',
    EMAIL_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/111111111111/email',
    FOLIO_SYNC_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/111111111111/folio-sync',
    EXPORT_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/111111111111/export',
    BATCH_VALIDATION_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/111111111111/batch-validation',
    BATCH_ISSUE_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/111111111111/batch-issue',
    DOWNLOAD_URL_TTL_SECONDS: '300',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  // The logger is built at import time, before this runs.
  logger.setLogLevel('SILENT');
}

export const TENANT = 'tenant-a';

/** What the API's Lambda authorizer hands a route (`AuthorizerContext`): a USER of tenant-a by default. */
export function principal(overrides: Partial<AuthorizerContext> = {}): AuthorizerContext {
  return {
    actorType: 'user',
    actorId: 'user-1',
    actorLabel: 'user@tenant-a.test',
    tenantId: TENANT,
    roles: 'USER',
    tenantStatus: 'active',
    apiKeyEnvironment: '',
    ...overrides,
  };
}

export function apiEvent(
  partial: Partial<ApiEvent> & { authorizer?: AuthorizerContext | null } = {},
): ApiEvent {
  const { authorizer, ...rest } = partial;
  return {
    httpMethod: 'GET',
    path: '/v1/test',
    headers: {},
    pathParameters: null,
    queryStringParameters: null,
    body: null,
    ...rest,
    requestContext: {
      requestId: 'req-123',
      authorizer: authorizer === null ? null : (authorizer ?? principal()),
    },
  };
}

export const lambdaContext = {
  awsRequestId: 'aws-req-1',
  functionName: 'test-fn',
  functionVersion: '1',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:test-fn',
  memoryLimitInMB: '512',
  logGroupName: '/aws/lambda/test',
  logStreamName: 's',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 10_000,
  done() {},
  fail() {},
  succeed() {},
};

export type Envelope = {
  success: boolean;
  data?: unknown;
  error?: string;
  code?: string;
  details?: { path: string; message: string }[];
  requestId?: string;
  timestamp?: string;
};

export function parseBody(response: { body: string }): Envelope {
  return JSON.parse(response.body) as Envelope;
}
