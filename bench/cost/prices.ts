/**
 * AWS list prices the cost model uses (us-east-1, USD, no free tiers unless a line says so), one entry per
 * billed unit with the pricing page it comes from. `checked` says where the number was confirmed: `corpus`
 * (a stored copy of the pricing page or of a transcription of it), or `given` (the figure the product owner
 * gave, not contradicted by anything found).
 */
export type Price = {
  usd: number;
  /** What one `usd` buys: "GB-s", "request", "1M requests" are spelled out so a reader can check the arithmetic. */
  per: string;
  url: string;
  checked: 'corpus' | 'given';
  note?: string;
};

const LAMBDA = 'https://aws.amazon.com/lambda/pricing/';
const STEP_FUNCTIONS = 'https://aws.amazon.com/step-functions/pricing/';
const DYNAMODB = 'https://aws.amazon.com/dynamodb/pricing/on-demand/';
const S3 = 'https://aws.amazon.com/s3/pricing/';
const KMS = 'https://aws.amazon.com/kms/pricing/';
const EVENTBRIDGE = 'https://aws.amazon.com/eventbridge/pricing/';
const SQS = 'https://aws.amazon.com/sqs/pricing/';
const SES = 'https://aws.amazon.com/ses/pricing/';
const API_GATEWAY = 'https://aws.amazon.com/api-gateway/pricing/';
const CLOUDWATCH = 'https://aws.amazon.com/cloudwatch/pricing/';
const XRAY = 'https://aws.amazon.com/xray/pricing/';
const COGNITO = 'https://aws.amazon.com/cognito/pricing/';
const SECRETS_MANAGER = 'https://aws.amazon.com/secrets-manager/pricing/';

export const PRICES = {
  lambdaArmGbSecond: { usd: 0.0000133334, per: 'GB-s (arm64)', url: LAMBDA, checked: 'given' },
  lambdaX86GbSecond: { usd: 0.0000166667, per: 'GB-s (x86_64)', url: LAMBDA, checked: 'given' },
  lambdaRequest: { usd: 0.0000002, per: 'request ($0.20 per million)', url: LAMBDA, checked: 'given' },
  expressRequest: {
    usd: 0.000001,
    per: 'execution started ($1.00 per million)',
    url: STEP_FUNCTIONS,
    checked: 'corpus',
  },
  expressGbSecond: {
    usd: 0.00001667,
    per: 'GB-s (billed in 64 MB steps and 100 ms)',
    url: STEP_FUNCTIONS,
    checked: 'corpus',
    note: 'first 1,000 GB-hours a month ($0.06/GB-hour); cheaper beyond',
  },
  standardTransition: {
    usd: 0.000025,
    per: 'state transition ($0.025 per 1,000)',
    url: STEP_FUNCTIONS,
    checked: 'corpus',
  },
  dynamodbWrite: {
    usd: 0.000000625,
    per: 'write request unit ($0.625 per million)',
    url: DYNAMODB,
    checked: 'corpus',
  },
  dynamodbRead: {
    usd: 0.000000125,
    per: 'read request unit ($0.125 per million)',
    url: DYNAMODB,
    checked: 'corpus',
  },
  dynamodbStorage: { usd: 0.25, per: 'GB-month', url: DYNAMODB, checked: 'given' },
  dynamodbPitr: {
    usd: 0.2,
    per: 'GB-month of table size',
    url: DYNAMODB,
    checked: 'given',
    note: 'continuous backups (point-in-time recovery), enabled on the table',
  },
  s3PutClass: {
    usd: 0.000005,
    per: 'PUT, COPY, POST or LIST request ($0.005 per 1,000)',
    url: S3,
    checked: 'given',
  },
  s3GetClass: { usd: 0.0000004, per: 'GET or other request ($0.0004 per 1,000)', url: S3, checked: 'given' },
  s3Storage: { usd: 0.023, per: 'GB-month (Standard, first 50 TB)', url: S3, checked: 'given' },
  kmsSymmetric: { usd: 0.000003, per: 'request ($0.03 per 10,000)', url: KMS, checked: 'corpus' },
  kmsRsa2048: {
    usd: 0.000003,
    per: 'request on an RSA_2048 key ($0.03 per 10,000)',
    url: KMS,
    checked: 'corpus',
    note: 'a third-party copy of the pricing page lists RSA requests at the symmetric rate; the stored AWS page did not show the asymmetric lines',
  },
  kmsAsymmetricOther: {
    usd: 0.000015,
    per: 'request on an asymmetric key other than RSA_2048 ($0.15 per 10,000)',
    url: KMS,
    checked: 'given',
    note: 'not found in the stored pricing page; the fallback figure given',
  },
  kmsKeyMonth: {
    usd: 1,
    per: 'key-month',
    url: KMS,
    checked: 'corpus',
    note: 'keys pending deletion are free; automatic rotation adds $1/month per rotated key version (first two)',
  },
  eventBridgeEvent: {
    usd: 0.000001,
    per: 'custom event, 64 KB chunk ($1.00 per million)',
    url: EVENTBRIDGE,
    checked: 'corpus',
  },
  sqsRequest: { usd: 0.0000004, per: 'request, 64 KB chunk ($0.40 per million)', url: SQS, checked: 'given' },
  sesEmail: { usd: 0.0001, per: 'e-mail per recipient ($0.10 per 1,000)', url: SES, checked: 'corpus' },
  sesAttachmentGb: {
    usd: 0.12,
    per: 'GB of attachments (base64-encoded size)',
    url: SES,
    checked: 'corpus',
    note: 'billed on the encoded size, as a billing question in the corpus shows',
  },
  apiGatewayRestRequest: {
    usd: 0.0000035,
    per: 'REST API request ($3.50 per million)',
    url: API_GATEWAY,
    checked: 'given',
  },
  logsIngestionGb: { usd: 0.5, per: 'GB ingested', url: CLOUDWATCH, checked: 'given' },
  alarmMonth: { usd: 0.1, per: 'standard-resolution alarm-month', url: CLOUDWATCH, checked: 'given' },
  xrayTrace: { usd: 0.000005, per: 'trace recorded ($5.00 per million)', url: XRAY, checked: 'given' },
  cognitoPlusMau: {
    usd: 0.02,
    per: 'MAU (Plus: no free tier)',
    url: COGNITO,
    checked: 'corpus',
  },
  cognitoEssentialsMau: {
    usd: 0.015,
    per: 'MAU beyond 10,000 free (Essentials)',
    url: COGNITO,
    checked: 'corpus',
  },
  cognitoLiteMau: { usd: 0.0055, per: 'MAU beyond 10,000 free (Lite)', url: COGNITO, checked: 'corpus' },
  secretMonth: { usd: 0.4, per: 'secret-month', url: SECRETS_MANAGER, checked: 'given' },
  secretsManagerCall: {
    usd: 0.000005,
    per: 'API call ($0.05 per 10,000)',
    url: SECRETS_MANAGER,
    checked: 'given',
  },
} as const satisfies Record<string, Price>;

export type PriceName = keyof typeof PRICES;

/** Cognito's MAU price for a user pool's feature plan (`UserPoolTier`; AWS's default plan is Essentials). */
export function cognitoMauPrice(tier: string | undefined): Price {
  switch ((tier ?? 'ESSENTIALS').toUpperCase()) {
    case 'PLUS':
      return PRICES.cognitoPlusMau;
    case 'LITE':
      return PRICES.cognitoLiteMau;
    default:
      return PRICES.cognitoEssentialsMau;
  }
}
