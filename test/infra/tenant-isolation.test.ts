import { beforeAll, describe, expect, it } from 'vitest';
import { SIGNING_KEY_DELETION_WINDOW_DAYS } from '#infra/constructs/grants';
import { apiRoutes, authorizerFunction, eventFunctions, type Grant, pipelineFunctions } from '#infra/routes';
import { ACCOUNT_ID, REGION } from '#local/aws';
import { type Decision, evaluate, type IamRequest } from '#local/iam/evaluate';
import {
  type FunctionRoles,
  functionRolesOf,
  type PolicyDocument,
  type RoleModel,
  rolesOf,
} from '#local/iam/roles';
import { loadAssembly } from '#local/template/assembly';
import { TemplateResolver } from '#local/template/intrinsics';
import { SIGNING_KEY_DELETION_WINDOW_DAYS as SERVICE_DELETION_WINDOW } from '#shared/tenancy/certificates';
import { synth } from './synth';

/**
 * Tenant isolation as IAM decides it: the synthesized policies (intrinsics resolved as the local cloud
 * deploys them) evaluated by iam-simulate for every data action the functions' grants imply. A session of a
 * function's tenant role tagged `tenantId=acme` must be allowed on acme's items, objects and keys and denied on
 * `acme-2`'s (a tenant whose id starts with acme's: a prefix match would let it through), and the execution
 * role alone must be denied on every tenant's data.
 *
 * The catalogue below is written from the data contract (shared/data/keys.ts, docs/contracts.md § Objects,
 * the KMS encryption context and key tags), not from infra/constructs/grants.ts.
 */

const OWN = 'acme';
const OTHER = 'acme-2';

type Names = {
  tableArn: string;
  bucketArn: string;
  workFilesBucketArn: string;
  dataKeyArn: string;
  dataKeyPolicy: PolicyDocument;
};

/**
 * The key policy KMS gives a key created without one, as shared/signing/kms-import.ts creates the tenant
 * signing keys: it delegates to IAM. A KMS request needs its key policy to allow it too.
 */
const DEFAULT_KEY_POLICY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
};

/** What a tenant's code does with AWS, by capability (an action on one kind of resource). */
type DataRequest = {
  capability: string;
  /** e.g. `GetItem of a document`. */
  label: string;
  action: string;
  resource: (names: Names, tenant: string) => string;
  context: (tenant: string) => Record<string, string | string[]>;
  /** Not about one tenant's data (a storage service's use of the data key): checked on the own tenant only. */
  tenantAgnostic?: boolean;
};

const tableRequest = (
  capability: string,
  label: string,
  action: string,
  leadingKeys: (t: string) => string[],
  index?: string,
  extra: Record<string, string> = {},
): DataRequest => ({
  capability,
  label,
  action,
  resource: (names) => (index ? `${names.tableArn}/index/${index}` : names.tableArn),
  context: (t) => ({ 'dynamodb:LeadingKeys': leadingKeys(t), ...extra }),
});

const TRANSACT = {};
const VIA = (service: string) => ({ 'kms:ViaService': `${service}.${REGION}.amazonaws.com` });
const signingKeyArn = (t: string) => `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/signing-key-of-${t}`;
const signingKeyTags = (t: string) => ({
  'aws:ResourceTag/purpose': 'rfe-signing',
  'aws:ResourceTag/tenantId': t,
});
const kmsRequest = (
  capability: string,
  label: string,
  action: string,
  context: (t: string) => Record<string, string | string[]>,
  tenantAgnostic = false,
): DataRequest => ({
  capability,
  label,
  action,
  resource: (names) => names.dataKeyArn,
  context,
  tenantAgnostic,
});
const signingKeyRequest = (
  capability: string,
  label: string,
  action: string,
  extra: (t: string) => Record<string, string | string[]> = () => ({}),
): DataRequest => ({
  capability,
  label,
  action,
  resource: (_names, t) => signingKeyArn(t),
  context: (t) => ({ ...signingKeyTags(t), ...extra(t) }),
});

const REQUESTS: DataRequest[] = [
  // Items: every pk and GSI pk of a tenant starts with T#<t> (shared/data/keys.ts).
  tableRequest('dynamodb:GetItem', 'GetItem of the tenant profile', 'dynamodb:GetItem', (t) => [`T#${t}`]),
  tableRequest('dynamodb:GetItem', 'GetItem of a document', 'dynamodb:GetItem', (t) => [`T#${t}#DOC#d1`]),
  tableRequest('dynamodb:Query', 'Query of a document’s events', 'dynamodb:Query', (t) => [`T#${t}#DOC#d1`]),
  tableRequest('dynamodb:Query', 'Query of branches', 'dynamodb:Query', (t) => [`T#${t}`]),
  tableRequest('dynamodb:Query', 'Query of gsi1 (by date)', 'dynamodb:Query', (t) => [`T#${t}#DOCS`], 'gsi1'),
  tableRequest(
    'dynamodb:Query',
    'Query of gsi2 (by status)',
    'dynamodb:Query',
    (t) => [`T#${t}#STATUS#AUTHORIZED`],
    'gsi2',
  ),
  tableRequest(
    'dynamodb:Query',
    'Query of gsi3 (by CUFE)',
    'dynamodb:Query',
    (t) => [`T#${t}#CUFE#FE01`],
    'gsi3',
  ),
  tableRequest('dynamodb:BatchGetItem', 'BatchGetItem of documents', 'dynamodb:BatchGetItem', (t) => [
    `T#${t}#DOC#d1`,
    `T#${t}#DOC#d2`,
  ]),
  tableRequest(
    'dynamodb:ConditionCheckItem',
    'TransactWriteItems ConditionCheck of a number series',
    'dynamodb:ConditionCheckItem',
    (t) => [`T#${t}#SERIES#0000#001`],
    undefined,
    TRANSACT,
  ),
  tableRequest('dynamodb:PutItem', 'PutItem of a document', 'dynamodb:PutItem', (t) => [`T#${t}#DOC#d1`]),
  tableRequest(
    'dynamodb:PutItem',
    'TransactWriteItems Put of an idempotency record',
    'dynamodb:PutItem',
    (t) => [`T#${t}#IDEMPOTENCY#abc`],
    undefined,
    TRANSACT,
  ),
  tableRequest('dynamodb:UpdateItem', 'UpdateItem of the folio balance', 'dynamodb:UpdateItem', (t) => [
    `T#${t}`,
  ]),
  tableRequest(
    'dynamodb:UpdateItem',
    'TransactWriteItems Update of a number counter',
    'dynamodb:UpdateItem',
    (t) => [`T#${t}#SERIES#0000#001`],
    undefined,
    TRANSACT,
  ),
  tableRequest('dynamodb:DeleteItem', 'DeleteItem of the signing key record', 'dynamodb:DeleteItem', (t) => [
    `T#${t}`,
  ]),
  // Request bookkeeping: idempotency claims (put, completed, released) and rate-limit windows (counted).
  tableRequest('dynamodb:PutItem@bookkeeping', 'PutItem of an idempotency claim', 'dynamodb:PutItem', (t) => [
    `T#${t}#IDEMPOTENCY#abc`,
  ]),
  tableRequest(
    'dynamodb:DeleteItem@bookkeeping',
    'DeleteItem of an idempotency claim',
    'dynamodb:DeleteItem',
    (t) => [`T#${t}#IDEMPOTENCY#abc`],
  ),
  tableRequest(
    'dynamodb:UpdateItem@bookkeeping',
    'UpdateItem of a rate-limit window',
    'dynamodb:UpdateItem',
    (t) => [`T#${t}#LIMIT#EMAIL_RESEND`],
  ),
  tableRequest('dynamodb:BatchWriteItem', 'BatchWriteItem of documents', 'dynamodb:BatchWriteItem', (t) => [
    `T#${t}#DOC#d1`,
    `T#${t}#DOC#d2`,
  ]),
  // The audit trail (T#<t>#AUDIT): read and appended to; never updated, deleted or batch-written by anyone.
  tableRequest('dynamodb:Query', 'Query of the audit trail', 'dynamodb:Query', (t) => [`T#${t}#AUDIT`]),
  tableRequest('dynamodb:PutItem@audit', 'PutItem of an audit entry', 'dynamodb:PutItem', (t) => [
    `T#${t}#AUDIT`,
  ]),
  tableRequest(
    'dynamodb:PutItem@audit',
    'TransactWriteItems Put of an audit entry',
    'dynamodb:PutItem',
    (t) => [`T#${t}#AUDIT`],
    undefined,
    TRANSACT,
  ),
  tableRequest('audit:rewrite', 'UpdateItem of an audit entry', 'dynamodb:UpdateItem', (t) => [
    `T#${t}#AUDIT`,
  ]),
  tableRequest(
    'audit:rewrite',
    'TransactWriteItems Delete of an audit entry',
    'dynamodb:DeleteItem',
    (t) => [`T#${t}#AUDIT`],
    undefined,
    TRANSACT,
  ),
  tableRequest('audit:rewrite', 'BatchWriteItem with an audit entry', 'dynamodb:BatchWriteItem', (t) => [
    `T#${t}#DOC#d1`,
    `T#${t}#AUDIT`,
  ]),
  // Objects: tenants/<t>/documents/<id>/… (docs/contracts.md § Objects).
  {
    capability: 's3:GetObject',
    label: 'GetObject of an authorized rFE',
    action: 's3:GetObject',
    resource: (names, t) => `${names.bucketArn}/tenants/${t}/documents/d1/rfe.xml`,
    context: () => ({}),
  },
  {
    capability: 's3:PutObject',
    label: 'PutObject of a document input',
    action: 's3:PutObject',
    resource: (names, t) => `${names.bucketArn}/tenants/${t}/documents/d1/input.json`,
    context: () => ({}),
  },
  // Work files: tenants/<t>/… of the work-files bucket (docs/contracts.md § Objects (work-files bucket)).
  {
    capability: 's3:GetObject@work',
    label: 'GetObject of an export ZIP',
    action: 's3:GetObject',
    resource: (names, t) => `${names.workFilesBucketArn}/tenants/${t}/exports/e1.zip`,
    context: () => ({}),
  },
  {
    capability: 's3:PutObject@work',
    label: 'PutObject (or UploadPart) of an export ZIP',
    action: 's3:PutObject',
    resource: (names, t) => `${names.workFilesBucketArn}/tenants/${t}/exports/e1.zip`,
    context: () => ({}),
  },
  {
    capability: 's3:AbortMultipartUpload@work',
    label: 'AbortMultipartUpload of an export ZIP',
    action: 's3:AbortMultipartUpload',
    resource: (names, t) => `${names.workFilesBucketArn}/tenants/${t}/exports/e1.zip`,
    context: () => ({}),
  },
  // The data key: HKA credentials are encrypted with the tenant id as encryption context.
  kmsRequest('kms:Decrypt@tenant', 'Decrypt of HKA credentials', 'kms:Decrypt', (t) => ({
    'kms:EncryptionContext:tenantId': t,
  })),
  kmsRequest('kms:Encrypt@tenant', 'Encrypt of HKA credentials', 'kms:Encrypt', (t) => ({
    'kms:EncryptionContext:tenantId': t,
  })),
  // …and DynamoDB and S3 use it on the caller's behalf (SSE-KMS of the table and the bucket).
  kmsRequest('kms:Decrypt@dynamodb', 'Decrypt by DynamoDB', 'kms:Decrypt', () => VIA('dynamodb'), true),
  kmsRequest(
    'kms:Encrypt@dynamodb',
    'GenerateDataKey by DynamoDB',
    'kms:GenerateDataKey',
    () => VIA('dynamodb'),
    true,
  ),
  kmsRequest('kms:Decrypt@s3', 'Decrypt by S3', 'kms:Decrypt', () => VIA('s3'), true),
  kmsRequest('kms:Encrypt@s3', 'GenerateDataKey by S3', 'kms:GenerateDataKey', () => VIA('s3'), true),
  // Signing keys: tagged purpose=rfe-signing and tenantId=<t> (shared/signing/kms-import.ts).
  signingKeyRequest('kms:Sign', 'Sign with the tenant’s key', 'kms:Sign'),
  signingKeyRequest('kms:GetPublicKey', 'GetPublicKey of the tenant’s key', 'kms:GetPublicKey'),
  {
    capability: 'kms:CreateKey',
    label: 'CreateKey of a signing key tagged for the tenant',
    action: 'kms:CreateKey',
    resource: () => '*',
    context: (t) => ({
      'aws:RequestTag/purpose': 'rfe-signing',
      'aws:RequestTag/tenantId': t,
      'aws:TagKeys': ['tenantId', 'purpose'],
      'kms:KeySpec': 'RSA_2048',
      'kms:KeyUsage': 'SIGN_VERIFY',
      'kms:KeyOrigin': 'EXTERNAL',
    }),
  },
  {
    capability: 'kms:CreateKey',
    label: 'TagResource of a new signing key',
    action: 'kms:TagResource',
    resource: (_names, t) => signingKeyArn(t),
    context: (t) => ({
      'aws:RequestTag/purpose': 'rfe-signing',
      'aws:RequestTag/tenantId': t,
      'aws:TagKeys': ['tenantId', 'purpose'],
    }),
  },
  signingKeyRequest('kms:ImportKeyMaterial', 'GetParametersForImport', 'kms:GetParametersForImport'),
  signingKeyRequest('kms:ImportKeyMaterial', 'ImportKeyMaterial', 'kms:ImportKeyMaterial'),
  signingKeyRequest(
    'kms:ScheduleKeyDeletion',
    'ScheduleKeyDeletion of the certificate’s key',
    'kms:ScheduleKeyDeletion',
    () => ({
      'kms:ScheduleKeyDeletionPendingWindowInDays': String(SIGNING_KEY_DELETION_WINDOW_DAYS),
    }),
  ),
];

/** The capabilities each grant implies (docs: infra/routes.ts). */
const CAPABILITIES: Record<Grant, string[]> = {
  readDocuments: [
    'dynamodb:GetItem',
    'dynamodb:Query',
    'dynamodb:BatchGetItem',
    'dynamodb:ConditionCheckItem',
    'kms:Decrypt@tenant',
    'kms:Decrypt@dynamodb',
  ],
  writeDocuments: [
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:PutItem@bookkeeping',
    'dynamodb:UpdateItem@bookkeeping',
    'dynamodb:DeleteItem@bookkeeping',
    'dynamodb:PutItem@audit',
    'kms:Encrypt@tenant',
    'kms:Encrypt@dynamodb',
  ],
  appendDocumentEvents: [
    'dynamodb:PutItem',
    'dynamodb:PutItem@bookkeeping',
    'dynamodb:PutItem@audit',
    'kms:Encrypt@dynamodb',
  ],
  // Only the bookkeeping items: never a document's or the folio balance's UpdateItem/DeleteItem.
  trackRequests: [
    'dynamodb:PutItem@bookkeeping',
    'dynamodb:UpdateItem@bookkeeping',
    'dynamodb:DeleteItem@bookkeeping',
    'kms:Encrypt@dynamodb',
  ],
  readObjects: ['s3:GetObject', 'kms:Decrypt@s3'],
  writeObjects: ['s3:PutObject', 'kms:Encrypt@s3'],
  readWorkFiles: ['s3:GetObject@work', 'kms:Decrypt@s3'],
  writeWorkFiles: ['s3:PutObject@work', 's3:AbortMultipartUpload@work', 'kms:Encrypt@s3', 'kms:Decrypt@s3'],
  signWithTenantKeys: ['kms:Sign', 'kms:GetPublicKey'],
  // The clean-up of a half-imported key schedules its deletion too.
  manageSigningKeys: [
    'kms:CreateKey',
    'kms:ImportKeyMaterial',
    'kms:GetPublicKey',
    'kms:ScheduleKeyDeletion',
  ],
  retireSigningKeys: ['kms:ScheduleKeyDeletion'],
  appendAuditEntries: ['dynamodb:PutItem@audit', 'kms:Encrypt@dynamodb'],
  // On the execution role: the platform's trail, no tenant's (checked below).
  readPlatformAudit: [],
  listTenants: [],
  findDueDocuments: [],
  trackHkaAvailability: [],
  findDueWebhookDeliveries: [],
  startIssuing: [],
  publishEvents: [],
  readPlatformSecret: [],
  readCursorSecret: [],
  sendEmail: [],
  enqueueFolioSync: [],
  enqueueExports: [],
  enqueueBatchWork: [],
  enqueueWebhookDeliveries: [],
  readTenants: [],
  manageTenants: [],
  trackPlatformRequests: [],
  // The new tenant's own items (no delete, no batch) — its own audit partition included, as every item under
  // `T#<tenant>#…` —, and the platform registry's creates (checked below).
  provisionTenants: [
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:PutItem@audit',
    'dynamodb:UpdateItem',
    'dynamodb:PutItem@bookkeeping',
    'dynamodb:UpdateItem@bookkeeping',
    'kms:Encrypt@dynamodb',
    'kms:Decrypt@dynamodb',
  ],
  readApiKeyHashSecret: [],
  // Put/Delete of `T#_platform#API_KEY#*` lookups only: no tenant-keyed request is allowed by it.
  manageApiKeyLookups: ['kms:Encrypt@dynamodb'],
  // Put of `T#_platform#USER#*` access entries only (checked below).
  manageUserAccess: ['kms:Encrypt@dynamodb'],
  // UpdateItem of `lastUsedAt`: AWS also checks `dynamodb:Attributes` (pk, sk, lastUsedAt), a key the local
  // evaluator does not model, so here it reads as the tenant's UpdateItem.
  authorizeCallers: [
    'dynamodb:UpdateItem',
    'dynamodb:UpdateItem@bookkeeping',
    'kms:Encrypt@dynamodb',
    'kms:Decrypt@dynamodb',
  ],
  manageUsers: [],
  // Put/Query/Delete of `T#_platform#ALERT_DIGEST` only: no tenant-keyed request is allowed by it.
  trackAlertDigests: ['kms:Encrypt@dynamodb', 'kms:Decrypt@dynamodb'],
};

function capabilitiesOf(grants: readonly Grant[]): Set<string> {
  // writeDocuments includes readDocuments (routes.ts).
  const all = grants.includes('writeDocuments') ? [...grants, 'readDocuments' as const] : grants;
  return new Set(all.flatMap((grant) => CAPABILITIES[grant]));
}

const registry = [
  { entry: authorizerFunction.entry, grants: authorizerFunction.grants },
  ...apiRoutes.map((r) => ({ entry: r.entry, grants: r.grants })),
  ...Object.values(pipelineFunctions).map((f) => ({ entry: f.entry, grants: f.grants })),
  ...Object.values(eventFunctions).map((f) => ({ entry: f.entry, grants: f.grants })),
];

let names: Names;
let roles: Map<string, RoleModel>;
let functions: FunctionRoles[];

beforeAll(async () => {
  const s = await synth();
  const resolver = new TemplateResolver(loadAssembly(s.outdir), { sqsEndpoint: 'http://127.0.0.1:1' });
  roles = rolesOf(resolver);
  functions = functionRolesOf(resolver);
  const stateful = resolver.stacks.find((stack) => stack.stackName === 'Factu-Stateful')!;
  const exported = (key: string) =>
    resolver.resolveString({ 'Fn::ImportValue': `Factu-Stateful-${key}` }, stateful);
  const dataKeyArn = exported('DataKeyArn');
  const dataKey = resolver.findByPhysical(dataKeyArn)!;
  names = {
    tableArn: exported('TableArn'),
    bucketArn: exported('DocumentsBucketArn'),
    workFilesBucketArn: exported('WorkFilesBucketArn'),
    dataKeyArn,
    dataKeyPolicy: resolver.resolve(dataKey.resource.Properties?.KeyPolicy, dataKey.stack) as PolicyDocument,
  };
});

function rolesFor(entry: string): { fn: FunctionRoles; execution: RoleModel; tenant: RoleModel | undefined } {
  const fn = functions.find((candidate) => candidate.entry === entry);
  if (!fn) throw new Error(`no function for ${entry}`);
  const execution = roles.get(fn.executionRoleArn)!;
  const tenant = fn.tenantRoleArn ? roles.get(fn.tenantRoleArn) : undefined;
  if (fn.tenantRoleArn) expect(tenant, `tenant role of ${entry}`).toBeDefined();
  return { fn, execution, tenant };
}

/** What a principal of `role` may do: IAM's decision on its identity policies. */
function asRole(role: RoleModel, session: string, tags: Record<string, string>, names_: Names) {
  return (request: DataRequest, tenant: string): Promise<Decision> => {
    const iamRequest: IamRequest = {
      principal: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${role.name}/${session}`,
      action: request.action,
      resource: request.resource(names_, tenant),
      accountId: ACCOUNT_ID,
      context: {
        ...Object.fromEntries(Object.entries(tags).map(([key, value]) => [`aws:PrincipalTag/${key}`, value])),
        ...request.context(tenant),
      },
    };
    return evaluate(iamRequest, {
      identity: role.policies,
      resource: keyPolicyOf(iamRequest.resource, names_),
    });
  };
}

/** KMS evaluates the key's policy with the caller's: the data key's from the template, a tenant key's default. */
function keyPolicyOf(resource: string, names_: Names): PolicyDocument | undefined {
  if (resource === names_.dataKeyArn) return names_.dataKeyPolicy;
  if (/^arn:aws:kms:[^:]+:[^:]+:key\//.test(resource)) return DEFAULT_KEY_POLICY;
  return undefined;
}

describe('tenant data through a tenant session only', () => {
  it('the deletion window the service asks for is the one IAM allows', () => {
    expect(SERVICE_DELETION_WINDOW).toBe(SIGNING_KEY_DELETION_WINDOW_DAYS);
  });

  it.each(registry.map((spec) => [spec.entry, spec] as const))('%s', async (entry, spec) => {
    const { execution, tenant } = rolesFor(entry);
    const capabilities = capabilitiesOf(spec.grants);
    expect(Boolean(tenant), 'has a tenant role exactly when its grants touch tenant data').toBe(
      capabilities.size > 0,
    );

    const asExecutionRole = asRole(execution, 'function', {}, names);
    const asOwnTenant = tenant ? asRole(tenant, `tenant-${OWN}`, { tenantId: OWN }, names) : undefined;
    const failures: string[] = [];
    const expectDecision = async (
      who: string,
      decision: Promise<Decision>,
      allowed: boolean,
      what: string,
    ) => {
      const result = await decision;
      if ((result === 'Allowed') !== allowed)
        failures.push(`${who} ${what}: ${result}, expected ${allowed ? 'Allowed' : 'Denied'}`);
    };

    for (const request of REQUESTS) {
      const granted = capabilities.has(request.capability);
      // The execution role alone reaches no tenant's data (a storage service's use of the data key is not
      // tenant data: the platform partition needs it).
      if (!request.tenantAgnostic) {
        await expectDecision(
          'execution role',
          asExecutionRole(request, OWN),
          false,
          `${request.label} (${OWN})`,
        );
      }
      if (!asOwnTenant) continue;
      await expectDecision(
        `session tagged ${OWN}`,
        asOwnTenant(request, OWN),
        granted,
        `${request.label} of ${OWN}`,
      );
      if (!request.tenantAgnostic) {
        await expectDecision(
          `session tagged ${OWN}`,
          asOwnTenant(request, OTHER),
          false,
          `${request.label} of ${OTHER}`,
        );
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('the audit trail', () => {
  const platformTrail = (action: string, leadingKeys: string[]) =>
    tableRequest('x', 'platform trail', action, () => leadingKeys);

  it('the platform’s trail is read with the execution role of the listing only, and rewritten by no role', async () => {
    const { execution } = rolesFor('functions/api/audit/list-audit-events.ts');
    const listing = asRole(execution, 'function', {}, names);
    expect(await listing(platformTrail('dynamodb:Query', ['T#_platform#AUDIT']), OWN)).toBe('Allowed');
    expect(await listing(platformTrail('dynamodb:Query', ['T#_platform']), OWN)).not.toBe('Allowed');
    expect(await listing(platformTrail('dynamodb:Query', [`T#${OWN}#AUDIT`]), OWN)).not.toBe('Allowed');
    for (const fn of functions) {
      for (const role of [roles.get(fn.executionRoleArn), fn.tenantRoleArn && roles.get(fn.tenantRoleArn)]) {
        if (!role) continue;
        const as = asRole(role, 'function', { tenantId: OWN }, names);
        for (const action of ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']) {
          const decision = await as(platformTrail(action, ['T#_platform#AUDIT']), OWN);
          // Our functions carry the explicit deny; CDK's own providers (the console's deployment) reach no table.
          if (fn.entry) expect(decision, `${role.name} ${action}`).toBe('ExplicitlyDenied');
          else expect(decision, `${role.name} ${action}`).toBe('ImplicitlyDenied');
        }
      }
    }
  });
});

describe('requests that mix tenants or leave the tenant’s prefix', () => {
  const entry = 'functions/api/documents/issue-document.ts';

  it('a batch or transaction touching another tenant’s key is denied as a whole', async () => {
    const { tenant } = rolesFor(entry);
    const session = asRole(tenant!, `tenant-${OWN}`, { tenantId: OWN }, names);
    const mixed = (action: string, leadingKeys: string[]) =>
      session(
        tableRequest('x', 'mixed', action, () => leadingKeys),
        OWN,
      );
    expect(await mixed('dynamodb:BatchWriteItem', [`T#${OWN}#DOC#d1`, `T#${OTHER}#DOC#d1`])).not.toBe(
      'Allowed',
    );
    expect(await mixed('dynamodb:BatchGetItem', [`T#${OWN}#DOC#d1`, `T#${OTHER}#DOC#d1`])).not.toBe(
      'Allowed',
    );
    expect(await mixed('dynamodb:GetItem', ['T#_platform'])).not.toBe('Allowed');
    expect(await mixed('dynamodb:GetItem', [`T#${OWN}x`])).not.toBe('Allowed');
    expect(await mixed('dynamodb:GetItem', [`X#T#${OWN}`])).not.toBe('Allowed');
  });

  it('objects outside tenants/<tenant>/ and keys not tagged for the tenant are denied', async () => {
    const { tenant } = rolesFor('functions/pipeline/sign-xml.ts');
    const session = asRole(tenant!, `tenant-${OWN}`, { tenantId: OWN }, names);
    const object = (key: string) =>
      session(
        {
          capability: 'x',
          label: key,
          action: 's3:GetObject',
          resource: (n) => `${n.bucketArn}/${key}`,
          context: () => ({}),
        },
        OWN,
      );
    expect(await object(`tenants/${OWN}/documents/d1/rfe.xml`)).toBe('Allowed');
    expect(await object(`tenants/${OWN}-2/documents/d1/rfe.xml`)).not.toBe('Allowed');
    expect(await object(`tenants/${OWN}`)).not.toBe('Allowed');
    expect(await object(`other/${OWN}/x`)).not.toBe('Allowed');
    const sign = (context: Record<string, string>) =>
      session(
        {
          capability: 'x',
          label: 'sign',
          action: 'kms:Sign',
          resource: () => signingKeyArn(OWN),
          context: () => context,
        },
        OWN,
      );
    expect(await sign({ 'aws:ResourceTag/purpose': 'rfe-signing', 'aws:ResourceTag/tenantId': OWN })).toBe(
      'Allowed',
    );
    expect(await sign({ 'aws:ResourceTag/tenantId': OWN })).not.toBe('Allowed');
    expect(await sign({ 'aws:ResourceTag/purpose': 'rfe-signing' })).not.toBe('Allowed');
  });

  it('the data key decrypts nothing directly without the tenant’s encryption context', async () => {
    const { tenant } = rolesFor('functions/api/settings/test-hka-credentials.ts');
    const session = asRole(tenant!, `tenant-${OWN}`, { tenantId: OWN }, names);
    const decrypt = (context: Record<string, string>) =>
      session(
        kmsRequest('x', 'decrypt', 'kms:Decrypt', () => context),
        OWN,
      );
    expect(await decrypt({ 'kms:EncryptionContext:tenantId': OWN })).toBe('Allowed');
    expect(await decrypt({})).not.toBe('Allowed');
    expect(await decrypt({ 'kms:EncryptionContext:tenantId': OTHER })).not.toBe('Allowed');
  });

  it('a certificate’s key can only be scheduled for deletion with the full window', async () => {
    const { tenant } = rolesFor('functions/api/certificates/delete-certificate.ts');
    const session = asRole(tenant!, `tenant-${OWN}`, { tenantId: OWN }, names);
    const schedule = (days: number) =>
      session(
        signingKeyRequest('x', 'schedule', 'kms:ScheduleKeyDeletion', () => ({
          'kms:ScheduleKeyDeletionPendingWindowInDays': String(days),
        })),
        OWN,
      );
    expect(await schedule(30)).toBe('Allowed');
    expect(await schedule(7)).not.toBe('Allowed');
  });

  it('a session without the tenant tag reaches nothing', async () => {
    const { tenant } = rolesFor(entry);
    const untagged = asRole(tenant!, 'untagged', {}, names);
    for (const request of REQUESTS.filter((candidate) => !candidate.tenantAgnostic)) {
      expect(await untagged(request, OWN), request.label).not.toBe('Allowed');
    }
  });
});

describe('who may become a tenant session', () => {
  const assume = (caller: RoleModel, tenantRole: RoleModel, action: string, tags: Record<string, string>) =>
    evaluate(
      {
        principal: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${caller.name}/function`,
        action,
        resource: tenantRole.arn,
        accountId: ACCOUNT_ID,
        context: {
          ...Object.fromEntries(Object.entries(tags).map(([key, value]) => [`aws:RequestTag/${key}`, value])),
          'aws:TagKeys': Object.keys(tags),
        },
      },
      { identity: caller.policies, resource: tenantRole.trustPolicy },
    );

  it.each(registry.map((spec) => [spec.entry] as const))('%s', async (entry) => {
    const { execution, tenant } = rolesFor(entry);
    if (!tenant) return;
    for (const action of ['sts:AssumeRole', 'sts:TagSession']) {
      // Its own execution role, with exactly the tenant tag.
      expect(await assume(execution, tenant, action, { tenantId: OWN }), action).toBe('Allowed');
      // Not without the tag, with another tag, or as a platform partition.
      expect(await assume(execution, tenant, action, {}), `${action} untagged`).not.toBe('Allowed');
      expect(await assume(execution, tenant, action, { tenantId: OWN, role: 'admin' })).not.toBe('Allowed');
      expect(await assume(execution, tenant, action, { tenantId: '_platform' })).not.toBe('Allowed');
    }
    // No other function's execution role.
    const other = functions.find(
      (candidate) => candidate.tenantRoleArn && candidate.tenantRoleArn !== tenant.arn,
    )!;
    const otherExecution = roles.get(other.executionRoleArn)!;
    expect(await assume(otherExecution, tenant, 'sts:AssumeRole', { tenantId: OWN })).not.toBe('Allowed');
  });

  it('a provisioning session creates platform entries (registry, RUC, audit) and nothing else there', async () => {
    const { tenant } = rolesFor('functions/api/tenants/create-tenant.ts');
    const session = asRole(tenant!, `tenant-${OWN}`, { tenantId: OWN }, names);
    const request = (action: string, leadingKey: string) =>
      session(
        tableRequest('x', 'platform', action, () => [leadingKey]),
        OWN,
      );
    expect(await request('dynamodb:PutItem', 'T#_platform')).toBe('Allowed');
    expect(await request('dynamodb:PutItem', 'T#_platform#RUC#155704849-2-2021')).toBe('Allowed');
    expect(await request('dynamodb:PutItem', 'T#_platform#AUDIT')).toBe('Allowed');
    // Never a change or removal of another tenant's registry entry, nor any other platform partition.
    expect(await request('dynamodb:UpdateItem', 'T#_platform')).not.toBe('Allowed');
    expect(await request('dynamodb:DeleteItem', 'T#_platform')).not.toBe('Allowed');
    expect(await request('dynamodb:GetItem', 'T#_platform')).not.toBe('Allowed');
    expect(await request('dynamodb:PutItem', 'T#_platform#API_KEY#abc')).not.toBe('Allowed');
    expect(await request('dynamodb:PutItem', 'T#_platform#IDEMPOTENCY#abc')).not.toBe('Allowed');
    expect(await request('dynamodb:PutItem', 'T#_platform#INFLIGHT#0')).not.toBe('Allowed');
    expect(await request('dynamodb:DeleteItem', `T#${OWN}`)).not.toBe('Allowed');
  });

  it('a user change writes the user’s access entry, and no other platform item', async () => {
    const { tenant } = rolesFor('functions/api/users/update-user.ts');
    const session = asRole(tenant!, `tenant-${OWN}`, { tenantId: OWN }, names);
    const request = (action: string, leadingKey: string) =>
      session(
        tableRequest('x', 'platform', action, () => [leadingKey]),
        OWN,
      );
    expect(await request('dynamodb:PutItem', 'T#_platform#USER#3f0c1d2e')).toBe('Allowed');
    expect(await request('dynamodb:UpdateItem', 'T#_platform#USER#3f0c1d2e')).not.toBe('Allowed');
    expect(await request('dynamodb:DeleteItem', 'T#_platform#USER#3f0c1d2e')).not.toBe('Allowed');
    expect(await request('dynamodb:GetItem', 'T#_platform#USER#3f0c1d2e')).not.toBe('Allowed');
    expect(await request('dynamodb:PutItem', 'T#_platform')).not.toBe('Allowed');
    expect(await request('dynamodb:PutItem', 'T#_platform#API_KEY#abc')).not.toBe('Allowed');
  });

  it('the platform routes reach the registry with their own role, and no tenant partition', async () => {
    const { execution } = rolesFor('functions/api/tenants/update-tenant.ts');
    const asFunction = asRole(execution, 'function', {}, names);
    const request = (action: string, leadingKey: string) =>
      asFunction(
        tableRequest('x', 'platform', action, () => [leadingKey]),
        OWN,
      );
    expect(await request('dynamodb:UpdateItem', 'T#_platform')).toBe('Allowed');
    expect(await request('dynamodb:PutItem', 'T#_platform#AUDIT')).toBe('Allowed');
    expect(await request('dynamodb:UpdateItem', 'T#_platform#AUDIT')).not.toBe('Allowed');
    expect(await request('dynamodb:GetItem', `T#${OWN}`)).not.toBe('Allowed');
    expect(await request('dynamodb:UpdateItem', `T#${OWN}`)).not.toBe('Allowed');
  });

  it('the folio-sync fan-out reads the platform partition with its own role, and no tenant partition', async () => {
    const { execution, tenant } = rolesFor(eventFunctions.ScheduleFolioSync.entry);
    expect(tenant).toBeUndefined();
    const query = (leadingKey: string) =>
      asRole(
        execution,
        'function',
        {},
        names,
      )(
        tableRequest('x', 'query', 'dynamodb:Query', () => [leadingKey]),
        OWN,
      );
    expect(await query('T#_platform')).toBe('Allowed');
    expect(await query(`T#${OWN}`)).not.toBe('Allowed');
  });
});
