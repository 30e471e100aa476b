/**
 * The bench's API client: logs in like a person with a browser (the hosted UI: password, then the demo
 * user's authenticator code; the code traded with PKCE for an ID token, as test/integration/helpers/local-cloud.ts
 * does) and calls the local API over keep-alive HTTP (fetch).
 */
import type { LocalStack } from '#local/cloud';
import { signInWithHostedUi } from '#local/hosted-ui/browser';

export type ApiResult = { status: number; body: unknown; ms: number; error?: string };

export async function login(stack: LocalStack, email: string, password: string): Promise<string> {
  const user = [...stack.demo.tenants.flatMap((tenant) => tenant.users), ...stack.demo.platformUsers].find(
    (candidate) => candidate.email === email,
  );
  const redirectUri = stack.cognito.callbackUrls[0];
  if (!redirectUri) throw new Error('the web client has no callback URL');
  const { tokens } = await signInWithHostedUi(
    { hostedUiUrl: stack.cognito.hostedUiUrl, clientId: stack.cognito.clientId, redirectUri },
    { username: email, password, totpSecret: user?.totpSecret },
  );
  if (!tokens.idToken) throw new Error(`login ${email} failed: no ID token`);
  return tokens.idToken;
}

/** One API call, timed from before the request to the end of the response body. Never throws. */
export async function callApi(
  apiUrl: string,
  token: string,
  method: string,
  path: string,
  options: { body?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ApiResult> {
  const t0 = performance.now();
  try {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      body: options.body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const text = await response.text();
    const ms = performance.now() - t0;
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    return { status: response.status, body, ms };
  } catch (error) {
    return {
      status: 0,
      body: undefined,
      ms: performance.now() - t0,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
}

/** Replaces the HKA sandbox faults of one tenant (selected by its tokenEmpresa): `[]` clears them. */
export async function setSandboxLatency(
  hkaSandboxUrl: string,
  tokenEmpresa: string,
  latencyMs: number,
): Promise<{ tenant: string; faults: unknown[] }> {
  const faults = latencyMs > 0 ? [{ kind: 'latency', ms: latencyMs }] : [];
  const response = await fetch(new URL('/__admin/faults', hkaSandboxUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ faults, tokenEmpresa }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`HKA sandbox admin refused the faults: ${response.status} ${text}`);
  const applied = JSON.parse(text) as { tenants?: string[]; faults?: unknown[] };
  // The selector must hit exactly the demo tenant: a typo would silently select nobody (or everybody).
  if (applied.tenants?.length !== 1) {
    throw new Error(`HKA sandbox faults applied to ${JSON.stringify(applied.tenants)}, expected one tenant`);
  }
  return { tenant: applied.tenants[0]!, faults: applied.faults ?? [] };
}
