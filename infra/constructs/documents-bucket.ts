import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  ObjectLockRetention,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { privateBucketProps } from './private-bucket';

export interface DocumentsBucketProps {
  readonly encryptionKey: IKey;
  readonly objectLockMode: 'GOVERNANCE' | 'COMPLIANCE';
  readonly objectLockRetentionYears: number;
}

/**
 * The documents bucket (`tenants/<tenantId>/documents/<documentId>/…`): versioned, KMS CMK with bucket
 * keys, Block Public Access, TLS only, Object Lock with a default retention (fiscal documents must be
 * kept), lifecycle to cheaper storage classes, server access logs into a dedicated logs bucket.
 */
export class DocumentsBucket extends Construct {
  readonly bucket: Bucket;
  readonly accessLogsBucket: Bucket;

  constructor(scope: Construct, id: string, props: DocumentsBucketProps) {
    super(scope, id);

    this.accessLogsBucket = new Bucket(this, 'AccessLogs', {
      // S3 server access logging only delivers to SSE-S3 buckets.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: false,
      lifecycleRules: [
        {
          id: 'expire-access-logs',
          expiration: Duration.days(365),
          transitions: [{ storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) }],
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server access logs target bucket; logging it into itself would loop.',
    });

    const retention =
      props.objectLockMode === 'COMPLIANCE'
        ? ObjectLockRetention.compliance(Duration.days(365 * props.objectLockRetentionYears))
        : ObjectLockRetention.governance(Duration.days(365 * props.objectLockRetentionYears));

    this.bucket = new Bucket(this, 'Bucket', {
      ...privateBucketProps(props.encryptionKey),
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: retention,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'documents/',
      lifecycleRules: [
        {
          id: 'tier-documents',
          transitions: [
            { storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(90) },
            { storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(365) },
          ],
          noncurrentVersionTransitions: [
            { storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(30) },
          ],
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
