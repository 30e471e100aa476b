import { cognitoCall } from '../provision/cognito.ts';
import { ROLES_ALL } from './roles.ts';

/**
 * Demo users in cognito-local the way an administrator creates them: AdminCreateUser (no invitation mail),
 * AdminSetUserPassword (permanent, so no NEW_PASSWORD_REQUIRED challenge), AdminAddUserToGroup. Existing users
 * (a restart) are left as they are.
 */
export async function ensureDemoUsers(
  endpoint: string,
  userPoolId: string,
  users: Array<{ email: string; password: string; role: string; tenantId?: string }>,
): Promise<void> {
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
  }
}
