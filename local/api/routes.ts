import { resourcesOfType, type StackTemplate } from '../template/assembly.ts';
import type { TemplateResolver } from '../template/intrinsics.ts';
import { functionNameFromArn } from '../template/names.ts';
import { type StageThrottling, stageThrottling } from './throttling.ts';

/** An `AWS::ApiGateway::Authorizer` as the local API runs it. */
export type AuthorizerSpec =
  | {
      type: 'REQUEST' | 'TOKEN';
      /** The authorizer's id (its cache is per authorizer). */
      id: string;
      functionName: string;
      /** Header names of `method.request.header.<name>` identity sources (the cache key). */
      identityHeaders: string[];
      /** `AuthorizerResultTtlInSeconds` (API Gateway's default 300 when absent; 0 = no cache). */
      ttlSeconds: number;
    }
  | { type: 'UNSUPPORTED'; description: string };

export type MethodSpec = {
  httpMethod: string;
  /** Resource path with API Gateway placeholders: `/v1/documents/{id}`, `/{proxy+}`. */
  resourcePath: string;
  resourceId: string;
  authorizationType: string;
  /** For CUSTOM methods: their Lambda authorizer. */
  authorizer?: AuthorizerSpec;
  /** Required headers / query strings, when the method's request validator validates parameters. */
  requiredParameters?: { headers: string[]; querystrings: string[] };
  integration:
    | { type: 'AWS_PROXY'; functionName: string }
    | { type: 'MOCK'; statusCode: number; headers: Record<string, string> }
    | { type: 'UNSUPPORTED'; description: string };
};

export type RestApiSpec = {
  id: string;
  name: string;
  stageName: string;
  binaryMediaTypes: string[];
  methods: MethodSpec[];
  gatewayResponses: Record<
    string,
    { statusCode?: number; headers: Record<string, string>; template?: string }
  >;
  /** The stage's throttling (`MethodSettings`), applied per method. */
  throttling: StageThrottling;
};

/**
 * Rebuilds each REST API's route table from the synthesized resources: `AWS::ApiGateway::Resource` path parts
 * chained through ParentId, `AWS::ApiGateway::Method` on them, the Lambda behind each AWS_PROXY integration.
 */
export function restApiSpecs(resolver: TemplateResolver): RestApiSpec[] {
  const apis: RestApiSpec[] = [];
  for (const { stack, logicalId, resource } of resourcesOfType(resolver.stacks, 'AWS::ApiGateway::RestApi')) {
    const physical = resolver.physical(stack, logicalId);
    const rootId = String(physical.attributes.RootResourceId);
    const paths = resourcePaths(resolver, stack, rootId);
    const methods: MethodSpec[] = [];
    const authorizers = new Map<string, AuthorizerSpec>();
    for (const authorizer of resourcesOfType([stack], 'AWS::ApiGateway::Authorizer')) {
      const properties = authorizer.resource.Properties ?? {};
      if (resolver.resolve(properties.RestApiId, stack) !== physical.ref) continue;
      const id = resolver.physical(stack, authorizer.logicalId).ref;
      authorizers.set(id, authorizerOf(id, resolver.resolve(properties, stack) as Record<string, unknown>));
    }
    const validatesParameters = new Set<string>();
    for (const validator of resourcesOfType([stack], 'AWS::ApiGateway::RequestValidator')) {
      const properties = validator.resource.Properties ?? {};
      if (properties.ValidateRequestParameters === true || properties.ValidateRequestParameters === 'true') {
        validatesParameters.add(resolver.physical(stack, validator.logicalId).ref);
      }
    }
    for (const method of resourcesOfType([stack], 'AWS::ApiGateway::Method')) {
      const properties = (resolver.resolve(method.resource.Properties ?? {}, stack) ?? {}) as Record<
        string,
        unknown
      >;
      if (properties.RestApiId !== physical.ref) continue;
      const resourceId = String(properties.ResourceId);
      const resourcePath = paths.get(resourceId);
      if (resourcePath === undefined) continue;
      methods.push({
        httpMethod: String(properties.HttpMethod).toUpperCase(),
        resourcePath,
        resourceId,
        authorizationType: String(properties.AuthorizationType ?? 'NONE'),
        ...(properties.AuthorizerId !== undefined
          ? {
              authorizer: authorizers.get(String(properties.AuthorizerId)) ?? {
                type: 'UNSUPPORTED',
                description: `authorizer ${String(properties.AuthorizerId)} not in the template`,
              },
            }
          : {}),
        ...(validatesParameters.has(String(properties.RequestValidatorId))
          ? {
              requiredParameters: requiredParameters(properties.RequestParameters as Record<string, unknown>),
            }
          : {}),
        integration: integrationOf(properties.Integration as Record<string, unknown> | undefined),
      });
    }
    const stage = resourcesOfType([stack], 'AWS::ApiGateway::Stage').find(
      (candidate) => resolver.resolve(candidate.resource.Properties?.RestApiId, stack) === physical.ref,
    );
    const gatewayResponses: RestApiSpec['gatewayResponses'] = {};
    for (const response of resourcesOfType([stack], 'AWS::ApiGateway::GatewayResponse')) {
      const properties = (resolver.resolve(response.resource.Properties ?? {}, stack) ?? {}) as Record<
        string,
        unknown
      >;
      if (properties.RestApiId !== physical.ref) continue;
      gatewayResponses[String(properties.ResponseType)] = {
        statusCode: properties.StatusCode ? Number(properties.StatusCode) : undefined,
        headers: staticHeaders(
          properties.ResponseParameters as Record<string, string> | undefined,
          'gatewayresponse',
        ),
        template: (properties.ResponseTemplates as Record<string, string> | undefined)?.['application/json'],
      };
    }
    apis.push({
      id: physical.ref,
      name: String(resolver.resolve(resource.Properties?.Name, stack) ?? logicalId),
      stageName: String(resolver.resolve(stage?.resource.Properties?.StageName, stack) ?? 'prod'),
      binaryMediaTypes:
        (resolver.resolve(resource.Properties?.BinaryMediaTypes ?? [], stack) as string[]) ?? [],
      methods,
      gatewayResponses,
      throttling: stageThrottling(resolver.resolve(stage?.resource.Properties?.MethodSettings, stack)),
    });
  }
  return apis;
}

function resourcePaths(
  resolver: TemplateResolver,
  stack: StackTemplate,
  rootId: string,
): Map<string, string> {
  const parts = new Map<string, { parent: string; part: string }>();
  for (const { logicalId, resource } of resourcesOfType([stack], 'AWS::ApiGateway::Resource')) {
    parts.set(resolver.physical(stack, logicalId).ref, {
      parent: String(resolver.resolve(resource.Properties?.ParentId, stack)),
      part: String(resolver.resolve(resource.Properties?.PathPart, stack)),
    });
  }
  const paths = new Map<string, string>([[rootId, '/']]);
  const pathOf = (id: string, depth = 0): string | undefined => {
    if (paths.has(id)) return paths.get(id);
    const entry = parts.get(id);
    if (!entry || depth > 50) return undefined;
    const parent = pathOf(entry.parent, depth + 1);
    if (parent === undefined) return undefined;
    const path = `${parent === '/' ? '' : parent}/${entry.part}`;
    paths.set(id, path);
    return path;
  };
  for (const id of parts.keys()) pathOf(id);
  return paths;
}

/** `method.request.header.Idempotency-Key: true` → required header (path parameters are always present). */
function requiredParameters(parameters: Record<string, unknown> | undefined): {
  headers: string[];
  querystrings: string[];
} {
  const required = Object.entries(parameters ?? {}).filter(([, value]) => value === true || value === 'true');
  const named = (kind: string) =>
    required.flatMap(([key]) => {
      const match = new RegExp(`^method\\.request\\.${kind}\\.(.+)$`).exec(key);
      return match ? [match[1]!] : [];
    });
  return { headers: named('header'), querystrings: named('querystring') };
}

/** API Gateway's TTL of authorizer results when the template names none. */
const DEFAULT_AUTHORIZER_TTL_SECONDS = 300;

function authorizerOf(id: string, properties: Record<string, unknown>): AuthorizerSpec {
  const type = String(properties.Type ?? '');
  if (type !== 'REQUEST' && type !== 'TOKEN') {
    return { type: 'UNSUPPORTED', description: `${type} authorizer (only Lambda authorizers run locally)` };
  }
  const uri = String(properties.AuthorizerUri ?? '');
  const functionArn = /functions\/(.+)\/invocations/.exec(uri)?.[1];
  if (!functionArn) return { type: 'UNSUPPORTED', description: `authorizer URI ${uri}` };
  const identityHeaders = String(properties.IdentitySource ?? '')
    .split(',')
    .map((source) => /^method\.request\.header\.(.+)$/.exec(source.trim())?.[1])
    .filter((name): name is string => name !== undefined);
  const ttl = properties.AuthorizerResultTtlInSeconds;
  return {
    type,
    id,
    functionName: functionNameFromArn(functionArn),
    identityHeaders,
    ttlSeconds: ttl === undefined ? DEFAULT_AUTHORIZER_TTL_SECONDS : Number(ttl),
  };
}

function integrationOf(integration: Record<string, unknown> | undefined): MethodSpec['integration'] {
  const type = String(integration?.Type ?? 'MOCK');
  if (type === 'AWS_PROXY') {
    // arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function arn>/invocations
    const uri = String(integration?.Uri ?? '');
    const functionArn = /functions\/(.+)\/invocations/.exec(uri)?.[1];
    if (functionArn) return { type: 'AWS_PROXY', functionName: functionNameFromArn(functionArn) };
    return { type: 'UNSUPPORTED', description: `AWS_PROXY integration with URI ${uri}` };
  }
  if (type === 'MOCK') {
    const responses = (integration?.IntegrationResponses as Array<Record<string, unknown>> | undefined) ?? [];
    const first = responses[0] ?? {};
    return {
      type: 'MOCK',
      statusCode: Number(first.StatusCode ?? 200),
      headers: staticHeaders(first.ResponseParameters as Record<string, string> | undefined, 'method'),
    };
  }
  return { type: 'UNSUPPORTED', description: `${type} integration` };
}

/** `method.response.header.X: "'value'"` → `{ X: 'value' }` (only static, quoted values apply locally). */
function staticHeaders(
  parameters: Record<string, string> | undefined,
  prefix: string,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(parameters ?? {})) {
    const name = new RegExp(`^${prefix}\\.response\\.header\\.(.+)$`).exec(key)?.[1];
    const literal = /^'(.*)'$/s.exec(String(value))?.[1];
    if (name && literal !== undefined) headers[name] = literal;
  }
  return headers;
}

export type RouteMatch = { method: MethodSpec; pathParameters: Record<string, string> };

/**
 * Matches a request like API Gateway: literal segments beat `{param}`, which beat `{proxy+}`; `ANY` applies
 * when the exact method is not defined. Returns `undefined` for no resource, `null` for resource without method.
 */
export function matchRoute(
  methods: MethodSpec[],
  httpMethod: string,
  path: string,
): RouteMatch | null | undefined {
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  let best: { score: number[]; path: string; pathParameters: Record<string, string> } | undefined;
  for (const resourcePath of new Set(methods.map((method) => method.resourcePath))) {
    const result = matchPath(resourcePath, segments);
    if (result && (!best || compareScores(result.score, best.score) > 0))
      best = { ...result, path: resourcePath };
  }
  if (!best) return undefined;
  const candidates = methods.filter((method) => method.resourcePath === best.path);
  const method =
    candidates.find((candidate) => candidate.httpMethod === httpMethod) ??
    candidates.find((candidate) => candidate.httpMethod === 'ANY');
  return method ? { method, pathParameters: best.pathParameters } : null;
}

function matchPath(resourcePath: string, segments: string[]) {
  const parts = resourcePath.split('/').filter(Boolean);
  const pathParameters: Record<string, string> = {};
  const score: number[] = [];
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!;
    const greedy = /^\{(.+)\+\}$/.exec(part);
    if (greedy) {
      if (index >= segments.length) return undefined;
      pathParameters[greedy[1]!] = segments.slice(index).join('/');
      score.push(1);
      return { score, pathParameters };
    }
    const segment = segments[index];
    if (segment === undefined) return undefined;
    const parameter = /^\{(.+)\}$/.exec(part);
    if (parameter) {
      pathParameters[parameter[1]!] = segment;
      score.push(2);
    } else if (part === segment) {
      score.push(3);
    } else {
      return undefined;
    }
  }
  return parts.length === segments.length ? { score, pathParameters } : undefined;
}

function compareScores(a: number[], b: number[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
