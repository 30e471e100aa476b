import { Aws, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';
import { INDEX_LIST, INDEXES } from '#shared/data/indexes';
import type { Grant } from '../routes';
import type { AppFunction } from './app-function';

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
/** Object key prefix every tenant object lives under (docs/contracts.md § Objects). */
export const TENANT_OBJECTS_PREFIX = 'tenants/';

export interface GrantsProps {
  readonly table: ITable;
  readonly dataKey: IKey;
  readonly documentsBucket: IBucket;
  readonly platformSecret: ISecret;
  readonly eventBus: IEventBus;
  readonly folioSyncQueue: IQueue;
  /** ARN of the issuing state machine (known before the machine exists: its name is fixed). */
  readonly issuingStateMachineArn: string;
  /** ARNs an e-mail may be sent with: the SES identity and the configuration set. */
  readonly emailResourceArns: readonly string[];
}

/**
 * Least-privilege grants by intent. Every statement names its actions explicitly (no `*` actions) and
 * its resources as narrowly as the service allows.
 *
 * Tenant isolation by IAM (`dynamodb:LeadingKeys` = `T#${aws:PrincipalTag/tenantId}`) needs the
 * function to assume a tenant-scoped role with a session tag per request; that is the planned next step
 * (see infra/README.md). Until then table access is scoped to the table and its indexes, and isolation
 * is enforced by the repositories, which put the tenant id first in every key.
 */
export class Grants {
  constructor(private readonly props: GrantsProps) {}

  /** Applies the grants of a registry entry. */
  apply(fn: AppFunction, grants: readonly Grant[]): void {
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
        case 'listTenants':
          this.grantListTenants(fn);
          break;
        case 'readObjects':
          this.grantReadObjects(fn);
          break;
        case 'writeObjects':
          this.grantWriteObjects(fn);
          break;
        case 'startIssuing':
          this.grantStartIssuing(fn);
          break;
        case 'findDueDocuments':
          this.grantFindDueDocuments(fn);
          break;
        case 'publishEvents':
          this.grantPublishEvents(fn);
          break;
        case 'readPlatformSecret':
          this.grantReadPlatformSecret(fn);
          break;
        case 'sendEmail':
          this.grantSendEmail(fn);
          break;
        case 'enqueueFolioSync':
          this.grantEnqueueFolioSync(fn);
          break;
        case 'signWithTenantKeys':
          this.grantSignWithTenantKeys(fn);
          break;
        case 'manageSigningKeys':
          this.grantManageSigningKeys(fn);
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

  private tableResources(): string[] {
    const { table } = this.props;
    return [table.tableArn, ...INDEX_LIST.map((index) => `${table.tableArn}/index/${index.name}`)];
  }

  grantReadDocuments(fn: AppFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'ReadDocuments',
        actions: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:Query',
          'dynamodb:ConditionCheckItem',
        ],
        resources: this.tableResources(),
      }),
    );
    this.grantDataKeyDecrypt(fn);
  }

  grantWriteDocuments(fn: AppFunction): void {
    this.grantReadDocuments(fn);
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'WriteDocuments',
        actions: [
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:BatchWriteItem',
        ],
        resources: [this.props.table.tableArn],
      }),
    );
    this.grantDataKeyEncrypt(fn);
  }

  /**
   * PutItem only (no update, delete or batch write), on the table itself: new items such as a document's
   * history events (`EMAIL_SENT`) and idempotency records.
   */
  grantAppendDocumentEvents(fn: AppFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'AppendDocumentEvents',
        actions: ['dynamodb:PutItem'],
        resources: [this.props.table.tableArn],
      }),
    );
    this.grantDataKeyEncrypt(fn);
  }

  /** Query of the platform partition (tenant registry) only: `dynamodb:LeadingKeys` = `T#_platform`. */
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
    this.grantDataKeyDecrypt(fn);
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
    this.grantDataKeyDecrypt(fn);
  }

  grantReadObjects(fn: AppFunction): void {
    const arn = this.props.documentsBucket.arnForObjects(`${TENANT_OBJECTS_PREFIX}*`);
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'ReadTenantObjects',
        actions: ['s3:GetObject'],
        resources: [arn],
      }),
    );
    this.grantDataKeyDecrypt(fn);
    this.acknowledgeObjectWildcard(fn);
  }

  grantWriteObjects(fn: AppFunction): void {
    const arn = this.props.documentsBucket.arnForObjects(`${TENANT_OBJECTS_PREFIX}*`);
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'WriteTenantObjects',
        actions: ['s3:PutObject'],
        resources: [arn],
      }),
    );
    this.grantDataKeyEncrypt(fn);
    this.acknowledgeObjectWildcard(fn);
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
    this.grantDataKeyDecrypt(fn);
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

  /** kms:Sign with the tenant signing keys, identified by tag (their ids are only known at run time). */
  grantSignWithTenantKeys(fn: AppFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'SignWithTenantKeys',
        actions: ['kms:Sign', 'kms:GetPublicKey', 'kms:DescribeKey'],
        resources: [this.signingKeysArnPattern()],
        conditions: {
          StringEquals: { [`aws:ResourceTag/${SIGNING_KEY_TAG.key}`]: SIGNING_KEY_TAG.value },
        },
      }),
    );
    acknowledgeWildcardResource(
      fn.role,
      this.signingKeysArnPattern(),
      'Tenant signing keys are created at run time, so their ids are unknown at deploy time; access is limited by the aws:ResourceTag/purpose=rfe-signing condition.',
    );
  }

  /** Create tenant signing keys (RSA 2048, SIGN_VERIFY, imported material) and import their key material. */
  grantManageSigningKeys(fn: AppFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'CreateTenantSigningKeys',
        actions: ['kms:CreateKey'],
        resources: ['*'],
        conditions: {
          StringEquals: {
            [`aws:RequestTag/${SIGNING_KEY_TAG.key}`]: SIGNING_KEY_TAG.value,
            'kms:KeySpec': SIGNING_KEY_SPECS,
            'kms:KeyUsage': 'SIGN_VERIFY',
            'kms:KeyOrigin': 'EXTERNAL',
          },
          'ForAllValues:StringEquals': {
            'aws:TagKeys': [SIGNING_KEY_TAG.key, SIGNING_KEY_TENANT_TAG],
          },
        },
      }),
    );
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'TagTenantSigningKeysOnCreate',
        actions: ['kms:TagResource'],
        resources: [this.signingKeysArnPattern()],
        conditions: {
          StringEquals: { [`aws:RequestTag/${SIGNING_KEY_TAG.key}`]: SIGNING_KEY_TAG.value },
          'ForAllValues:StringEquals': { 'aws:TagKeys': [SIGNING_KEY_TAG.key, SIGNING_KEY_TENANT_TAG] },
        },
      }),
    );
    fn.role.addToPolicy(
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
        conditions: {
          StringEquals: { [`aws:ResourceTag/${SIGNING_KEY_TAG.key}`]: SIGNING_KEY_TAG.value },
        },
      }),
    );
    acknowledgeWildcardResource(
      fn.role,
      '*',
      'kms:CreateKey has no resource ARN (IAM requires "*"); it is limited by request-tag, key-spec, key-usage and key-origin conditions. (X-Ray, the other "*" on this role, has no resource-level permissions either.)',
    );
    acknowledgeWildcardResource(
      fn.role,
      this.signingKeysArnPattern(),
      'Tenant signing keys are created at run time, so their ids are unknown at deploy time; access is limited by tag conditions.',
    );
  }

  private signingKeysArnPattern(): string {
    return `arn:${Aws.PARTITION}:kms:${Aws.REGION}:${Aws.ACCOUNT_ID}:key/*`;
  }

  private grantDataKeyDecrypt(fn: AppFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'DecryptWithDataKey',
        actions: ['kms:Decrypt', 'kms:DescribeKey'],
        resources: [this.props.dataKey.keyArn],
      }),
    );
  }

  private grantDataKeyEncrypt(fn: AppFunction): void {
    fn.role.addToPolicy(
      new PolicyStatement({
        sid: 'EncryptWithDataKey',
        actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
        resources: [this.props.dataKey.keyArn],
      }),
    );
  }

  private acknowledgeObjectWildcard(fn: AppFunction): void {
    acknowledgeWildcardResource(
      fn.role,
      this.props.documentsBucket.arnForObjects(`${TENANT_OBJECTS_PREFIX}*`),
      'Object keys are per tenant and per document (tenants/<tenantId>/documents/<documentId>/…), unknown at deploy time; the grant is limited to the tenants/ prefix of the documents bucket.',
    );
  }
}

/**
 * Acknowledges the AwsSolutions-IAM5 finding of exactly one wildcard resource on `scope`, computing the
 * finding id the way cdk-nag does, so the acknowledgement cannot drift from the resource it covers.
 */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  const flat = flattenCfnReference(Stack.of(scope).resolve(resource));
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
}
