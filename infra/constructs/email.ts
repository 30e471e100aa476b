import { Arn, Stack } from 'aws-cdk-lib';
import { ConfigurationSet, EmailIdentity, Identity, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface EmailProps {
  /** Domain (`factu.example.com`) or address (`no-reply@factu.example.com`). */
  readonly identity: string;
  readonly environmentName: string;
}

/** SES: the sending identity and a configuration set (reputation metrics, account-level suppression). */
export class Email extends Construct {
  readonly configurationSet: ConfigurationSet;
  readonly emailIdentity: EmailIdentity;
  /** ARNs a `SendEmail` call touches: the identity and the configuration set. */
  readonly sendResourceArns: string[];

  constructor(scope: Construct, id: string, props: EmailProps) {
    super(scope, id);
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: `factu-${props.environmentName}`,
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.emailIdentity = new EmailIdentity(this, 'Identity', {
      identity: props.identity.includes('@')
        ? Identity.email(props.identity)
        : Identity.domain(props.identity),
      configurationSet: this.configurationSet,
    });
    const stack = Stack.of(this);
    this.sendResourceArns = [
      Arn.format({ service: 'ses', resource: 'identity', resourceName: props.identity }, stack),
      Arn.format(
        {
          service: 'ses',
          resource: 'configuration-set',
          resourceName: this.configurationSet.configurationSetName,
        },
        stack,
      ),
    ];
  }
}
