import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_STACK_NAME, buildApp, STATEFUL_STACK_NAME } from '#infra/app';
import { parseConfig, readCdkJsonContext } from '#infra/config';
import { CLI_LOGIN_REDIRECT_URI } from '#shared/cli/login/loopback';
import { type CfnTemplate, resourcesOfType, synthTolerant } from './synth';

/**
 * The console on the operator's own domain (`web.domainName` with an ACM certificate of us-east-1): CloudFront
 * answers for that name with that certificate (TLS 1.2 at least), the web client accepts only that console
 * (no *.cloudfront.net URL), the work-files bucket takes browser uploads from exactly that origin, and the
 * name's alias records are created in the Route 53 zone given.
 */
const DOMAIN = 'factura.ejemplo.com.pa';
const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-1b2a-4c3d-8e9f-a1b2c3d4e5f6';
const HOSTED_ZONE = { id: 'Z0123456789ABCDEFGHIJ', name: 'ejemplo.com.pa' };

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are read as plain JSON
type Json = Record<string, any>;

let outdir: string;
let api: CfnTemplate;
let stateful: CfnTemplate;
let validationFailed: boolean;
beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'factu-infra-domain-'));
  const factu = {
    ...(readCdkJsonContext().factu as Record<string, unknown>),
    web: { domainName: DOMAIN, certificateArn: CERTIFICATE, hostedZone: HOSTED_ZONE },
  };
  // cdk-nag on, no bundling: the templates but for asset hashes.
  const { app } = buildApp({ outdir, nag: true, context: { 'aws:cdk:bundling-stacks': [], factu } });
  ({ validationFailed } = synthTolerant(app));
  const template = (name: string) =>
    JSON.parse(readFileSync(join(outdir, `${name}.template.json`), 'utf8')) as CfnTemplate;
  api = template(API_STACK_NAME);
  stateful = template(STATEFUL_STACK_NAME);
}, 300_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** The one resource of `type` (that `which` accepts) in `template`, with its logical id. */
function only(
  template: CfnTemplate,
  type: string,
  which: (properties: Json) => boolean = () => true,
): [string, { Properties: Json }] {
  const found = resourcesOfType(template, type).filter(([, resource]) => which(resource.Properties as Json));
  expect(found, type).toHaveLength(1);
  const [id, resource] = found[0]!;
  return [id, { Properties: resource.Properties as Json }];
}

describe('the web console on a custom domain', () => {
  it('is served for that name with its certificate, TLS 1.2 at least, and says where its DNS record points', () => {
    // Prepare
    const [distributionId, distribution] = only(api, 'AWS::CloudFront::Distribution');
    const config = distribution.Properties.DistributionConfig;

    // Assess
    expect(config.Aliases).toEqual([DOMAIN]);
    expect(config.ViewerCertificate).toEqual({
      AcmCertificateArn: CERTIFICATE,
      SslSupportMethod: 'sni-only',
      MinimumProtocolVersion: 'TLSv1.2_2021',
    });
    expect(api.Outputs?.WebConsoleUrl?.Value).toBe(`https://${DOMAIN}`);
    expect(api.Outputs?.WebConsoleDnsTarget?.Value).toEqual({ 'Fn::GetAtt': [distributionId, 'DomainName'] });
    // cdk-nag's TLS finding no longer needs its acknowledgement, and nothing else is found.
    expect(validationFailed).toBe(false);
  });

  it('points the name at the distribution with alias records (IPv4 and IPv6) in the zone given', () => {
    // Prepare
    const [distributionId] = only(api, 'AWS::CloudFront::Distribution');
    const records = resourcesOfType(api, 'AWS::Route53::RecordSet').map(
      ([, resource]) => resource.Properties as Json,
    );

    // Assess
    expect(records.map((record) => record.Type).sort()).toEqual(['A', 'AAAA']);
    for (const record of records) {
      expect(record.HostedZoneId).toBe(HOSTED_ZONE.id);
      expect(record.Name).toBe(`${DOMAIN}.`);
      expect(record.AliasTarget.DNSName).toEqual({ 'Fn::GetAtt': [distributionId, 'DomainName'] });
      // CloudFront's own zone id (Z2FDTNDATAQYW2 in the commercial partition), from CDK's partition map.
      expect(JSON.stringify(record.AliasTarget.HostedZoneId)).toContain('Fn::FindInMap');
    }
    expect(Object.values(api.Mappings ?? {}).map((map) => JSON.stringify(map))).toEqual(
      expect.arrayContaining([expect.stringContaining('Z2FDTNDATAQYW2')]),
    );
  });

  it('gives the web client that console only, and lets the bucket take uploads from exactly that origin', () => {
    // Prepare
    const [, client] = only(api, 'AWS::Cognito::UserPoolClient');
    const [, bucket] = only(
      stateful,
      'AWS::S3::Bucket',
      (properties) => properties.CorsConfiguration !== undefined,
    );

    // Assess
    expect(client.Properties.CallbackURLs).toEqual([
      `https://${DOMAIN}/auth/callback`,
      CLI_LOGIN_REDIRECT_URI,
    ]);
    expect(client.Properties.LogoutURLs).toEqual([`https://${DOMAIN}/`]);
    expect(bucket.Properties.CorsConfiguration.CorsRules).toEqual([
      {
        AllowedMethods: ['PUT'],
        AllowedOrigins: [`https://${DOMAIN}`],
        AllowedHeaders: ['content-type'],
        MaxAge: 3600,
      },
    ]);
  });

  it.each([
    [
      'a certificate of another region',
      { domainName: DOMAIN, certificateArn: CERTIFICATE.replace('us-east-1', 'us-east-2') },
      'us-east-1',
    ],
    ['a name with a scheme', { domainName: `https://${DOMAIN}`, certificateArn: CERTIFICATE }, 'DNS name'],
    ['a name in capitals', { domainName: DOMAIN.toUpperCase(), certificateArn: CERTIFICATE }, 'DNS name'],
    [
      'a zone that does not hold the name',
      {
        domainName: DOMAIN,
        certificateArn: CERTIFICATE,
        hostedZone: { ...HOSTED_ZONE, name: 'otro.com.pa' },
      },
      'holds web.domainName',
    ],
    [
      'a zone whose name only ends like the name',
      {
        domainName: DOMAIN,
        certificateArn: CERTIFICATE,
        hostedZone: { ...HOSTED_ZONE, name: 'jemplo.com.pa' },
      },
      'holds web.domainName',
    ],
    [
      'a zone id that is not one',
      {
        domainName: DOMAIN,
        certificateArn: CERTIFICATE,
        hostedZone: { ...HOSTED_ZONE, id: 'ejemplo.com.pa' },
      },
      'hosted zone id',
    ],
  ])('refuses %s at synth, naming the field', (_case, web, message) => {
    // Prepare
    const factu = { ...(readCdkJsonContext().factu as Record<string, unknown>), web };

    // Act
    const parse = () => parseConfig(factu);

    // Assess
    expect(parse).toThrow(/factu\.web\.(domainName|certificateArn|hostedZone\.(id|name)):/);
    expect(parse).toThrow(message);
  });
});
