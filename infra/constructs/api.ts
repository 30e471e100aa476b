import { Arn, ArnFormat, Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  type CfnMethod,
  EndpointType,
  IdentitySource,
  Integration,
  IntegrationType,
  type IResource,
  JsonSchemaType,
  JsonSchemaVersion,
  LogGroupLogDestination,
  type Method,
  MethodLoggingLevel,
  type Model,
  RequestAuthorizer,
  RequestValidator,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { CfnPermission, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { GatewayErrorCode } from '#shared/http/error-codes';
import { type ApiRoute, isPublic, methodOf, takesBody } from '../routes';
import { ENTRY_METADATA_KEY } from './app-function';

/**
 * API Gateway's own answers (no function runs: authorizer, routing, throttling, payload size, integration
 * timeout or failure), each with a stable `code` in the house error envelope. `DEFAULT_4XX` covers the 4xx
 * types not named here with the type's own name as code; `DEFAULT_5XX` the rest, as `INTERNAL_ERROR` like a
 * function's opaque 500 (a failed Lambda invocation is answered 502 through it).
 */
export const GATEWAY_RESPONSE_CODES: Readonly<Record<string, GatewayErrorCode | undefined>> = {
  UNAUTHORIZED: 'UNAUTHORIZED',
  MISSING_AUTHENTICATION_TOKEN: 'MISSING_TOKEN',
  ACCESS_DENIED: 'ACCESS_DENIED',
  EXPIRED_TOKEN: 'EXPIRED_TOKEN',
  INVALID_SIGNATURE: 'INVALID_SIGNATURE',
  BAD_REQUEST_BODY: 'BAD_REQUEST_BODY',
  BAD_REQUEST_PARAMETERS: 'MISSING_PARAMETERS',
  RESOURCE_NOT_FOUND: 'RESOURCE_NOT_FOUND',
  REQUEST_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  THROTTLED: 'THROTTLED',
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  WAF_FILTERED: 'WAF_FILTERED',
  INTEGRATION_TIMEOUT: 'INTEGRATION_TIMEOUT',
  INTEGRATION_FAILURE: 'INTEGRATION_FAILURE',
  AUTHORIZER_FAILURE: 'AUTHORIZER_FAILURE',
  AUTHORIZER_CONFIGURATION_ERROR: 'AUTHORIZER_CONFIGURATION_ERROR',
  API_CONFIGURATION_ERROR: 'API_CONFIGURATION_ERROR',
  DEFAULT_4XX: undefined,
  DEFAULT_5XX: 'INTERNAL_ERROR',
};

/**
 * The error envelope `{success, error, code, details, requestId, timestamp}` as a gateway response template.
 * Gateway response templates are plain `$context` substitution, not VTL (no `#set`, no `$util`), so the
 * request time cannot be reformatted: `timestamp` is `$context.requestTime`, API Gateway's CLF form
 * (`22/Nov/2026:17:00:00 +0000`), where a function's own errors carry ISO 8601.
 */
export function gatewayResponseTemplate(code: string | undefined): string {
  return [
    '{"success":false',
    '"error":$context.error.messageString',
    `"code":"${code ?? '$context.error.responseType'}"`,
    '"details":[]',
    '"requestId":"$context.requestId"',
    '"timestamp":"$context.requestTime"}',
  ].join(',');
}

const pascalCase = (type: string) =>
  type
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');

/**
 * How long API Gateway reuses an authorizer's answer for the same Authorization header: a revoked API key,
 * a suspended tenant or a removed role takes effect within this time.
 */
export const AUTHORIZER_CACHE_TTL_SECONDS = 60;

export interface ApiProps {
  /** The Lambda REQUEST authorizer (functions/authorizer/authorize-request.ts). */
  readonly authorizerFunction: IFunction;
  readonly stageName: string;
  readonly throttlingRateLimit: number;
  readonly throttlingBurstLimit: number;
  readonly logRetention: RetentionDays;
  readonly logsKey?: IKey;
}

/**
 * The REST API: a Lambda REQUEST authorizer (API keys and Cognito ID tokens), JSON access logs, execution logs, X-Ray,
 * stage-wide throttling and a request validator on every method. Routes are added from the registry.
 */
export class Api extends Construct {
  readonly restApi: RestApi;
  readonly authorizer: RequestAuthorizer;
  readonly validator: RequestValidator;
  readonly accessLogs: LogGroup;
  readonly methods: Method[] = [];
  private readonly jsonObjectModel: Model;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      encryptionKey: props.logsKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.restApi = new RestApi(this, 'RestApi', {
      restApiName: 'factu-api',
      description: 'factu — electronic invoicing API',
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.DESTROY,
      deployOptions: {
        stageName: props.stageName,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: MethodLoggingLevel.INFO,
        dataTraceEnabled: false,
        throttlingRateLimit: props.throttlingRateLimit,
        throttlingBurstLimit: props.throttlingBurstLimit,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields({
          caller: false,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: true,
        }),
      },
    });
    Validations.of(this.restApi).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'The account-level API Gateway logging role needs exactly this AWS managed policy; it is not used by any function.',
    });
    Validations.of(this.restApi).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'WAF is planned for production (cost); every data route goes through the Lambda authorizer (API keys, Cognito ID tokens) and the stage is throttled.',
    });

    this.authorizer = new RequestAuthorizer(this, 'Authorizer', {
      handler: props.authorizerFunction,
      authorizerName: 'api-key-or-id-token',
      identitySources: [IdentitySource.header('Authorization')],
      resultsCacheTtl: Duration.seconds(AUTHORIZER_CACHE_TTL_SECONDS),
    });
    for (const [type, code] of Object.entries(GATEWAY_RESPONSE_CODES)) {
      this.restApi.addGatewayResponse(`GatewayResponse${pascalCase(type)}`, {
        type: ResponseType.of(type),
        templates: { 'application/json': gatewayResponseTemplate(code) },
      });
    }

    this.jsonObjectModel = this.restApi.addModel('JsonObject', {
      modelName: 'JsonObject',
      contentType: 'application/json',
      schema: { schema: JsonSchemaVersion.DRAFT4, title: 'JsonObject', type: JsonSchemaType.OBJECT },
    });

    this.validator = new RequestValidator(this, 'Validator', {
      restApi: this.restApi,
      requestValidatorName: 'body-and-parameters',
      validateRequestBody: true,
      validateRequestParameters: true,
    });
  }

  /**
   * Adds one route → one function, reached by its name: the function lives in another stack, and neither
   * the integration URI nor the invoke permission imports its ARN, so removing a route never meets an
   * export still in use.
   */
  addRoute(route: ApiRoute, functionName: string): Method {
    const { path } = route.operation;
    const publicRoute = isPublic(route);
    const resource = this.resourceFor(path);
    const pathParameters = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    const requestParameters = Object.fromEntries(
      pathParameters.map((name) => [`method.request.path.${name}`, true]),
    );
    const functionArn = Arn.format(
      {
        service: 'lambda',
        resource: 'function',
        resourceName: functionName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      },
      Stack.of(this),
    );
    const integration = new Integration({
      type: IntegrationType.AWS_PROXY,
      integrationHttpMethod: 'POST',
      uri: `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}:lambda:path/2015-03-31/functions/${functionArn}/invocations`,
    });
    const method = resource.addMethod(methodOf(route), integration, {
      authorizationType: publicRoute ? AuthorizationType.NONE : AuthorizationType.CUSTOM,
      authorizer: publicRoute ? undefined : this.authorizer,
      requestValidator: this.validator,
      requestParameters,
      // Bodies must at least be a JSON object; the handler validates the rest (zod, all violations at once).
      requestModels: takesBody(route) ? { 'application/json': this.jsonObjectModel } : undefined,
    });
    // What LambdaIntegration grants: this method on the deployed stage (not the console's test invoke).
    new CfnPermission(method, 'InvokePermission', {
      action: 'lambda:InvokeFunction',
      functionName,
      principal: 'apigateway.amazonaws.com',
      sourceArn: method.methodArn,
    });
    (method.node.defaultChild as CfnMethod).addMetadata(ENTRY_METADATA_KEY, route.entry);
    if (!publicRoute) {
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-COG4',
        reason:
          'Authorized by the Lambda REQUEST authorizer, which verifies Cognito ID tokens of the pool (aws-jwt-verify: signature, issuer, audience, token use, expiry) and the tenants’ API keys; a Cognito authorizer cannot accept API keys.',
      });
    }
    if (publicRoute) {
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: 'Public API documentation (HTML and OpenAPI document); no tenant data.',
      });
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-COG4',
        reason: 'Public API documentation (HTML and OpenAPI document); no tenant data.',
      });
    }
    this.methods.push(method);
    return method;
  }

  private resourceFor(path: string): IResource {
    let resource: IResource = this.restApi.root;
    for (const part of path.split('/').filter(Boolean)) {
      resource = resource.getResource(part) ?? resource.addResource(part);
    }
    return resource;
  }
}
