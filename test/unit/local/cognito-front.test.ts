import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '#local/emulators/cognito-totp';
import { cognitoCall } from '#local/provision/cognito';
import { type CognitoHarness, STRONG_PASSWORD, startCognitoHarness } from './cognito-harness';

// biome-ignore lint/suspicious/noExplicitAny: assertions walk loosely-typed JSON answers
type Json = any;

/** The error a call was refused with (awaited at once: no rejection is left unhandled meanwhile). */
const refusal = (promise: Promise<unknown>): Promise<Error> =>
  promise.then(
    () => new Error('the call was not refused'),
    (error: Error) => error,
  );

/**
 * The Cognito API endpoint of the local cloud refuses what Cognito refuses: auth flows the app client does
 * not enable, tokens without the MFA step the pool requires, sessions that were not issued (or were used).
 */
describe('Cognito front before cognito-local', () => {
  let harness: CognitoHarness;
  const call = (action: string, body: Record<string, unknown>): Promise<Json> =>
    cognitoCall(harness.cognito.url, action, body);
  const passwordAuth = (email: string, password = STRONG_PASSWORD): Promise<Json> =>
    call('InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: harness.passwordClientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    });

  beforeAll(async () => {
    harness = await startCognitoHarness();
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('refuses an AuthFlow the app client does not enable, as AWS answers it', async () => {
    // Prepare
    await harness.createUser({ email: 'flows@a.example.com', tenantId: 'tenant-a' });

    // Act
    const userPassword = await refusal(
      call('InitiateAuth', {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: harness.webClientId,
        AuthParameters: { USERNAME: 'flows@a.example.com', PASSWORD: STRONG_PASSWORD },
      }),
    );
    const adminPassword = await refusal(
      call('AdminInitiateAuth', {
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        UserPoolId: harness.userPoolId,
        ClientId: harness.webClientId,
        AuthParameters: { USERNAME: 'flows@a.example.com', PASSWORD: STRONG_PASSWORD },
      }),
    );
    const srp = await refusal(
      call('InitiateAuth', {
        AuthFlow: 'USER_SRP_AUTH',
        ClientId: harness.webClientId,
        AuthParameters: { USERNAME: 'flows@a.example.com', SRP_A: 'abc' },
      }),
    );
    const wrongApi = await refusal(
      call('InitiateAuth', {
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        ClientId: harness.passwordClientId,
        AuthParameters: { USERNAME: 'flows@a.example.com', PASSWORD: STRONG_PASSWORD },
      }),
    );
    const unknownClient = await refusal(
      call('InitiateAuth', {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: 'no-such-client',
        AuthParameters: { USERNAME: 'flows@a.example.com', PASSWORD: STRONG_PASSWORD },
      }),
    );

    // Assess
    expect(userPassword).toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('USER_PASSWORD_AUTH flow not enabled for this client'),
    });
    expect(adminPassword).toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('ADMIN_USER_PASSWORD_AUTH flow not enabled for this client'),
    });
    expect(srp).toMatchObject({ name: 'InvalidParameterException' });
    expect(wrongApi).toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringContaining('Initiate Auth method not supported.'),
    });
    expect(unknownClient).toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('with MFA required, a password alone gives MFA_SETUP, and tokens only after the new token is verified', async () => {
    // Prepare
    await harness.createUser({ email: 'setup@a.example.com', tenantId: 'tenant-a' });

    // Act
    const first = await passwordAuth('setup@a.example.com');
    const associated = await call('AssociateSoftwareToken', { Session: first.Session });
    const wrongCode = await refusal(
      call('VerifySoftwareToken', { Session: associated.Session, UserCode: '000000' }),
    );
    const verified = await call('VerifySoftwareToken', {
      Session: associated.Session,
      UserCode: totpCode(associated.SecretCode),
      FriendlyDeviceName: 'phone',
    });
    const replayedSetup = await refusal(
      call('RespondToAuthChallenge', {
        ClientId: harness.passwordClientId,
        ChallengeName: 'MFA_SETUP',
        Session: first.Session,
        ChallengeResponses: { USERNAME: 'setup@a.example.com' },
      }),
    );
    const done = await call('RespondToAuthChallenge', {
      ClientId: harness.passwordClientId,
      ChallengeName: 'MFA_SETUP',
      Session: verified.Session,
      ChallengeResponses: { USERNAME: 'setup@a.example.com' },
    });
    const user = await call('AdminGetUser', {
      UserPoolId: harness.userPoolId,
      Username: 'setup@a.example.com',
    });

    // Assess
    expect(first).toMatchObject({ ChallengeName: 'MFA_SETUP', Session: expect.any(String) });
    expect(first.AuthenticationResult).toBeUndefined();
    expect(associated.SecretCode).toMatch(/^[A-Z2-7]{32}$/);
    expect(wrongCode).toMatchObject({ name: 'EnableSoftwareTokenMFAException' });
    expect(verified.Status).toBe('SUCCESS');
    expect(replayedSetup).toMatchObject({ name: 'NotAuthorizedException' });
    expect(done.AuthenticationResult).toMatchObject({
      IdToken: expect.any(String),
      AccessToken: expect.any(String),
      RefreshToken: expect.any(String),
      TokenType: 'Bearer',
      ExpiresIn: 3600,
    });
    expect(user.UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA']);
  });

  it('an enrolled user answers SOFTWARE_TOKEN_MFA; wrong codes and forged sessions are refused; refresh needs no MFA', async () => {
    // Prepare
    await harness.createUser({ email: 'mfa@a.example.com', tenantId: 'tenant-a' });
    const setup = await passwordAuth('mfa@a.example.com');
    const { SecretCode, Session } = await call('AssociateSoftwareToken', { Session: setup.Session });
    const verified = await call('VerifySoftwareToken', { Session, UserCode: totpCode(SecretCode) });
    await call('RespondToAuthChallenge', {
      ClientId: harness.passwordClientId,
      ChallengeName: 'MFA_SETUP',
      Session: verified.Session,
      ChallengeResponses: { USERNAME: 'mfa@a.example.com' },
    });
    const respond = (session: string, code: string) =>
      call('RespondToAuthChallenge', {
        ClientId: harness.passwordClientId,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: session,
        ChallengeResponses: { USERNAME: 'mfa@a.example.com', SOFTWARE_TOKEN_MFA_CODE: code },
      });

    // Act
    const wrongPassword = await refusal(passwordAuth('mfa@a.example.com', 'Not-The-Passw0rd!'));
    const challenge = await passwordAuth('mfa@a.example.com');
    const wrongCode = await refusal(
      respond(challenge.Session, totpCode(SecretCode, Date.now() - 5 * 60_000)),
    );
    const forged = await refusal(respond('forged-session', totpCode(SecretCode)));
    const signedIn = await respond(challenge.Session, totpCode(SecretCode));
    const refreshed = await call('InitiateAuth', {
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: harness.passwordClientId,
      AuthParameters: { REFRESH_TOKEN: signedIn.AuthenticationResult.RefreshToken },
    });
    const badRefresh = await refusal(
      call('InitiateAuth', {
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: harness.passwordClientId,
        AuthParameters: { REFRESH_TOKEN: 'not-a-refresh-token' },
      }),
    );

    // Assess
    expect(wrongPassword).toMatchObject({
      name: 'NotAuthorizedException',
      message: expect.stringContaining('Incorrect username or password.'),
    });
    expect(challenge.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(wrongCode).toMatchObject({ name: 'CodeMismatchException' });
    expect(forged).toMatchObject({ name: 'NotAuthorizedException' });
    expect(signedIn.AuthenticationResult.IdToken).toEqual(expect.any(String));
    expect(refreshed.AuthenticationResult.IdToken).toEqual(expect.any(String));
    expect(refreshed.AuthenticationResult.RefreshToken).toBeUndefined();
    expect(badRefresh).toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('checks the temporary password before the new-password challenge, enforces the policy, then requires MFA set-up', async () => {
    // Prepare
    await harness.createUser({
      email: 'new@a.example.com',
      tenantId: 'tenant-a',
      temporaryPassword: 'Temp-Passw0rd!x',
    });

    // Act
    const wrongTemporary = await refusal(passwordAuth('new@a.example.com', 'anything'));
    const challenge = await passwordAuth('new@a.example.com', 'Temp-Passw0rd!x');
    const respond = (password: string) =>
      call('RespondToAuthChallenge', {
        ClientId: harness.passwordClientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: 'new@a.example.com', NEW_PASSWORD: password },
      });
    const weak = await refusal(respond('short'));
    const next = await respond('A-Much-Better-Passw0rd');

    // Assess
    // cognito-local alone would answer NEW_PASSWORD_REQUIRED whatever the password.
    expect(wrongTemporary).toMatchObject({ name: 'NotAuthorizedException' });
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(weak).toMatchObject({
      name: 'InvalidPasswordException',
      message: expect.stringContaining('Password does not conform to policy: Password not long enough'),
    });
    expect(next.ChallengeName).toBe('MFA_SETUP');
    expect(next.AuthenticationResult).toBeUndefined();
  });

  it('requires SECRET_HASH of clients with a secret, and serves no hosted-UI pages on the API endpoint', async () => {
    // Prepare
    const { UserPoolClient } = await call('CreateUserPoolClient', {
      UserPoolId: harness.userPoolId,
      ClientName: 'confidential',
      GenerateSecret: true,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
    await harness.createUser({ email: 'secret@a.example.com', tenantId: 'tenant-a' });
    const hash = (secret: string) =>
      createHmac('sha256', secret).update(`secret@a.example.com${UserPoolClient.ClientId}`).digest('base64');
    const initiate = (secretHash?: string) =>
      call('InitiateAuth', {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: UserPoolClient.ClientId,
        AuthParameters: {
          USERNAME: 'secret@a.example.com',
          PASSWORD: STRONG_PASSWORD,
          ...(secretHash ? { SECRET_HASH: secretHash } : {}),
        },
      });

    // Act
    const missing = await refusal(initiate());
    const wrong = await refusal(initiate(hash('not-the-secret')));
    const right = await initiate(hash(UserPoolClient.ClientSecret));
    const page = await fetch(`${harness.cognito.url}/oauth2/authorize?client_id=${harness.webClientId}`);

    // Assess
    expect(missing).toMatchObject({
      name: 'NotAuthorizedException',
      message: expect.stringContaining('SECRET_HASH was not received'),
    });
    expect(wrong).toMatchObject({ name: 'NotAuthorizedException' });
    expect(right.ChallengeName).toBe('MFA_SETUP');
    expect(page.status).toBe(404);
  });
  it('ListUsers refuses a filter on a custom attribute, as Cognito does (custom attributes are not searchable)', async () => {
    // Prepare
    await harness.createUser({ email: 'listed@a.example.com', tenantId: 'tenant-a' });

    // Act
    const custom = await refusal(
      call('ListUsers', { UserPoolId: harness.userPoolId, Filter: 'custom:tenantId = "tenant-a"' }),
    );
    const quoted = await refusal(
      call('ListUsers', { UserPoolId: harness.userPoolId, Filter: '"custom:tenantId" ^= "tenant"' }),
    );
    const byEmail = await call('ListUsers', {
      UserPoolId: harness.userPoolId,
      Filter: 'email = "listed@a.example.com"',
    });

    // Assess
    expect(custom).toMatchObject({ name: 'InvalidParameterException' });
    expect(quoted).toMatchObject({ name: 'InvalidParameterException' });
    expect(byEmail.Users).toHaveLength(1);
  });

  it('AdminCreateUser without a password e-mails an invitation whose temporary password meets the policy', async () => {
    // Prepare: an SES v2 endpoint that keeps what it is sent.
    const sent: Json[] = [];
    const ses = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        sent.push(JSON.parse(body));
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ MessageId: 'local-1' }));
      });
    });
    await new Promise<void>((resolve) => ses.listen(0, '127.0.0.1', resolve));
    harness.cognito.deliverMailThrough(`http://127.0.0.1:${(ses.address() as AddressInfo).port}`);

    try {
      // Act
      await call('AdminCreateUser', {
        UserPoolId: harness.userPoolId,
        Username: 'invited@a.example.com',
        DesiredDeliveryMediums: ['EMAIL'],
        UserAttributes: [
          { Name: 'email', Value: 'invited@a.example.com' },
          { Name: 'custom:tenantId', Value: 'tenant-a' },
        ],
      });
      const text: string = sent[0]?.Content?.Simple?.Body?.Text?.Data ?? '';
      const temporary = /temporary password is (\S+)\.$/.exec(text)?.[1] ?? '';
      const challenge = await passwordAuth('invited@a.example.com', temporary);

      // Assess
      expect(sent).toHaveLength(1);
      expect(sent[0].Destination.ToAddresses).toEqual(['invited@a.example.com']);
      expect(sent[0].FromEmailAddress).toBe('no-reply@verificationemail.com');
      expect(temporary.length).toBeGreaterThanOrEqual(12);
      for (const kind of [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/]) expect(temporary).toMatch(kind);
      expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    } finally {
      await new Promise((resolve) => ses.close(resolve));
    }
  });

  it('refuses app client redirect URLs Cognito refuses: plain http beyond loopback, fragments', async () => {
    // Prepare
    const client = (urls: { CallbackURLs?: string[]; LogoutURLs?: string[] }) => ({
      UserPoolId: harness.userPoolId,
      ClientName: `redirects-${Date.now().toString(36)}`,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid'],
      CallbackURLs: ['https://d111111abcdef8.cloudfront.net/auth/callback'],
      ...urls,
    });

    // Act
    const plainHttp = await refusal(
      call('CreateUserPoolClient', client({ CallbackURLs: ['http://console.example.com/auth/callback'] })),
    );
    const fragment = await refusal(
      call('CreateUserPoolClient', client({ LogoutURLs: ['https://console.example.com/#signed-out'] })),
    );
    const update = await refusal(
      call('UpdateUserPoolClient', {
        UserPoolId: harness.userPoolId,
        ClientId: harness.webClientId,
        CallbackURLs: ['http://192.168.1.50:5173/auth/callback'],
      }),
    );
    const accepted = await call(
      'CreateUserPoolClient',
      client({
        CallbackURLs: [
          'https://console.example.com/auth/callback',
          'http://localhost:8976/callback',
          'http://127.0.0.1:8976/callback',
          'factu://auth/callback',
        ],
        LogoutURLs: ['http://localhost:5173/'],
      }),
    );

    // Assess
    for (const error of [plainHttp, fragment, update]) {
      expect(error).toMatchObject({ name: 'InvalidParameterException' });
    }
    expect(plainHttp.message).toContain('CallbackURLs');
    expect(fragment.message).toContain('LogoutURLs');
    expect(accepted.UserPoolClient.CallbackURLs).toHaveLength(4);
  });

  it('AdminUserGlobalSignOut revokes the user’s refresh tokens; an unknown user is UserNotFoundException', async () => {
    // Prepare
    await harness.createUser({ email: 'signout@a.example.com', tenantId: 'tenant-a' });
    const stored = await harness.cognito.directory.user(harness.userPoolId, 'signout@a.example.com');
    await harness.cognito.directory.saveUser(harness.userPoolId, {
      ...stored!,
      RefreshTokens: ['kept-token'],
    });
    const refresh = () =>
      call('InitiateAuth', {
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: harness.passwordClientId,
        AuthParameters: { REFRESH_TOKEN: 'kept-token' },
      });
    const before = await refresh();

    // Act
    await call('AdminUserGlobalSignOut', {
      UserPoolId: harness.userPoolId,
      Username: 'signout@a.example.com',
    });
    const after = await refusal(refresh());
    const unknown = await refusal(
      call('AdminUserGlobalSignOut', { UserPoolId: harness.userPoolId, Username: 'nobody@a.example.com' }),
    );

    // Assess
    expect(before.AuthenticationResult.IdToken).toEqual(expect.any(String));
    expect(after).toMatchObject({ name: 'NotAuthorizedException' });
    expect(unknown).toMatchObject({ name: 'UserNotFoundException' });
  });
});
