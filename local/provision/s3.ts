import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketCorsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ObjectLockSettings } from '../emulators/s3-upload-integrity.ts';
import { resourcesOfType } from '../template/assembly.ts';
import type { TemplateResolver } from '../template/intrinsics.ts';

export type ProvisionedBucket = { name: string; objectLock?: ObjectLockSettings };

/**
 * Creates the template's buckets (with their CORS rules, which browsers downloading presigned URLs need) and
 * reports their Object Lock settings, which s3rver cannot hold: the S3 front enforces them (see emulators/s3.ts).
 */
export async function provisionBuckets(
  resolver: TemplateResolver,
  client: S3Client,
): Promise<ProvisionedBucket[]> {
  const buckets: ProvisionedBucket[] = [];
  for (const { stack, logicalId, resource } of resourcesOfType(resolver.stacks, 'AWS::S3::Bucket')) {
    const name = resolver.physical(stack, logicalId).ref;
    const lockEnabled = String(resolver.resolve(resource.Properties?.ObjectLockEnabled, stack)) === 'true';
    const lockConfiguration = resolver.resolve(resource.Properties?.ObjectLockConfiguration, stack) as
      | { Rule?: { DefaultRetention?: unknown } }
      | undefined;
    buckets.push({
      name,
      ...(lockEnabled
        ? { objectLock: { defaultRetention: lockConfiguration?.Rule?.DefaultRetention !== undefined } }
        : {}),
    });
    const exists = await client.send(new HeadBucketCommand({ Bucket: name })).then(
      () => true,
      () => false,
    );
    if (!exists) await client.send(new CreateBucketCommand({ Bucket: name }));
    const cors = resolver.resolve(resource.Properties?.CorsConfiguration, stack) as
      | { CorsRules?: Array<Record<string, unknown>> }
      | undefined;
    if (cors?.CorsRules?.length) {
      await client.send(
        new PutBucketCorsCommand({
          Bucket: name,
          CORSConfiguration: {
            CORSRules: cors.CorsRules.map((rule) => ({
              AllowedMethods: rule.AllowedMethods as string[],
              AllowedOrigins: rule.AllowedOrigins as string[],
              AllowedHeaders: rule.AllowedHeaders as string[] | undefined,
              ExposeHeaders: rule.ExposedHeaders as string[] | undefined,
              MaxAgeSeconds: rule.MaxAge as number | undefined,
            })),
          },
        }),
      );
    }
  }
  return buckets;
}
