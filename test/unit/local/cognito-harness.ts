import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CognitoLocal, startCognitoLocal } from '#local/emulators/cognito';
import { type HostedUi, startHostedUi } from '#local/hosted-ui/server';
import { freePort } from '#local/ports';
import { cognitoCall } from '#local/provision/cognito';

export const STRONG_PASSWORD = 'Harness-Passw0rd!';

/**
 * cognito-local behind its front, and the hosted UI for its pool, without the rest of the local cloud: a pool
 * as the template declares it (MFA ON with TOTP, the password policy, e-mail sign-in), a web client as the
 * template's (code grant only, refresh only of the API flows), and a client that allows the password flows
 * (what the front must then run with challenges).
 */
export type CognitoHarness = {
  cognito: CognitoLocal;
  hostedUi: HostedUi;
  userPoolId: string;
  webClientId: string;
  passwordClientId: string;
  /** The web client's redirect URIs: the web console's and a loopback one for `factu login`. */
  callbackUrl: string;
  loopbackPort: number;
  logoutUrl: string;
  createUser(user: {
    email: string;
    tenantId: string;
    role?: string;
    temporaryPassword?: string;
  }): Promise<void>;
  stop(): Promise<void>;
};

export async function startCognitoHarness(): Promise<CognitoHarness> {
  const directory = mkdtempSync(join(tmpdir(), 'factu-cognito-'));
  const cognito = await startCognitoLocal({
    port: await freePort(),
    directory,
    logFile: join(directory, 'cognito.log'),
  });
  const call = <T = Record<string, unknown>>(action: string, body: Record<string, unknown>) =>
    cognitoCall<T>(cognito.url, action, body);
  const { UserPool } = await call<{ UserPool: { Id: string } }>('CreateUserPool', {
    PoolName: 'harness',
    UsernameAttributes: ['email'],
    MfaConfiguration: 'ON',
    Policies: {
      PasswordPolicy: {
        MinimumLength: 12,
        RequireLowercase: true,
        RequireUppercase: true,
        RequireNumbers: true,
        RequireSymbols: true,
        TemporaryPasswordValidityDays: 3,
      },
    },
    Schema: [{ Name: 'tenantId', AttributeDataType: 'String', Mutable: false }],
  });
  const userPoolId = UserPool.Id;
  const loopbackPort = await freePort();
  const callbackUrl = 'http://localhost:5173/auth/callback';
  const logoutUrl = 'http://localhost:5173/';
  const web = await call<{ UserPoolClient: { ClientId: string } }>('CreateUserPoolClient', {
    UserPoolId: userPoolId,
    ClientName: 'web',
    ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
    AllowedOAuthFlows: ['code'],
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthScopes: ['openid', 'email', 'profile'],
    CallbackURLs: [callbackUrl, `http://localhost:${loopbackPort}/callback`],
    LogoutURLs: [logoutUrl],
    SupportedIdentityProviders: ['COGNITO'],
    PreventUserExistenceErrors: 'ENABLED',
    AccessTokenValidity: 60,
    IdTokenValidity: 60,
    TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
  });
  const passwordClient = await call<{ UserPoolClient: { ClientId: string } }>('CreateUserPoolClient', {
    UserPoolId: userPoolId,
    ClientName: 'password-flows',
    ExplicitAuthFlows: [
      'ALLOW_USER_PASSWORD_AUTH',
      'ALLOW_ADMIN_USER_PASSWORD_AUTH',
      'ALLOW_REFRESH_TOKEN_AUTH',
    ],
    PreventUserExistenceErrors: 'ENABLED',
  });
  for (const group of ['ADMIN', 'USER'])
    await call('CreateGroup', { UserPoolId: userPoolId, GroupName: group });
  const hostedUi = await startHostedUi({
    port: 0,
    userPoolId,
    issuer: 'harness-auth',
    directory: cognito.directory,
    signIn: cognito.signIn,
    onError: (error) => console.error('hosted UI', error),
  });

  return {
    cognito,
    hostedUi,
    userPoolId,
    webClientId: web.UserPoolClient.ClientId,
    passwordClientId: passwordClient.UserPoolClient.ClientId,
    callbackUrl,
    loopbackPort,
    logoutUrl,
    async createUser({ email, tenantId, role = 'ADMIN', temporaryPassword }) {
      await call('AdminCreateUser', {
        UserPoolId: userPoolId,
        Username: email,
        MessageAction: 'SUPPRESS',
        ...(temporaryPassword ? { TemporaryPassword: temporaryPassword } : {}),
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'custom:tenantId', Value: tenantId },
        ],
      });
      if (!temporaryPassword) {
        await call('AdminSetUserPassword', {
          UserPoolId: userPoolId,
          Username: email,
          Password: STRONG_PASSWORD,
          Permanent: true,
        });
      }
      await call('AdminAddUserToGroup', { UserPoolId: userPoolId, Username: email, GroupName: role });
    },
    async stop() {
      await hostedUi.stop();
      await cognito.stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
