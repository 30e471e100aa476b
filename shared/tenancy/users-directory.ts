import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { config } from '#shared/config/config';
import { tracer } from '#shared/observability/tracer';

/**
 * The user pool, as the user routes use it (Cognito admin API, signed by the function's own role: the pool
 * is not tenant data IAM can partition; the routes confine themselves to users whose `USER#<sub>` item is
 * in the caller's tenant). People are created with Cognito's own invitation: Cognito generates the
 * temporary password and e-mails it, so it never passes through this code, its logs or the table.
 */

export const TENANT_ROLES = ['ADMIN', 'USER', 'OPERATOR'] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];

let client: CognitoIdentityProviderClient | undefined;

function cognito(): CognitoIdentityProviderClient {
  client ??= tracer.captureAWSv3Client(new CognitoIdentityProviderClient({}));
  return client;
}

const pool = () => config().userPoolId;

const attributeOf = (attributes: Array<{ Name?: string; Value?: string }> | undefined, name: string) =>
  attributes?.find((attribute) => attribute.Name === name)?.Value;

export type DirectoryUser = { sub: string; tenantId: string | undefined };

const isNamed = (error: unknown, name: string) => (error as { name?: string })?.name === name;

export const usersDirectory = {
  /**
   * Creates the user with Cognito's invitation e-mail (temporary password generated and sent by Cognito).
   * An existing user with that e-mail is returned as `existing` (with the tenant it belongs to), untouched.
   */
  async invite(input: {
    email: string;
    tenantId: string;
  }): Promise<{ user: DirectoryUser; existing: boolean }> {
    try {
      const out = await cognito().send(
        new AdminCreateUserCommand({
          UserPoolId: pool(),
          Username: input.email,
          DesiredDeliveryMediums: ['EMAIL'],
          UserAttributes: [
            { Name: 'email', Value: input.email },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'custom:tenantId', Value: input.tenantId },
          ],
        }),
      );
      const sub = attributeOf(out.User?.Attributes, 'sub') ?? out.User?.Username;
      if (!sub) throw new Error('AdminCreateUser answered without the user');
      return { user: { sub, tenantId: input.tenantId }, existing: false };
    } catch (error) {
      if (!isNamed(error, 'UsernameExistsException')) throw error;
      const found = await this.find(input.email);
      if (!found) throw error;
      return { user: found, existing: true };
    }
  },

  /** By e-mail or sub; undefined when the pool has no such user. */
  async find(username: string): Promise<DirectoryUser | undefined> {
    try {
      const out = await cognito().send(new AdminGetUserCommand({ UserPoolId: pool(), Username: username }));
      const sub = attributeOf(out.UserAttributes, 'sub') ?? out.Username;
      return sub ? { sub, tenantId: attributeOf(out.UserAttributes, 'custom:tenantId') } : undefined;
    } catch (error) {
      if (isNamed(error, 'UserNotFoundException')) return undefined;
      throw error;
    }
  },

  /** Puts the user in the group of `role` and out of the other tenant roles' groups. */
  async setRole(sub: string, role: TenantRole): Promise<void> {
    await cognito().send(
      new AdminAddUserToGroupCommand({ UserPoolId: pool(), Username: sub, GroupName: role }),
    );
    for (const other of TENANT_ROLES) {
      if (other === role) continue;
      await cognito().send(
        new AdminRemoveUserFromGroupCommand({ UserPoolId: pool(), Username: sub, GroupName: other }),
      );
    }
  },

  async setEnabled(sub: string, enabled: boolean): Promise<void> {
    await cognito().send(
      enabled
        ? new AdminEnableUserCommand({ UserPoolId: pool(), Username: sub })
        : new AdminDisableUserCommand({ UserPoolId: pool(), Username: sub }),
    );
  },

  /** Revokes the user's refresh tokens: no new ID token after a role change, disabling or deletion. */
  async signOutEverywhere(sub: string): Promise<void> {
    await cognito().send(new AdminUserGlobalSignOutCommand({ UserPoolId: pool(), Username: sub }));
  },

  /** Deletes the user; one already gone is fine (a retry after a partial deletion). */
  async remove(sub: string): Promise<void> {
    try {
      await cognito().send(new AdminDeleteUserCommand({ UserPoolId: pool(), Username: sub }));
    } catch (error) {
      if (!isNamed(error, 'UserNotFoundException')) throw error;
    }
  },
};
