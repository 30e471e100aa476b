import type { AuthorizerContext } from '#shared/tenancy/context';

/** What a REQUEST authorizer returns to API Gateway. */
export type AuthorizerResult = {
  principalId: string;
  policyDocument: {
    Version: '2012-10-17';
    Statement: Array<{ Action: string; Effect: 'Allow' | 'Deny'; Resource: string }>;
  };
  context: AuthorizerContext;
};

/**
 * `arn:aws:execute-api:<region>:<account>:<api>/<stage>/<METHOD>/<path>` → `…:<api>/<stage>/*`. API Gateway
 * caches the policy per token and reuses it for every route that token calls within the TTL, so a policy for
 * the one method that asked first would refuse (403) the caller's next route.
 */
export function wholeApiResource(methodArn: string): string {
  const [arnAndApi, stage] = methodArn.split('/');
  if (!arnAndApi?.startsWith('arn:') || !stage) throw new Error('unexpected methodArn');
  return `${arnAndApi}/${stage}/*`;
}

export function allowWholeApi(methodArn: string, context: AuthorizerContext): AuthorizerResult {
  return {
    principalId: `${context.actorType}:${context.actorId}`,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: wholeApiResource(methodArn) }],
    },
    context,
  };
}
