import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { tracer } from '#shared/observability/tracer';
import { config } from './config.ts';

/**
 * Platform-wide secrets (one Secrets Manager secret, PLATFORM_SECRET_ARN). Its SecretString is JSON;
 * `qrHmacSecret` (infra's generated key; `qrSecret` accepted too) is the HMAC secret of the DGI
 * consultation QR used when we build the QR ourselves (emitter-signed channel). Never logged.
 */
export type PlatformSecrets = { qrSecret?: string };

/**
 * How long a container reuses the secret: 15 minutes. The QR key is rotated by hand and rarely (rotating it
 * invalidates nothing already issued, but every container must pick the new key up without a redeploy),
 * so a quarter of an hour bounds the switch-over while costing one GetSecretValue per container per 15
 * minutes instead of one per signed document.
 */
export const PLATFORM_SECRET_MAX_AGE_SECONDS = 15 * 60;

let provider: SecretsProvider | undefined;

// Created on first use: functions that never sign do not build a Secrets Manager client at all.
function secretsProvider(): SecretsProvider {
  provider ??= new SecretsProvider({
    awsSdkV3Client: tracer.captureAWSv3Client(new SecretsManagerClient({})),
  });
  return provider;
}

function parse(text: string): PlatformSecrets {
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const qr = parsed.qrHmacSecret ?? parsed.qrSecret;
    return { qrSecret: typeof qr === 'string' && qr !== '' ? qr : undefined };
  } catch {
    // A plain-text secret is taken as the QR secret itself.
    return { qrSecret: text || undefined };
  }
}

/** The platform secrets, from the provider's cache while younger than the max age. */
export async function platformSecrets(): Promise<PlatformSecrets> {
  const text = await secretsProvider().get(config().platformSecretArn, {
    maxAge: PLATFORM_SECRET_MAX_AGE_SECONDS,
  });
  return parse(typeof text === 'string' ? text : '');
}

export function resetPlatformSecretsForTests(): void {
  provider = undefined;
}
