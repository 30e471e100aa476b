import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import type { LocalStack } from '#local/cloud';

/** The running local cloud (started once by global-setup.ts). */
export function localStack(): LocalStack {
  return inject('stack');
}

export type DemoRole = 'ADMIN' | 'USER' | 'OPERATOR';

/** A demo user of the n-th seeded tenant with the given role. */
export function demoUser(tenantIndex: number, role: DemoRole) {
  const tenant = localStack().demo.tenants[tenantIndex];
  const user = tenant?.users.find((candidate) => candidate.role === role);
  if (!tenant || !user) throw new Error(`no demo tenant #${tenantIndex} with a ${role} user`);
  return { ...user, tenantId: tenant.tenantId };
}

/** Logs in like a client would: Cognito InitiateAuth with USER_PASSWORD_AUTH; returns the ID token. */
export async function login(email: string, password: string): Promise<string> {
  const { cognito } = localStack();
  const response = await fetch(cognito.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
    },
    body: JSON.stringify({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: cognito.clientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  });
  const body = (await response.json()) as { AuthenticationResult?: { IdToken: string }; message?: string };
  if (!response.ok || !body.AuthenticationResult)
    throw new Error(`login ${email} failed: ${JSON.stringify(body)}`);
  return body.AuthenticationResult.IdToken;
}

// biome-ignore lint/suspicious/noExplicitAny: integration assertions walk loosely-typed JSON bodies
export type Json = any;
export type ApiResponse = { status: number; headers: Headers; body: Json; text: string };

/** Calls the local API as a client would (optionally with an ID token in `Authorization`). */
export async function callApi(
  method: string,
  path: string,
  { token, body, headers }: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const response = await fetch(`${localStack().apiUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: Json;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** A user session: login once, then call the API with the token. */
export async function session(tenantIndex: number, role: DemoRole) {
  const user = demoUser(tenantIndex, role);
  const token = await login(user.email, user.password);
  return {
    user,
    token,
    call: (
      method: string,
      path: string,
      options: { body?: unknown; headers?: Record<string, string> } = {},
    ) => callApi(method, path, { ...options, token }),
  };
}

/** One of the shared sample inputs in `examples/documents/`. */
export function exampleDocument(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../examples/documents/${name}`, import.meta.url), 'utf8'));
}

/** Polls until `done` holds or the timeout passes; returns the last value either way (assert on it). */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
