import type { IKey } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, BucketEncryption, type BucketProps, ObjectOwnership } from 'aws-cdk-lib/aws-s3';

/**
 * What every bucket holding tenant files starts from: the data key (with S3 Bucket Keys: one KMS data key per
 * bucket period instead of one KMS call per object), no public access of any kind, no ACLs, TLS only.
 */
export function privateBucketProps(encryptionKey: IKey): BucketProps {
  return {
    encryption: BucketEncryption.KMS,
    encryptionKey,
    bucketKeyEnabled: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
  };
}
