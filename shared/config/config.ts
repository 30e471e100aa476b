import * as z from 'zod/mini';

const name = () => z.optional(z.string().check(z.minLength(1)));
const endpoint = () => z.optional(z.url());
const seconds = (fallback: number) =>
  z._default(z.pipe(z.coerce.number(), z.int().check(z.minimum(1))), fallback);

/**
 * Issuing attempts (shared/documents/attempts.ts), also the deployment defaults (infra/config.ts): an attempt
 * is presumed dead 6 min after it began; a claimed attempt has 90 s to start; after transient failures the
 * next attempts wait 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h and 8 h (about 16 h of HKA outage before a
 * document that never reached HKA ends FAILED; one that may have reached it is asked about until HKA answers).
 */
export const ISSUING_DEFAULTS = {
  attemptLeaseSeconds: 360,
  startGraceSeconds: 90,
  redriveDelaysSeconds: [30, 120, 600, 1800, 3600, 7200, 14_400, 28_800],
  /**
   * A document HKA did not answer for waits (WAITING_FOR_HKA): its next attempts come after 30 s, doubling,
   * at most 30 min apart, and it never ends FAILED on its own before 72 h of waiting.
   */
  waitBaseSeconds: 30,
  waitCapSeconds: 1800,
  maxWaitSeconds: 259_200,
} as const;

/**
 * Function environment as `infra/` sets it (docs/contracts.md). Every variable is optional at parse time
 * because each Lambda receives only what it uses; a missing one fails loudly when a code path asks for it,
 * with the variable's name, instead of letting `undefined` reach an AWS call.
 * Service endpoints are deliberately absent: the SDK reads `AWS_ENDPOINT_URL_<SERVICE>` itself.
 * zod's tree-shakable `mini` form: most functions use zod for nothing else, and the classic API would add
 * ~90 KB to their bundles for these few checks.
 */
const envSchema = z.object({
  TABLE_NAME: name(),
  DOCUMENTS_BUCKET_NAME: name(),
  WORK_FILES_BUCKET_NAME: name(),
  ISSUING_STATE_MACHINE_ARN: name(),
  EVENT_BUS_NAME: name(),
  DATA_KEY_ID: name(),
  HKA_DEMO_ENDPOINT: endpoint(),
  HKA_PROD_ENDPOINT: endpoint(),
  // PAC reception of emitter-signed documents (brief §3.11). Optional: see pacReceptionEndpoint().
  HKA_DEMO_PAC_RECEPTION_ENDPOINT: endpoint(),
  HKA_PROD_PAC_RECEPTION_ENDPOINT: endpoint(),
  PLATFORM_SECRET_ARN: name(),
  CURSOR_SECRET_ARN: name(),
  API_KEY_HASH_SECRET_ARN: name(),
  // The API's authorizer: the user pool whose ID tokens it accepts, and that pool's app clients (comma-separated).
  USER_POOL_ID: name(),
  USER_POOL_CLIENT_IDS: name(),
  // Local cloud only: cognito-local's HTTP endpoint, whose tokens name it as issuer (shared/auth/id-tokens.ts).
  LOCAL_COGNITO_ENDPOINT: endpoint(),
  EMAIL_FROM_ADDRESS: z.optional(z.string().check(z.minLength(3))),
  EMAIL_QUEUE_URL: name(),
  FOLIO_SYNC_QUEUE_URL: name(),
  EXPORT_QUEUE_URL: name(),
  BATCH_VALIDATION_QUEUE_URL: name(),
  BATCH_ISSUE_QUEUE_URL: name(),
  WEBHOOK_DELIVERY_QUEUE_URL: name(),
  // Set only by the local cloud, whose test receivers listen on 127.0.0.1 (shared/webhooks/target.ts).
  WEBHOOKS_ALLOW_LOOPBACK: z.optional(z.enum(['true', 'false'])),
  ISSUING_ATTEMPT_LEASE_SECONDS: seconds(ISSUING_DEFAULTS.attemptLeaseSeconds),
  ISSUING_START_GRACE_SECONDS: seconds(ISSUING_DEFAULTS.startGraceSeconds),
  ISSUING_REDRIVE_DELAYS_SECONDS: z._default(
    z.string().check(z.regex(/^\d+(,\d+)*$/, 'a comma-separated list of seconds')),
    ISSUING_DEFAULTS.redriveDelaysSeconds.join(','),
  ),
  ISSUING_WAIT_BASE_SECONDS: seconds(ISSUING_DEFAULTS.waitBaseSeconds),
  ISSUING_WAIT_CAP_SECONDS: seconds(ISSUING_DEFAULTS.waitCapSeconds),
  ISSUING_MAX_WAIT_SECONDS: seconds(ISSUING_DEFAULTS.maxWaitSeconds),
  // Set on functions that touch tenant data: the role they assume per tenant (shared/tenancy/tenant-clients.ts).
  TENANT_ROLE_ARN: name(),
  // Presigned download URLs must not outlive five minutes; default to the maximum.
  DOWNLOAD_URL_TTL_SECONDS: z._default(
    z.pipe(z.coerce.number(), z.int().check(z.minimum(1), z.maximum(300))),
    300,
  ),
  POWERTOOLS_SERVICE_NAME: z._default(z.string().check(z.minLength(1)), 'factu'),
  POWERTOOLS_LOG_LEVEL: z._default(
    z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT']),
    'INFO',
  ),
});

type Env = z.infer<typeof envSchema>;

/** A required setting is missing or malformed: a deployment fault, never the caller's. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export type Config = ReturnType<typeof toConfig>;

function toConfig(env: Env) {
  const need = <K extends keyof Env>(name: K): NonNullable<Env[K]> => {
    const value = env[name];
    if (value === undefined || value === null) {
      throw new ConfigurationError(`Environment variable ${String(name)} is not set for this function`);
    }
    return value as NonNullable<Env[K]>;
  };
  return {
    get tableName() {
      return need('TABLE_NAME');
    },
    get documentsBucketName() {
      return need('DOCUMENTS_BUCKET_NAME');
    },
    get workFilesBucketName() {
      return need('WORK_FILES_BUCKET_NAME');
    },
    get issuingStateMachineArn() {
      return need('ISSUING_STATE_MACHINE_ARN');
    },
    get eventBusName() {
      return need('EVENT_BUS_NAME');
    },
    get dataKeyId() {
      return need('DATA_KEY_ID');
    },
    hkaEndpoint(environment: 'demo' | 'prod'): string {
      return environment === 'prod' ? need('HKA_PROD_ENDPOINT') : need('HKA_DEMO_ENDPOINT');
    },
    /**
     * Where emitter-signed documents are sent. HKA's real endpoint for this path is not public, so it is
     * configured explicitly; for demo only, when unset, it is `/pac/recepcion` on the HKA demo host (the
     * path of the local HKA sandbox).
     */
    pacReceptionEndpoint(environment: 'demo' | 'prod'): string {
      if (environment === 'prod') return need('HKA_PROD_PAC_RECEPTION_ENDPOINT');
      return (
        env.HKA_DEMO_PAC_RECEPTION_ENDPOINT ?? new URL('/pac/recepcion', need('HKA_DEMO_ENDPOINT')).toString()
      );
    },
    get platformSecretArn() {
      return need('PLATFORM_SECRET_ARN');
    },
    /** The secret whose `cursorSecret` seals pagination cursors (shared/data/cursor.ts). */
    get cursorSecretArn() {
      return need('CURSOR_SECRET_ARN');
    },
    /** The secret whose `apiKeyHashSecret` keys the HMAC of API key secrets (shared/auth/api-key-hash.ts). */
    get apiKeyHashSecretArn() {
      return need('API_KEY_HASH_SECRET_ARN');
    },
    get userPoolId() {
      return need('USER_POOL_ID');
    },
    get userPoolClientIds(): string[] {
      return need('USER_POOL_CLIENT_IDS').split(',');
    },
    /** Set only by the local cloud; never in a deployed function (infra sets no such variable). */
    localCognitoEndpoint: env.LOCAL_COGNITO_ENDPOINT,
    get emailFromAddress() {
      return need('EMAIL_FROM_ADDRESS');
    },
    get emailQueueUrl() {
      return need('EMAIL_QUEUE_URL');
    },
    get folioSyncQueueUrl() {
      return need('FOLIO_SYNC_QUEUE_URL');
    },
    get exportQueueUrl() {
      return need('EXPORT_QUEUE_URL');
    },
    get batchValidationQueueUrl() {
      return need('BATCH_VALIDATION_QUEUE_URL');
    },
    get batchIssueQueueUrl() {
      return need('BATCH_ISSUE_QUEUE_URL');
    },
    get webhookDeliveryQueueUrl() {
      return need('WEBHOOK_DELIVERY_QUEUE_URL');
    },
    /** Webhooks may reach loopback addresses over http: set only by the local cloud, never in a template. */
    webhooksAllowLoopback: env.WEBHOOKS_ALLOW_LOOPBACK === 'true',
    /** Absent on functions that touch no tenant data: their clients keep the function's own credentials. */
    tenantRoleArn: env.TENANT_ROLE_ARN,
    downloadUrlTtlSeconds: env.DOWNLOAD_URL_TTL_SECONDS,
    /** Timing of the issuing attempts (see shared/documents/attempts.ts). */
    issuing: {
      /** How long an attempt may run before it is presumed dead (the workflow's timeout plus a task's). */
      attemptLeaseSeconds: env.ISSUING_ATTEMPT_LEASE_SECONDS,
      /** How long a claimed attempt may take to start before the re-drive sweep starts another. */
      startGraceSeconds: env.ISSUING_START_GRACE_SECONDS,
      /** Wait before attempt n + 1 after attempt n ended on a transient failure; its length bounds the attempts. */
      redriveDelaysSeconds: env.ISSUING_REDRIVE_DELAYS_SECONDS.split(',').map(Number),
      /** First wait of a document waiting for HKA; each later wait doubles, up to `waitCapSeconds`. */
      waitBaseSeconds: env.ISSUING_WAIT_BASE_SECONDS,
      waitCapSeconds: env.ISSUING_WAIT_CAP_SECONDS,
      /** How long a document may wait for HKA (from its first wait) before it ends FAILED, HKA_UNREACHABLE. */
      maxWaitSeconds: env.ISSUING_MAX_WAIT_SECONDS,
    },
    serviceName: env.POWERTOOLS_SERVICE_NAME,
    logLevel: env.POWERTOOLS_LOG_LEVEL,
  };
}

/** Parses an environment; throws ConfigurationError naming every malformed variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigurationError(`Invalid function environment: ${problems.join('; ')}`);
  }
  return toConfig(parsed.data);
}

let cached: Config | undefined;

/** The process environment, read once per cold start. */
export function config(): Config {
  cached ??= loadConfig(process.env);
  return cached;
}

/** Tests change `process.env` between cases; production never calls this. */
export function resetConfigForTests(): void {
  cached = undefined;
}
