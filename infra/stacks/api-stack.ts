import { CfnOutput, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { FactuConfig } from '../config';
import { REPO_ROOT } from '../config';
import { Api } from '../constructs/api';
import type { AppFunction } from '../constructs/app-function';
import { Monitoring } from '../constructs/monitoring';
import { WebConsole } from '../constructs/web-console';
import { WebConsoleDns } from '../constructs/web-console-dns';
import { type ApiRoute, authorizerFunction } from '../routes';
import { importCore, importCoreResources } from './core-exports';
import { importStateful } from './exports';
import { FunctionFactory, functionIdOf, functionNameFor } from './function-factory';

export interface ApiStackProps extends StackProps {
  readonly config: FactuConfig;
  readonly statefulStackName: string;
  readonly coreStackName: string;
  /** Every route; each method reaches its function (in a routes stack) by the function's fixed name. */
  readonly routes: readonly ApiRoute[];
  /** The origin the local cloud serves the console on, accepted by the web client (local synth only). */
  readonly localConsoleOrigin?: string;
}

/**
 * The REST API: resources, methods with their invoke permissions, the authorizer and its function, gateway
 * responses, the stage, the 5xx alarm and the API URL; and the web console that serves it on its origin. It imports no function ARN, so a route stack can drop
 * a function without meeting an export in use.
 */
export class ApiStack extends Stack {
  readonly api: Api;
  readonly authorizer: AppFunction;
  readonly webConsole: WebConsole;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config } = props;
    const factory = new FunctionFactory(this, {
      config,
      statefulStackName: props.statefulStackName,
      core: importCoreResources(this, props.coreStackName),
    });
    this.authorizer = factory.make(authorizerFunction, {
      invokedBy: 'synchronously by API Gateway (the REST API authorizer)',
    });
    this.api = new Api(this, 'Api', {
      authorizerFunction: this.authorizer.fn,
      stageName: config.environmentName,
      throttlingRateLimit: config.api.throttlingRateLimit,
      throttlingBurstLimit: config.api.throttlingBurstLimit,
      logRetention: config.logRetentionDays as RetentionDays,
      logsKey: factory.core.logsKey,
    });
    for (const route of props.routes) {
      this.api.addRoute(route, functionNameFor(config.environmentName, functionIdOf(route)));
    }

    const monitoring = new Monitoring(this, 'Monitoring', {
      alarmsTopic: Topic.fromTopicArn(this, 'AlarmsTopic', importCore(props.coreStackName, 'AlarmsTopicArn')),
    });
    monitoring.alarmOnApi5xx(this.api.restApi);

    new CfnOutput(this, 'ApiUrl', { value: this.api.restApi.url });

    // The console lives with the API it serves under `/v1/*` (same origin): no cross-stack reference to the API.
    this.webConsole = new WebConsole(this, 'WebConsole', {
      repoRoot: REPO_ROOT,
      restApi: this.api.restApi,
      stageName: config.environmentName,
      hostedUiUrl: importStateful(props.statefulStackName, 'HostedUiDomain'),
      workFilesBucketName: importStateful(props.statefulStackName, 'WorkFilesBucketName'),
      userPool: UserPool.fromUserPoolId(
        this,
        'UserPool',
        importStateful(props.statefulStackName, 'UserPoolId'),
      ),
      extraOrigins: props.localConsoleOrigin ? [props.localConsoleOrigin] : [],
      ...(config.web ? { customDomain: config.web } : {}),
      extraCallbackUrls: config.auth.callbackUrls,
      extraLogoutUrls: config.auth.logoutUrls,
    });
    new CfnOutput(this, 'WebConsoleUrl', { value: this.webConsole.url });
    // With a custom domain: where its DNS record points (created here when its Route 53 zone is given).
    if (config.web)
      new CfnOutput(this, 'WebConsoleDnsTarget', {
        value: this.webConsole.distribution.distributionDomainName,
      });
    if (config.web?.hostedZone)
      new WebConsoleDns(this, 'WebConsoleDns', {
        domainName: config.web.domainName,
        hostedZone: config.web.hostedZone,
        distribution: this.webConsole.distribution,
      });
    new CfnOutput(this, 'WebClientId', { value: this.webConsole.webClient.userPoolClientId });
    // Tokens of these app clients are accepted by the API's authorizer: people's and machines'.
    this.authorizer.fn.addEnvironment(
      'USER_POOL_CLIENT_IDS',
      Fn.join(',', [this.webConsole.webClient.userPoolClientId, factory.importStateful('MachineClientId')]),
    );
  }
}
