import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { Construct } from 'constructs';
import { REPO_ROOT } from '../config';
import { WebConsole } from '../constructs/web-console';

export interface WebStackProps extends StackProps {
  readonly restApi: RestApi;
  readonly hostedUiUrl: string;
  readonly webClientId: string;
}

/** The web console's distribution, after the API it serves under `/v1/*`. */
export class WebStack extends Stack {
  readonly console: WebConsole;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props);
    this.console = new WebConsole(this, 'WebConsole', {
      repoRoot: REPO_ROOT,
      restApi: props.restApi,
      hostedUiUrl: props.hostedUiUrl,
      webClientId: props.webClientId,
    });
    new CfnOutput(this, 'WebConsoleUrl', { value: this.console.url });
  }
}
