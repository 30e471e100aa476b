import createClient from 'openapi-fetch';
import { currentSession, refresh, sessionExpired } from '../auth/session';
import type { ErrorDetail } from './error-paths';
import type { paths } from './schema.gen';

/** A refusal of the API, with its stable code and field-level details (see error-paths.ts). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[],
  ) {
    super(message);
  }
}

/**
 * The signed-in fetch: the person's ID token on every call (the API's authorizer verifies it); a 401 refreshes
 * the token once and retries, and a second 401 ends the session (sign in again, drafts kept).
 */
async function authorizedFetch(request: Request): Promise<Response> {
  const send = (token: string | undefined) => {
    const attempt = request.clone();
    if (token) attempt.headers.set('authorization', `Bearer ${token}`);
    return fetch(attempt);
  };
  const response = await send(currentSession()?.idToken);
  if (response.status !== 401) return response;
  if (await refresh()) {
    const retried = await send(currentSession()?.idToken);
    if (retried.status !== 401) return retried;
  }
  await sessionExpired();
  return response;
}

/** The typed client of the public API, on the console's own origin (`/v1/...`). */
export const api = createClient<paths>({ baseUrl: window.location.origin, fetch: authorizedFetch });

type Result<T> = { data?: { data: T } | undefined; error?: unknown; response: Response };

/** The envelope's `data`, or an ApiError with the API's code and details. */
export function unwrap<T>(result: Result<T>): T {
  if (result.data !== undefined) return result.data.data;
  const body = (result.error ?? {}) as Partial<{ error: string; code: string; details: ErrorDetail[] }>;
  throw new ApiError(
    result.response.status,
    body.code ?? 'HTTP_ERROR',
    body.error ?? `HTTP ${result.response.status}`,
    body.details ?? [],
  );
}

export type DocumentResource =
  paths['/v1/documents/{id}']['get']['responses'][200]['content']['application/json']['data'];
export type DocumentStatus = DocumentResource['status'];
