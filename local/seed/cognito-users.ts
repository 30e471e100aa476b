import { signInWithHostedUi } from '../hosted-ui/browser.ts';
import { cognitoCall } from '../provision/cognito.ts';
import { ROLES_ALL } from './roles.ts';

/** The web client and where its hosted UI is: what a first sign-in goes through. */
export type HostedUiClient = { hostedUiUrl: string; clientId: string; redirectUri: string };

/**
 * Demo users in cognito-local the way an administrator creates them: AdminCreateUser (no invitation mail),
 * AdminSetUserPassword (permanent, so no new-password step), AdminAddUserToGroup; then each signs in once
 * through the hosted UI, which (the pool requires MFA) sets up their authenticator: the TOTP secret it showed
 * is returned per e-mail, so people can add it to an app and tests can compute codes. Existing users (a
 * restart) are left as they are and have no entry.
 */
export async function ensureDemoUsers(
  endpoint: string,
  userPoolId: string,
  users: Array<{ email: string; password: string; role: string; tenantId?: string }>,
  hostedUi: HostedUiClient,
): Promise<Record<string, string>> {
  // The template should declare the custom attribute and the groups; add them if it does not, so seeding works.
  await cognitoCall(endpoint, 'AddCustomAttributes', {
    UserPoolId: userPoolId,
    CustomAttributes: [{ Name: 'tenantId', AttributeDataType: 'String', Mutable: false }],
  }).catch(() => undefined);
  for (const group of ROLES_ALL) {
    // cognito-local's CreateGroup replaces an existing group, and with it the group's members, where Cognito
    // answers GroupExistsException: create only the missing groups, so calling this again (more users) keeps
    // every existing user in their groups.
    const exists = await cognitoCall(endpoint, 'GetGroup', { UserPoolId: userPoolId, GroupName: group }).then(
      () => true,
      () => false,
    );
    if (exists) continue;
    await cognitoCall(endpoint, 'CreateGroup', { UserPoolId: userPoolId, GroupName: group }).catch(
      (error: Error) => {
        if (error.name !== 'GroupExistsException') throw error;
      },
    );
  }
  const totpSecrets: Record<string, string> = {};
  for (const user of users) {
    try {
      await cognitoCall(endpoint, 'AdminCreateUser', {
        UserPoolId: userPoolId,
        Username: user.email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: user.email },
          { Name: 'email_verified', Value: 'true' },
          ...(user.tenantId ? [{ Name: 'custom:tenantId', Value: user.tenantId }] : []),
        ],
      });
    } catch (error) {
      if ((error as Error).name === 'UsernameExistsException') continue;
      throw error;
    }
    await cognitoCall(endpoint, 'AdminSetUserPassword', {
      UserPoolId: userPoolId,
      Username: user.email,
      Password: user.password,
      Permanent: true,
    });
    await cognitoCall(endpoint, 'AdminAddUserToGroup', {
      UserPoolId: userPoolId,
      Username: user.email,
      GroupName: user.role,
    });
    const { enrolledTotpSecret } = await signInWithHostedUi(hostedUi, {
      username: user.email,
      password: user.password,
    });
    if (enrolledTotpSecret) totpSecrets[user.email] = enrolledTotpSecret;
  }
  return totpSecrets;
}
