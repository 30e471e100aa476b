/**
 * The console's Content-Security-Policy, one definition for CloudFront's response headers policy
 * (infra/constructs/web-console.ts) and the local console server (local/web/console-server.ts): scripts and
 * styles only from the console's own files (no 'unsafe-inline'), API calls to its own origin, the token
 * endpoint on the user pool's domain, batch CSVs PUT to the work-files bucket's presigned URLs, and no framing.
 */
export function consoleContentSecurityPolicy(origins: { hostedUi: string; workFilesUpload: string }): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${origins.hostedUi} ${origins.workFilesUpload}`,
    `form-action 'self' ${origins.hostedUi}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * The origin of the work-files bucket's presigned URLs on AWS: the SDK's presigner addresses a bucket with a
 * DNS-compatible name (every bucket CDK names) virtual-hosted on the regional endpoint, in every region
 * including us-east-1. Locally the URLs point at the S3 emulator instead, whose origin the local cloud passes.
 */
export function workFilesUploadOrigin(bucketName: string, region: string, urlSuffix: string): string {
  return `https://${bucketName}.s3.${region}.${urlSuffix}`;
}
