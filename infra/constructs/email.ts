import { Arn, Stack } from 'aws-cdk-lib';
import { ConfigurationSet, EmailIdentity, Identity, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { Construct, type IConstruct } from 'constructs';

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
      configurationSetName: configurationSetNameFor(props.environmentName),
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
    this.sendResourceArns = emailSendResourceArns(this, props.identity, props.environmentName);
  }
}

/**
 * The ARNs a `SendEmail` call touches, from the identity and the configuration set's fixed name (so a stack
 * without the `Email` construct grants sending without importing anything).
 */
export function emailSendResourceArns(
  scope: IConstruct,
  identity: string,
  environmentName: string,
): string[] {
  const stack = Stack.of(scope);
  return [
    Arn.format({ service: 'ses', resource: 'identity', resourceName: identity }, stack),
    Arn.format(
      {
        service: 'ses',
        resource: 'configuration-set',
        resourceName: configurationSetNameFor(environmentName),
      },
      stack,
    ),
  ];
}

const configurationSetNameFor = (environmentName: string) => `factu-${environmentName}`;
