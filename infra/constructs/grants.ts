import { Aws, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Effect, type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';
import { INDEX_LIST, INDEXES } from '#shared/data/indexes';
import type { Grant } from '../routes';
import type { AppFunction } from './app-function';
import { PRINCIPAL_TENANT, TENANT_SESSION_TAG, type TenantAccessRole } from './tenant-access-role';

/**
 * Tag that marks (and scopes IAM on) the per-tenant signing keys created at run time. Must match the tags
 * `importPrivateKeyIntoKms` (shared/signing/kms-import.ts) puts on CreateKey.
 */
export const SIGNING_KEY_TAG = { key: 'purpose', value: 'rfe-signing' } as const;
/** Tag carrying the tenant id on a signing key (shared/signing/kms-import.ts). */
export const SIGNING_KEY_TENANT_TAG = 'tenantId';
/** Key specs a tenant certificate may be imported as (shared/signing/kms-import.ts KEY_SPEC_BY_BITS). */
export const SIGNING_KEY_SPECS = ['RSA_2048', 'RSA_3072', 'RSA_4096'];
/**
 * Partition key of the platform partition (the tenant registry, one item per tenant), the only partition the
 * folio-sync fan-out may read. Must match `PLATFORM_PARTITION` of shared/data/keys.ts (tested).
 */
export const PLATFORM_PARTITION_KEY = 'T#_platform';
/** The alert digests due across tenants (`alertKeys.digestDue`, shared/data/keys.ts; tested). */
export const ALERT_DIGESTS_DUE_PARTITION_KEY = `${PLATFORM_PARTITION_KEY}#ALERT_DIGEST`;
/** Object key prefix every tenant object lives under (docs/contracts.md § Objects). */
export const TENANT_OBJECTS_PREFIX = 'tenants/';

export interface GrantsProps {
  readonly table: ITable;
  readonly dataKey: IKey;
  readonly documentsBucket: IBucket;
  /** Drafts, exports and uploads (infra/constructs/work-files-bucket.ts): same tenant prefix rule. */
  readonly workFilesBucket: IBucket;
  readonly platformSecret: ISecret;
  /** Seals pagination cursors (shared/data/cursor.ts). */
  readonly cursorSecret: ISecret;
  readonly eventBus: IEventBus;
  readonly folioSyncQueue: IQueue;
  readonly exportQueue: IQueue;
  /** Bulk issuing's queues (validation, then rows to issue). */
  readonly batchQueues: readonly IQueue[];
  readonly webhookDeliveryQueue: IQueue;
  /** ARN of the issuing state machine (known before the machine exists: its name is fixed). */
  readonly issuingStateMachineArn: string;
  /** ARNs an e-mail may be sent with: the SES identity and the configuration set. */
  readonly emailResourceArns: readonly string[];
  /** The Cognito user pool the user routes administer. */
  readonly userPoolArn: string;
  /** Keys the HMAC of API key secrets (shared/auth/api-key-hash.ts). */
  readonly apiKeyHashSecret: ISecret;
}

/** Partition keys of the API keys' lookup items (`apiKeyLookup`, shared/data/keys.ts): `T#_platform#API_KEY#<hmac>`. */
export const API_KEY_LOOKUP_KEYS = [`${PLATFORM_PARTITION_KEY}#API_KEY#*`];

/** Partition keys of users' access entries (`userAccess`, shared/data/keys.ts): `T#_platform#USER#<sub>`. */
export const USER_ACCESS_KEYS = [`${PLATFORM_PARTITION_KEY}#USER#*`];

/** Why the tenant object grants name a wildcard resource (cdk-nag acknowledgements), per bucket. */
const TENANT_OBJECTS_REASON = {
  documents:
    'Object keys are per document (tenants/<tenantId>/documents/<documentId>/…), unknown at deploy time; the grant is limited to the prefix tenants/<session tenant>/ of the documents bucket (aws:PrincipalTag/tenantId).',
  workFiles:
    'Work files are per preview, export or upload (tenants/<tenantId>/…), unknown at deploy time; the grant is limited to the prefix tenants/<session tenant>/ of the work-files bucket (aws:PrincipalTag/tenantId).',
} as const;

/** Days a deleted certificate's key stays recoverable; must match shared/tenancy/certificates.ts (tested). */
export const SIGNING_KEY_DELETION_WINDOW_DAYS = 30;

/**
 * Partition keys (and GSI partition keys) the tenant of the session may lead with: `T#<tenant>` and
 * `T#<tenant>#…` (shared/data/keys.ts). Not `T#<tenant>*`, which would also match tenant `<tenant>x`.
 */
export const TENANT_LEADING_KEYS = [`T#${PRINCIPAL_TENANT}`, `T#${PRINCIPAL_TENANT}#*`];

/**
 * Partition keys of the tenant's request bookkeeping (shared/data/keys.ts): idempotency records
 * `T#<tenant>#IDEMPOTENCY#<hash>` and rate-limit windows `T#<tenant>#LIMIT#<counter>`.
 */
export const TENANT_BOOKKEEPING_KEYS = [
  `T#${PRINCIPAL_TENANT}#IDEMPOTENCY#*`,
  `T#${PRINCIPAL_TENANT}#LIMIT#*`,
];

/**
 * Every audit partition, the tenants' (`T#<tenant>#AUDIT`) and the platform's (`T#_platform#AUDIT`)
 * (shared/data/keys.ts; tested). No other partition key ends so: document ids, key hashes and counters never
 * are `AUDIT`.
 */
export const AUDIT_PARTITIONS = 'T#*#AUDIT';

/** The tenant's own audit partition. */
export const TENANT_AUDIT_PARTITION = `T#${PRINCIPAL_TENANT}#AUDIT`;

/**
 * Least-privilege grants by intent. Every statement names its actions explicitly (no `*` actions) and its
 * resources as narrowly as the service allows.
 *
 * Tenant data — items whose partition key starts `T#<tenant>`, objects under `tenants/<tenant>/`, the data key
 * used for a tenant's HKA credentials, the tenant's signing keys — is granted only to the function's tenant
 * access role (infra/constructs/tenant-access-role.ts), each statement conditioned on the session's
 * `${aws:PrincipalTag/tenantId}`: `dynamodb:LeadingKeys`, object ARNs, `kms:EncryptionContext:tenantId`,
 * `aws:ResourceTag/tenantId`. The execution role keeps what is not tenant data: logs, X-Ray, queues, the state
 * machine, the bus, SES, the platform partition `T#_platform`, the platform and cursor secrets, and AssumeRole on its
 * tenant role.
 */
export class Grants {
  constructor(private readonly props: GrantsProps) {}

  /** Roles that already carry the audit trail's Deny. */
  private readonly appendOnly = new WeakSet<IRole>();

  /** Applies the grants of a registry entry; every function's roles get the audit trail's Deny whatever they hold. */
  apply(fn: AppFunction, grants: readonly Grant[]): void {
    this.keepAuditAppendOnly(fn.role, (statement) => fn.role.addToPolicy(statement));
    const seen = new Set<Grant>();
    for (const grant of grants) {
      if (seen.has(grant)) continue;
      seen.add(grant);
      switch (grant) {
        case 'readDocuments':
          this.grantReadDocuments(fn);
          break;
        case 'writeDocuments':
          this.grantWriteDocuments(fn);
          break;
        case 'appendDocumentEvents':
          this.grantAppendDocumentEvents(fn);
          break;
        case 'trackRequests':
          this.grantTrackRequests(fn);
          break;
        case 'listTenants':
          this.grantListTenants(fn);
          break;
        case 'readObjects':
          this.grantReadObjects(fn);
          break;
        case 'writeObjects':
          this.grantWriteObjects(fn);
          break;
        case 'readWorkFiles':
          this.grantReadWorkFiles(fn);
          break;
        case 'writeWorkFiles':
          this.grantWriteWorkFiles(fn);
          break;
        case 'startIssuing':
          this.grantStartIssuing(fn);
          break;
        case 'findDueDocuments':
          this.grantFindDueDocuments(fn);
          break;
        case 'trackHkaAvailability':
          this.grantTrackHkaAvailability(fn);
          break;
        case 'trackAlertDigests':
          this.grantTrackAlertDigests(fn);
          break;
        case 'publishEvents':
          this.grantPublishEvents(fn);
          break;
        case 'readPlatformSecret':
          this.grantReadPlatformSecret(fn);
          break;
        case 'readCursorSecret':
          this.grantReadCursorSecret(fn);
          break;
        case 'sendEmail':
          this.grantSendEmail(fn);
          break;
        case 'enqueueFolioSync':
          this.grantEnqueueFolioSync(fn);
          break;
        case 'enqueueExports':
          this.grantEnqueueExports(fn);
          break;
        case 'enqueueBatchWork':
          this.grantEnqueueBatchWork(fn);
          break;
        case 'enqueueWebhookDeliveries':
          this.grantEnqueueWebhookDeliveries(fn);
          break;
        case 'findDueWebhookDeliveries':
          this.grantFindDueWebhookDeliveries(fn);
          break;
        case 'signWithTenantKeys':
          this.grantSignWithTenantKeys(fn);
          break;
        case 'manageSigningKeys':
          this.grantManageSigningKeys(fn);
          break;
        case 'retireSigningKeys':
          this.grantRetireSigningKeys(fn);
          break;
        case 'appendAuditEntries':
          this.grantAppendAuditEntries(fn);
          break;
        case 'readPlatformAudit':
          this.grantReadPlatformAudit(fn);
          break;
        case 'readTenants':
          this.grantReadTenants(fn);
          break;
        case 'manageTenants':
          this.grantManageTenants(fn);
          break;
        case 'trackPlatformRequests':
          this.grantTrackPlatformRequests(fn);
          break;
        case 'provisionTenants':
          this.grantProvisionTenants(fn);
          break;
        case 'manageUsers':
          this.grantManageUsers(fn);
          break;
        case 'readApiKeyHashSecret':
          this.grantReadApiKeyHashSecret(fn);
          break;
        case 'manageApiKeyLookups':
          this.grantManageApiKeyLookups(fn);
          break;
        case 'manageUserAccess':
          this.grantManageUserAccess(fn);
          break;
        case 'authorizeCallers':
          this.grantAuthorizeCallers(fn);
          break;
        default: {
          const unknown: never = grant;
          throw new Error(`Unknown grant ${String(unknown)}`);
        }
      }
    }
  }

  /** Convenience for the issue route: write documents and inputs, start the pipeline. */
  grantIssueDocuments(fn: AppFunction): void {
    this.apply(fn, ['writeDocuments', 'writeObjects', 'startIssuing']);
  }

  /**
   * The function's tenant access role, created on first use with the audit trail's Deny: grants added later
   * (writeDocuments' UpdateItem/DeleteItem on `T#<tenant>#*`) can never reach an audit entry.
   */
  private tenantRole(fn: AppFunction): TenantAccessRole {
    const tenant = fn.tenantAccessRole();
    this.keepAuditAppendOnly(tenant.role, (statement) => tenant.addToPolicy(statement));
    return tenant;
  }

  /**
   * Explicit Deny of UpdateItem, DeleteItem and BatchWriteItem (which IAM cannot tell puts from deletes) on
   * every audit partition: an entry, once written, can only be read. An explicit Deny wins over any Allow,
   * so no grant, present or future, undoes it; transactions are authorized element by element, so an Update
   * or Delete element on an audit entry is refused too. PutItem stays allowed (that is how entries are
   * written) and IAM cannot require `attribute_not_exists` on it: overwriting is prevented by code (every
   * put is conditional) and by unguessable entry ids, not by IAM.
   */
  private keepAuditAppendOnly(role: IRole, add: (statement: PolicyStatement) => void): void {
    if (this.appendOnly.has(role)) return;
    this.appendOnly.add(role);
    add(
      new PolicyStatement({
        sid: 'AuditTrailAppendOnly',
        effect: Effect.DENY,
        actions: ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
        resources: [this.props.table.tableArn],
        conditions: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': [AUDIT_PARTITIONS] } },
      }),
    );
  }

  /** PutItem of new entries in the tenant's audit partition only. */
  grantAppendAuditEntries(fn: AppFunction): void {
    const tenant = this.tenantRole(fn);
    tenant.addToPolicy(
      new PolicyStatement({
        sid: 'AppendTenantAuditEntries',
        actions: ['dynamodb:PutItem'],
        resources: [this.props.table.tableArn],
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [TENANT_AUDIT_PARTITION] } },
      }),
    );
    tenant.addToPolicy(
      this.dataKeyViaService('DataKeyEncryptViaDynamoDb', 'dynamodb', ['kms:Encrypt', 'kms:GenerateDataKey']),
    );
  }

  /** Query of the platform's audit partition only, on the execution role: not tenant data. */
  grantReadPlatformAudit(fn: AppFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'ReadPlatformAudit',
        actions: ['dynamodb:Query'],
        resources: [this.props.table.tableArn],
        conditions: {
          'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [`${PLATFORM_PARTITION_KEY}#AUDIT`] },
        },
      }),
    );
    fn.role.addToPolicy(
      this.dataKeyViaService('DataKeyDecryptViaDynamoDb', 'dynamodb', ['kms:Decrypt', 'kms:DescribeKey']),
    );
  }

  private tableResources(): string[] {
    const { table } = this.props;
    return [table.tableArn, ...INDEX_LIST.map((index) => `${table.tableArn}/index/${index.name}`)];
  }

  /** Reads of the tenant's items (table and GSIs) and decryption of its HKA credentials. */
  grantReadDocuments(fn: AppFunction): void {
    const tenant = this.tenantRole(fn);
    tenant.addToPolicy(
      new PolicyStatement({
        sid: 'ReadTenantItems',
        actions: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:Query',
          'dynamodb:ConditionCheckItem',
        ],
        resources: this.tableResources(),
        conditions: tenantLeadingKeys(),
      }),
    );
    tenant.addToPolicy(
      this.dataKeyViaService('DataKeyDecryptViaDynamoDb', 'dynamodb', ['kms:Decrypt', 'kms:DescribeKey']),
    );
    tenant.addToPolicy(
      new PolicyStatement({
        sid: 'DecryptTenantSecrets',
        actions: ['kms:Decrypt'],
        resources: [this.props.dataKey.keyArn],
        conditions: { StringEquals: { [`kms:EncryptionContext:${TENANT_SESSION_TAG}`]: PRINCIPAL_TENANT } },
      }),
    );
  }

  /** readDocuments + writes of the tenant's items and encryption of its HKA credentials. */
  grantWriteDocuments(fn: AppFunction): void {
    this.grantReadDocuments(fn);
    const tenant = this.tenantRole(fn);
    tenant.addToPolicy(
      new PolicyStatement({
        sid: 'WriteTenantItems',
        actions: [
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:BatchWriteItem',
        ],
        resources: [this.props.table.tableArn],
        conditions: tenantLeadingKeys(),
      }),
    );
    tenant.addToPolicy(
      this.dataKeyViaService('DataKeyEncryptViaDynamoDb', 'dynamodb', ['kms:Encrypt', 'kms:GenerateDataKey']),
    );
    tenant.addToPolicy(
      new PolicyStatement({
        sid: 'EncryptTenantSecrets',
        actions: ['kms:Encrypt'],
        resources: [this.props.dataKey.keyArn],
        conditions: { StringEquals: { [`kms:EncryptionContext:${TENANT_SESSION_TAG}`]: PRINCIPAL_TENANT } },
      }),
    );
  }

  /**
   * PutItem only (no update, delete or batch write), on the table itself: new items of the tenant such as a
   * document's history events (`EMAIL_SENT`) and idempotency records.
   */
  grantAppendDocumentEvents(fn: AppFunction): void {
    const tenant = this.tenantRole(fn);
    tenant.addToPolicy(
      new PolicyStatement({
        sid: 'AppendTenantItems',
        actions: ['dynamodb:PutItem'],
        resources: [this.props.table.tableArn],
        conditions: tenantLeadingKeys(),
      }),
    );
    tenant.addToPolicy(
      this.dataKeyViaService('DataKeyEncryptViaDynamoDb', 'dynamodb', ['kms:Encrypt', 'kms:GenerateDataKey']),
    );
  }

  /**
   * Put/Update/Delete of the tenant's request bookkeeping only: idempotency records (claimed, completed,
   * released) and rate-limit windows (counted), never its documents or settings.
   */
  grantTrackRequests(fn: AppFunction): void {
    const tenant = this.tenantRole(fn);
    tenant.addToPolicy(
      new PolicyStatement({
        sid: 'TrackTenantRequests',
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [this.props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': TENANT_BOOKKEEPING_KEYS } },
      }),
    );
    tenant.addToPolicy(
      this.dataKeyViaService('DataKeyEncryptViaDynamoDb', 'dynamodb', ['kms:Encrypt', 'kms:GenerateDataKey']),
    );
  }

  /** Query of the platform partition (tenant registry) only, on the execution role: not tenant data. */
  grantListTenants(fn: AppFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'ListTenants',
        actions: ['dynamodb:Query'],
        resources: [this.props.table.tableArn],
        conditions: {
          'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [PLATFORM_PARTITION_KEY] },
        },
      }),
    );
    fn.role.addToPolicy(
      this.dataKeyViaService('DataKeyDecryptViaDynamoDb', 'dynamodb', ['kms:Decrypt', 'kms:DescribeKey']),
    );
  }

  /** Query of the in-flight index's platform partitions only (`dynamodb:LeadingKeys` = `T#_platform#INFLIGHT#*`). */
  grantFindDueDocuments(fn: AppFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'FindDueDocuments',
        actions: ['dynamodb:Query'],
        resources: [`${this.props.table.tableArn}/index/${INDEXES.inFlight.name}`],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${PLATFORM_PARTITION_KEY}#INFLIGHT#*`] },
        },
      }),
    );
    fn.role.addToPolicy(
      this.dataKeyViaService('DataKeyDecryptViaDynamoDb', 'dynamodb', ['kms:Decrypt', 'kms:DescribeKey']),
    );
  }

  /** GetItem/UpdateItem of the HKA circuit breakers only (`T#_platform#HKA#*`), on the execution role. */
  grantTrackHkaAvailability(fn: AppFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'TrackHkaAvailability',
        actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        resources: [this.props.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${PLATFORM_PARTITION_KEY}#HKA#*`] },
        },
      }),
    );
    fn.role.addToPolicy(
      this.dataKeyViaService('DataKeyDecryptViaDynamoDb', 'dynamodb', ['kms:Decrypt', 'kms:DescribeKey']),
    );
    fn.role.addToPolicy(
      this.dataKeyViaService('DataKeyEncryptViaDynamoDb', 'dynamodb', ['kms:Encrypt', 'kms:GenerateDataKey']),
    );
  }

  /** The alert digests due across tenants only (`dynamodb:LeadingKeys` = `T#_platform#ALERT_DIGEST`), execution role. */
  grantTrackAlertDigests(fn: AppFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'TrackAlertDigests',
        actions: ['dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:DeleteItem'],
        resources: [this.props.table.tableArn],
        conditions: {
          'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [ALERT_DIGESTS_DUE_PARTITION_KEY] },
        },
      }),
    );
    fn.role.addToPolicy(
      this.dataKeyViaService('DataKeyDecryptViaDynamoDb', 'dynamodb', ['kms:Decrypt', 'kms:DescribeKey']),
    );
    fn.role.addToPolicy(
      this.dataKeyViaService('DataKeyEncryptViaDynamoDb', 'dynamodb', ['kms:Encrypt', 'kms:GenerateDataKey']),
    );
  }

  grantReadObjects(fn: AppFunction): void {
    this.grantTenantObjectAccess(fn, 'documents', 'ReadTenantObjects', ['s3:GetObject']);
  }

  grantWriteObjects(fn: AppFunction): void {
    this.grantTenantObjectAccess(fn, 'documents', 'WriteTenantObjects', ['s3:PutObject']);
  }

  grantReadWorkFiles(fn: AppFunction): void {
    this.grantTenantObjectAccess(fn, 'workFiles', 'ReadTenantWorkFiles', ['s3:GetObject']);
  }

  /** PutObject (which also authorizes the parts of a multipart upload) and AbortMultipartUpload. */
  grantWriteWorkFiles(fn: AppFunction): void {
    this.grantTenantObjectAccess(fn, 'workFiles', 'WriteTenantWorkFiles', [
      's3:PutObject',
      's3:AbortMultipartUpload',
    ]);
    // A multipart upload to a KMS-encrypted bucket needs kms:Decrypt too (S3 reads the parts' data keys).
    this.tenantRole(fn).addToPolicy(this.dataKeyViaService('DataKeyDecryptViaS3', 's3', ['kms:Decrypt']));
  }

  /**
   * Object actions under the session tenant's prefix of one bucket, on the tenant role, with the data key
   * through S3: decrypt to read, encrypt to write.
   */
  private grantTenantObjectAccess(
    fn: AppFunction,
    bucket: 'documents' | 'workFiles',
    sid: string,
    actions: string[],
  ): void {
    const tenant = this.tenantRole(fn);
    const resource = this.tenantObjectsOf(bucket);
    tenant.addToPolicy(new PolicyStatement({ sid, actions, resources: [resource] }));
    tenant.addToPolicy(
      actions.includes('s3:GetObject')
        ? this.dataKeyViaService('DataKeyDecryptViaS3', 's3', ['kms:Decrypt'])
        : this.dataKeyViaService('DataKeyEncryptViaS3', 's3', ['kms:Encrypt', 'kms:GenerateDataKey']),
    );
    acknowledgeWildcardResource(tenant.role, resource, TENANT_OBJECTS_REASON[bucket]);
  }

  grantStartIssuing(fn: AppFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'StartIssuingPipeline',
        actions: ['states:StartExecution'],
        resources: [this.props.issuingStateMachineArn],
      }),
    );
  }

  grantPublishEvents(fn: AppFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'PublishEvents',
        actions: ['events:PutEvents'],
        resources: [this.props.eventBus.eventBusArn],
      }),
    );
  }

  grantReadPlatformSecret(fn: AppFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'ReadPlatformSecret',
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: [this.props.platformSecret.secretArn],
      }),
    );
    fn.role.addToPolicy(
      this.dataKeyViaService('DataKeyDecryptViaSecretsManager', 'secretsmanager', ['kms:Decrypt']),
    );
  }

  grantReadCursorSecret(fn: AppFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'ReadCursorSecret',
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: [this.props.cursorSecret.secretArn],
      }),
    );
    fn.role.addToPolicy(
      this.dataKeyViaService('DataKeyDecryptViaSecretsManager', 'secretsmanager', ['kms:Decrypt']),
    );
  }

  grantSendEmail(fn: AppFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'SendEmail',
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [...this.props.emailResourceArns],
      }),
    );
  }

  grantEnqueueFolioSync(fn: AppFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'EnqueueFolioSync',
        actions: ['sqs:SendMessage'],
        resources: [this.props.folioSyncQueue.queueArn],
      }),
    );
  }

  grantEnqueueExports(fn: AppFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'EnqueueExports',
        actions: ['sqs:SendMessage'],
        resources: [this.props.exportQueue.queueArn],
      }),
    );
  }

  grantEnqueueBatchWork(fn: AppFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'EnqueueBatchWork',
        actions: ['sqs:SendMessage'],
        resources: this.props.batchQueues.map((queue) => queue.queueArn),
      }),
    );
  }

  grantEnqueueWebhookDeliveries(fn: AppFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'EnqueueWebhookDeliveries',
        actions: ['sqs:SendMessage'],
        resources: [this.props.webhookDeliveryQueue.queueArn],
      }),
    );
  }

  /**
   * Query of the in-flight index's webhook partitions only (`T#_platform#WEBHOOKS_DUE#*`): the sweep reads
   * which deliveries are due; it leases each one with the delivery's tenant session (writeDocuments).
   */
  grantFindDueWebhookDeliveries(fn: AppFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'FindDueWebhookDeliveries',
        actions: ['dynamodb:Query'],
        resources: [`${this.props.table.tableArn}/index/${INDEXES.inFlight.name}`],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${PLATFORM_PARTITION_KEY}#WEBHOOKS_DUE#*`] },
        },
      }),
    );
    fn.role.addToPolicy(
      this.dataKeyViaService('DataKeyDecryptViaDynamoDb', 'dynamodb', ['kms:Decrypt', 'kms:DescribeKey']),
    );
  }

  /** kms:Sign with the tenant's own signing keys, identified by tags (their ids are only known at run time). */
  grantSignWithTenantKeys(fn: AppFunction): void {
    this.tenantRole(fn).addToPolicy(
      new PolicyStatement({
        sid: 'SignWithTenantKeys',
        actions: ['kms:Sign', 'kms:GetPublicKey', 'kms:DescribeKey'],
        resources: [this.signingKeysArnPattern()],
        conditions: { StringEquals: tenantSigningKeyTags() },
      }),
    );
    this.acknowledgeSigningKeys(fn);
  }

  /** Create the tenant's signing keys (RSA, SIGN_VERIFY, imported material, tagged for the tenant) and import them. */
  grantManageSigningKeys(fn: AppFunction): void {
    const tenant = this.tenantRole(fn);
    const requestTags = {
      [`aws:RequestTag/${SIGNING_KEY_TAG.key}`]: SIGNING_KEY_TAG.value,
      [`aws:RequestTag/${SIGNING_KEY_TENANT_TAG}`]: PRINCIPAL_TENANT,
    };
    const tagKeys = { 'aws:TagKeys': [SIGNING_KEY_TAG.key, SIGNING_KEY_TENANT_TAG] };
    tenant.addToPolicy(
      new PolicyStatement({
        sid: 'CreateTenantSigningKeys',
        actions: ['kms:CreateKey'],
        resources: ['*'],
        conditions: {
          StringEquals: {
            ...requestTags,
            'kms:KeySpec': SIGNING_KEY_SPECS,
            'kms:KeyUsage': 'SIGN_VERIFY',
            'kms:KeyOrigin': 'EXTERNAL',
          },
          'ForAllValues:StringEquals': tagKeys,
        },
      }),
    );
    tenant.addToPolicy(
      new PolicyStatement({
        sid: 'TagTenantSigningKeysOnCreate',
        actions: ['kms:TagResource'],
        resources: [this.signingKeysArnPattern()],
        conditions: { StringEquals: requestTags, 'ForAllValues:StringEquals': tagKeys },
      }),
    );
    tenant.addToPolicy(
      new PolicyStatement({
        sid: 'ImportTenantSigningKeyMaterial',
        actions: [
          'kms:GetParametersForImport',
          'kms:ImportKeyMaterial',
          'kms:DescribeKey',
          'kms:GetPublicKey',
          // Clean-up of a half-imported key (kms-import.ts schedules it for deletion on failure).
          'kms:ScheduleKeyDeletion',
        ],
        resources: [this.signingKeysArnPattern()],
        conditions: { StringEquals: tenantSigningKeyTags() },
      }),
    );
    acknowledgeWildcardResource(
      tenant.role,
      '*',
      'kms:CreateKey has no resource ARN (IAM requires "*"); it is limited by request tags (purpose=rfe-signing, tenantId = the session tenant), key spec, key usage and key origin.',
    );
    this.acknowledgeSigningKeys(fn);
  }

  /**
   * Schedule deletion of the tenant's own signing keys (DELETE /v1/certificates/{id}), with a pending window of
   * at least SIGNING_KEY_DELETION_WINDOW_DAYS.
   */
  grantRetireSigningKeys(fn: AppFunction): void {
    this.tenantRole(fn).addToPolicy(
      new PolicyStatement({
        sid: 'RetireTenantSigningKeys',
        actions: ['kms:ScheduleKeyDeletion'],
        resources: [this.signingKeysArnPattern()],
        conditions: {
          StringEquals: tenantSigningKeyTags(),
          NumericGreaterThanEquals: {
            'kms:ScheduleKeyDeletionPendingWindowInDays': String(SIGNING_KEY_DELETION_WINDOW_DAYS),
          },
        },
      }),
    );
    this.acknowledgeSigningKeys(fn);
  }

  /** GetItem/Query of the tenant registry (`T#_platform`) only, on the execution role: no tenant's own data. */
  grantReadTenants(fn: AppFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'ReadTenantRegistry',
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: [this.props.table.tableArn],
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [PLATFORM_PARTITION_KEY] } },
      }),
    );
    fn.role.addToPolicy(
      this.dataKeyViaService('DataKeyDecryptViaDynamoDb', 'dynamodb', ['kms:Decrypt', 'kms:DescribeKey']),
    );
  }

  grantReadApiKeyHashSecret(fn: AppFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'ReadApiKeyHashSecret',
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        resources: [this.props.apiKeyHashSecret.secretArn],
      }),
    );
    fn.role.addToPolicy(
      this.dataKeyViaService('DataKeyDecryptViaSecretsManager', 'secretsmanager', ['kms:Decrypt']),
    );
  }

  /**
   * readTenants + the status of registry entries (UpdateItem), which tenant holds a RUC (GetItem of
   * `T#_platform#RUC#*`) and the platform's audit entries (PutItem of `T#_platform#AUDIT`, added in the
   * change's transaction).
   */
  grantManageTenants(fn: AppFunction): void {
    this.grantReadTenants(fn);
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'UpdateTenantRegistry',
        actions: ['dynamodb:UpdateItem'],
        resources: [this.props.table.tableArn],
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [PLATFORM_PARTITION_KEY] } },
      }),
    );
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'ReadRucRegistrations',
        actions: ['dynamodb:GetItem'],
        resources: [this.props.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${PLATFORM_PARTITION_KEY}#RUC#*`] },
        },
      }),
    );
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'AppendPlatformAudit',
        actions: ['dynamodb:PutItem'],
        resources: [this.props.table.tableArn],
        conditions: {
          'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [`${PLATFORM_PARTITION_KEY}#AUDIT`] },
        },
      }),
    );
    fn.role.addToPolicy(
      this.dataKeyViaService('DataKeyEncryptViaDynamoDb', 'dynamodb', ['kms:Encrypt', 'kms:GenerateDataKey']),
    );
  }

  /** The idempotency records of platform operations (`T#_platform#IDEMPOTENCY#*`), on the execution role. */
  grantTrackPlatformRequests(fn: AppFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'TrackPlatformRequests',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [this.props.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': [`${PLATFORM_PARTITION_KEY}#IDEMPOTENCY#*`],
          },
        },
      }),
    );
    fn.role.addToPolicy(
      this.dataKeyViaService('DataKeyDecryptViaDynamoDb', 'dynamodb', ['kms:Decrypt', 'kms:DescribeKey']),
    );
    fn.role.addToPolicy(
      this.dataKeyViaService('DataKeyEncryptViaDynamoDb', 'dynamodb', ['kms:Encrypt', 'kms:GenerateDataKey']),
    );
  }

  /**
   * A new tenant's first items, written in one transaction by a session of the tenant role tagged with the new
   * tenant: its own items (Get/Put/Update, no delete), and — PutItem only, each a conditional create — its
   * registry entry, its RUC's registration and the platform audit entry. DynamoDB conditions cannot name sort
   * keys, so the platform partition statement admits any registry entry's PutItem: the code writes only the
   * session tenant's, with `attribute_not_exists`.
   */
  grantProvisionTenants(fn: AppFunction): void {
    const tenant = this.tenantRole(fn);
    tenant.addToPolicy(
      new PolicyStatement({
        sid: 'ProvisionTenantItems',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [this.props.table.tableArn],
        conditions: tenantLeadingKeys(),
      }),
    );
    tenant.addToPolicy(
      new PolicyStatement({
        sid: 'RegisterProvisionedTenant',
        actions: ['dynamodb:PutItem'],
        resources: [this.props.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': [
              PLATFORM_PARTITION_KEY,
              `${PLATFORM_PARTITION_KEY}#RUC#*`,
              `${PLATFORM_PARTITION_KEY}#AUDIT`,
            ],
          },
        },
      }),
    );
    tenant.addToPolicy(
      this.dataKeyViaService('DataKeyDecryptViaDynamoDb', 'dynamodb', ['kms:Decrypt', 'kms:DescribeKey']),
    );
    tenant.addToPolicy(
      this.dataKeyViaService('DataKeyEncryptViaDynamoDb', 'dynamodb', ['kms:Encrypt', 'kms:GenerateDataKey']),
    );
  }

  /**
   * Put/Delete of API key lookup items, on the tenant role: they are written in the same transaction as the
   * tenant's key item and audit entry, and a transaction is signed by one session. IAM cannot check the
   * `tenantId` a lookup names; the lookup's key is the HMAC of a secret only the creating call ever held.
   */
  grantManageApiKeyLookups(fn: AppFunction): void {
    const tenant = this.tenantRole(fn);
    tenant.addToPolicy(
      new PolicyStatement({
        sid: 'ManageApiKeyLookups',
        actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
        resources: [this.props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': API_KEY_LOOKUP_KEYS } },
      }),
    );
    tenant.addToPolicy(
      this.dataKeyViaService('DataKeyEncryptViaDynamoDb', 'dynamodb', ['kms:Encrypt', 'kms:GenerateDataKey']),
    );
  }

  /** PutItem of users' access entries only, in the transaction of the tenant's user change (its session). */
  grantManageUserAccess(fn: AppFunction): void {
    const tenant = this.tenantRole(fn);
    tenant.addToPolicy(
      new PolicyStatement({
        sid: 'ManageUserAccess',
        actions: ['dynamodb:PutItem'],
        resources: [this.props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': USER_ACCESS_KEYS } },
      }),
    );
    tenant.addToPolicy(
      this.dataKeyViaService('DataKeyEncryptViaDynamoDb', 'dynamodb', ['kms:Encrypt', 'kms:GenerateDataKey']),
    );
  }

  /** Administration of the user pool's people (not of the pool itself), on the execution role. */
  grantManageUsers(fn: AppFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'ManageUsers',
        actions: [
          'cognito-idp:AdminCreateUser',
          'cognito-idp:AdminGetUser',
          'cognito-idp:AdminAddUserToGroup',
          'cognito-idp:AdminRemoveUserFromGroup',
          'cognito-idp:AdminEnableUser',
          'cognito-idp:AdminDisableUser',
          'cognito-idp:AdminUserGlobalSignOut',
          'cognito-idp:AdminDeleteUser',
        ],
        resources: [this.props.userPoolArn],
      }),
    );
  }

  /**
   * The API's authorizer: GetItem of API key lookups, users' access entries and the tenant registry (platform partitions, on the
   * execution role), and — through the tenant's session — UpdateItem of the key's `lastUsedAt` only
   * (`dynamodb:Attributes`).
   */
  grantAuthorizeCallers(fn: AppFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'ReadApiKeyLookupsAndTenantStatus',
        actions: ['dynamodb:GetItem'],
        resources: [this.props.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': [...API_KEY_LOOKUP_KEYS, ...USER_ACCESS_KEYS, PLATFORM_PARTITION_KEY],
          },
        },
      }),
    );
    fn.role.addToPolicy(
      this.dataKeyViaService('DataKeyDecryptViaDynamoDb', 'dynamodb', ['kms:Decrypt', 'kms:DescribeKey']),
    );
    const tenant = this.tenantRole(fn);
    tenant.addToPolicy(
      new PolicyStatement({
        sid: 'RecordApiKeyUse',
        actions: ['dynamodb:UpdateItem'],
        resources: [this.props.table.tableArn],
        conditions: {
          ...tenantLeadingKeys(),
          'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'lastUsedAt'] },
        },
      }),
    );
    tenant.addToPolicy(
      this.dataKeyViaService('DataKeyEncryptViaDynamoDb', 'dynamodb', [
        'kms:Encrypt',
        'kms:Decrypt',
        'kms:GenerateDataKey',
      ]),
    );
  }

  private signingKeysArnPattern(): string {
    return `arn:${Aws.PARTITION}:kms:${Aws.REGION}:${Aws.ACCOUNT_ID}:key/*`;
  }

  private tenantObjectsOf(bucket: 'documents' | 'workFiles'): string {
    const target = bucket === 'documents' ? this.props.documentsBucket : this.props.workFilesBucket;
    return target.arnForObjects(`${TENANT_OBJECTS_PREFIX}${PRINCIPAL_TENANT}/*`);
  }

  /**
   * Use of the data key by a storage service on the caller's behalf (`kms:ViaService`): DynamoDB and S3 encrypt
   * the table and the documents bucket with it and check the caller's permission; the caller itself can
   * encrypt or decrypt nothing directly with it.
   */
  private dataKeyViaService(sid: string, service: string, actions: string[]): PolicyStatement {
    return new PolicyStatement({
      sid,
      actions,
      resources: [this.props.dataKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `${service}.${Aws.REGION}.amazonaws.com` } },
    });
  }

  private acknowledgeSigningKeys(fn: AppFunction): void {
    acknowledgeWildcardResource(
      this.tenantRole(fn).role,
      this.signingKeysArnPattern(),
      'Tenant signing keys are created at run time, so their ids are unknown at deploy time; access is limited by tags: purpose=rfe-signing and tenantId = the session tenant.',
    );
  }
}

/** `dynamodb:LeadingKeys` of every key the request touches must be the session tenant's. */
function tenantLeadingKeys() {
  return { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': TENANT_LEADING_KEYS } };
}

/** A signing key of the session's tenant (tags put by shared/signing/kms-import.ts). */
function tenantSigningKeyTags() {
  return {
    [`aws:ResourceTag/${SIGNING_KEY_TAG.key}`]: SIGNING_KEY_TAG.value,
    [`aws:ResourceTag/${SIGNING_KEY_TENANT_TAG}`]: PRINCIPAL_TENANT,
  };
}

/**
 * Acknowledges the AwsSolutions-IAM5 finding of exactly one wildcard resource on `scope`, computing the
 * finding id the way cdk-nag does, so the acknowledgement cannot drift from the resource it covers.
 */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  const flat = flattenCfnReference(Stack.of(scope).resolve(resource));
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
}
