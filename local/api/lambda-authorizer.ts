import type { IncomingHttpHeaders } from 'node:http';
import { FunctionError } from '../lambda/errors.ts';
import type { GatewayResponseType } from './gateway-responses.ts';
import type { AuthorizerSpec } from './routes.ts';

/** An authorizer's answer as API Gateway keeps it (per identity-source value, for the TTL). */
type AuthorizerAnswer = {
  principalId: string;
  statements: PolicyStatement[];
  context: Record<string, string | number | boolean>;
};

type PolicyStatement = { effect: 'Allow' | 'Deny'; actions: string[]; resources: string[] };

export type AuthorizerVerdict =
  | { kind: 'allowed'; principalId: string; context: Record<string, string | number | boolean> }
  | { kind: 'refused'; type: GatewayResponseType; message?: string };

/** Invokes a function by name (the local Lambda pool). */
export type Invoke = (functionName: string, event: unknown, requestId: string) => Promise<unknown>;

/**
 * Lambda authorizers run as API Gateway runs them: a missing identity source → 401 without invoking; the
 * function's answer cached per identity-source value for the authorizer's TTL and its policy evaluated
 * against each request's method ARN (a policy naming one method answers 403 on the next route); `principalId`
 * required and context values only strings, numbers or booleans (else 500 AUTHORIZER_CONFIGURATION_ERROR);
 * a thrown `Unauthorized` → 401; any other failure → 500 AUTHORIZER_FAILURE.
 */
export class LambdaAuthorizers {
  private readonly cache = new Map<string, { until: number; answer: AuthorizerAnswer }>();

  constructor(
    private readonly invoke: Invoke,
    private readonly now: () => number = Date.now,
  ) {}

  /** What `FlushStageAuthorizersCache` does: every cached answer of the stage forgotten. */
  flush(): void {
    this.cache.clear();
  }

  async authorize(
    spec: AuthorizerSpec,
    request: {
      headers: IncomingHttpHeaders;
      methodArn: string;
      requestId: string;
      event: Record<string, unknown>;
    },
  ): Promise<AuthorizerVerdict> {
    if (spec.type === 'UNSUPPORTED') return { kind: 'refused', type: 'AUTHORIZER_CONFIGURATION_ERROR' };
    const identity = spec.identityHeaders.map((name) => headerValue(request.headers, name));
    if (identity.some((value) => value === undefined || value === '')) {
      return { kind: 'refused', type: 'UNAUTHORIZED' };
    }
    const cacheKey = `${spec.id}\u0000${identity.join('\u0000')}`;
    const cached = this.cache.get(cacheKey);
    let answer: AuthorizerAnswer;
    if (cached && cached.until > this.now()) {
      answer = cached.answer;
    } else {
      this.cache.delete(cacheKey);
      let result: unknown;
      try {
        // A TOKEN authorizer gets only the token; a REQUEST one the request (headers, path, query, context).
        const event =
          spec.type === 'TOKEN'
            ? { type: 'TOKEN', authorizationToken: identity[0], methodArn: request.methodArn }
            : { type: 'REQUEST', methodArn: request.methodArn, ...request.event };
        result = await this.invoke(spec.functionName, event, request.requestId);
      } catch (error) {
        if (error instanceof FunctionError && error.message === 'Unauthorized') {
          return { kind: 'refused', type: 'UNAUTHORIZED' };
        }
        return { kind: 'refused', type: 'AUTHORIZER_FAILURE' };
      }
      const parsed = parseAnswer(result);
      if (!parsed) return { kind: 'refused', type: 'AUTHORIZER_CONFIGURATION_ERROR' };
      answer = parsed;
      if (spec.ttlSeconds > 0)
        this.cache.set(cacheKey, { until: this.now() + spec.ttlSeconds * 1000, answer });
    }
    const decision = evaluate(answer.statements, request.methodArn);
    if (decision === 'Deny') {
      return {
        kind: 'refused',
        type: 'ACCESS_DENIED',
        message: 'User is not authorized to access this resource with an explicit deny',
      };
    }
    if (decision === 'None') return { kind: 'refused', type: 'ACCESS_DENIED' };
    return { kind: 'allowed', principalId: answer.principalId, context: answer.context };
  }
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : value;
}

/** The answer's shape as API Gateway insists on it; undefined = AuthorizerConfigurationException. */
function parseAnswer(result: unknown): AuthorizerAnswer | undefined {
  if (!result || typeof result !== 'object') return undefined;
  const { principalId, policyDocument, context } = result as Record<string, unknown>;
  if (typeof principalId !== 'string' || principalId === '') return undefined;
  if (!policyDocument || typeof policyDocument !== 'object') return undefined;
  const raw = (policyDocument as { Statement?: unknown }).Statement;
  const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? [raw] : undefined;
  if (!list) return undefined;
  const statements: PolicyStatement[] = [];
  for (const statement of list as Array<Record<string, unknown>>) {
    const effect = statement?.Effect;
    if (effect !== 'Allow' && effect !== 'Deny') return undefined;
    const actions = [statement.Action].flat().map(String);
    const resources = [statement.Resource].flat().map(String);
    statements.push({ effect, actions, resources });
  }
  const values: Record<string, string | number | boolean> = {};
  if (context !== undefined && context !== null) {
    if (typeof context !== 'object' || Array.isArray(context)) return undefined;
    for (const [key, value] of Object.entries(context)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
        return undefined;
      values[key] = value;
    }
  }
  return { principalId, statements, context: values };
}

/** An explicit Deny wins; else an Allow that covers the ARN; else nothing allows it. */
function evaluate(statements: PolicyStatement[], methodArn: string): 'Allow' | 'Deny' | 'None' {
  const applies = (statement: PolicyStatement) =>
    // Action names are case-insensitive in IAM; resource ARNs are not.
    statement.actions.some((action) => wildcard(action.toLowerCase(), 'execute-api:invoke')) &&
    statement.resources.some((resource) => wildcard(resource, methodArn));
  if (statements.some((statement) => statement.effect === 'Deny' && applies(statement))) return 'Deny';
  return statements.some((statement) => statement.effect === 'Allow' && applies(statement))
    ? 'Allow'
    : 'None';
}

/** IAM's `*` and `?` wildcards, case-sensitive as in resource ARNs. */
function wildcard(pattern: string, value: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 's').test(value);
}
