import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_STACK_NAME } from '#infra/app';
import { parseConfig } from '#infra/config';
import { ENTRY_METADATA_KEY } from '#infra/constructs/app-function';
import { PLATFORM_PARTITION_KEY, SIGNING_KEY_TAG, SIGNING_KEY_TENANT_TAG } from '#infra/constructs/grants';
import { WORK_FILES_EXPIRY_DAYS } from '#infra/constructs/work-files-bucket';
import {
  apiRoutes,
  authorizerFunction,
  eventFunctions,
  type Grant,
  isPublic,
  methodOf,
  pipelineFunctions,
} from '#infra/routes';
import { BATCH_ISSUE_CONCURRENCY } from '#infra/stacks/stateless-stack';
import { CLI_LOGIN_REDIRECT_URI } from '#shared/cli/login/loopback';
import { loadConfig } from '#shared/config/config';
import { INDEX_LIST } from '#shared/data/indexes';
import { IN_FLIGHT_SHARDS, inFlightPartition, PLATFORM_PARTITION } from '#shared/data/keys';
import { apiOperations } from '#shared/documents/openapi';
import { EVENT_CATALOG, WEBHOOK_EVENT_TYPES } from '#shared/events/catalog';
import { MAX_EXPORT_RUNS } from '#shared/exports/api';
import { renderDefinitionString } from '#state-machines/issuing-pipeline/render-asl';
import { type CfnResource, type CfnTemplate, resourcesOfType, type Synthesized, synth } from './synth';

let s: Synthesized;
beforeAll(async () => {
  s = await synth();
});

type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
};
const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** logicalId of the function whose `factu:entry` metadata is `entry`. */
function functionFor(template: CfnTemplate, entry: string): [string, CfnResource] {
  const found = resourcesOfType(template, 'AWS::Lambda::Function').filter(
    ([, r]) => r.Metadata?.[ENTRY_METADATA_KEY] === entry,
  );
  expect(found, `exactly one function for ${entry}`).toHaveLength(1);
  return found[0]!;
}

/** `/v1/documents/{id}` of an AWS::ApiGateway::Resource, walking ParentId up to the root. */
function resourcePath(template: CfnTemplate, resourceRef: unknown): string {
  const ref = resourceRef as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  if (ref['Fn::GetAtt']?.[1] === 'RootResourceId') return '';
  const resource = template.Resources[ref.Ref!]!;
  const props = resource.Properties as { PathPart: string; ParentId: unknown };
  return `${resourcePath(template, props.ParentId)}/${props.PathPart}`;
}

/** All Allow statements of the inline policies attached to a role. */
function statementsOfRole(template: CfnTemplate, roleLogicalId: string): Statement[] {
  return resourcesOfType(template, 'AWS::IAM::Policy')
    .filter(([, p]) =>
      asArray((p.Properties as { Roles: unknown[] }).Roles).some(
        (r) => (r as { Ref?: string }).Ref === roleLogicalId,
      ),
    )
    .flatMap(
      ([, p]) => (p.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement,
    );
}

function roleOf(fn: CfnResource): string {
  return (fn.Properties as { Role: { 'Fn::GetAtt': [string, string] } }).Role['Fn::GetAtt'][0];
}

/** Logical id of the function's tenant access role (`TENANT_ROLE_ARN`), if it has one. */
function tenantRoleOf(fn: CfnResource): string | undefined {
  const env = (fn.Properties as { Environment: { Variables: Record<string, unknown> } }).Environment
    .Variables;
  return (env.TENANT_ROLE_ARN as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];
}

/** The inline policy statements of a role (where the tenant access roles keep theirs). */
function inlineStatementsOfRole(template: CfnTemplate, roleLogicalId: string): Statement[] {
  const role = template.Resources[roleLogicalId]!;
  const policies = (role.Properties as { Policies?: { PolicyDocument: { Statement: Statement[] } }[] })
    .Policies;
  return (policies ?? []).flatMap((p) => p.PolicyDocument.Statement);
}

/**
 * What each grant adds to the execution role and to the tenant access role — written independently of
 * infra/constructs/grants.ts on purpose. Tenant data (items, objects, HKA credentials, signing keys) is only
 * ever on the tenant role.
 */
const EXECUTION_ACTIONS_BY_GRANT: Record<Grant, string[]> = {
  readDocuments: [],
  writeDocuments: [],
  appendDocumentEvents: [],
  trackRequests: [],
  listTenants: ['dynamodb:Query', 'kms:Decrypt', 'kms:DescribeKey'],
  readObjects: [],
  writeObjects: [],
  readWorkFiles: [],
  writeWorkFiles: [],
  startIssuing: ['states:StartExecution'],
  findDueDocuments: ['dynamodb:Query', 'kms:Decrypt', 'kms:DescribeKey'],
  trackHkaAvailability: [
    'dynamodb:GetItem',
    'dynamodb:UpdateItem',
    'kms:Decrypt',
    'kms:DescribeKey',
    'kms:Encrypt',
    'kms:GenerateDataKey',
  ],
  publishEvents: ['events:PutEvents'],
  readPlatformSecret: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'kms:Decrypt'],
  readCursorSecret: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'kms:Decrypt'],
  sendEmail: ['ses:SendEmail', 'ses:SendRawEmail'],
  enqueueFolioSync: ['sqs:SendMessage'],
  enqueueExports: ['sqs:SendMessage'],
  enqueueBatchWork: ['sqs:SendMessage'],
  enqueueWebhookDeliveries: ['sqs:SendMessage'],
  findDueWebhookDeliveries: ['dynamodb:Query', 'kms:Decrypt', 'kms:DescribeKey'],
  signWithTenantKeys: [],
  manageSigningKeys: [],
  retireSigningKeys: [],
  appendAuditEntries: [],
  readPlatformAudit: ['dynamodb:Query', 'kms:Decrypt', 'kms:DescribeKey'],
  readTenants: ['dynamodb:GetItem', 'dynamodb:Query', 'kms:Decrypt', 'kms:DescribeKey'],
  manageTenants: [
    'dynamodb:GetItem',
    'dynamodb:Query',
    'dynamodb:UpdateItem',
    'dynamodb:PutItem',
    'kms:Decrypt',
    'kms:DescribeKey',
    'kms:Encrypt',
    'kms:GenerateDataKey',
  ],
  trackPlatformRequests: [
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'kms:Decrypt',
    'kms:DescribeKey',
    'kms:Encrypt',
    'kms:GenerateDataKey',
  ],
  provisionTenants: [],
  manageUsers: [
    'cognito-idp:AdminCreateUser',
    'cognito-idp:AdminGetUser',
    'cognito-idp:AdminAddUserToGroup',
    'cognito-idp:AdminRemoveUserFromGroup',
    'cognito-idp:AdminEnableUser',
    'cognito-idp:AdminDisableUser',
    'cognito-idp:AdminUserGlobalSignOut',
    'cognito-idp:AdminDeleteUser',
  ],
  readApiKeyHashSecret: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret', 'kms:Decrypt'],
  manageApiKeyLookups: [],
  manageUserAccess: [],
  authorizeCallers: ['dynamodb:GetItem', 'kms:Decrypt', 'kms:DescribeKey'],
  trackAlertDigests: [
    'dynamodb:PutItem',
    'dynamodb:Query',
    'dynamodb:DeleteItem',
    'kms:Decrypt',
    'kms:DescribeKey',
    'kms:Encrypt',
    'kms:GenerateDataKey',
  ],
};
const READ_DOCUMENTS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'kms:Decrypt',
  'kms:DescribeKey',
];
const TENANT_ACTIONS_BY_GRANT: Record<Grant, string[]> = {
  readDocuments: READ_DOCUMENTS,
  writeDocuments: [
    ...READ_DOCUMENTS,
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
    'kms:Encrypt',
    'kms:GenerateDataKey',
  ],
  appendDocumentEvents: ['dynamodb:PutItem', 'kms:Encrypt', 'kms:GenerateDataKey'],
  trackRequests: [
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'kms:Encrypt',
    'kms:GenerateDataKey',
  ],
  listTenants: [],
  readObjects: ['s3:GetObject', 'kms:Decrypt'],
  writeObjects: ['s3:PutObject', 'kms:Encrypt', 'kms:GenerateDataKey'],
  readWorkFiles: ['s3:GetObject', 'kms:Decrypt'],
  writeWorkFiles: [
    's3:PutObject',
    's3:AbortMultipartUpload',
    'kms:Encrypt',
    'kms:GenerateDataKey',
    'kms:Decrypt',
  ],
  startIssuing: [],
  findDueDocuments: [],
  trackHkaAvailability: [],
  findDueWebhookDeliveries: [],
  enqueueWebhookDeliveries: [],
  publishEvents: [],
  readPlatformSecret: [],
  readCursorSecret: [],
  sendEmail: [],
  enqueueFolioSync: [],
  enqueueExports: [],
  enqueueBatchWork: [],
  signWithTenantKeys: ['kms:Sign', 'kms:GetPublicKey', 'kms:DescribeKey'],
  manageSigningKeys: [
    'kms:CreateKey',
    'kms:TagResource',
    'kms:GetParametersForImport',
    'kms:ImportKeyMaterial',
    'kms:DescribeKey',
    'kms:GetPublicKey',
    'kms:ScheduleKeyDeletion',
  ],
  retireSigningKeys: ['kms:ScheduleKeyDeletion'],
  appendAuditEntries: ['dynamodb:PutItem', 'kms:Encrypt', 'kms:GenerateDataKey'],
  readPlatformAudit: [],
  readTenants: [],
  manageTenants: [],
  trackPlatformRequests: [],
  provisionTenants: [
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'kms:Decrypt',
    'kms:DescribeKey',
    'kms:Encrypt',
    'kms:GenerateDataKey',
  ],
  manageUsers: [],
  readApiKeyHashSecret: [],
  manageApiKeyLookups: ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'kms:Encrypt', 'kms:GenerateDataKey'],
  manageUserAccess: ['dynamodb:PutItem', 'kms:Encrypt', 'kms:GenerateDataKey'],
  authorizeCallers: ['dynamodb:UpdateItem', 'kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
  trackAlertDigests: [],
};
/** The Deny every function role and tenant access role carries: audit entries are never updated or deleted. */
const AUDIT_APPEND_ONLY = {
  Sid: 'AuditTrailAppendOnly',
  Effect: 'Deny',
  Action: ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
  Condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['T#*#AUDIT'] } },
};

/** The role's Allow statements, after checking it carries the audit trail's Deny (on the table) and no other. */
function allowsAfterAuditDeny(statements: Statement[]): Statement[] {
  const denies = statements.filter((st) => st.Effect === 'Deny');
  expect(denies).toHaveLength(1);
  expect(denies[0]).toMatchObject(AUDIT_APPEND_ONLY);
  expect(JSON.stringify(denies[0]!.Resource)).toContain('Factu-Stateful-TableArn');
  return statements.filter((st) => st.Effect !== 'Deny');
}
const BASE_ACTIONS = [
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
];
const SQS_CONSUMER_ACTIONS = [
  'sqs:ReceiveMessage',
  'sqs:ChangeMessageVisibility',
  'sqs:GetQueueUrl',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
];

const allFunctions = [
  { entry: authorizerFunction.entry, grants: authorizerFunction.grants, consumer: false },
  ...apiRoutes.map((r) => ({ entry: r.entry, grants: r.grants, consumer: false })),
  ...Object.values(pipelineFunctions).map((f) => ({ entry: f.entry, grants: f.grants, consumer: false })),
  ...Object.values(eventFunctions).map((f) => ({
    entry: f.entry,
    grants: f.grants,
    consumer: [
      'SendDocumentEmail',
      'SyncFolios',
      'RunExport',
      'ValidateBatch',
      'IssueBatchRows',
      'HandleAlert',
      'FanOutWebhookEvents',
      'DeliverWebhooks',
    ].includes(f.id),
  })),
];
/** Invoked asynchronously by an EventBridge schedule: a failed invocation goes to the events DLQ. */
const SCHEDULED = new Set<string>([
  eventFunctions.ScheduleFolioSync.entry,
  eventFunctions.RedriveDocuments.entry,
  eventFunctions.FlushAlertDigests.entry,
  eventFunctions.ScanCertificates.entry,
  eventFunctions.SweepWebhookDeliveries.entry,
]);

describe('route → function wiring', () => {
  it('has one API method per registry route and nothing else', () => {
    const methods = resourcesOfType(s.templates.stateless, 'AWS::ApiGateway::Method');
    expect(methods).toHaveLength(apiRoutes.length);
  });

  it('serves every operation of the API reference, each by exactly one route (one declaration per operation)', () => {
    const served = apiRoutes.map((route) => route.operation.operationId);
    expect(new Set(served).size).toBe(served.length);
    for (const operation of apiOperations) expect(served).toContain(operation.operationId);
    const documented = new Set(apiOperations.map((operation) => operation.operationId));
    expect(apiRoutes.filter((route) => !documented.has(route.operation.operationId)).every(isPublic)).toBe(
      true,
    );
  });

  it.each(apiRoutes.map((r) => [`${methodOf(r)} ${r.operation.path}`, r] as const))('%s', (_name, route) => {
    const t = s.templates.stateless;
    const methods = resourcesOfType(t, 'AWS::ApiGateway::Method').filter(([, m]) => {
      const p = m.Properties as { HttpMethod: string; ResourceId: unknown };
      return p.HttpMethod === methodOf(route) && resourcePath(t, p.ResourceId) === route.operation.path;
    });
    expect(methods).toHaveLength(1);
    const [, method] = methods[0]!;
    const props = method.Properties as {
      AuthorizationType: string;
      AuthorizerId?: unknown;
      Integration: { Type: string; Uri: unknown };
    };
    // The integration URI names exactly the function built from the route's entry (by its fixed name: the
    // function is in another stack), and API Gateway may invoke that function for this method.
    const [, fn] = functionFor(t, route.entry);
    const functionName = (fn.Properties as { FunctionName: string }).FunctionName;
    expect(functionName).toMatch(/^factu-[a-z0-9-]+-[A-Za-z]+$/);
    expect(props.Integration.Type).toBe('AWS_PROXY');
    expect(JSON.stringify(props.Integration.Uri)).toContain(`:function:${functionName}/invocations`);
    const permissions = resourcesOfType(t, 'AWS::Lambda::Permission').filter(
      ([, p]) => (p.Properties as { FunctionName: unknown }).FunctionName === functionName,
    );
    expect(permissions).toHaveLength(1);
    const permission = permissions[0]![1].Properties as {
      Action: string;
      Principal: string;
      SourceArn: unknown;
    };
    expect(permission).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
    });
    const pathForArn = route.operation.path.replace(/\{[^}]+\}/g, '*');
    expect(JSON.stringify(permission.SourceArn)).toContain(`/${methodOf(route)}${pathForArn}"`);
    expect(method.Metadata?.[ENTRY_METADATA_KEY]).toBe(route.entry);
    if (!isPublic(route)) {
      expect(props.AuthorizationType).toBe('CUSTOM');
      expect(props.AuthorizerId).toBeDefined();
    } else {
      expect(props.AuthorizationType).toBe('NONE');
    }
  });

  it('the issuing workflow’s tasks and the re-drive sweep are deployed; the old steps are gone', () => {
    const entries = resourcesOfType(s.templates.stateless, 'AWS::Lambda::Function')
      .map(([, r]) => r.Metadata?.[ENTRY_METADATA_KEY] as string | undefined)
      .filter((entry) => entry !== undefined);
    expect(entries.filter((e) => e.startsWith('functions/pipeline/')).sort()).toEqual([
      'functions/pipeline/end-attempt.ts',
      'functions/pipeline/finalize-document.ts',
      'functions/pipeline/issue-in-contingency.ts',
      'functions/pipeline/sign-xml.ts',
      'functions/pipeline/submit-signed.ts',
      'functions/pipeline/submit-to-hka.ts',
    ]);
    expect(entries).toContain('functions/events/redrive-documents.ts');
    expect(eventFunctions.RedriveDocuments.grants).toEqual([
      'findDueDocuments',
      'writeDocuments',
      'startIssuing',
      'trackHkaAvailability',
      'publishEvents',
    ]);
  });

  it('deploys exactly the functions of the registry', () => {
    const functions = resourcesOfType(s.templates.stateless, 'AWS::Lambda::Function');
    const entries = functions
      .map(([, r]) => r.Metadata?.[ENTRY_METADATA_KEY])
      .filter((entry) => entry !== undefined)
      .sort();
    expect(entries).toEqual(allFunctions.map((f) => f.entry).sort());
    // Besides ours, only CDK's deploy-time provider of the console's BucketDeployment.
    expect(
      functions.filter(([, r]) => r.Metadata?.[ENTRY_METADATA_KEY] === undefined).map(([id]) => id),
    ).toEqual([expect.stringMatching(/^CustomCDKBucketDeployment/)]);
  });
});

describe('house function settings', () => {
  it.each(allFunctions.map((f) => [f.entry]))('%s', (entry) => {
    const [, fn] = functionFor(s.templates.stateless, entry);
    const p = fn.Properties as Record<string, unknown> & {
      Environment: { Variables: Record<string, unknown> };
      TracingConfig: { Mode: string };
    };
    expect(p.Runtime).toBe('nodejs22.x');
    expect(p.Architectures).toEqual(['arm64']);
    expect(p.Handler).toBe('index.handler');
    expect(p.MemorySize).toBeGreaterThanOrEqual(128);
    expect(p.Timeout).toBeGreaterThan(3);
    expect(p.TracingConfig.Mode).toBe('Active');
    expect(fn.Metadata?.['aws:asset:path']).toMatch(/^asset\./);
    const env = p.Environment.Variables;
    // Source maps are applied by the logger when an error is logged, not by Node at every cold start.
    expect(env.NODE_OPTIONS).toBeUndefined();
    for (const name of [
      'TABLE_NAME',
      'DOCUMENTS_BUCKET_NAME',
      'ISSUING_STATE_MACHINE_ARN',
      'EVENT_BUS_NAME',
      'DATA_KEY_ID',
      'HKA_DEMO_ENDPOINT',
      'HKA_PROD_ENDPOINT',
      'PLATFORM_SECRET_ARN',
      'CURSOR_SECRET_ARN',
      'EMAIL_FROM_ADDRESS',
      'EMAIL_QUEUE_URL',
      'FOLIO_SYNC_QUEUE_URL',
      'EXPORT_QUEUE_URL',
      'DOWNLOAD_URL_TTL_SECONDS',
      'ISSUING_ATTEMPT_LEASE_SECONDS',
      'ISSUING_START_GRACE_SECONDS',
      'ISSUING_REDRIVE_DELAYS_SECONDS',
      'POWERTOOLS_SERVICE_NAME',
      'POWERTOOLS_LOG_LEVEL',
    ]) {
      expect(env[name], name).toBeDefined();
    }
    expect({
      lease: env.ISSUING_ATTEMPT_LEASE_SECONDS,
      grace: env.ISSUING_START_GRACE_SECONDS,
      delays: env.ISSUING_REDRIVE_DELAYS_SECONDS,
    }).toEqual({ lease: '360', grace: '90', delays: '30,120,600,1800,3600,7200,14400,28800' });
    expect(Number(env.DOWNLOAD_URL_TTL_SECONDS)).toBeLessThanOrEqual(300);
    // Its own log group, with retention.
    const logGroupRef = (p.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
    expect(s.templates.stateless.Resources[logGroupRef]?.Type).toBe('AWS::Logs::LogGroup');
  });

  it('bundles ESM with the AWS SDK inside and the createRequire banner', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const [, fn] = functionFor(s.templates.stateless, apiRoutes[0]!.entry);
    const dir = join(s.outdir, fn.Metadata!['aws:asset:path'] as string);
    const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
    expect(
      code.startsWith(
        "import { createRequire } from 'module';const require = createRequire(import.meta.url);",
      ),
    ).toBe(true);
    expect(code).toMatch(/sourceMappingURL=index\.mjs\.map/);
  });
});

describe('per-function IAM (least privilege)', () => {
  it.each(allFunctions.map((f) => [f.entry, f] as const))('%s', (_entry, spec) => {
    const t = s.templates.stateless;
    const [, fn] = functionFor(t, spec.entry);
    const tenantRole = tenantRoleOf(fn);
    const tenantActions = new Set(spec.grants.flatMap((g) => TENANT_ACTIONS_BY_GRANT[g]));
    expect(Boolean(tenantRole), 'a tenant access role exactly when a grant touches tenant data').toBe(
      tenantActions.size > 0,
    );

    // Execution role: no tenant data; AssumeRole/TagSession on its own tenant role only.
    const statements = allowsAfterAuditDeny(statementsOfRole(t, roleOf(fn)));
    const actions = new Set(statements.flatMap((st) => asArray(st.Action)));
    const expected = new Set([
      ...BASE_ACTIONS,
      ...spec.grants.flatMap((g) => EXECUTION_ACTIONS_BY_GRANT[g]),
      ...(spec.consumer ? SQS_CONSUMER_ACTIONS : []),
      ...(SCHEDULED.has(spec.entry) ? ['sqs:SendMessage'] : []),
      ...(tenantRole ? ['sts:AssumeRole', 'sts:TagSession'] : []),
    ]);
    expect([...actions].sort()).toEqual([...expected].sort());
    if (SCHEDULED.has(spec.entry)) {
      const toDlq = statements.filter((st) => JSON.stringify(st.Resource).includes('MessagingEventsDlq'));
      expect(toDlq.map((st) => st.Action)).toEqual(['sqs:SendMessage']);
    }
    for (const st of statements) {
      expect(st.Effect).toBe('Allow');
      for (const action of asArray(st.Action)) expect(action, 'no wildcard actions').not.toContain('*');
      const resources = asArray(st.Resource).map((r) => JSON.stringify(r));
      const acts = asArray(st.Action);
      if (resources.includes('"*"')) {
        // Only services without resource-level permissions may use "*".
        expect(acts.every((a) => a.startsWith('xray:'))).toBe(true);
      }
      expect(
        acts.some((a) => a.startsWith('s3:')),
        'no object access on the execution role',
      ).toBe(false);
      if (acts.some((a) => a.startsWith('dynamodb:'))) {
        // Only platform partitions: the tenant registry, the in-flight index's shards, the HKA circuit breakers,
        // RUC registrations, the platform's audit trail and its idempotency records, or (the authorizer) the API
        // key lookups and the registry and users' access entries.
        expect([
          { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [PLATFORM_PARTITION] } },
          { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${PLATFORM_PARTITION}#INFLIGHT#*`] } },
          { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${PLATFORM_PARTITION}#HKA#*`] } },
          { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${PLATFORM_PARTITION}#WEBHOOKS_DUE#*`] } },
          { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${PLATFORM_PARTITION}#RUC#*`] } },
          { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [`${PLATFORM_PARTITION}#AUDIT`] } },
          {
            'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [`${PLATFORM_PARTITION}#ALERT_DIGEST`] },
          },
          {
            'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${PLATFORM_PARTITION}#IDEMPOTENCY#*`] },
          },
          {
            'ForAllValues:StringLike': {
              'dynamodb:LeadingKeys': [
                `${PLATFORM_PARTITION}#API_KEY#*`,
                `${PLATFORM_PARTITION}#USER#*`,
                PLATFORM_PARTITION,
              ],
            },
          },
        ]).toContainEqual(st.Condition);
      }
      if (acts.some((a) => a.startsWith('kms:'))) {
        expect(JSON.stringify(st.Condition), 'data key only through a service').toContain('kms:ViaService');
      }
      if (acts.some((a) => a.startsWith('sts:'))) {
        expect(st.Resource).toEqual({ 'Fn::GetAtt': [tenantRole, 'Arn'] });
      }
    }
    // Managed policies: none.
    const role = t.Resources[roleOf(fn)]!;
    expect((role.Properties as { ManagedPolicyArns?: unknown }).ManagedPolicyArns).toBeUndefined();

    if (!tenantRole) return;
    // Tenant access role: exactly the tenant-data actions of the grants, each tied to the session's tenant.
    const tenantStatements = allowsAfterAuditDeny(inlineStatementsOfRole(t, tenantRole));
    expect([...new Set(tenantStatements.flatMap((st) => asArray(st.Action)))].sort()).toEqual(
      [...tenantActions].sort(),
    );
    for (const st of tenantStatements) {
      const acts = asArray(st.Action);
      const condition = JSON.stringify(st.Condition ?? {});
      for (const action of acts) expect(action, 'no wildcard actions').not.toContain('*');
      if (acts.some((a) => a.startsWith('dynamodb:'))) {
        if (st.Sid === 'ManageApiKeyLookups') {
          // API key lookups are written in the tenant's transaction; nothing of any tenant's partitions.
          expect(st.Condition).toEqual({
            'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${PLATFORM_PARTITION}#API_KEY#*`] },
          });
          continue;
        }
        if (st.Sid === 'ManageUserAccess') {
          // Users' access entries are written in the tenant's transaction of the user change: PutItem only.
          expect(acts).toEqual(['dynamodb:PutItem']);
          expect(st.Condition).toEqual({
            'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${PLATFORM_PARTITION}#USER#*`] },
          });
          continue;
        }
        if (st.Sid === 'RecordApiKeyUse') {
          // The tenant's keys, and of them only the `lastUsedAt` attribute.
          expect(st.Condition).toEqual({
            'ForAllValues:StringLike': {
              // biome-ignore lint/suspicious/noTemplateCurlyInString: IAM policy variables
              'dynamodb:LeadingKeys': ['T#${aws:PrincipalTag/tenantId}', 'T#${aws:PrincipalTag/tenantId}#*'],
            },
            'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'lastUsedAt'] },
          });
          continue;
        }
        // The tenant's keys, or (request bookkeeping) only its idempotency and rate-limit partitions.
        if (st.Sid === 'AppendTenantAuditEntries') {
          expect(st.Condition).toEqual({
            // biome-ignore lint/suspicious/noTemplateCurlyInString: IAM policy variables
            'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['T#${aws:PrincipalTag/tenantId}#AUDIT'] },
          });
          continue;
        }
        if (st.Sid === 'RegisterProvisionedTenant') {
          // A new tenant's registration (PutItem only): the registry, its RUC, the platform audit entry.
          expect(acts).toEqual(['dynamodb:PutItem']);
          expect(st.Condition).toEqual({
            'ForAllValues:StringLike': {
              'dynamodb:LeadingKeys': [
                PLATFORM_PARTITION,
                `${PLATFORM_PARTITION}#RUC#*`,
                `${PLATFORM_PARTITION}#AUDIT`,
              ],
            },
          });
          continue;
        }
        const leadingKeys =
          st.Sid === 'TrackTenantRequests'
            ? [
                // biome-ignore lint/suspicious/noTemplateCurlyInString: IAM policy variables
                'T#${aws:PrincipalTag/tenantId}#IDEMPOTENCY#*',
                // biome-ignore lint/suspicious/noTemplateCurlyInString: IAM policy variables
                'T#${aws:PrincipalTag/tenantId}#LIMIT#*',
              ]
            : // biome-ignore lint/suspicious/noTemplateCurlyInString: IAM policy variables
              ['T#${aws:PrincipalTag/tenantId}', 'T#${aws:PrincipalTag/tenantId}#*'];
        expect(st.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeys } });
      }
      if (acts.some((a) => a.startsWith('s3:'))) {
        for (const r of asArray(st.Resource)) {
          expect(JSON.stringify(r)).toMatch(/\/tenants\/\$\{aws:PrincipalTag\/tenantId\}\/\*"\]\]\}$/);
        }
      }
      if (acts.some((a) => a.startsWith('kms:'))) {
        expect(condition, `${st.Sid} is conditioned`).toMatch(
          /kms:ViaService|"kms:EncryptionContext:tenantId":"\$\{aws:PrincipalTag\/tenantId\}"|"aws:(Resource|Request)Tag\/tenantId":"\$\{aws:PrincipalTag\/tenantId\}"/,
        );
      }
    }
    const trust = (
      t.Resources[tenantRole]!.Properties as { AssumeRolePolicyDocument: { Statement: Statement[] } }
    ).AssumeRolePolicyDocument.Statement;
    expect(trust).toHaveLength(1);
    expect(asArray(trust[0]!.Action).sort()).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    expect((trust[0] as unknown as { Principal: unknown }).Principal).toEqual({
      AWS: { 'Fn::GetAtt': [roleOf(fn), 'Arn'] },
    });
  });

  it('the platform partition of infra is the one of shared/data/keys.ts', () => {
    expect(PLATFORM_PARTITION_KEY).toBe(PLATFORM_PARTITION);
  });

  it('the folio-sync fan-out may only Query the platform partition (tenant registry)', () => {
    const t = s.templates.stateless;
    const [, fn] = functionFor(t, eventFunctions.ScheduleFolioSync.entry);
    const dynamo = allowsAfterAuditDeny(statementsOfRole(t, roleOf(fn))).filter((st) =>
      asArray(st.Action).some((a) => a.startsWith('dynamodb:')),
    );
    expect(dynamo).toHaveLength(1);
    expect(asArray(dynamo[0]!.Action)).toEqual(['dynamodb:Query']);
    expect(JSON.stringify(dynamo[0]!.Resource)).not.toContain('/index/');
    expect(dynamo[0]!.Condition).toEqual({
      'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [PLATFORM_PARTITION] },
    });
  });

  it('findDueDocuments is Query of the in-flight index only, only its platform partitions', () => {
    const t = s.templates.stateless;
    const [, fn] = functionFor(t, eventFunctions.RedriveDocuments.entry);
    const inFlight = statementsOfRole(t, roleOf(fn)).filter((st) =>
      JSON.stringify(st).includes('"FindDueDocuments"'),
    );
    expect(inFlight).toHaveLength(1);
    expect(inFlight[0]).toMatchObject({
      Effect: 'Allow',
      Action: 'dynamodb:Query',
      Resource: { 'Fn::Join': ['', [{ 'Fn::ImportValue': 'Factu-Stateful-TableArn' }, '/index/gsi4']] },
      Condition: {
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${PLATFORM_PARTITION}#INFLIGHT#*`] },
      },
    });
    // The partitions the sweep reads are the ones the condition allows.
    for (let shard = 0; shard < IN_FLIGHT_SHARDS; shard++) {
      expect(inFlightPartition(shard)).toMatch(/^T#_platform#INFLIGHT#[^#]+$/);
    }
    // Only the sweep has it.
    const holders = allFunctions.filter((f) => (f.grants as readonly Grant[]).includes('findDueDocuments'));
    expect(holders.map((f) => f.entry)).toEqual([eventFunctions.RedriveDocuments.entry]);
  });

  it('SendDocumentEmail writes only new items (PutItem), on the table', () => {
    const t = s.templates.stateless;
    const [, fn] = functionFor(t, eventFunctions.SendDocumentEmail.entry);
    const writes = allowsAfterAuditDeny(inlineStatementsOfRole(t, tenantRoleOf(fn)!)).filter((st) =>
      asArray(st.Action).some((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(a)),
    );
    expect(writes.flatMap((st) => asArray(st.Action))).toEqual(['dynamodb:PutItem']);
    expect(writes[0]!.Resource).toEqual({ 'Fn::ImportValue': 'Factu-Stateful-TableArn' });
  });

  it('tenant signing-key grants use the tags shared/signing/kms-import.ts puts on the keys', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { importPrivateKeyIntoKms } = await import('#shared/signing/kms-import');
    const sent: {
      constructor: { name: string };
      input: { Tags?: { TagKey: string; TagValue: string }[] };
    }[] = [];
    const kms = {
      send: async (command: (typeof sent)[number]) => {
        sent.push(command);
        throw new Error('stop after CreateKey');
      },
    };
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await expect(
      importPrivateKeyIntoKms(kms as never, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, {
        tenantId: 't1',
        description: 'test',
      }),
    ).rejects.toThrow();
    const tags = Object.fromEntries((sent[0]!.input.Tags ?? []).map((tag) => [tag.TagKey, tag.TagValue]));
    expect(tags).toEqual({ [SIGNING_KEY_TAG.key]: SIGNING_KEY_TAG.value, [SIGNING_KEY_TENANT_TAG]: 't1' });
    // Every function allowed to use or manage signing keys is conditioned on exactly that tag.
    const t = s.templates.stateless;
    const kmsKeyStatements = [
      ...resourcesOfType(t, 'AWS::IAM::Policy').flatMap(
        ([, p]) => (p.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement,
      ),
      ...resourcesOfType(t, 'AWS::IAM::Role').flatMap(([id]) => inlineStatementsOfRole(t, id)),
    ].filter((st) =>
      asArray(st.Action).some((a) => ['kms:Sign', 'kms:ImportKeyMaterial', 'kms:CreateKey'].includes(a)),
    );
    expect(kmsKeyStatements.length).toBeGreaterThan(0);
    for (const st of kmsKeyStatements) {
      expect(JSON.stringify(st.Condition)).toContain(`/${SIGNING_KEY_TAG.key}":"${SIGNING_KEY_TAG.value}"`);
    }
  });

  it('the state machine may invoke only the pipeline functions and put events on the bus', () => {
    const t = s.templates.stateless;
    const [, sm] = resourcesOfType(t, 'AWS::StepFunctions::StateMachine')[0]!;
    const roleId = (sm.Properties as { RoleArn: { 'Fn::GetAtt': [string] } }).RoleArn['Fn::GetAtt'][0];
    const statements = statementsOfRole(t, roleId);
    const actions = new Set(statements.flatMap((st) => asArray(st.Action)));
    for (const action of actions) {
      expect(
        ['lambda:InvokeFunction', 'events:PutEvents'].includes(action) ||
          action.startsWith('xray:') ||
          action.startsWith('logs:'),
        action,
      ).toBe(true);
    }
  });
});

describe('stateful resources', () => {
  it('table: keys, GSIs, on-demand, PITR, deletion protection, TTL, KMS CMK', () => {
    const tables = resourcesOfType(s.templates.stateful, 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(1);
    const p = tables[0]![1].Properties as Record<string, unknown>;
    expect(p.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    const gsis = p.GlobalSecondaryIndexes as { IndexName: string; KeySchema: unknown; Projection: unknown }[];
    const keySchema = (n: string) => [
      { AttributeName: `${n}pk`, KeyType: 'HASH' },
      { AttributeName: `${n}sk`, KeyType: 'RANGE' },
    ];
    const listingFilters = {
      ProjectionType: 'INCLUDE',
      NonKeyAttributes: ['type', 'branch', 'pointOfSale', 'receiverRuc'],
    };
    // What each index's queries read, nothing more (written out here, independently of indexes.ts).
    expect(gsis).toEqual([
      { IndexName: 'gsi1', KeySchema: keySchema('gsi1'), Projection: listingFilters },
      { IndexName: 'gsi2', KeySchema: keySchema('gsi2'), Projection: listingFilters },
      { IndexName: 'gsi3', KeySchema: keySchema('gsi3'), Projection: { ProjectionType: 'KEYS_ONLY' } },
      {
        IndexName: 'gsi4',
        KeySchema: keySchema('gsi4'),
        Projection: {
          ProjectionType: 'INCLUDE',
          NonKeyAttributes: ['tenantId', 'documentId', 'attempt', 'attemptOwner'],
        },
      },
      // Name search (customers, products, documents by receiver): combinable with the listing filters.
      { IndexName: 'gsi5', KeySchema: keySchema('gsi5'), Projection: listingFilters },
    ]);
    // …and exactly as shared/data/indexes.ts declares them for the repositories.
    expect(
      INDEX_LIST.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.pk, KeyType: 'HASH' },
          { AttributeName: index.sk, KeyType: 'RANGE' },
        ],
        Projection:
          index.projection.type === 'KEYS_ONLY'
            ? { ProjectionType: 'KEYS_ONLY' }
            : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection.attributes] },
      })),
    ).toEqual(gsis);
    expect(p.AttributeDefinitions).toEqual(
      ['pk', 'sk', ...INDEX_LIST.flatMap((i) => [i.pk, i.sk])].map((name) => ({
        AttributeName: name,
        AttributeType: 'S',
      })),
    );
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
    expect(p.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(p.DeletionProtectionEnabled).toBe(true);
    expect(p.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(p.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
    expect((p.SSESpecification as { KMSMasterKeyId?: unknown }).KMSMasterKeyId).toBeDefined();
  });

  it('documents bucket: versioned, KMS, Block Public Access, TLS only, Object Lock, lifecycle, access logs', () => {
    const t = s.templates.stateful;
    const buckets = resourcesOfType(t, 'AWS::S3::Bucket');
    const [docId, docs] = buckets.find(
      ([, b]) => (b.Properties as { ObjectLockEnabled?: boolean }).ObjectLockEnabled,
    )!;
    // biome-ignore lint/suspicious/noExplicitAny: deep CloudFormation property access in assertions
    const p = docs.Properties as Record<string, any>;
    expect(p.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    // S3 Bucket Keys: one KMS data key per bucket period instead of one KMS call per object.
    expect(p.BucketEncryption.ServerSideEncryptionConfiguration[0].BucketKeyEnabled).toBe(true);
    expect(p.ObjectLockEnabled).toBe(true);
    expect(p.ObjectLockConfiguration.ObjectLockEnabled).toBe('Enabled');
    expect(p.ObjectLockConfiguration.Rule.DefaultRetention.Days).toBeGreaterThanOrEqual(365);
    expect(
      p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm,
    ).toBe('aws:kms');
    expect(
      p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID,
    ).toBeDefined();
    expect(p.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(p.LoggingConfiguration.DestinationBucketName).toBeDefined();
    expect(p.LifecycleConfiguration.Rules[0].Transitions.length).toBeGreaterThan(0);
    // TLS only.
    const policies = resourcesOfType(t, 'AWS::S3::BucketPolicy').filter(
      ([, bp]) => (bp.Properties as { Bucket: { Ref: string } }).Bucket.Ref === docId,
    );
    expect(JSON.stringify(policies)).toContain('"aws:SecureTransport":"false"');
  });

  it('work-files bucket: KMS, Block Public Access, TLS only, no Object Lock, everything expires', () => {
    const t = s.templates.stateful;
    const [workId, work] = resourcesOfType(t, 'AWS::S3::Bucket').find(([id]) => id.startsWith('WorkFiles'))!;
    // biome-ignore lint/suspicious/noExplicitAny: deep CloudFormation property access in assertions
    const p = work.Properties as Record<string, any>;
    // Drafts and exports must be deletable: a default retention would keep every draft for years.
    expect(p.ObjectLockEnabled).toBeUndefined();
    expect(
      p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm,
    ).toBe('aws:kms');
    expect(p.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(p.LifecycleConfiguration.Rules).toEqual([
      expect.objectContaining({ ExpirationInDays: WORK_FILES_EXPIRY_DAYS, Status: 'Enabled' }),
    ]);
    expect(p.LoggingConfiguration.DestinationBucketName).toBeDefined();
    const policies = resourcesOfType(t, 'AWS::S3::BucketPolicy').filter(
      ([, bp]) => (bp.Properties as { Bucket: { Ref: string } }).Bucket.Ref === workId,
    );
    expect(JSON.stringify(policies)).toContain('"aws:SecureTransport":"false"');
  });

  it('the default callback URLs include the factu login loopback redirect', () => {
    const config = parseConfig({
      auth: { hostedUiDomainPrefix: 'x-auth' },
      email: { identity: 'example.com', fromAddress: 'a@example.com' },
      alarmEmail: 'ops@example.com',
    });
    expect(config.auth.callbackUrls).toEqual([CLI_LOGIN_REDIRECT_URI]);
    expect(config.auth.logoutUrls).toEqual([]);
  });

  it.each([
    ['plain http beyond loopback', 'http://console.example.com/auth/callback'],
    ['a fragment', 'https://console.example.com/auth/callback#x'],
  ])('refuses a redirect URL Cognito refuses (%s) at synth', (_case, url) => {
    const config = () =>
      parseConfig({
        auth: { hostedUiDomainPrefix: 'x-auth', callbackUrls: [url] },
        email: { identity: 'example.com', fromAddress: 'a@example.com' },
        alarmEmail: 'ops@example.com',
      });
    expect(config).toThrow(/factu\.auth\.callbackUrls\.0: must be https/);
  });

  it('KMS data key rotates; user pool, groups, clients, resource server', () => {
    const t = Template.fromJSON(s.templates.stateful);
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    t.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'LITE',
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'tenantId', Mutable: false, AttributeDataType: 'String' }),
      ]),
      // Threat protection is a Plus feature: no add-on on a Lite pool.
      UserPoolAddOns: Match.absent(),
    });
    for (const group of ['SUPER_ADMIN', 'ADMIN', 'USER', 'OPERATOR']) {
      t.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: group });
    }
    // The web client lives with the console's distribution (Factu-Api), whose domain it names.
    t.resourcePropertiesCountIs('AWS::Cognito::UserPoolClient', { ClientName: 'web' }, 0);
    Template.fromJSON(s.stacks[API_STACK_NAME]!).hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'web',
      GenerateSecret: false,
      // Sign-in through the hosted UI only: no SRP, no USER_PASSWORD_AUTH, just refreshing tokens.
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      SupportedIdentityProviders: ['COGNITO'],
      EnableTokenRevocation: true,
      CallbackURLs: Match.arrayWith([CLI_LOGIN_REDIRECT_URI]),
    });
    t.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'machine',
      GenerateSecret: true,
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: ['factu/documents.read', 'factu/documents.write'],
    });
    t.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
  });
});

describe('messaging, logs, encryption', () => {
  it('every queue has a DLQ or is one, and all are encrypted and TLS-only', () => {
    const t = s.templates.stateless;
    const queues = resourcesOfType(t, 'AWS::SQS::Queue');
    const text = JSON.stringify(t);
    for (const [id, q] of queues) {
      const p = q.Properties as {
        RedrivePolicy?: unknown;
        SqsManagedSseEnabled?: boolean;
        KmsMasterKeyId?: unknown;
      };
      const usedAsDlq =
        text.includes(`"deadLetterTargetArn":{"Fn::GetAtt":["${id}","Arn"]}`) ||
        text.includes(`"DeadLetterConfig":{"Arn":{"Fn::GetAtt":["${id}","Arn"]}}`);
      expect(p.RedrivePolicy !== undefined || usedAsDlq, `${id} has or is a DLQ`).toBe(true);
      expect(p.SqsManagedSseEnabled === true || p.KmsMasterKeyId !== undefined, `${id} encrypted`).toBe(true);
    }
    const queuePolicies = resourcesOfType(t, 'AWS::SQS::QueuePolicy');
    for (const [id] of queues) {
      expect(
        JSON.stringify(queuePolicies.filter(([, qp]) => JSON.stringify(qp).includes(`"${id}"`))),
      ).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('document.authorized and document.contingency go to the email queue only when they have recipients; folio sync runs every 6 hours', () => {
    const t = Template.fromJSON(s.templates.stateless);
    const [emailQueueId] = resourcesOfType(s.templates.stateless, 'AWS::SQS::Queue').find(([id]) =>
      id.startsWith('MessagingEmailQueue'),
    )!;
    const toEmail = resourcesOfType(s.templates.stateless, 'AWS::Events::Rule').filter(([, r]) =>
      JSON.stringify(r.Properties).includes(`"${emailQueueId}"`),
    );
    expect(toEmail).toHaveLength(1);
    expect((toEmail[0]![1].Properties as { EventPattern: unknown }).EventPattern).toEqual({
      source: ['factu.documents'],
      'detail-type': ['document.authorized', 'document.contingency'],
      detail: { hasRecipients: [true] },
    });
    const [queueId] = resourcesOfType(s.templates.stateless, 'AWS::SQS::Queue').find(([id]) =>
      id.startsWith('MessagingEmailQueue'),
    )!;
    expect((toEmail[0]![1].Properties as { Targets: { Arn: unknown }[] }).Targets[0]!.Arn).toEqual({
      'Fn::GetAtt': [queueId, 'Arn'],
    });
    t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(6 hours)' });
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    t.resourceCountIs('AWS::Lambda::EventSourceMapping', 8);
    // The batch issuer's pace is bounded whatever the backlog.
    const [issuerId] = functionFor(s.templates.stateless, eventFunctions.IssueBatchRows.entry);
    const issuerMappings = resourcesOfType(s.templates.stateless, 'AWS::Lambda::EventSourceMapping').filter(
      ([, m]) => JSON.stringify(m.Properties).includes(`"${issuerId}"`),
    );
    expect(issuerMappings).toHaveLength(1);
    expect(issuerMappings[0]![1].Properties).toMatchObject({
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: BATCH_ISSUE_CONCURRENCY },
    });
  });

  it('export jobs: one per invocation, redelivered only after the worker’s timeout, FAILED after the last run', () => {
    const t = s.templates.stateless;
    const [queueId, queue] = resourcesOfType(t, 'AWS::SQS::Queue').find(([id]) =>
      id.startsWith('MessagingExportQueue'),
    )!;
    const [fnId, fn] = functionFor(t, eventFunctions.RunExport.entry);
    const timeout = (fn.Properties as { Timeout: number }).Timeout;
    const props = queue.Properties as {
      VisibilityTimeout: number;
      RedrivePolicy: { maxReceiveCount: number };
    };
    expect(timeout).toBe(900);
    expect(props.VisibilityTimeout).toBeGreaterThan(timeout);
    expect(props.RedrivePolicy.maxReceiveCount).toBe(MAX_EXPORT_RUNS + 1);
    Template.fromJSON(t).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fnId },
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('the re-drive sweep runs every minute; a missed run is made good by the next one', () => {
    const t = s.templates.stateless;
    const [fnId] = functionFor(t, eventFunctions.RedriveDocuments.entry);
    const rules = resourcesOfType(t, 'AWS::Events::Rule').filter(([, r]) =>
      JSON.stringify(r.Properties).includes(`"${fnId}"`),
    );
    expect(rules).toHaveLength(1);
    const [ruleId, rule] = rules[0]!;
    expect(ruleId).toMatch(/^MessagingRedriveSchedule/);
    const props = rule.Properties as {
      ScheduleExpression: string;
      State: string;
      EventBusName?: unknown;
      Targets: { Arn: unknown; RetryPolicy: unknown; DeadLetterConfig: unknown }[];
    };
    expect(props.ScheduleExpression).toBe('rate(1 minute)');
    expect(props.State).toBe('ENABLED');
    expect(props.EventBusName).toBeUndefined();
    expect(props.Targets).toHaveLength(1);
    expect(props.Targets[0]).toMatchObject({
      Arn: { 'Fn::GetAtt': [fnId, 'Arn'] },
      RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
    });
    expect(JSON.stringify(props.Targets[0]!.DeadLetterConfig)).toContain('MessagingEventsDlq');
    // The schedule may invoke the sweep.
    const permissions = resourcesOfType(t, 'AWS::Lambda::Permission').filter(
      ([, p]) =>
        JSON.stringify(p.Properties).includes(`"${fnId}"`) &&
        JSON.stringify(p.Properties).includes(`"${ruleId}"`),
    );
    expect(permissions).toHaveLength(1);
    expect(permissions[0]![1].Properties).toMatchObject({ Principal: 'events.amazonaws.com' });
  });

  it('a claimed attempt is presumed dead only after its execution and its slowest task could have ended', () => {
    const t = s.templates.stateless;
    const [, sm] = resourcesOfType(t, 'AWS::StepFunctions::StateMachine')[0]!;
    const asl = renderDefinitionString(
      (sm.Properties as { DefinitionString: unknown }).DefinitionString,
      t,
    ) as {
      TimeoutSeconds: number;
    };
    const executionTimeout = asl.TimeoutSeconds;
    expect(executionTimeout).toBe(270);
    const taskTimeouts = Object.values(pipelineFunctions).map((spec) => {
      const [, fn] = functionFor(t, spec.entry);
      return (fn.Properties as { Timeout: number }).Timeout;
    });
    const [, sweep] = functionFor(t, eventFunctions.RedriveDocuments.entry);
    const env = (sweep.Properties as { Environment: { Variables: Record<string, string> } }).Environment
      .Variables;
    // A task is not stopped with its execution: the lease outlives both.
    expect(Number(env.ISSUING_ATTEMPT_LEASE_SECONDS)).toBeGreaterThan(
      executionTimeout + Math.max(...taskTimeouts),
    );
    // The values are ones the functions accept.
    const parsed = loadConfig({
      ISSUING_ATTEMPT_LEASE_SECONDS: env.ISSUING_ATTEMPT_LEASE_SECONDS,
      ISSUING_START_GRACE_SECONDS: env.ISSUING_START_GRACE_SECONDS,
      ISSUING_REDRIVE_DELAYS_SECONDS: env.ISSUING_REDRIVE_DELAYS_SECONDS,
    }).issuing;
    expect(parsed.redriveDelaysSeconds).toEqual([30, 120, 600, 1800, 3600, 7200, 14_400, 28_800]);
    expect(parsed.startGraceSeconds).toBe(90);
  });

  it('every log group has retention and a KMS key', () => {
    for (const template of [s.templates.stateful, s.templates.stateless]) {
      for (const [id, lg] of resourcesOfType(template, 'AWS::Logs::LogGroup')) {
        const p = lg.Properties as { RetentionInDays?: number; KmsKeyId?: unknown };
        expect(p.RetentionInDays, id).toBeGreaterThan(0);
        expect(p.KmsKeyId, id).toBeDefined();
      }
    }
  });

  it('API: access logs, throttling, tracing, request validator', () => {
    const t = Template.fromJSON(s.templates.stateless);
    t.hasResourceProperties('AWS::ApiGateway::Stage', {
      TracingEnabled: true,
      AccessLogSetting: { DestinationArn: {} as never },
    });
    const [, stage] = resourcesOfType(s.templates.stateless, 'AWS::ApiGateway::Stage')[0]!;
    const settings = (stage.Properties as { MethodSettings: Record<string, unknown>[] }).MethodSettings[0]!;
    expect(settings).toMatchObject({ HttpMethod: '*', ResourcePath: '/*', LoggingLevel: 'INFO' });
    expect(settings.ThrottlingRateLimit).toBeGreaterThan(0);
    expect(settings.ThrottlingBurstLimit).toBeGreaterThan(0);
    t.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
  });

  it('every webhook event of the catalogue goes to the webhook fan-out queue; the retry sweep runs every minute', () => {
    const [fanOutQueueId] = resourcesOfType(s.templates.stateless, 'AWS::SQS::Queue').find(([id]) =>
      id.startsWith('MessagingWebhookFanOutQueue'),
    )!;
    const rules = resourcesOfType(s.templates.stateless, 'AWS::Events::Rule').filter(([, r]) =>
      JSON.stringify(r.Properties).includes(`"${fanOutQueueId}"`),
    );
    expect(rules).toHaveLength(1);
    const types = WEBHOOK_EVENT_TYPES;
    expect((rules[0]![1].Properties as { EventPattern: unknown }).EventPattern).toEqual({
      source: [...new Set(types.map((type) => EVENT_CATALOG[type].source))],
      'detail-type': [...types],
    });
    expect(types).not.toContain('webhook.disabled');
    const [sweepId] = functionFor(s.templates.stateless, eventFunctions.SweepWebhookDeliveries.entry);
    const sweepRules = resourcesOfType(s.templates.stateless, 'AWS::Events::Rule').filter(([, r]) =>
      JSON.stringify(r.Properties).includes(`"${sweepId}"`),
    );
    expect(
      sweepRules.map(([, r]) => (r.Properties as { ScheduleExpression?: string }).ScheduleExpression),
    ).toEqual(['rate(1 minute)']);
  });

  it('alarms: DLQ depth, pipeline failures, API 5xx', () => {
    const alarms = resourcesOfType(s.templates.stateless, 'AWS::CloudWatch::Alarm').map(
      ([, a]) => (a.Properties as { MetricName: string }).MetricName,
    );
    expect(alarms.filter((m) => m === 'ApproximateNumberOfMessagesVisible')).toHaveLength(9);
    expect(alarms).toContain('ExecutionsFailed');
    expect(alarms).toContain('5XXError');
  });

  it('outputs the API URL, user pool, clients, table, bucket and state machine', () => {
    expect(Object.keys(s.templates.stateless.Outputs ?? {})).toEqual(
      expect.arrayContaining(['ApiUrl', 'WebConsoleUrl', 'WebClientId', 'IssuingStateMachineArn']),
    );
    expect(Object.keys(s.templates.stateful.Outputs ?? {})).toEqual(
      expect.arrayContaining(['UserPoolId', 'MachineClientId', 'TableName', 'DocumentsBucketName']),
    );
  });
});
