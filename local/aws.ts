// Identity of the local "account". Every emulator and every ARN we mint agrees on these values, so ARNs
// written by one component (a queue ARN in a rule target, a key ARN in a ciphertext) resolve in another.
export const REGION = 'us-east-1';
export const ACCOUNT_ID = '000000000000';

// s3rver checks SigV4 signatures (including presigned URLs) against its single built-in key pair, so the
// dummy credentials handed to every client are exactly that pair: signatures stay verified end to end.
export const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** URLs of the local services, by the AWS SDK service id used in `AWS_ENDPOINT_URL_<SERVICE>`. */
export type Endpoints = {
  dynamodb: string;
  s3: string;
  sqs: string;
  sesv2: string;
  cognito: string;
  kms: string;
  secretsManager: string;
  eventBridge: string;
  sfn: string;
  sts: string;
};

/**
 * The environment that points an unmodified AWS SDK v3 at the local cloud. The SDK reads
 * `AWS_ENDPOINT_URL_<SERVICE_ID>` itself, so handlers keep their production client construction. Nothing here
 * changes the SDK's behaviour (checksums stay at Lambda's defaults): the emulators must take what AWS takes.
 */
export function sdkEnvironment(endpoints: Endpoints): Record<string, string> {
  return {
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    AWS_ENDPOINT_URL_SESV2: endpoints.sesv2,
    AWS_ENDPOINT_URL_SES: endpoints.sesv2,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoints.cognito,
    AWS_ENDPOINT_URL_KMS: endpoints.kms,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secretsManager,
    AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.eventBridge,
    AWS_ENDPOINT_URL_SFN: endpoints.sfn,
    // Functions assume their tenant role per tenant (shared/tenancy/tenant-sessions.ts).
    AWS_ENDPOINT_URL_STS: endpoints.sts,
    // The SDK already addresses buckets path-style when the S3 endpoint is an IP address (127.0.0.1), which
    // is what we hand out; this flag is for client factories that want to be explicit about it.
    S3_FORCE_PATH_STYLE: 'true',
    AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
  };
}
