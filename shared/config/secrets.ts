import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { config } from './config.ts';

/**
 * Platform-wide secrets (one Secrets Manager secret, PLATFORM_SECRET_ARN). Its SecretString is JSON;
 * `qrHmacSecret` (infra's generated key; `qrSecret` accepted too) is the HMAC secret of the DGI
 * consultation QR used when we build the QR ourselves (emitter-signed channel). Fetched once per cold
 * start and cached; never logged.
 */
export type PlatformSecrets = { qrSecret?: string };

let cached: Promise<PlatformSecrets> | undefined;

async function fetchSecrets(): Promise<PlatformSecrets> {
  const client = new SecretsManagerClient({});
  const out = await client.send(new GetSecretValueCommand({ SecretId: config().platformSecretArn }));
  const text = out.SecretString ?? '';
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const qr = parsed.qrHmacSecret ?? parsed.qrSecret;
    return { qrSecret: typeof qr === 'string' && qr !== '' ? qr : undefined };
  } catch {
    // A plain-text secret is taken as the QR secret itself.
    return { qrSecret: text || undefined };
  }
}

export function platformSecrets(): Promise<PlatformSecrets> {
  cached ??= fetchSecrets().catch((error) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

export function resetPlatformSecretsForTests(): void {
  cached = undefined;
}
