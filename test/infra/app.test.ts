import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENTRY_METADATA_KEY } from '#infra/constructs/app-function';
import { PLATFORM_PARTITION_KEY, SIGNING_KEY_TAG, SIGNING_KEY_TENANT_TAG } from '#infra/constructs/grants';
import { apiRoutes, eventFunctions, type Grant, pipelineFunctions } from '#infra/routes';
import { PLATFORM_PARTITION } from '#shared/data/keys';
import { type CfnResource, type CfnTemplate, resourcesOfType, type Synthesized, synth } from './synth';

let s: Synthesized;
beforeAll(async () => {
  s = await synth();
});

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
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

/** What each grant may add — written independently of infra/constructs/grants.ts on purpose. */
const ACTIONS_BY_GRANT: Record<Grant, string[]> = {
  readDocuments: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:ConditionCheckItem',
    'kms:Decrypt',
    'kms:DescribeKey',
  ],
  writeDocuments: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:ConditionCheckItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
    'kms:Decrypt',
    'kms:DescribeKey',
    'kms:Encrypt',
    'kms:GenerateDataKey',
  ],
  appendDocumentEvents: ['dynamodb:PutItem', 'kms:Encrypt', 'kms:GenerateDataKey'],
  listTenants: ['dynamodb:Query', 'kms:Decrypt', 'kms:DescribeKey'],
  readObjects: ['s3:GetObject', 'kms:Decrypt', 'kms:DescribeKey'],
  writeObjects: ['s3:PutObject', 'kms:Encrypt', 'kms:GenerateDataKey'],
  startIssuing: ['states:StartExecution'],
  publishEvents: ['events:PutEvents'],
  readPlatformSecret: [
    'secretsmanager:GetSecretValue',
    'secretsmanager:DescribeSecret',
    'kms:Decrypt',
    'kms:DescribeKey',
  ],
  sendEmail: ['ses:SendEmail', 'ses:SendRawEmail'],
  enqueueFolioSync: ['sqs:SendMessage'],
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
};
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
  ...apiRoutes.map((r) => ({ entry: r.entry, grants: r.grants, consumer: false })),
  ...Object.values(pipelineFunctions).map((f) => ({ entry: f.entry, grants: f.grants, consumer: false })),
  ...Object.values(eventFunctions).map((f) => ({
    entry: f.entry,
    grants: f.grants,
    consumer: f.id === 'SendDocumentEmail' || f.id === 'SyncFolios',
  })),
];

describe('route → function wiring', () => {
  it('has one API method per registry route and nothing else', () => {
    const methods = resourcesOfType(s.templates.stateless, 'AWS::ApiGateway::Method');
    expect(methods).toHaveLength(apiRoutes.length);
  });

  it.each(apiRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', (_name, route) => {
    const t = s.templates.stateless;
    const methods = resourcesOfType(t, 'AWS::ApiGateway::Method').filter(([, m]) => {
      const p = m.Properties as { HttpMethod: string; ResourceId: unknown };
      return p.HttpMethod === route.method && resourcePath(t, p.ResourceId) === route.path;
    });
    expect(methods).toHaveLength(1);
    const [, method] = methods[0]!;
    const props = method.Properties as {
      AuthorizationType: string;
      AuthorizerId?: unknown;
      Integration: { Type: string; Uri: unknown };
    };
    // The integration URI references exactly the function built from the route's entry.
    const [fnLogicalId] = functionFor(t, route.entry);
    expect(props.Integration.Type).toBe('AWS_PROXY');
    expect(JSON.stringify(props.Integration.Uri)).toContain(`"${fnLogicalId}"`);
    const otherFns = resourcesOfType(t, 'AWS::Lambda::Function').filter(([id]) => id !== fnLogicalId);
    for (const [otherId] of otherFns)
      expect(JSON.stringify(props.Integration.Uri)).not.toContain(`"${otherId}"`);
    expect(method.Metadata?.[ENTRY_METADATA_KEY]).toBe(route.entry);
    if (route.authorization === 'cognito') {
      expect(props.AuthorizationType).toBe('COGNITO_USER_POOLS');
      expect(props.AuthorizerId).toBeDefined();
    } else {
      expect(props.AuthorizationType).toBe('NONE');
    }
  });

  it('deploys exactly the functions of the registry', () => {
    const entries = resourcesOfType(s.templates.stateless, 'AWS::Lambda::Function')
      .map(([, r]) => r.Metadata?.[ENTRY_METADATA_KEY])
      .sort();
    expect(entries).toEqual(allFunctions.map((f) => f.entry).sort());
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
      'EMAIL_FROM_ADDRESS',
      'EMAIL_QUEUE_URL',
      'FOLIO_SYNC_QUEUE_URL',
      'DOWNLOAD_URL_TTL_SECONDS',
      'POWERTOOLS_SERVICE_NAME',
      'POWERTOOLS_LOG_LEVEL',
    ]) {
      expect(env[name], name).toBeDefined();
    }
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
    const statements = statementsOfRole(t, roleOf(fn));
    const actions = new Set(statements.flatMap((st) => asArray(st.Action)));
    const expected = new Set([
      ...BASE_ACTIONS,
      ...spec.grants.flatMap((g) => ACTIONS_BY_GRANT[g]),
      ...(spec.consumer ? SQS_CONSUMER_ACTIONS : []),
    ]);
    expect([...actions].sort()).toEqual([...expected].sort());
    for (const st of statements) {
      expect(st.Effect).toBe('Allow');
      for (const action of asArray(st.Action)) expect(action, 'no wildcard actions').not.toContain('*');
      const resources = asArray(st.Resource).map((r) => JSON.stringify(r));
      const acts = asArray(st.Action);
      if (resources.includes('"*"')) {
        // Only services without resource-level permissions may use "*".
        expect(acts.every((a) => a.startsWith('xray:') || a === 'kms:CreateKey')).toBe(true);
      }
      if (acts.some((a) => a.startsWith('s3:'))) {
        for (const r of resources) expect(r).toMatch(/\/tenants\/\*"\]\]\}$/);
      }
      if (acts.some((a) => a.startsWith('dynamodb:'))) {
        for (const r of resources) expect(r).toMatch(/Factu-Stateful-TableArn/);
      }
    }
    // Managed policies: none.
    const role = t.Resources[roleOf(fn)]!;
    expect((role.Properties as { ManagedPolicyArns?: unknown }).ManagedPolicyArns).toBeUndefined();
  });

  it('the platform partition of infra is the one of shared/data/keys.ts', () => {
    expect(PLATFORM_PARTITION_KEY).toBe(PLATFORM_PARTITION);
  });

  it('the folio-sync fan-out may only Query the platform partition (tenant registry)', () => {
    const t = s.templates.stateless;
    const [, fn] = functionFor(t, eventFunctions.ScheduleFolioSync.entry);
    const dynamo = statementsOfRole(t, roleOf(fn)).filter((st) =>
      asArray(st.Action).some((a) => a.startsWith('dynamodb:')),
    );
    expect(dynamo).toHaveLength(1);
    expect(asArray(dynamo[0]!.Action)).toEqual(['dynamodb:Query']);
    expect(JSON.stringify(dynamo[0]!.Resource)).not.toContain('/index/');
    expect(dynamo[0]!.Condition).toEqual({
      'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [PLATFORM_PARTITION] },
    });
  });

  it('SendDocumentEmail writes only new items (PutItem), on the table', () => {
    const t = s.templates.stateless;
    const [, fn] = functionFor(t, eventFunctions.SendDocumentEmail.entry);
    const writes = statementsOfRole(t, roleOf(fn)).filter((st) =>
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
    const kmsKeyStatements = resourcesOfType(t, 'AWS::IAM::Policy')
      .flatMap(
        ([, p]) => (p.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement,
      )
      .filter((st) =>
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
    expect(
      (p.GlobalSecondaryIndexes as { IndexName: string; KeySchema: unknown }[]).map((g) => [
        g.IndexName,
        g.KeySchema,
      ]),
    ).toEqual(
      ['gsi1', 'gsi2', 'gsi3'].map((n) => [
        n,
        [
          { AttributeName: `${n}pk`, KeyType: 'HASH' },
          { AttributeName: `${n}sk`, KeyType: 'RANGE' },
        ],
      ]),
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

  it('KMS data key rotates; user pool, groups, clients, resource server', () => {
    const t = Template.fromJSON(s.templates.stateful);
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    t.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'PLUS',
      MfaConfiguration: 'ON',
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'tenantId', Mutable: false, AttributeDataType: 'String' }),
      ]),
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
    for (const group of ['SUPER_ADMIN', 'ADMIN', 'USER', 'OPERATOR']) {
      t.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: group });
    }
    t.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'web',
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
    });
    t.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'machine',
      GenerateSecret: true,
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

  it('document.authorized goes to the email queue; folio sync runs every 6 hours', () => {
    const t = Template.fromJSON(s.templates.stateless);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['factu.documents'], 'detail-type': ['document.authorized'] },
    });
    t.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(6 hours)' });
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    t.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
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

  it('alarms: DLQ depth, pipeline failures, API 5xx', () => {
    const alarms = resourcesOfType(s.templates.stateless, 'AWS::CloudWatch::Alarm').map(
      ([, a]) => (a.Properties as { MetricName: string }).MetricName,
    );
    expect(alarms.filter((m) => m === 'ApproximateNumberOfMessagesVisible')).toHaveLength(3);
    expect(alarms).toContain('ExecutionsFailed');
    expect(alarms).toContain('5XXError');
  });

  it('outputs the API URL, user pool, clients, table, bucket and state machine', () => {
    expect(Object.keys(s.templates.stateless.Outputs ?? {})).toEqual(
      expect.arrayContaining(['ApiUrl', 'IssuingStateMachineArn']),
    );
    expect(Object.keys(s.templates.stateful.Outputs ?? {})).toEqual(
      expect.arrayContaining([
        'UserPoolId',
        'WebClientId',
        'MachineClientId',
        'TableName',
        'DocumentsBucketName',
      ]),
    );
  });
});
