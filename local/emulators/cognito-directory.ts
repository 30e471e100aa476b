/**
 * Typed access to cognito-local's own user store and token minting, in process. The sign-in flows that
 * cognito-local gets wrong (see cognito-sign-in.ts) run here against the same users, groups, app clients
 * and signing key, so tokens are exactly the ones cognito-local mints and the API authorizer verifies.
 */

export type Attribute = { Name: string; Value?: string };

/** A user as cognito-local stores it (the fields the sign-in flows read or write). */
export type StoredUser = {
  Username: string;
  Password: string;
  Attributes: Attribute[];
  Enabled: boolean;
  UserStatus: string;
  UserCreateDate: Date | string;
  UserLastModifiedDate: Date | string;
  UserMFASettingList?: string[];
  PreferredMfaSetting?: string;
  SoftwareTokenMfaConfiguration?: { Secret: string; Verified: boolean; FriendlyDeviceName?: string };
  RefreshTokens?: string[];
};

/** An app client as cognito-local stores it: the template's properties, as provisioned. */
export type AppClient = {
  ClientId: string;
  ClientName?: string;
  ClientSecret?: string;
  UserPoolId: string;
  ExplicitAuthFlows?: string[];
  AllowedOAuthFlows?: string[];
  AllowedOAuthFlowsUserPoolClient?: boolean;
  AllowedOAuthScopes?: string[];
  CallbackURLs?: string[];
  LogoutURLs?: string[];
  SupportedIdentityProviders?: string[];
  PreventUserExistenceErrors?: string;
  AccessTokenValidity?: number;
  IdTokenValidity?: number;
  RefreshTokenValidity?: number;
  AuthSessionValidity?: number;
  TokenValidityUnits?: { AccessToken?: string; IdToken?: string; RefreshToken?: string };
};

export type PoolOptions = {
  Id: string;
  MfaConfiguration?: 'ON' | 'OFF' | 'OPTIONAL';
  Policies?: {
    PasswordPolicy?: {
      MinimumLength?: number;
      RequireLowercase?: boolean;
      RequireUppercase?: boolean;
      RequireNumbers?: boolean;
      RequireSymbols?: boolean;
      TemporaryPasswordValidityDays?: number;
    };
  };
};

export type MintedTokens = { IdToken: string; AccessToken: string; RefreshToken: string };

/** cognito-local's service objects (CommonJS, untyped), as assembled by startCognitoLocal. */
export type CognitoLocalServices = {
  // biome-ignore lint/suspicious/noExplicitAny: cognito-local's CognitoService (no usable type export)
  cognito: any;
  // biome-ignore lint/suspicious/noExplicitAny: cognito-local's JwtTokenGenerator
  tokenGenerator: any;
  // biome-ignore lint/suspicious/noExplicitAny: pino logger cognito-local's services expect in their context
  logger: any;
};

export class UserDirectory {
  constructor(private readonly services: CognitoLocalServices) {}

  private get ctx() {
    return { logger: this.services.logger };
  }

  async client(clientId: string): Promise<AppClient | undefined> {
    if (!clientId) return undefined;
    return ((await this.services.cognito.getAppClient(this.ctx, clientId)) as AppClient | null) ?? undefined;
  }

  async pool(userPoolId: string): Promise<PoolOptions | undefined> {
    try {
      return (await this.services.cognito.getUserPool(this.ctx, userPoolId)).options as PoolOptions;
    } catch {
      return undefined;
    }
  }

  /** By username, `sub` or e-mail alias, as the pool signs in. */
  async user(userPoolId: string, username: string): Promise<StoredUser | undefined> {
    const pool = await this.services.cognito.getUserPool(this.ctx, userPoolId);
    return ((await pool.getUserByUsername(this.ctx, username)) as StoredUser | null) ?? undefined;
  }

  async saveUser(userPoolId: string, user: StoredUser): Promise<void> {
    const pool = await this.services.cognito.getUserPool(this.ctx, userPoolId);
    await pool.saveUser(this.ctx, { ...user, UserLastModifiedDate: new Date() });
  }

  async userByRefreshToken(userPoolId: string, refreshToken: string): Promise<StoredUser | undefined> {
    const pool = await this.services.cognito.getUserPool(this.ctx, userPoolId);
    return ((await pool.getUserByRefreshToken(this.ctx, refreshToken)) as StoredUser | null) ?? undefined;
  }

  /**
   * ID, access and refresh token for a user signing in to a client, minted by cognito-local (its key, its
   * issuer, the user's groups and custom attributes); the refresh token is remembered for later refreshes.
   */
  async mintTokens(client: AppClient, user: StoredUser, source: string): Promise<MintedTokens> {
    const pool = await this.services.cognito.getUserPool(this.ctx, client.UserPoolId);
    const groups = await pool.listUserGroupMembership(this.ctx, user);
    const tokens = (await this.services.tokenGenerator.generate(
      this.ctx,
      user,
      groups,
      client,
      undefined,
      source,
    )) as MintedTokens;
    if (source !== 'RefreshTokens') await pool.storeRefreshToken(this.ctx, tokens.RefreshToken, user);
    return tokens;
  }
}

export function attributeValue(user: StoredUser, name: string): string | undefined {
  return user.Attributes.find((attribute) => attribute.Name === name)?.Value;
}

const SECONDS = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 } as const;

/** The access token's lifetime in seconds (`expires_in`), from the client's validity and its unit. */
export function accessTokenLifetimeSeconds(client: AppClient): number {
  if (client.AccessTokenValidity === undefined) return 3600;
  const unit = (client.TokenValidityUnits?.AccessToken ?? 'hours') as keyof typeof SECONDS;
  return client.AccessTokenValidity * (SECONDS[unit] ?? 3600);
}
