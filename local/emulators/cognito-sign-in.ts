import { randomBytes } from 'node:crypto';
import type { AppClient, PoolOptions, StoredUser, UserDirectory } from './cognito-directory.ts';
import { newTotpSecret, verifyTotpCode } from './cognito-totp.ts';

/** An error as the Cognito API answers it: `__type` and `message`, HTTP 400. */
export class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

export type ChallengeName = 'NEW_PASSWORD_REQUIRED' | 'MFA_SETUP' | 'SOFTWARE_TOKEN_MFA';

export type SignInStep =
  | { kind: 'signed-in'; user: StoredUser }
  | {
      kind: 'challenge';
      challenge: ChallengeName;
      session: string;
      parameters: Record<string, string>;
      user: StoredUser;
    };

type PendingSession = {
  clientId: string;
  userPoolId: string;
  username: string;
  challenge: ChallengeName;
  expiresAt: number;
  /** MFA_SETUP: the secret AssociateSoftwareToken handed out, and whether VerifySoftwareToken accepted it. */
  setupSecret?: string;
  setupVerified?: boolean;
};

const INCORRECT = 'Incorrect username or password.';
const EXPIRED_SESSION = 'Invalid session for the user, session is expired.';

/**
 * Cognito's user sign-in as a state machine, over cognito-local's users: password, then the challenges the
 * pool's settings demand, each answered with the `Session` of the step before. cognito-local alone hands out
 * NEW_PASSWORD_REQUIRED without checking the temporary password, accepts any `Session`, skips MFA after a new
 * password and has no MFA_SETUP; here all of that behaves as Cognito does:
 *
 * - the (temporary) password is checked first, and a temporary one expires after the pool's validity days;
 * - a new password must meet the pool's password policy;
 * - with MFA ON, a user without a verified software token must set one up (MFA_SETUP →
 *   AssociateSoftwareToken → VerifySoftwareToken → MFA_SETUP response), a user with one answers
 *   SOFTWARE_TOKEN_MFA; with MFA OPTIONAL only enrolled users are asked;
 * - sessions are single-use, bound to the user and the app client, and expire after the client's
 *   AuthSessionValidity (3 minutes by default).
 *
 * The TOTP secret lives in cognito-local's user record (SoftwareTokenMfaConfiguration, UserMFASettingList),
 * where its own AccessToken-based AssociateSoftwareToken/VerifySoftwareToken keep it too.
 */
export class SignIn {
  private readonly sessions = new Map<string, PendingSession>();

  constructor(
    private readonly directory: UserDirectory,
    private readonly now: () => number = Date.now,
  ) {}

  async withPassword(client: AppClient, username: string, password: string): Promise<SignInStep> {
    const pool = await this.poolOf(client);
    const user = username ? await this.directory.user(client.UserPoolId, username) : undefined;
    if (!user) {
      // Without PreventUserExistenceErrors, Cognito tells an unknown user from a wrong password.
      if (client.PreventUserExistenceErrors === 'ENABLED')
        throw new CognitoError('NotAuthorizedException', INCORRECT);
      throw new CognitoError('UserNotFoundException', 'User does not exist.');
    }
    if (user.Password !== password) throw new CognitoError('NotAuthorizedException', INCORRECT);
    if (!user.Enabled) throw new CognitoError('NotAuthorizedException', 'User is disabled.');
    switch (user.UserStatus) {
      case 'RESET_REQUIRED':
        throw new CognitoError('PasswordResetRequiredException', 'Password reset required for the user');
      case 'UNCONFIRMED':
        throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
      case 'FORCE_CHANGE_PASSWORD': {
        if (this.temporaryPasswordExpired(pool, user)) {
          throw new CognitoError(
            'NotAuthorizedException',
            'Temporary password has expired and must be reset by an administrator.',
          );
        }
        const { sub: _sub, ...attributes } = Object.fromEntries(
          user.Attributes.map((attribute) => [attribute.Name, attribute.Value ?? '']),
        );
        return this.challenge(client, user, 'NEW_PASSWORD_REQUIRED', {
          requiredAttributes: '[]',
          userAttributes: JSON.stringify(attributes),
        });
      }
      default:
        return this.afterPassword(client, pool, user);
    }
  }

  /** RespondToAuthChallenge: the answer to the challenge the session was issued for. */
  async respond(
    client: AppClient,
    challenge: string,
    session: string,
    responses: Record<string, string | undefined>,
  ): Promise<SignInStep> {
    const pending = this.pending(session, client);
    if (pending.challenge !== challenge) {
      throw new CognitoError('InvalidParameterException', `Invalid challenge ${challenge} for this session`);
    }
    if (responses.USERNAME !== undefined) {
      const named = await this.directory.user(pending.userPoolId, responses.USERNAME);
      if (named?.Username !== pending.username)
        throw new CognitoError('NotAuthorizedException', EXPIRED_SESSION);
    }
    const user = await this.directory.user(pending.userPoolId, pending.username);
    if (!user?.Enabled) throw new CognitoError('NotAuthorizedException', 'User is disabled.');
    const pool = await this.poolOf(client);

    if (pending.challenge === 'NEW_PASSWORD_REQUIRED') {
      const newPassword = responses.NEW_PASSWORD;
      if (!newPassword)
        throw new CognitoError('InvalidParameterException', 'Missing required parameter NEW_PASSWORD');
      assertPasswordPolicy(pool, newPassword);
      this.sessions.delete(session);
      const confirmed: StoredUser = { ...user, Password: newPassword, UserStatus: 'CONFIRMED' };
      await this.directory.saveUser(pending.userPoolId, confirmed);
      return this.afterPassword(client, pool, confirmed);
    }
    if (pending.challenge === 'SOFTWARE_TOKEN_MFA') {
      const secret = user.SoftwareTokenMfaConfiguration?.Secret;
      if (!secret || !verifyTotpCode(secret, responses.SOFTWARE_TOKEN_MFA_CODE ?? '', this.now())) {
        throw new CognitoError('CodeMismatchException', 'Invalid code received for user');
      }
      this.sessions.delete(session);
      return { kind: 'signed-in', user };
    }
    // MFA_SETUP: answered once VerifySoftwareToken accepted a code of the new secret.
    if (!pending.setupVerified) {
      throw new CognitoError(
        'InvalidParameterException',
        'Software token MFA has not been set up for this session',
      );
    }
    this.sessions.delete(session);
    return { kind: 'signed-in', user };
  }

  /** AssociateSoftwareToken with the MFA_SETUP session: a new secret, and the session to verify it with. */
  associateSoftwareToken(session: string): { secretCode: string; session: string } {
    const pending = this.pending(session);
    if (pending.challenge !== 'MFA_SETUP') throw new CognitoError('NotAuthorizedException', EXPIRED_SESSION);
    this.sessions.delete(session);
    const secretCode = newTotpSecret();
    return { secretCode, session: this.store({ ...pending, setupSecret: secretCode, setupVerified: false }) };
  }

  /** The secret AssociateSoftwareToken gave this session, while it is not verified (to show it again). */
  pendingSetupSecret(session: string): string | undefined {
    const pending = this.sessions.get(session);
    return pending && pending.expiresAt > this.now() && !pending.setupVerified
      ? pending.setupSecret
      : undefined;
  }

  /** The user a live session signs in. */
  async userOf(session: string): Promise<StoredUser | undefined> {
    const pending = this.sessions.get(session);
    if (!pending || pending.expiresAt <= this.now()) return undefined;
    return this.directory.user(pending.userPoolId, pending.username);
  }

  /** VerifySoftwareToken with the session of AssociateSoftwareToken: enrols the token on the user. */
  async verifySoftwareToken(
    session: string,
    code: string,
    friendlyDeviceName?: string,
  ): Promise<{ session: string }> {
    const pending = this.pending(session);
    if (!pending.setupSecret) throw new CognitoError('NotAuthorizedException', EXPIRED_SESSION);
    if (!verifyTotpCode(pending.setupSecret, code, this.now())) {
      throw new CognitoError(
        'EnableSoftwareTokenMFAException',
        'Code mismatch and fail enable Software Token MFA',
      );
    }
    const user = await this.directory.user(pending.userPoolId, pending.username);
    if (!user) throw new CognitoError('NotAuthorizedException', EXPIRED_SESSION);
    await this.directory.saveUser(pending.userPoolId, {
      ...user,
      SoftwareTokenMfaConfiguration: {
        Secret: pending.setupSecret,
        Verified: true,
        ...(friendlyDeviceName ? { FriendlyDeviceName: friendlyDeviceName } : {}),
      },
      UserMFASettingList: [...new Set([...(user.UserMFASettingList ?? []), 'SOFTWARE_TOKEN_MFA'])],
      PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA',
    });
    this.sessions.delete(session);
    return { session: this.store({ ...pending, setupVerified: true }) };
  }

  /** REFRESH_TOKEN_AUTH: the user a refresh token was issued to (no MFA, as in Cognito). */
  async refresh(client: AppClient, refreshToken: string): Promise<StoredUser> {
    const user = refreshToken
      ? await this.directory.userByRefreshToken(client.UserPoolId, refreshToken)
      : undefined;
    if (!user) throw new CognitoError('NotAuthorizedException', 'Invalid Refresh Token');
    if (!user.Enabled) throw new CognitoError('NotAuthorizedException', 'User is disabled.');
    return user;
  }

  private async afterPassword(client: AppClient, pool: PoolOptions, user: StoredUser): Promise<SignInStep> {
    const mfa = pool.MfaConfiguration ?? 'OFF';
    const enrolled =
      user.SoftwareTokenMfaConfiguration?.Verified === true &&
      (user.UserMFASettingList ?? []).includes('SOFTWARE_TOKEN_MFA');
    if (mfa !== 'OFF' && enrolled) {
      const device = user.SoftwareTokenMfaConfiguration?.FriendlyDeviceName;
      return this.challenge(
        client,
        user,
        'SOFTWARE_TOKEN_MFA',
        device ? { FRIENDLY_DEVICE_NAME: device } : {},
      );
    }
    if (mfa === 'ON') {
      return this.challenge(client, user, 'MFA_SETUP', { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' });
    }
    return { kind: 'signed-in', user };
  }

  private challenge(
    client: AppClient,
    user: StoredUser,
    challenge: ChallengeName,
    parameters: Record<string, string>,
  ): SignInStep {
    const session = this.store({
      clientId: client.ClientId,
      userPoolId: client.UserPoolId,
      username: user.Username,
      challenge,
      expiresAt: this.now() + (client.AuthSessionValidity ?? 3) * 60_000,
    });
    return {
      kind: 'challenge',
      challenge,
      session,
      parameters: { USER_ID_FOR_SRP: user.Username, ...parameters },
      user,
    };
  }

  private store(pending: PendingSession): string {
    for (const [id, candidate] of this.sessions)
      if (candidate.expiresAt <= this.now()) this.sessions.delete(id);
    const id = randomBytes(48).toString('base64url');
    this.sessions.set(id, pending);
    return id;
  }

  private pending(session: string, client?: AppClient): PendingSession {
    const pending = this.sessions.get(session);
    if (!pending || pending.expiresAt <= this.now() || (client && pending.clientId !== client.ClientId)) {
      throw new CognitoError('NotAuthorizedException', EXPIRED_SESSION);
    }
    return pending;
  }

  private async poolOf(client: AppClient): Promise<PoolOptions> {
    const pool = await this.directory.pool(client.UserPoolId);
    if (!pool)
      throw new CognitoError('ResourceNotFoundException', `User pool ${client.UserPoolId} does not exist.`);
    return pool;
  }

  private temporaryPasswordExpired(pool: PoolOptions, user: StoredUser): boolean {
    const days = pool.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays ?? 7;
    return this.now() - new Date(user.UserLastModifiedDate).getTime() > days * 86_400_000;
  }
}

/** The pool's password policy, with Cognito's messages (InvalidPasswordException). */
export function assertPasswordPolicy(pool: PoolOptions, password: string): void {
  const policy = pool.Policies?.PasswordPolicy ?? {};
  const rules: Array<[boolean | undefined, RegExp | number, string]> = [
    [true, policy.MinimumLength ?? 8, 'Password not long enough'],
    [policy.RequireUppercase, /[A-Z]/, 'Password must have uppercase characters'],
    [policy.RequireLowercase, /[a-z]/, 'Password must have lowercase characters'],
    [policy.RequireNumbers, /[0-9]/, 'Password must have numeric characters'],
    [
      policy.RequireSymbols,
      /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/,
      'Password must have symbol characters',
    ],
  ];
  for (const [applies, test, message] of rules) {
    if (!applies) continue;
    const met = typeof test === 'number' ? password.length >= test : test.test(password);
    if (!met)
      throw new CognitoError('InvalidPasswordException', `Password does not conform to policy: ${message}`);
  }
}
