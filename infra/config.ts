import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Construct } from 'constructs';
import { z } from 'zod';
import { ISSUING_DEFAULTS } from '#shared/config/config';

/** Repository root (infra/ lives one level below it). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Where `factu login` listens for the hosted UI's redirect (RFC 8252 loopback; Cognito allows plain http
 * only for `localhost`). The CLI has the same default (shared/cli/login/loopback.ts); test/infra/app.test.ts keeps them equal.
 */
export const CLI_LOGIN_CALLBACK_URL = 'http://localhost:8976/callback';

/**
 * The web client's redirect URLs besides the console's own (its distribution's, always added): the CLI login.
 * A deployed client accepts no `http://localhost` console unless configured.
 */
export const DEFAULT_CALLBACK_URLS = [CLI_LOGIN_CALLBACK_URL] as const;
export const DEFAULT_LOGOUT_URLS = [] as const;

/** Where the local cloud serves the console (local/ports.ts); its synth adds it to the web client's URLs. */
export const LOCAL_CONSOLE_ORIGIN = 'http://localhost:5173';

/**
 * Cognito accepts a redirect URL over plain `http` only to a loopback host (HTTPS otherwise, or an app's own
 * scheme), and none with a fragment: checked at synth, so a typo fails there and not in the deploy.
 */
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
const redirectUrl = z.url().refine(
  (value) => {
    const url = new URL(value);
    return !url.hash && (url.protocol !== 'http:' || LOOPBACK_HOSTS.includes(url.hostname));
  },
  { message: 'must be https (http only for localhost) and have no #fragment, as Cognito requires' },
);

/**
 * The default domains CloudFront gives a distribution. The console's own is only known once its distribution
 * exists (the API stack), after the stateful stack whose work-files bucket needs it in a CORS rule.
 */
export const CLOUDFRONT_ORIGIN_PATTERN = 'https://*.cloudfront.net';

/**
 * Where the console's scripts may PUT uploads from (the work-files bucket's CORS rule): its own origin (the
 * custom domain when configured, exactly; else CloudFront's domain pattern), the origins of configured
 * callback URLs but the CLI's loopback (a console served elsewhere has its callback registered there), and
 * the local cloud's console when synthesized for it.
 */
export function consoleUploadOrigins(
  config: Pick<FactuConfig, 'auth' | 'web'>,
  localConsoleOrigin?: string,
): string[] {
  const configured = config.auth.callbackUrls
    .filter((url) => url !== CLI_LOGIN_CALLBACK_URL)
    .map((url) => new URL(url).origin);
  return [
    ...new Set([
      config.web ? `https://${config.web.domainName}` : CLOUDFRONT_ORIGIN_PATTERN,
      ...configured,
      ...(localConsoleOrigin ? [localConsoleOrigin] : []),
    ]),
  ];
}

const dnsName = (example: string) =>
  z.string().regex(/^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    message: `must be a lowercase DNS name such as ${example}`,
  });

/**
 * The console on a domain of the tenant operator's own (`factura.example.com`): CloudFront serves it with an
 * ACM certificate, which it takes from us-east-1 only, whatever the stack's region. With the Route 53 public
 * hosted zone the name is in (`hostedZone`), the deploy also creates its alias records (A and AAAA); without
 * it the operator points the name at the `WebConsoleDnsTarget` output.
 */
const customDomain = z
  .object({
    domainName: dnsName('factura.example.com'),
    certificateArn: z.string().regex(/^arn:aws:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/, {
      message: 'must be an ACM certificate in us-east-1 (CloudFront takes certificates only from there)',
    }),
    hostedZone: z
      .object({
        id: z.string().regex(/^Z[A-Z0-9]{1,31}$/, {
          message: 'must be a Route 53 hosted zone id such as Z0123456789ABC',
        }),
        name: dnsName('example.com'),
      })
      .optional(),
  })
  .refine(
    ({ domainName, hostedZone }) =>
      hostedZone === undefined ||
      domainName === hostedZone.name ||
      domainName.endsWith(`.${hostedZone.name}`),
    {
      path: ['hostedZone', 'name'],
      message: 'must be the zone that holds web.domainName (Route 53 refuses a record outside its zone)',
    },
  );

/**
 * Deployment configuration, read from the CDK context key `factu` (cdk.json, overridable with
 * `cdk synth -c factu='{...}'`) and validated here so that a typo fails the synth, not the deploy.
 *
 * | key | meaning |
 * |---|---|
 * | `environmentName` | short name used in resource names and the API stage (`dev`, `prod`) |
 * | `hka.demoEndpoint` / `hka.prodEndpoint` | The Factory HKA SOAP endpoints per HKA environment |
 * | `hka.demoPacReceptionEndpoint` / `hka.prodPacReceptionEndpoint` | optional: PAC reception of emitter-signed rFE (`HKA_*_PAC_RECEPTION_ENDPOINT`, set only when configured) |
 * | `auth.hostedUiDomainPrefix` | Cognito hosted UI domain prefix (globally unique per region) |
 * | `auth.callbackUrls` / `auth.logoutUrls` | further OAuth redirect URLs of the web client, besides the console's distribution (default: the `factu login` loopback; no logout URL) |
 * | `web.domainName` / `web.certificateArn` | optional: the console on its own domain, with an ACM certificate of us-east-1 covering it |
 * | `web.hostedZone.id` / `web.hostedZone.name` | optional: the Route 53 public hosted zone holding `web.domainName`, where the deploy creates its alias records |
 * | `email.identity` | SES identity (domain or address) the platform sends from |
 * | `email.fromAddress` | `From:` address of document e-mails (`EMAIL_FROM_ADDRESS`) |
 * | `alarmEmail` | e-mail subscribed to the alarms topic |
 * | `logRetentionDays` | retention of every log group |
 * | `downloadUrlTtlSeconds` | presigned URL lifetime (≤ 300) |
 * | `api.throttlingRateLimit` / `api.throttlingBurstLimit` | stage-wide API throttling |
 * | `documents.objectLockMode` / `documents.objectLockRetentionYears` | default Object Lock retention of the documents bucket |
 * | `issuing.startGraceSeconds` | how long a claimed attempt may take to start before the re-drive sweep starts another |
 * | `issuing.redriveDelaysSeconds` | waits between attempts after transient failures; their number bounds the attempts |
 */
export const factuConfigSchema = z.object({
  environmentName: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,15}$/)
    .default('dev'),
  hka: z
    .object({
      demoEndpoint: z.url().default('https://demoemision.thefactoryhka.com.pa/ws/obj/v1.0/Service.svc'),
      prodEndpoint: z.url().default('https://emision.thefactoryhka.com.pa/ws/obj/v1.0/Service.svc'),
      // Emitter-signed channel (shared/config: demo falls back to /pac/recepcion on the demo host; prod
      // needs it). Not public yet, so no default.
      demoPacReceptionEndpoint: z.url().optional(),
      prodPacReceptionEndpoint: z.url().optional(),
    })
    .default({
      demoEndpoint: 'https://demoemision.thefactoryhka.com.pa/ws/obj/v1.0/Service.svc',
      prodEndpoint: 'https://emision.thefactoryhka.com.pa/ws/obj/v1.0/Service.svc',
    }),
  auth: z.object({
    hostedUiDomainPrefix: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/),
    callbackUrls: z.array(redirectUrl).default([...DEFAULT_CALLBACK_URLS]),
    logoutUrls: z.array(redirectUrl).default([...DEFAULT_LOGOUT_URLS]),
  }),
  web: customDomain.optional(),
  email: z.object({
    identity: z.string().min(3),
    fromAddress: z.email(),
  }),
  alarmEmail: z.email(),
  logRetentionDays: z
    .union([z.literal(7), z.literal(14), z.literal(30), z.literal(60), z.literal(90), z.literal(365)])
    .default(30),
  downloadUrlTtlSeconds: z.number().int().min(1).max(300).default(300),
  api: z
    .object({
      throttlingRateLimit: z.number().positive().default(50),
      throttlingBurstLimit: z.number().int().positive().default(100),
    })
    .default({ throttlingRateLimit: 50, throttlingBurstLimit: 100 }),
  documents: z
    .object({
      objectLockMode: z.enum(['GOVERNANCE', 'COMPLIANCE']).default('GOVERNANCE'),
      objectLockRetentionYears: z.number().int().min(1).max(10).default(5),
    })
    .default({ objectLockMode: 'GOVERNANCE', objectLockRetentionYears: 5 }),
  issuing: z
    .object({
      startGraceSeconds: z.number().int().min(30).max(600).default(ISSUING_DEFAULTS.startGraceSeconds),
      redriveDelaysSeconds: z
        .array(z.number().int().min(1).max(86_400))
        .min(1)
        .default([...ISSUING_DEFAULTS.redriveDelaysSeconds]),
    })
    .default({
      startGraceSeconds: ISSUING_DEFAULTS.startGraceSeconds,
      redriveDelaysSeconds: [...ISSUING_DEFAULTS.redriveDelaysSeconds],
    }),
});

export type FactuConfig = z.infer<typeof factuConfigSchema>;

/** Parses a raw context value (object or JSON string) into a validated config, or throws a readable error. */
export function parseConfig(raw: unknown): FactuConfig {
  const value = typeof raw === 'string' ? JSON.parse(raw) : raw;
  const result = factuConfigSchema.safeParse(value ?? {});
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  factu.${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid CDK context "factu":\n${lines.join('\n')}`);
  }
  return result.data;
}

/** Reads and validates the `factu` context of the construct tree. */
export function loadConfig(scope: Construct): FactuConfig {
  return parseConfig(scope.node.tryGetContext('factu'));
}

/**
 * Context key of the first of the two deploys that upgrade an installation made before the web app client moved
 * from Factu-Stateful to Factu-Api (docs/upgrading.md): `cdk deploy --all -c factu:keepStatefulWebClient=true`.
 * Set, Factu-Stateful keeps what the installed Factu-Api still imports (the old client and its two exports)
 * while that stack moves to its own client; the next deploy, without it, deletes them. Apart from the `factu`
 * object so that it can be given for one deploy without repeating the whole configuration.
 */
export const KEEP_STATEFUL_WEB_CLIENT_CONTEXT = 'factu:keepStatefulWebClient';

// The CLI passes `-c key=value` as a string; cdk.json or `buildApp({ context })` may give a boolean.
const contextSwitch = z
  .union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')])
  .default(false);

/** Parses the raw `factu:keepStatefulWebClient` context value (absent: off), or throws a readable error. */
export function parseKeepStatefulWebClient(raw: unknown): boolean {
  const result = contextSwitch.safeParse(raw);
  if (!result.success)
    throw new Error(
      `Invalid CDK context "${KEEP_STATEFUL_WEB_CLIENT_CONTEXT}": ${JSON.stringify(raw)}, expected true or false`,
    );
  return result.data;
}

/** Whether this synth keeps the pre-move web client in Factu-Stateful (`factu:keepStatefulWebClient`). */
export function loadKeepStatefulWebClient(scope: Construct): boolean {
  return parseKeepStatefulWebClient(scope.node.tryGetContext(KEEP_STATEFUL_WEB_CLIENT_CONTEXT));
}

/** The `context` block of cdk.json, so tests build the App with exactly what `cdk synth` uses. */
export function readCdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}
