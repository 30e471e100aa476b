import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attributeValue, type UserDirectory } from '../emulators/cognito-directory.ts';
import { CognitoError, type SignIn, type SignInStep } from '../emulators/cognito-sign-in.ts';
import { totpUri } from '../emulators/cognito-totp.ts';
import { type AuthorizeRequest, checkAuthorizeRequest } from './authorize-request.ts';
import { Grants, SESSION_LIFETIME_MS } from './grants.ts';
import {
  cookie,
  cookies,
  randomToken,
  readForm,
  redirect,
  sameSecret,
  sendHtml,
  sendTokenJson,
  withQuery,
} from './http.ts';
import { errorPage, mfaPage, mfaSetupPage, newPasswordPage, signInPage } from './pages.ts';
import { answerTokenRequest } from './token-endpoint.ts';

export type HostedUi = { url: string; stop(): Promise<void> };

/** Cognito's cookie names: the signed-in browser, and the double-submit CSRF token of the forms. */
const SESSION_COOKIE = 'cognito';
const CSRF_COOKIE = 'XSRF-TOKEN';

/**
 * The user pool's domain, locally: Cognito's classic hosted UI on 127.0.0.1, for the pool the template gives
 * a domain. `/oauth2/authorize` → `/login` (e-mail + password, then a new password for users created with a
 * temporary one, then TOTP set-up or the TOTP code as the pool's MFA setting demands) → 302 to the client's
 * redirect_uri with `code` and `state`; `/oauth2/token` trades the code (PKCE) or a refresh token for
 * cognito-local's tokens; `/logout` ends the browser's session. Client settings (callback and logout URLs,
 * OAuth flows and scopes, identity providers) are the template's, as provisioned in cognito-local.
 */
export async function startHostedUi(options: {
  port: number;
  userPoolId: string;
  /** Shown in authenticator apps next to the account (the `issuer` of the otpauth URI). */
  issuer: string;
  directory: UserDirectory;
  signIn: SignIn;
  onError(error: unknown): void;
}): Promise<HostedUi> {
  const { directory, signIn, userPoolId } = options;
  const grants = new Grants();
  let baseUrl = '';

  const check = (query: URLSearchParams) => checkAuthorizeRequest(query, { directory, userPoolId, baseUrl });

  /** The browser's CSRF token (its cookie), or a new one on a first visit. */
  const csrfOf = (req: IncomingMessage) => cookies(req)[CSRF_COOKIE] || randomToken();

  const finish = (
    res: ServerResponse,
    request: AuthorizeRequest,
    username: string,
    setCookies: string[] = [],
  ) => {
    const code = grants.issueCode({
      clientId: request.client.ClientId,
      redirectUri: request.redirectUri,
      userPoolId,
      username,
      scopes: request.scopes,
      ...(request.codeChallenge ? { codeChallenge: request.codeChallenge } : {}),
    });
    redirect(res, withQuery(request.redirectUri, { code, state: request.state }), setCookies);
  };

  /** Shows the page for the next step of the sign-in, or completes it. */
  const proceed = async (
    res: ServerResponse,
    request: AuthorizeRequest,
    step: SignInStep,
    csrf: string,
    error?: string,
  ) => {
    const action = (path: string) => `${path}?${request.query}`;
    if (step.kind === 'signed-in') {
      const session = grants.openSession(userPoolId, step.user.Username);
      finish(res, request, step.user.Username, [cookie(SESSION_COOKIE, session, SESSION_LIFETIME_MS / 1000)]);
      return;
    }
    if (step.challenge === 'NEW_PASSWORD_REQUIRED') {
      sendHtml(
        res,
        200,
        newPasswordPage({ action: action('/login/new-password'), csrf, session: step.session, error }),
      );
      return;
    }
    if (step.challenge === 'SOFTWARE_TOKEN_MFA') {
      sendHtml(res, 200, mfaPage({ action: action('/login/mfa'), csrf, session: step.session, error }));
      return;
    }
    const { secretCode, session } = signIn.associateSoftwareToken(step.session);
    showSetup(
      res,
      request,
      csrf,
      session,
      secretCode,
      attributeValue(step.user, 'email') ?? step.user.Username,
      error,
    );
  };

  const showSetup = (
    res: ServerResponse,
    request: AuthorizeRequest,
    csrf: string,
    session: string,
    secret: string,
    account: string,
    error?: string,
  ) => {
    sendHtml(
      res,
      200,
      mfaSetupPage({
        action: `/login/mfa-setup?${request.query}`,
        csrf,
        session,
        secret,
        uri: totpUri(secret, { issuer: options.issuer, account }),
        error,
      }),
    );
  };

  const signInAgain = (res: ServerResponse, request: AuthorizeRequest, csrf: string, error: string) =>
    sendHtml(res, 200, signInPage({ action: `/login?${request.query}`, csrf, error }));

  /** A POST of one of the sign-in forms: the authorization request is still valid and the CSRF token matches. */
  const formPost = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const outcome = await check(url.searchParams);
    if (!outcome.ok) return redirect(res, outcome.location);
    const form = await readForm(req);
    const csrf = cookies(req)[CSRF_COOKIE];
    if (!form || !sameSecret(csrf, form.get('_csrf') ?? undefined)) {
      sendHtml(res, 403, errorPage('invalid_csrf_token'));
      return undefined;
    }
    return { request: outcome.request, form, csrf: csrf as string };
  };

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>> = {
    'GET /oauth2/authorize': async (req, res, url) => {
      const outcome = await check(url.searchParams);
      if (!outcome.ok) return redirect(res, outcome.location);
      const signedIn = grants.session(cookies(req)[SESSION_COOKIE]);
      const user = signedIn ? await directory.user(signedIn.userPoolId, signedIn.username) : undefined;
      if (user?.Enabled) return finish(res, outcome.request, user.Username);
      redirect(res, `${baseUrl}/login?${outcome.request.query}`);
    },
    'GET /login': async (req, res, url) => {
      const outcome = await check(url.searchParams);
      if (!outcome.ok) return redirect(res, outcome.location);
      const token = csrfOf(req);
      sendHtml(res, 200, signInPage({ action: `/login?${outcome.request.query}`, csrf: token }), [
        cookie(CSRF_COOKIE, token, 3600),
      ]);
    },
    'POST /login': async (req, res, url) => {
      const posted = await formPost(req, res, url);
      if (!posted) return;
      const { request, form, csrf } = posted;
      const username = form.get('username') ?? '';
      try {
        await proceed(
          res,
          request,
          await signIn.withPassword(request.client, username, form.get('password') ?? ''),
          csrf,
        );
      } catch (error) {
        if (!(error instanceof CognitoError)) throw error;
        // Cognito's hosted UI never tells an unknown user from a wrong password.
        const message =
          error.type === 'UserNotFoundException' ? 'Incorrect username or password.' : error.message;
        sendHtml(res, 200, signInPage({ action: `/login?${request.query}`, csrf, username, error: message }));
      }
    },
    'POST /login/new-password': async (req, res, url) => {
      const posted = await formPost(req, res, url);
      if (!posted) return;
      const { request, form, csrf } = posted;
      const session = form.get('session') ?? '';
      const newPassword = form.get('newPassword') ?? '';
      const again = (error: string) =>
        sendHtml(
          res,
          200,
          newPasswordPage({ action: `/login/new-password?${request.query}`, csrf, session, error }),
        );
      if (newPassword !== form.get('confirmPassword')) return again('Passwords do not match.');
      try {
        await proceed(
          res,
          request,
          await signIn.respond(request.client, 'NEW_PASSWORD_REQUIRED', session, {
            NEW_PASSWORD: newPassword,
          }),
          csrf,
        );
      } catch (error) {
        if (!(error instanceof CognitoError)) throw error;
        if (error.type === 'InvalidPasswordException') return again(error.message);
        signInAgain(res, request, csrf, error.message);
      }
    },
    'POST /login/mfa-setup': async (req, res, url) => {
      const posted = await formPost(req, res, url);
      if (!posted) return;
      const { request, form, csrf } = posted;
      const session = form.get('session') ?? '';
      const secret = signIn.pendingSetupSecret(session);
      try {
        const verified = await signIn.verifySoftwareToken(
          session,
          form.get('code') ?? '',
          form.get('deviceName') || undefined,
        );
        await proceed(
          res,
          request,
          await signIn.respond(request.client, 'MFA_SETUP', verified.session, {}),
          csrf,
        );
      } catch (error) {
        if (!(error instanceof CognitoError)) throw error;
        if (error.type === 'EnableSoftwareTokenMFAException' && secret) {
          const user = await signIn.userOf(session);
          const account = (user && attributeValue(user, 'email')) ?? user?.Username ?? '';
          return showSetup(res, request, csrf, session, secret, account, error.message);
        }
        signInAgain(res, request, csrf, error.message);
      }
    },
    'POST /login/mfa': async (req, res, url) => {
      const posted = await formPost(req, res, url);
      if (!posted) return;
      const { request, form, csrf } = posted;
      const session = form.get('session') ?? '';
      try {
        await proceed(
          res,
          request,
          await signIn.respond(request.client, 'SOFTWARE_TOKEN_MFA', session, {
            SOFTWARE_TOKEN_MFA_CODE: form.get('code') ?? '',
          }),
          csrf,
        );
      } catch (error) {
        if (!(error instanceof CognitoError)) throw error;
        if (error.type === 'CodeMismatchException') {
          return sendHtml(
            res,
            200,
            mfaPage({ action: `/login/mfa?${request.query}`, csrf, session, error: error.message }),
          );
        }
        signInAgain(res, request, csrf, error.message);
      }
    },
    'POST /oauth2/token': async (req, res) => {
      const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
      const form = await readForm(req);
      if (!form) return sendTokenJson(res, 400, { error: 'invalid_request' }, origin);
      const answer = await answerTokenRequest(req, form, { directory, signIn, grants, userPoolId });
      sendTokenJson(res, answer.status, answer.body, origin);
    },
    'GET /logout': async (req, res, url) => {
      const query = url.searchParams;
      const clientId = query.get('client_id') ?? '';
      const client = await directory.client(clientId);
      if (!client || client.UserPoolId !== userPoolId) {
        return redirect(
          res,
          withQuery(`${baseUrl}/error`, { error: 'invalid_request', client_id: clientId }),
        );
      }
      const logoutUri = query.get('logout_uri');
      let location: string;
      if (logoutUri) {
        if (!(client.LogoutURLs ?? []).includes(logoutUri)) {
          return redirect(
            res,
            withQuery(`${baseUrl}/error`, { error: 'redirect_mismatch', client_id: clientId }),
          );
        }
        location = logoutUri;
      } else if (query.get('redirect_uri')) {
        const outcome = await check(query);
        if (!outcome.ok) return redirect(res, outcome.location);
        location = `${baseUrl}/login?${outcome.request.query}`;
      } else {
        return redirect(res, withQuery(`${baseUrl}/error`, { error: 'Required parameters missing' }));
      }
      grants.closeSession(cookies(req)[SESSION_COOKIE]);
      redirect(res, location, [cookie(SESSION_COOKIE, '', 0)]);
    },
    'GET /error': async (_req, res, url) => {
      sendHtml(res, 400, errorPage(url.searchParams.get('error') ?? 'unknown'));
    },
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', baseUrl || 'http://hosted-ui');
    const route = routes[`${req.method} ${url.pathname}`];
    if (!route) {
      sendHtml(res, 404, errorPage('not_found'));
      return;
    }
    route(req, res, url).catch((error) => {
      options.onError(error);
      if (!res.headersSent) sendHtml(res, 500, errorPage('server_error'));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
