import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Bucket, HttpMethods } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { privateBucketProps } from './private-bucket';

export interface WorkFilesBucketProps {
  readonly encryptionKey: IKey;
  /** Where S3 writes this bucket's server access logs (the documents bucket's logs bucket). */
  readonly accessLogsBucket: Bucket;
  /** The web console's origins: the only pages whose scripts may PUT an upload (a batch CSV) from a browser. */
  readonly uploadOrigins: readonly string[];
}

/** How long a work file lives: long enough to download an export or retry an upload, short enough to hold nothing. */
export const WORK_FILES_EXPIRY_DAYS = 7;

/**
 * Files that are made for a person and then forgotten (`tenants/<tenantId>/…`): draft CAFE previews, export
 * ZIPs, bulk-issuing uploads. Kept out of the documents bucket on purpose: its Object Lock default retention
 * would keep every draft for years, and a COMPLIANCE lock cannot be lifted. Same key and access rules as the
 * documents bucket (KMS CMK, Block Public Access, TLS only, tenant prefix), everything expires.
 */
export class WorkFilesBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: WorkFilesBucketProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      ...privateBucketProps(props.encryptionKey),
      versioned: false,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'work-files/',
      // The console's scripts PUT batch CSVs straight to S3 through presigned URLs: the signature authorizes
      // the upload, CORS decides which pages' scripts may send it (a preflight: text/csv is not a simple
      // content type). Downloads are navigations to presigned GETs, which CORS does not govern. CORS is not
      // what protects an upload (only a holder of the signed URL can make one): it keeps other sites' scripts
      // from sending one, so CloudFront's domain pattern stands for the console's own domain here.
      cors: [
        {
          allowedMethods: [HttpMethods.PUT],
          allowedOrigins: [...props.uploadOrigins],
          allowedHeaders: ['content-type'],
          maxAge: 3600,
        },
      ],
      lifecycleRules: [
        {
          id: 'expire-work-files',
          expiration: Duration.days(WORK_FILES_EXPIRY_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
