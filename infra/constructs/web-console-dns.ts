import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import { AaaaRecord, ARecord, HostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { CloudFrontTarget } from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';

export interface WebConsoleDnsProps {
  /** The console's own name (`web.domainName`), an alternate domain of `distribution`. */
  readonly domainName: string;
  /** The Route 53 public hosted zone that holds `domainName` (checked at synth: `infra/config.ts`). */
  readonly hostedZone: { readonly id: string; readonly name: string };
  readonly distribution: IDistribution;
}

/**
 * The console's name in the operator's Route 53 zone: alias records (IPv4 and IPv6, as the distribution
 * answers both) to its CloudFront distribution. An alias rather than a CNAME: it is free to query and allowed
 * at a zone's apex, where a CNAME is not.
 */
export class WebConsoleDns extends Construct {
  constructor(scope: Construct, id: string, props: WebConsoleDnsProps) {
    super(scope, id);
    const zone = HostedZone.fromHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: props.hostedZone.id,
      zoneName: props.hostedZone.name,
    });
    const target = RecordTarget.fromAlias(new CloudFrontTarget(props.distribution));
    const recordName = `${props.domainName}.`;
    new ARecord(this, 'Ipv4', { zone, recordName, target });
    new AaaaRecord(this, 'Ipv6', { zone, recordName, target });
  }
}
