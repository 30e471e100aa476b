import { describe, expect, it } from 'vitest';
import { visitHostedUi } from '#local/hosted-ui/browser';
import { CLI_LOGIN_REDIRECT_URI } from '#shared/cli/login/loopback';
import { authorizeUrl, createPkce } from '#shared/cli/login/oauth';
import { demoUser, localStack, session } from './helpers/local-cloud.ts';

async function cognitoApi(
  action: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(localStack().cognito.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${action}`,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

/**
 * Signing in on the local cloud works only the way the deployed user pool allows: through the hosted UI
 * (authorization code + PKCE) with the TOTP second factor, never with a user-password API flow.
 */
describe('sign-in as the deployed user pool allows', () => {
  it('the web client refuses USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH, as AWS does', async () => {
    // Prepare
    const { cognito } = localStack();
    const user = demoUser(0, 'USER');

    // Act
    const userPassword = await cognitoApi('InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: cognito.clientId,
      AuthParameters: { USERNAME: user.email, PASSWORD: user.password },
    });
    const adminPassword = await cognitoApi('AdminInitiateAuth', {
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      UserPoolId: cognito.userPoolId,
      ClientId: cognito.clientId,
      AuthParameters: { USERNAME: user.email, PASSWORD: user.password },
    });

    // Assess
    expect(userPassword).toEqual({
      status: 400,
      body: {
        __type: 'InvalidParameterException',
        message: 'USER_PASSWORD_AUTH flow not enabled for this client',
      },
    });
    expect(adminPassword.status).toBe(400);
    expect(adminPassword.body.__type).toBe('InvalidParameterException');
  });

  it('the hosted UI takes the template callback URLs only (factu login loopback included) and asks for the TOTP code after the password', async () => {
    // Prepare
    const { cognito } = localStack();
    const user = demoUser(0, 'ADMIN');
    const url = (redirectUri: string) =>
      authorizeUrl({
        hostedUiUrl: cognito.hostedUiUrl,
        clientId: cognito.clientId,
        redirectUri,
        scope: 'openid email profile',
        state: 'st',
        codeChallenge: createPkce().challenge,
      });

    // Act
    const loopback = await fetch(url(CLI_LOGIN_REDIRECT_URI), { redirect: 'manual' });
    const unregistered = await fetch(url('http://localhost:9/callback'), { redirect: 'manual' });
    const passwordOnly = visitHostedUi(url(CLI_LOGIN_REDIRECT_URI), {
      username: user.email,
      password: user.password,
    });

    // Assess
    expect(cognito.callbackUrls).toContain(CLI_LOGIN_REDIRECT_URI);
    expect(loopback.status).toBe(302);
    expect(new URL(loopback.headers.get('location') ?? '').pathname).toBe('/login');
    expect(unregistered.headers.get('location')).toBe(
      `${cognito.hostedUiUrl}/error?error=redirect_mismatch&client_id=${cognito.clientId}`,
    );
    await expect(passwordOnly).rejects.toThrow(/no TOTP secret/);
  });

  it('a demo user signs in with password and TOTP; the ID token carries tenant, role and e-mail and opens the API', async () => {
    // Prepare
    const user = demoUser(1, 'ADMIN');

    // Act
    const admin = await session(1, 'ADMIN');
    const claims = JSON.parse(Buffer.from(admin.token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    const branches = await admin.call('GET', '/v1/branches');

    // Assess
    expect(user.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    expect(claims).toMatchObject({
      token_use: 'id',
      aud: localStack().cognito.clientId,
      'custom:tenantId': user.tenantId,
      'cognito:groups': ['ADMIN'],
      email: user.email,
      sub: expect.any(String),
    });
    expect(branches.status, branches.text).toBe(200);
  });
});
