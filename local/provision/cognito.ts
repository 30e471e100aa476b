import { resourcesOfType } from '../template/assembly.ts';
import type { TemplateResolver } from '../template/intrinsics.ts';
import { arn } from '../template/names.ts';

/** Calls cognito-local's JSON API (the SDK's Cognito client is not a dependency of this project). */
export async function cognitoCall<T = Record<string, unknown>>(
  endpoint: string,
  action: string,
  body: Record<string, unknown>,
): Promise<T> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${action}`,
    },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as T & { __type?: string; message?: string };
  if (!response.ok) {
    const error = new Error(`Cognito ${action}: ${json.__type ?? response.status} ${json.message ?? ''}`);
    error.name = String(json.__type ?? 'CognitoError')
      .split('#')
      .pop()!;
    throw error;
  }
  return json;
}

export type UserPoolInfo = {
  logicalId: string;
  userPoolId: string;
  arn: string;
  /** The hosted-UI domain prefix when the template gives the pool a domain (AWS::Cognito::UserPoolDomain). */
  domain?: string;
  clients: Array<{ logicalId: string; clientId: string; name: string; callbackUrls: string[] }>;
};

/** The pool settings the sign-in flows obey, as the template declares them. */
function poolSettings(properties: Record<string, unknown>) {
  return {
    Policies: properties.Policies,
    MfaConfiguration: properties.MfaConfiguration ?? 'OFF',
    AdminCreateUserConfig: properties.AdminCreateUserConfig,
    AutoVerifiedAttributes: properties.AutoVerifiedAttributes,
  };
}

/** The app client as the template declares it: auth flows, OAuth settings and token validity, nothing added. */
function clientSettings(properties: Record<string, unknown>) {
  return {
    ExplicitAuthFlows: properties.ExplicitAuthFlows,
    AllowedOAuthFlows: properties.AllowedOAuthFlows,
    AllowedOAuthFlowsUserPoolClient: properties.AllowedOAuthFlowsUserPoolClient,
    AllowedOAuthScopes: properties.AllowedOAuthScopes,
    CallbackURLs: properties.CallbackURLs,
    LogoutURLs: properties.LogoutURLs,
    DefaultRedirectURI: properties.DefaultRedirectURI,
    SupportedIdentityProviders: properties.SupportedIdentityProviders,
    PreventUserExistenceErrors: properties.PreventUserExistenceErrors,
    EnableTokenRevocation: properties.EnableTokenRevocation,
    AuthSessionValidity: properties.AuthSessionValidity,
    AccessTokenValidity: properties.AccessTokenValidity,
    IdTokenValidity: properties.IdTokenValidity,
    RefreshTokenValidity: properties.RefreshTokenValidity,
    TokenValidityUnits: properties.TokenValidityUnits,
  };
}

/**
 * Creates (or finds and updates, on restart) the template's user pools, their groups and app clients in
 * cognito-local and registers the real ids with the resolver, so `Ref`s in function environments and
 * authorizers resolve to them. Pools and clients get exactly the template's settings (MFA, password policy,
 * auth flows, OAuth): the Cognito front and the hosted UI enforce them as AWS does.
 */
export async function provisionUserPools(
  resolver: TemplateResolver,
  endpoint: string,
): Promise<UserPoolInfo[]> {
  const pools: UserPoolInfo[] = [];
  const existingPools = (
    await cognitoCall<{ UserPools: Array<{ Id: string; Name: string }> }>(endpoint, 'ListUserPools', {
      MaxResults: 60,
    })
  ).UserPools;
  for (const { stack, logicalId, resource } of resourcesOfType(resolver.stacks, 'AWS::Cognito::UserPool')) {
    const properties = (resolver.resolve(resource.Properties ?? {}, stack) ?? {}) as Record<string, unknown>;
    const name = String(properties.UserPoolName ?? `${stack.stackName}-${logicalId}`);
    let userPoolId = existingPools.find((pool) => pool.Name === name)?.Id;
    if (!userPoolId) {
      const created = await cognitoCall<{ UserPool: { Id: string } }>(endpoint, 'CreateUserPool', {
        PoolName: name,
        Schema: properties.Schema ?? [],
        UsernameAttributes: properties.UsernameAttributes,
        AliasAttributes: properties.AliasAttributes,
        ...poolSettings(properties),
      });
      userPoolId = created.UserPool.Id;
    } else {
      // A restart picks up template changes, as a stack update would.
      await cognitoCall(endpoint, 'UpdateUserPool', { UserPoolId: userPoolId, ...poolSettings(properties) });
    }
    const poolArn = arn.userPool(userPoolId);
    resolver.setPhysical(stack, logicalId, {
      ref: userPoolId,
      attributes: {
        Arn: poolArn,
        UserPoolId: userPoolId,
        ProviderName: `${endpoint.replace(/^https?:\/\//, '')}/${userPoolId}`,
        ProviderURL: `${endpoint}/${userPoolId}`,
      },
    });
    pools.push({ logicalId, userPoolId, arn: poolArn, clients: [] });
  }
  for (const { stack, resource } of resourcesOfType(resolver.stacks, 'AWS::Cognito::UserPoolGroup')) {
    const properties = (resolver.resolve(resource.Properties ?? {}, stack) ?? {}) as Record<string, unknown>;
    // cognito-local's CreateGroup replaces an existing group and drops its members (Cognito refuses with
    // GroupExistsException): on a restart, the groups of the last run must stay as they are.
    const existing = await cognitoCall(endpoint, 'GetGroup', {
      UserPoolId: properties.UserPoolId,
      GroupName: properties.GroupName,
    }).then(
      () => true,
      () => false,
    );
    if (existing) continue;
    try {
      await cognitoCall(endpoint, 'CreateGroup', {
        UserPoolId: properties.UserPoolId,
        GroupName: properties.GroupName,
        Description: properties.Description,
        Precedence: properties.Precedence,
      });
    } catch (error) {
      if ((error as Error).name !== 'GroupExistsException') throw error;
    }
  }
  for (const { stack, logicalId, resource } of resourcesOfType(
    resolver.stacks,
    'AWS::Cognito::UserPoolClient',
  )) {
    const properties = (resolver.resolve(resource.Properties ?? {}, stack) ?? {}) as Record<string, unknown>;
    const userPoolId = String(properties.UserPoolId);
    const name = String(properties.ClientName ?? logicalId);
    const existing = (
      await cognitoCall<{ UserPoolClients: Array<{ ClientId: string; ClientName: string }> }>(
        endpoint,
        'ListUserPoolClients',
        { UserPoolId: userPoolId, MaxResults: 60 },
      )
    ).UserPoolClients.find((client) => client.ClientName === name);
    let clientId = existing?.ClientId;
    if (!clientId) {
      const created = await cognitoCall<{ UserPoolClient: { ClientId: string } }>(
        endpoint,
        'CreateUserPoolClient',
        {
          UserPoolId: userPoolId,
          ClientName: name,
          GenerateSecret: properties.GenerateSecret,
          ...clientSettings(properties),
        },
      );
      clientId = created.UserPoolClient.ClientId;
    } else {
      await cognitoCall(endpoint, 'UpdateUserPoolClient', {
        UserPoolId: userPoolId,
        ClientId: clientId,
        ClientName: name,
        ...clientSettings(properties),
      });
    }
    resolver.setPhysical(stack, logicalId, { ref: clientId, attributes: { ClientId: clientId, Name: name } });
    pools
      .find((pool) => pool.userPoolId === userPoolId)
      ?.clients.push({
        logicalId,
        clientId,
        name,
        callbackUrls: (properties.CallbackURLs as string[] | undefined) ?? [],
      });
  }
  for (const { stack, resource } of resourcesOfType(resolver.stacks, 'AWS::Cognito::UserPoolDomain')) {
    const properties = (resolver.resolve(resource.Properties ?? {}, stack) ?? {}) as Record<string, unknown>;
    const pool = pools.find((candidate) => candidate.userPoolId === properties.UserPoolId);
    if (pool) pool.domain = String(properties.Domain);
  }
  return pools;
}
