import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import type { LocalStack } from '#local/cloud';
import { signInWithHostedUi } from '#local/hosted-ui/browser';
import { ensureDemoUsers, type HostedUiClient } from '#local/seed/cognito-users';

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

/** The local web client and its hosted UI (the user pool's domain), as a browser-based client uses them. */
export function hostedUiClient(stack: LocalStack = localStack()): HostedUiClient {
  const { cognito } = stack;
  const redirectUri = cognito.callbackUrls[0];
  if (!redirectUri) throw new Error('the web client has no callback URL');
  return { hostedUiUrl: cognito.hostedUiUrl, clientId: cognito.clientId, redirectUri };
}

/** Authenticator secrets of users set up during this run (newUserSession); the demo users' are in the stack. */
const enrolledTotpSecrets = new Map<string, string>();

function totpSecretOf(stack: LocalStack, email: string): string | undefined {
  const { demo } = stack;
  const demoUser = [...demo.tenants.flatMap((tenant) => tenant.users), ...demo.platformUsers].find(
    (user) => user.email === email,
  );
  return demoUser?.totpSecret ?? enrolledTotpSecrets.get(email);
}

/**
 * Logs in like a person with a browser: the hosted UI (authorize with PKCE → e-mail and password → the
 * authenticator's code, or its set-up on a first sign-in) → the callback's code traded at the token
 * endpoint; returns the ID token.
 */
export function login(email: string, password: string): Promise<string> {
  return loginAt(localStack(), email, password);
}

/** `login` against a given local cloud (tests that start their own). */
export async function loginAt(stack: LocalStack, email: string, password: string): Promise<string> {
  try {
    const { tokens, enrolledTotpSecret } = await signInWithHostedUi(hostedUiClient(stack), {
      username: email,
      password,
      totpSecret: totpSecretOf(stack, email),
    });
    if (enrolledTotpSecret) enrolledTotpSecrets.set(email, enrolledTotpSecret);
    if (!tokens.idToken) throw new Error('no ID token');
    return tokens.idToken;
  } catch (error) {
    throw new Error(`login ${email} failed: ${(error as Error).message}`);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: integration assertions walk loosely-typed JSON bodies
export type Json = any;
export type ApiResponse = { status: number; headers: Headers; body: Json; text: string };

/**
 * Calls the local API as a client would (optionally with an ID token in `Authorization`). Like the AWS SDKs,
 * it retries the stage's throttling (the gateway's 429, `x-amzn-ErrorType: TooManyRequestsException`) with a
 * growing, jittered wait: bursts of a test exceed the template's per-method limits just as they would on AWS.
 * A 429 the API's functions answer themselves is returned as is.
 */
export async function callApi(
  method: string,
  path: string,
  { token, body, headers }: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  for (let attempt = 0; ; attempt++) {
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
    const throttled =
      response.status === 429 && response.headers.get('x-amzn-errortype') === 'TooManyRequestsException';
    if (throttled && attempt < THROTTLE_RETRIES) {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 100 * 2 ** Math.min(attempt, 5)));
      continue;
    }
    let parsed: Json;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  }
}

/**
 * API Gateway's FlushStageAuthorizersCache on the local stage: the next call is authorized afresh instead of
 * from the authorizer's cached answer (60 s).
 */
export async function flushAuthorizerCache(): Promise<void> {
  const response = await fetch(localStack().authorizerCacheFlushUrl, { method: 'DELETE' });
  if (response.status !== 202) throw new Error(`flushing the authorizer cache answered ${response.status}`);
}

/** Retries of a throttled call: with the waits above, about a minute of throttling before giving up. */
const THROTTLE_RETRIES = 20;

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

/**
 * An invoice HKA refuses for certain: a government invoice (tipoClienteFE 03) to a private company the DGI
 * knows — HKA checks that the receiver is a public entity. It ends REJECTED, its number kept.
 */
export function invoiceHkaRejects(): Json {
  const government = exampleDocument('invoice-government.json') as Json;
  return {
    ...government,
    receiver: {
      ...government.receiver,
      ruc: '2588017-1-831938',
      dv: '20',
      name: 'DISTRIBUIDORA EJEMPLO, S.A.',
    },
  };
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

export const FINAL_STATUSES = ['AUTHORIZED', 'REJECTED', 'FAILED', 'CANCELLED'];

export type Session = Awaited<ReturnType<typeof session>>;

/** Polls faster than `pollUntil`'s default: the pipeline on the local cloud takes a second or two. */
export async function pollEvery<T>(
  intervalMs: number,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Reads a document until it reaches a final status (or the timeout passes); returns the last GET. */
export function waitForFinal(user: Session, id: string, timeoutMs = 90_000): Promise<ApiResponse> {
  return pollEvery(
    300,
    () => user.call('GET', `/v1/documents/${id}`),
    (response) => response.status !== 200 || FINAL_STATUSES.includes(response.body?.data?.status),
    timeoutMs,
  );
}

/** POST /v1/documents with a fresh Idempotency-Key. */
export function issue(user: Session, document: unknown, key: string = randomUUID()): Promise<ApiResponse> {
  return user.call('POST', '/v1/documents', { body: document, headers: { 'idempotency-key': key } });
}

/** Issues a document, asserts the 202, waits for its final status; returns the final resource. */
export async function issueAndWait(user: Session, document: unknown, timeoutMs = 90_000): Promise<Json> {
  const issued = await issue(user, document);
  if (issued.status !== 202) throw new Error(`issue answered ${issued.status}: ${issued.text}`);
  const final = await waitForFinal(user, issued.body.data.id, timeoutMs);
  if (final.status !== 200) throw new Error(`GET answered ${final.status}: ${final.text}`);
  return final.body.data;
}

/** `YYYY-MM-DDThh:mm:ss-05:00` for an instant (Panama has no DST). */
export function panamaTime(at: Date): string {
  const local = new Date(at.getTime() - 5 * 3_600_000);
  return `${local.toISOString().slice(0, 19)}-05:00`;
}

/**
 * An example made valid at the real clock: the examples are valid at the fixed clock
 * 2026-11-22T12:00:00-05:00 (examples/documents/README.md), so the time-bound fields move with the clock — the
 * contingency starts an hour ago; a note references the given invoice (its real CUFE and issue date) instead
 * of the example's 2026-11-01 one.
 */
export function atRealClock(document: unknown, reference?: { cufe: string; issuedAt: string }): Json {
  const copy = structuredClone(document) as Json;
  if (copy.contingency?.startedAt) copy.contingency.startedAt = panamaTime(new Date(Date.now() - 3_600_000));
  if (reference && Array.isArray(copy.references)) {
    copy.references = copy.references.map((ref: Json) =>
      ref.cufe ? { ...ref, cufe: reference.cufe, issuedAt: reference.issuedAt } : ref,
    );
  }
  return copy;
}

// --- HKA sandbox admin API ---------------------------------------------------------------------------

export type SandboxDocument = {
  key: string;
  codigoSucursalEmisor: string;
  puntoFacturacionFiscal: string;
  numeroDocumentoFiscal: string;
  tipoDocumento: string;
  tipoEmision: string;
  cufe: string;
  status: string;
  /** How it reached the sandbox: HKA's `Enviar` or the PAC reception (emitter-signed). */
  channel?: 'enviar' | 'pac-reception';
  /** Submissions of it that arrived: the first plus every duplicate (102/1002). */
  receipts: number;
};
export type SandboxTenant = {
  tenantId: string;
  ruc: string;
  folios: { cycleTotal: number; cycleUsed: number; cycleAvailable: number; [key: string]: unknown };
  faults: unknown[];
  documents: SandboxDocument[];
};

async function admin(method: string, path: string, body?: unknown): Promise<Json> {
  const url = new URL(`/__admin/${path}`, localStack().hkaSandboxUrl);
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`HKA sandbox admin ${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

export const hkaSandbox = {
  /** The sandbox tenant behind a demo tenant (matched by RUC). */
  async tenant(tenantIndex: number): Promise<SandboxTenant> {
    const ruc = localStack().demo.tenants[tenantIndex]?.ruc;
    const state = (await admin('GET', 'state')) as { tenants: SandboxTenant[] };
    const found = state.tenants.find((candidate) => candidate.ruc === ruc);
    if (!found) throw new Error(`no sandbox tenant with RUC ${ruc}`);
    return found;
  },
  /** Replaces the faults of the sandbox tenant behind a demo tenant. */
  setFaults(tenantIndex: number, faults: unknown[]): Promise<Json> {
    return admin('POST', 'faults', { faults, ruc: localStack().demo.tenants[tenantIndex]?.ruc });
  },
  /** Replaces the faults of the sandbox tenant with this RUC (one added with `addTenant`). */
  setFaultsOf(ruc: string, faults: unknown[]): Promise<Json> {
    return admin('POST', 'faults', { faults, ruc });
  },
  clearFaults(): Promise<Json> {
    return admin('DELETE', 'faults');
  },
  advanceClock(advanceMs: number): Promise<{ now: string }> {
    return admin('POST', 'clock', { advanceMs });
  },
  setFolios(tenantIndex: number, counters: Record<string, unknown>): Promise<Json> {
    return admin('POST', 'folios', { ...counters, ruc: localStack().demo.tenants[tenantIndex]?.ruc });
  },
  /** Every sandbox tenant (no tokens), with folio counters and documents. */
  async state(): Promise<{ tenants: SandboxTenant[] }> {
    return admin('GET', 'state');
  },
  /** Registers a RUC in the sandbox's stand-in DGI registry (what ConsultarRucDV answers from). */
  registerRuc(entry: {
    tipoRuc: '1' | '2';
    ruc: string;
    razonSocial: string;
    government?: boolean;
  }): Promise<{ ruc: string; dv: string }> {
    return admin('POST', 'rucs', entry);
  },
  /** Adds a sandbox tenant (its own RUC and token pair), e.g. to test credentials without touching a demo tenant's. */
  addTenant(seed: {
    name: string;
    ruc: string;
    rucType: '1' | '2';
    tokenEmpresa?: string;
    tokenPassword?: string;
  }): Promise<{ tenantId: string; tokenEmpresa: string; tokenPassword: string; ruc: string; dv: string }> {
    return admin('POST', 'tenants', seed);
  },
};

// --- Events and mail ---------------------------------------------------------------------------------

export type BusEvent = { id: string; 'detail-type': string; source: string; time: string; detail: Json };

/** The events recently put on the local EventBridge (the last 200; served by global-setup.ts). */
export async function recentEvents(): Promise<BusEvent[]> {
  const response = await fetch(inject('eventsUrl'));
  if (!response.ok) throw new Error(`recent events: ${response.status}`);
  return (await response.json()) as BusEvent[];
}

/** Fires every schedule rule of the template now, as EventBridge Scheduler would at its rate. */
export async function fireSchedules(): Promise<number> {
  const response = await fetch(new URL('schedules', inject('eventsUrl')), { method: 'POST' });
  if (!response.ok) throw new Error(`fire schedules: ${response.status}`);
  return ((await response.json()) as { fired: number }).fired;
}

/**
 * Moves the local cloud's test clock (shared/clock.ts) forward by `ms`; returns the total offset. A test file
 * that moves it puts it back with `resetClock()` in its `afterAll`, once everything it made is settled: the
 * next files then issue documents dated today (reports by month, date filters) with leases on the real time.
 */
export async function advanceClock(ms: number): Promise<number> {
  const response = await fetch(new URL(`clock?advanceMs=${ms}`, inject('eventsUrl')), { method: 'POST' });
  if (!response.ok) throw new Error(`advance clock: ${response.status}`);
  return ((await response.json()) as { offsetMs: number }).offsetMs;
}

/** Puts the test clock back on the real time (see `advanceClock`). */
export async function resetClock(): Promise<void> {
  await advanceClock(-(await advanceClock(0)));
}

export type Mail = {
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  attachments?: Array<{ filename?: string; contentType?: string }>;
};

/** The mails SES (aws-ses-v2-local) has accepted, as its viewer stores them. */
export async function sentMails(): Promise<Mail[]> {
  return ((await (await fetch(`${localStack().mailUrl}/store`)).json()) as { emails: Mail[] }).emails;
}

// --- Users -------------------------------------------------------------------------------------------

/**
 * A new user of a demo tenant with one role (AdminCreateUser in cognito-local, as an administrator would,
 * then a first sign-in that sets up the authenticator, and its USER# item through the tenant's invitation
 * route), logged in. For tests that change per-user state (folio assignments) without touching the shared demo users.
 */
export async function newUserSession(
  tenantIndex: number,
  role: DemoRole,
  label = 'user',
): Promise<Session & { userId: string }> {
  const { cognito, demo } = localStack();
  const tenant = demo.tenants[tenantIndex];
  if (!tenant) throw new Error(`no demo tenant #${tenantIndex}`);
  const email = `${label}-${randomUUID().slice(0, 8)}@test.${tenant.tenantId}.example.com`;
  const password = 'Test-Passw0rd!';
  const secrets = await ensureDemoUsers(
    cognito.endpoint,
    cognito.userPoolId,
    [{ email, password, role, tenantId: tenant.tenantId }],
    hostedUiClient(),
  );
  if (secrets[email]) enrolledTotpSecrets.set(email, secrets[email]);
  // The tenant knows its people by their USER# items: the ADMIN's invitation adopts the Cognito user created
  // above (the path a retried invitation takes) and writes it.
  const admin = demoUser(tenantIndex, 'ADMIN');
  const invited = await callApi('POST', '/v1/users', {
    token: await login(admin.email, admin.password),
    body: { email, name: label, role },
    headers: { 'idempotency-key': randomUUID() },
  });
  if (invited.status !== 201) throw new Error(`POST /v1/users answered ${invited.status}: ${invited.text}`);
  const token = await login(email, password);
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    sub: string;
  };
  return {
    user: { email, password, role, tenantId: tenant.tenantId },
    token,
    userId: claims.sub,
    call: (method, path, options = {}) => callApi(method, path, { ...options, token }),
  };
}

// --- DynamoDB Local (for what the API cannot do: age a document, audit a series) ---------------------

let dynamo: DynamoDBClient | undefined;

export function dynamoClient(): DynamoDBClient {
  const stack = localStack();
  dynamo ??= new DynamoDBClient({
    region: 'us-east-1',
    endpoint: stack.endpoints.dynamodb,
    credentials: { ...stack.credentials },
  });
  return dynamo;
}

export function tableName(): string {
  const [table] = localStack().resources.tables;
  if (!table) throw new Error('the local cloud has no table');
  return table;
}
