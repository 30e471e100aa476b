import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_STACK_NAME, STATEFUL_STACK_NAME } from '#infra/app';
import { SPA_FALLBACK_CODE } from '#infra/constructs/web-console';
import { CLI_LOGIN_REDIRECT_URI } from '#shared/cli/login/loopback';
import { CALLBACK_PATH, SIGNED_OUT_PATH } from '../../web/src/auth/paths';
import { type CfnResource, type CfnTemplate, resourcesOfType, type Synthesized, synth } from './synth';

/** CloudFront's managed policies (fixed ids, the same in every account). */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

let s: Synthesized;
let web: CfnTemplate;
beforeAll(async () => {
  s = await synth();
  web = s.stacks[API_STACK_NAME]!;
  // The synth bundles every function and builds the console: minutes on a loaded machine.
}, 600_000);

const only = (template: CfnTemplate, type: string): CfnResource => {
  const found = resourcesOfType(template, type);
  expect(found, type).toHaveLength(1);
  return found[0]![1];
};
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are read as plain JSON
type Json = Record<string, any>;

describe('the web console distribution', () => {
  it('serves a private bucket through origin access control, with the SPA fallback', () => {
    // Prepare
    const bucket = only(web, 'AWS::S3::Bucket').Properties as Json;
    const distribution = (only(web, 'AWS::CloudFront::Distribution').Properties as Json).DistributionConfig;
    const oac = (only(web, 'AWS::CloudFront::OriginAccessControl').Properties as Json)
      .OriginAccessControlConfig;

    // Assess
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.WebsiteConfiguration).toBeUndefined();
    expect(oac).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' });
    expect(distribution.DefaultRootObject).toBe('index.html');
    expect(distribution.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    // Error pages would apply to the API's behaviour too (its 403/404 → 200 HTML): the fallback is a function.
    expect(distribution.CustomErrorResponses).toBeUndefined();
    const fallback = only(web, 'AWS::CloudFront::Function').Properties as Json;
    expect(fallback.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    expect(fallback.FunctionCode).toBe(SPA_FALLBACK_CODE);
    expect(distribution.DefaultCacheBehavior.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: expect.anything() },
    ]);
  });

  it.each([
    ['/documents/01KBX7M3Q2Z8V4N6T0R5S9W1YC', '/index.html'],
    ['/auth/callback', '/index.html'],
    ['/', '/index.html'],
    ['/assets/index-CwZsJ-jA.js', '/assets/index-CwZsJ-jA.js'],
    ['/config.json', '/config.json'],
  ])('the SPA fallback sends %s to %s', (uri, expected) => {
    const handler = runInNewContext(`${SPA_FALLBACK_CODE}; handler`) as (event: Json) => Json;
    expect(handler({ request: { uri } }).uri).toBe(expected);
  });

  it('serves the API under /v1/* on its own origin, uncached, without the viewer Host', () => {
    const distribution = (only(web, 'AWS::CloudFront::Distribution').Properties as Json).DistributionConfig;
    const api = (distribution.CacheBehaviors as Json[]).find((behavior) => behavior.PathPattern === '/v1/*');
    expect(api).toMatchObject({
      CachePolicyId: CACHING_DISABLED,
      OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
      ViewerProtocolPolicy: 'https-only',
      AllowedMethods: expect.arrayContaining(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']),
    });
    // The stage by the API's id and the stage's name: naming the stage itself would close a cycle through
    // the authorizer (which accepts the web client, which names the distribution).
    const origin = (distribution.Origins as Json[]).find(
      (candidate) => candidate.Id === api!.TargetOriginId,
    ) as Json;
    expect(origin.OriginPath).toBe('/dev');
    expect(origin.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    expect(JSON.stringify(origin.DomainName)).not.toMatch(/Stage|Deployment/);
  });

  it('answers with the security headers: a CSP without inline scripts, HSTS, no framing, nosniff, referrer', () => {
    const config = (only(web, 'AWS::CloudFront::ResponseHeadersPolicy').Properties as Json)
      .ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = String(JSON.stringify(config.ContentSecurityPolicy.ContentSecurityPolicy));
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(config.StrictTransportSecurity).toMatchObject({
      AccessControlMaxAgeSec: 63072000,
      IncludeSubdomains: true,
    });
    expect(config.ContentTypeOptions).toEqual({ Override: true });
    expect(config.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(config.ReferrerPolicy).toEqual({
      ReferrerPolicy: 'strict-origin-when-cross-origin',
      Override: true,
    });
  });

  it("lets the console's scripts PUT batch CSVs to the work-files bucket's presigned URLs, and no other page", () => {
    // Prepare
    const csp = JSON.stringify(
      (only(web, 'AWS::CloudFront::ResponseHeadersPolicy').Properties as Json).ResponseHeadersPolicyConfig
        .SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy,
    );
    const stateful = s.stacks[STATEFUL_STACK_NAME]!;
    const withCors = resourcesOfType(stateful, 'AWS::S3::Bucket').filter(
      ([, bucket]) => (bucket.Properties as Json).CorsConfiguration !== undefined,
    );

    // Assess: connect-src names the bucket virtual-hosted on its regional endpoint, as the presigner does
    expect(csp).toMatch(/connect-src 'self' ",\{"Fn::ImportValue":"[^"]*HostedUiDomain"\}," https:\/\/",/);
    expect(csp).toMatch(
      /\{"Fn::ImportValue":"[^"]*WorkFilesBucketName"\},".s3.",\{"Ref":"AWS::Region"\},"\.",\{"Ref":"AWS::URLSuffix"\}/,
    );
    expect(withCors).toHaveLength(1);
    expect((withCors[0]![1].Properties as Json).CorsConfiguration.CorsRules).toEqual([
      {
        AllowedMethods: ['PUT'],
        // The distribution's domain is CloudFront's (known only in the API stack); no localhost in a deployed synth.
        AllowedOrigins: ['https://*.cloudfront.net'],
        AllowedHeaders: ['content-type'],
        MaxAge: 3600,
      },
    ]);
  });

  it('deploys the built console and its sign-in configuration into the bucket', () => {
    const deployment = only(web, 'Custom::CDKBucketDeployment').Properties as Json;
    expect(deployment.SourceObjectKeys).toHaveLength(2);
    // The deployment invalidates the distribution's cache (every path, CDK's default) once the files are in.
    expect(deployment.DistributionId).toEqual({ Ref: expect.stringMatching(/^WebConsoleDistribution/) });
    const markers = JSON.stringify(deployment.SourceMarkers ?? []);
    expect(markers).toContain('WebClient');
    expect(markers).toContain('HostedUi');
  });

  it('the web client sits with the distribution and accepts its URLs: one deploy, no http://localhost console', () => {
    // Prepare
    const clients = resourcesOfType(web, 'AWS::Cognito::UserPoolClient');
    const distributionId = resourcesOfType(web, 'AWS::CloudFront::Distribution')[0]![0];
    const onDistribution = (path: string) => ({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, path]],
    });

    // Act
    expect(clients).toHaveLength(1);
    const [clientId, client] = clients[0]!;
    const properties = client.Properties as Json;

    // Assess
    expect(properties.ClientName).toBe('web');
    // The pool by its stateful export: no new stack dependency, no cycle.
    expect(properties.UserPoolId).toEqual({ 'Fn::ImportValue': `${STATEFUL_STACK_NAME}-UserPoolId` });
    expect(properties.CallbackURLs).toEqual([onDistribution(CALLBACK_PATH), CLI_LOGIN_REDIRECT_URI]);
    expect(properties.LogoutURLs).toEqual([onDistribution(SIGNED_OUT_PATH)]);
    expect(JSON.stringify([properties.CallbackURLs, properties.LogoutURLs])).not.toContain('localhost:5173');
    // The console is told this client, and the API's authorizer accepts its tokens besides the machine client's.
    const deployment = only(web, 'Custom::CDKBucketDeployment').Properties as Json;
    expect(JSON.stringify(deployment.SourceMarkers)).toContain(`"Ref":"${clientId}"`);
    const authorizer = resourcesOfType(web, 'AWS::Lambda::Function')
      .map(([, fn]) => (fn.Properties as Json).Environment?.Variables?.USER_POOL_CLIENT_IDS)
      .find(Boolean);
    expect(authorizer).toEqual({
      'Fn::Join': [',', [{ Ref: clientId }, { 'Fn::ImportValue': `${STATEFUL_STACK_NAME}-MachineClientId` }]],
    });
  });

  it('without a domain of its own: CloudFront’s name only, no alias and no DNS record', () => {
    const distribution = (only(web, 'AWS::CloudFront::Distribution').Properties as Json).DistributionConfig;
    expect(distribution.Aliases).toBeUndefined();
    expect(resourcesOfType(web, 'AWS::Route53::RecordSet')).toHaveLength(0);
    expect(web.Outputs?.WebConsoleDnsTarget).toBeUndefined();
  });
});
