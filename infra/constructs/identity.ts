import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  type IUserPool,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  StringAttribute,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
  type UserPoolResourceServer,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** Cognito groups = roles (architecture §2). */
export const USER_GROUPS = ['SUPER_ADMIN', 'ADMIN', 'USER', 'OPERATOR'] as const;

/** Identifier of the resource server (scope prefix: `factu/documents.read`). */
export const RESOURCE_SERVER_ID = 'factu';

/** OAuth scopes of the `factu` resource server (machine-to-machine clients). */
export const API_SCOPES = { read: 'documents.read', write: 'documents.write' } as const;

export interface IdentityProps {
  readonly hostedUiDomainPrefix: string;
}

/**
 * User pool with the hosted UI, the role groups, the immutable `custom:tenantId` attribute and a confidential
 * machine-to-machine client (client credentials with the `factu/documents.*` scopes). The people's client is
 * `WebClient` below, created next to the web console whose domain it names.
 *
 * Feature plan Lite: it has everything the product uses (classic hosted UI, TOTP MFA, custom attributes,
 * groups, resource servers and client credentials). Plus is billed per MAU without a free tier and would
 * be here only for threat protection; required TOTP MFA is the second factor instead.
 */
export class Identity extends Construct {
  readonly userPool: UserPool;
  readonly machineClient: UserPoolClient;
  readonly resourceServer: UserPoolResourceServer;
  readonly domain: UserPoolDomain;

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);

    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: {
        tenantId: new StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.LITE,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Threat protection needs the Plus feature plan (billed per MAU, no free tier); every sign-in requires a TOTP second factor instead.',
    });

    for (const group of USER_GROUPS) {
      new CfnUserPoolGroup(this, `Group${group}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: group,
      });
    }

    this.domain = this.userPool.addDomain('HostedUi', {
      cognitoDomain: { domainPrefix: props.hostedUiDomainPrefix },
    });

    const readScope = new ResourceServerScope({
      scopeName: API_SCOPES.read,
      scopeDescription: 'Read documents',
    });
    const writeScope = new ResourceServerScope({
      scopeName: API_SCOPES.write,
      scopeDescription: 'Issue documents',
    });
    this.resourceServer = this.userPool.addResourceServer('Api', {
      identifier: RESOURCE_SERVER_ID,
      userPoolResourceServerName: 'factu-api',
      scopes: [readScope, writeScope],
    });

    this.machineClient = this.userPool.addClient('MachineClient', {
      userPoolClientName: 'machine',
      generateSecret: true,
      // Client credentials only: no user sign-in flow (Cognito's default would enable SRP and custom auth).
      authFlows: { userSrp: false },
      enableTokenRevocation: true,
      accessTokenValidity: Duration.minutes(60),
      oAuth: {
        flows: { clientCredentials: true },
        // Literal scope strings (not tokens) keep the template readable for the local cloud.
        scopes: [
          OAuthScope.custom(`${RESOURCE_SERVER_ID}/${API_SCOPES.read}`),
          OAuthScope.custom(`${RESOURCE_SERVER_ID}/${API_SCOPES.write}`),
        ],
      },
    });
    this.machineClient.node.addDependency(this.resourceServer);
  }
}

export interface WebClientProps {
  readonly userPool: IUserPool;
  /** Where the hosted UI may send a person back with a code: the console's and `factu login`'s loopback. */
  readonly callbackUrls: readonly string[];
  /** Where the hosted UI's `/logout` may send a person. */
  readonly logoutUrls: readonly string[];
}

/**
 * The public app client people sign in with: the web console and `factu login`, through the hosted UI
 * (authorization code + PKCE), nothing else. A client holds no data: replacing it only asks people to sign in
 * again, so it may live in a stateless stack next to the URLs it names.
 */
export class WebClient extends UserPoolClient {
  constructor(scope: Construct, id: string, props: WebClientProps) {
    super(scope, id, {
      userPool: props.userPool,
      userPoolClientName: 'web',
      generateSecret: false,
      // People sign in through the hosted UI only (authorization code + PKCE); of the API flows the client
      // needs refreshing tokens alone. Leaving `authFlows` out would not do: Cognito then enables SRP and
      // custom auth by default.
      authFlows: { userSrp: false },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.minutes(60),
      accessTokenValidity: Duration.minutes(60),
      refreshTokenValidity: Duration.days(30),
      // Cognito's only identity provider here; named because an imported pool lists none to CDK.
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [...props.callbackUrls],
        logoutUrls: [...props.logoutUrls],
      },
    });
  }
}
