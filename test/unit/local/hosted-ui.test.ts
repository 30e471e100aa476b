import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '#local/emulators/cognito-totp';
import { signInWithHostedUi } from '#local/hosted-ui/browser';
import { localIdTokenVerifier } from '#shared/auth/id-tokens';
import { authorizeUrl, createPkce } from '#shared/cli/login/oauth';
import { type CognitoHarness, STRONG_PASSWORD, startCognitoHarness } from './cognito-harness';

type Page = {
  status: number;
  location?: URL;
  html: string;
  action?: string;
  hidden: Record<string, string>;
  alert?: string;
};

/** One browser tab against the hosted UI, by hand: cookies kept, redirects shown, forms read. */
class Tab {
  private readonly jar = new Map<string, string>();

  async open(url: string | URL, form?: Record<string, string>): Promise<Page> {
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...this.jar].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    for (const setCookie of response.headers.getSetCookie()) {
      const [pair = ''] = setCookie.split(';');
      const [name = '', value = ''] = pair.split(/=(.*)/s);
      if (/max-age=0/i.test(setCookie)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    const html = await response.text();
    const location = response.headers.get('location');
    const hidden: Record<string, string> = {};
    for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
      hidden[name as string] = (value as string).replaceAll('&amp;', '&');
    }
    return {
      status: response.status,
      ...(location ? { location: new URL(location, url) } : {}),
      html,
      action: /<form method="post" action="([^"]*)"/.exec(html)?.[1]?.replaceAll('&amp;', '&'),
      hidden,
      alert: /<p role="alert">([^<]*)<\/p>/.exec(html)?.[1],
    };
  }

  /** Follows redirects on the hosted UI's origin; stops at another origin (the client's callback). */
  async follow(url: string | URL, form?: Record<string, string>): Promise<Page> {
    let page = await this.open(url, form);
    while (page.location && page.location.origin === new URL(url).origin)
      page = await this.open(page.location);
    return page;
  }

  async submit(base: string, page: Page, fields: Record<string, string>): Promise<Page> {
    return this.follow(new URL(page.action ?? '', base), { ...page.hidden, ...fields });
  }

  cookie(name: string): string | undefined {
    return this.jar.get(name);
  }
}

describe('local hosted UI', () => {
  let harness: CognitoHarness;
  let base: string;
  const authorize = (parameters: Record<string, string>) => {
    const url = new URL('/oauth2/authorize', base);
    url.search = new URLSearchParams(parameters).toString();
    return url;
  };
  const webAuthorize = (state: string, challenge: string) =>
    authorizeUrl({
      hostedUiUrl: base,
      clientId: harness.webClientId,
      redirectUri: harness.callbackUrl,
      scope: 'openid email profile',
      state,
      codeChallenge: challenge,
    });
  const token = async (form: Record<string, string>, authorization?: string) => {
    const response = await fetch(new URL('/oauth2/token', base), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(authorization ? { authorization } : {}),
      },
      body: new URLSearchParams(form).toString(),
    });
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  };

  beforeAll(async () => {
    harness = await startCognitoHarness();
    base = harness.hostedUi.url;
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('answers bad authorization requests as Cognito does: its error page before the client is trusted, the redirect_uri after', async () => {
    // Prepare
    const valid = {
      response_type: 'code',
      client_id: harness.webClientId,
      redirect_uri: harness.callbackUrl,
      state: 'st',
      scope: 'openid email',
    };
    const tab = new Tab();
    const cases: Array<[Record<string, string>, string]> = [
      [{ response_type: 'code' }, `${base}/error?error=Required+parameters+missing`],
      [{ ...valid, client_id: 'nobody' }, `${base}/error?error=invalid_request&client_id=nobody`],
      [
        { ...valid, redirect_uri: 'https://evil.example.com/cb' },
        `${base}/error?error=redirect_mismatch&client_id=${harness.webClientId}`,
      ],
      [
        { ...valid, client_id: harness.passwordClientId },
        `${base}/error?error=invalid_request&client_id=${harness.passwordClientId}`,
      ],
      [{ ...valid, response_type: '' }, `${harness.callbackUrl}?error=invalid_request&state=st`],
      [
        { ...valid, response_type: 'id_token' },
        `${harness.callbackUrl}?error=unsupported_response_type&state=st`,
      ],
      [{ ...valid, response_type: 'token' }, `${harness.callbackUrl}?error=unauthorized_client&state=st`],
      [
        { ...valid, code_challenge: 'abc', code_challenge_method: 'plain' },
        `${harness.callbackUrl}?error=invalid_request&state=st`,
      ],
      [{ ...valid, code_challenge: 'abc' }, `${harness.callbackUrl}?error=invalid_request&state=st`],
      [
        { ...valid, scope: 'openid aws.cognito.signin.user.admin' },
        `${harness.callbackUrl}?error=invalid_scope&state=st`,
      ],
      [{ ...valid, scope: 'email' }, `${harness.callbackUrl}?error=invalid_scope&state=st`],
      [{ ...valid, identity_provider: 'Google' }, `${harness.callbackUrl}?error=invalid_request&state=st`],
    ];

    // Act
    const answers = await Promise.all(cases.map(([parameters]) => tab.open(authorize(parameters))));
    const errorPage = await tab.open(`${base}/error?error=redirect_mismatch`);

    // Assess
    expect(answers.map((page) => [page.status, page.location?.toString()])).toEqual(
      cases.map(([, location]) => [302, location]),
    );
    expect(errorPage.status).toBe(400);
    expect(errorPage.alert).toBe('An error was encountered with the requested page.');
  });

  it('signs in a user created with a temporary password: new password, TOTP set-up, then the code for the client', async () => {
    // Prepare
    await harness.createUser({
      email: 'first@a.example.com',
      tenantId: 'tenant-a',
      temporaryPassword: 'Temp-Passw0rd!x',
    });
    const tab = new Tab();
    const pkce = createPkce();

    // Act
    const login = await tab.follow(webAuthorize('state-1', pkce.challenge));
    const wrongTemporary = await tab.submit(base, login, {
      username: 'first@a.example.com',
      password: 'nope',
    });
    const unknownUser = await tab.submit(base, login, { username: 'nobody@a.example.com', password: 'nope' });
    const newPassword = await tab.submit(base, login, {
      username: 'first@a.example.com',
      password: 'Temp-Passw0rd!x',
    });
    const mismatch = await tab.submit(base, newPassword, {
      newPassword: 'A-New-Passw0rd!',
      confirmPassword: 'other',
    });
    const weak = await tab.submit(base, newPassword, {
      newPassword: 'alllowercase-long',
      confirmPassword: 'alllowercase-long',
    });
    const setup = await tab.submit(base, newPassword, {
      newPassword: 'A-New-Passw0rd!',
      confirmPassword: 'A-New-Passw0rd!',
    });
    const secret = /<code id="totp-secret">([A-Z2-7]+)<\/code>/.exec(setup.html)?.[1] ?? '';
    const wrongCode = await tab.submit(base, setup, { code: '000000' });
    const callback = await tab.submit(base, wrongCode, { code: totpCode(secret) });

    // Assess
    expect(login.status).toBe(200);
    expect(login.html).toContain('<label for="password">Password</label>');
    expect(tab.cookie('XSRF-TOKEN')).toBe(login.hidden._csrf);
    expect(wrongTemporary.alert).toBe('Incorrect username or password.');
    expect(unknownUser.alert).toBe('Incorrect username or password.');
    expect(newPassword.html).toContain('name="newPassword"');
    expect(mismatch.alert).toBe('Passwords do not match.');
    expect(weak.alert).toBe('Password does not conform to policy: Password must have uppercase characters');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.html).toContain(
      `otpauth://totp/harness-auth:first%40a.example.com?issuer=harness-auth&amp;secret=${secret}`,
    );
    expect(wrongCode.alert).toBe('Code mismatch and fail enable Software Token MFA');
    expect(callback.status).toBe(302);
    expect(`${callback.location?.origin}${callback.location?.pathname}`).toBe(harness.callbackUrl);
    expect(callback.location?.searchParams.get('state')).toBe('state-1');
    expect(callback.location?.searchParams.get('code')).toEqual(expect.any(String));
    expect(tab.cookie('cognito')).toEqual(expect.any(String));
  });

  it('trades a code once, for its client, redirect_uri and PKCE verifier, into tokens the API authorizer accepts', async () => {
    // Prepare
    await harness.createUser({ email: 'tokens@b.example.com', tenantId: 'tenant-b', role: 'USER' });
    const { enrolledTotpSecret } = await signInWithHostedUi(
      { hostedUiUrl: base, clientId: harness.webClientId, redirectUri: harness.callbackUrl },
      { username: 'tokens@b.example.com', password: STRONG_PASSWORD },
    );
    const codeFor = async (state: string, challenge: string) => {
      const tab = new Tab();
      const login = await tab.follow(webAuthorize(state, challenge));
      const mfa = await tab.submit(base, login, {
        username: 'tokens@b.example.com',
        password: STRONG_PASSWORD,
      });
      const callback = await tab.submit(base, mfa, { code: totpCode(enrolledTotpSecret ?? '') });
      return callback.location?.searchParams.get('code') ?? '';
    };
    const exchange = (code: string, verifier: string, overrides: Record<string, string> = {}) =>
      token({
        grant_type: 'authorization_code',
        client_id: harness.webClientId,
        code,
        redirect_uri: harness.callbackUrl,
        code_verifier: verifier,
        ...overrides,
      });
    const pkce = createPkce();

    // Act
    const wrongVerifier = await exchange(await codeFor('a', pkce.challenge), createPkce().verifier);
    const wrongRedirect = await exchange(await codeFor('b', pkce.challenge), pkce.verifier, {
      redirect_uri: `http://localhost:${harness.loopbackPort}/callback`,
    });
    const code = await codeFor('c', pkce.challenge);
    const issued = await exchange(code, pkce.verifier);
    const reused = await exchange(code, pkce.verifier);
    const refreshed = await token({
      grant_type: 'refresh_token',
      client_id: harness.webClientId,
      refresh_token: issued.body.refresh_token ?? '',
    });
    const unknownClient = await token({
      grant_type: 'authorization_code',
      client_id: 'nobody',
      code: 'x',
      redirect_uri: 'x',
    });
    const noGrant = await token({ client_id: harness.webClientId });
    const passwordGrant = await token({ grant_type: 'password', client_id: harness.webClientId });
    const badRefresh = await token({
      grant_type: 'refresh_token',
      client_id: harness.webClientId,
      refresh_token: 'x',
    });
    const verify = await localIdTokenVerifier({
      endpoint: harness.cognito.url,
      userPoolId: harness.userPoolId,
      clientIds: [harness.webClientId],
    });
    const claims = await verify(String(issued.body.id_token));
    const refreshedClaims = await verify(String(refreshed.body.id_token));

    // Assess
    expect(wrongVerifier).toEqual({ status: 400, body: { error: 'invalid_grant' } });
    expect(wrongRedirect).toEqual({ status: 400, body: { error: 'invalid_grant' } });
    expect(issued.status).toBe(200);
    expect(issued.body).toEqual({
      id_token: expect.any(String),
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      expires_in: 3600,
      token_type: 'Bearer',
    });
    expect(reused).toEqual({ status: 400, body: { error: 'invalid_grant' } });
    expect(claims).toMatchObject({
      'custom:tenantId': 'tenant-b',
      'cognito:groups': ['USER'],
      email: 'tokens@b.example.com',
      sub: expect.any(String),
      aud: harness.webClientId,
      token_use: 'id',
      iss: `${harness.cognito.url}/${harness.userPoolId}`,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).toBeUndefined();
    expect(refreshedClaims?.sub).toBe(claims?.sub);
    expect(unknownClient).toEqual({ status: 400, body: { error: 'invalid_client' } });
    expect(noGrant).toEqual({ status: 400, body: { error: 'invalid_request' } });
    expect(passwordGrant).toEqual({ status: 400, body: { error: 'unsupported_grant_type' } });
    expect(badRefresh).toEqual({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('asks an enrolled user for the code, remembers the browser until logout, and refuses forms without the CSRF token', async () => {
    // Prepare
    await harness.createUser({ email: 'again@a.example.com', tenantId: 'tenant-a' });
    const { enrolledTotpSecret } = await signInWithHostedUi(
      { hostedUiUrl: base, clientId: harness.webClientId, redirectUri: harness.callbackUrl },
      { username: 'again@a.example.com', password: STRONG_PASSWORD },
    );
    const tab = new Tab();
    const { challenge } = createPkce();

    // Act
    const login = await tab.follow(webAuthorize('s1', challenge));
    const forged = await new Tab().open(new URL(login.action ?? '', base), {
      _csrf: login.hidden._csrf ?? '',
      username: 'again@a.example.com',
      password: STRONG_PASSWORD,
    });
    const mfa = await tab.submit(base, login, { username: 'again@a.example.com', password: STRONG_PASSWORD });
    const wrongCode = await tab.submit(base, mfa, {
      code: totpCode(enrolledTotpSecret ?? '', Date.now() - 10 * 60_000),
    });
    const signedIn = await tab.submit(base, wrongCode, { code: totpCode(enrolledTotpSecret ?? '') });
    const remembered = await tab.follow(webAuthorize('s2', challenge));
    const badLogout = await tab.open(
      `${base}/logout?client_id=${harness.webClientId}&logout_uri=${encodeURIComponent('https://evil.example.com/')}`,
    );
    const logout = await tab.open(
      `${base}/logout?client_id=${harness.webClientId}&logout_uri=${encodeURIComponent(harness.logoutUrl)}`,
    );
    const afterLogout = await tab.follow(webAuthorize('s3', challenge));

    // Assess
    expect(forged.status).toBe(403);
    expect(mfa.html).toContain('Enter the 6-digit code from your authenticator app.');
    expect(wrongCode.alert).toBe('Invalid code received for user');
    expect(signedIn.location?.searchParams.get('state')).toBe('s1');
    expect(remembered.status).toBe(302);
    expect(remembered.location?.searchParams.get('state')).toBe('s2');
    expect(remembered.location?.searchParams.get('code')).toEqual(expect.any(String));
    expect(badLogout.location?.toString()).toBe(
      `${base}/error?error=redirect_mismatch&client_id=${harness.webClientId}`,
    );
    expect(logout.location?.toString()).toBe(harness.logoutUrl);
    expect(tab.cookie('cognito')).toBeUndefined();
    expect(afterLogout.status).toBe(200);
    expect(afterLogout.html).toContain('name="password"');
  });
});
