import { join } from 'node:path';
import { AssetHashType, DockerImage, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { bundleConsole } from '../../web/build';
import { consoleContentSecurityPolicy, workFilesUploadOrigin } from '../../web/security-headers';
import { CALLBACK_PATH, SIGNED_OUT_PATH } from '../../web/src/auth/paths';
import { acknowledgeWildcardResource } from './grants';
import { WebClient } from './identity';

export interface WebConsoleProps {
  /** The repository root (web/ is built from it at synth). */
  readonly repoRoot: string;
  /** The REST API, served on the console's own origin under `/v1/*` (no CORS). */
  readonly restApi: RestApi;
  /** The API's stage name (the literal, not the stage's token: see the `/v1/*` origin). */
  readonly stageName: string;
  /** `https://<prefix>.auth.<region>.amazoncognito.com`: where the console signs in and refreshes. */
  readonly hostedUiUrl: string;
  /** The work-files bucket, where the console PUTs batch CSVs through presigned URLs. */
  readonly workFilesBucketName: string;
  /** The user pool people sign in to (the stateful stack's). */
  readonly userPool: IUserPool;
  /**
   * Further origins the web client accepts, besides this distribution's: the local cloud's console, a
   * developer's. `http://` only for `localhost`, as Cognito requires.
   */
  readonly extraOrigins?: readonly string[];
  /**
   * The console's own domain (`web.domainName`, with its us-east-1 certificate), when configured: then the
   * console's URL, the only one its web client accepts besides `extraOrigins`.
   */
  readonly customDomain?: { readonly domainName: string; readonly certificateArn: string };
  /** Further redirect URLs of the web client, as configured (`auth.callbackUrls` / `auth.logoutUrls`). */
  readonly extraCallbackUrls: readonly string[];
  readonly extraLogoutUrls: readonly string[];
}

/**
 * The web console: its files in a private bucket read by CloudFront through origin access control, the
 * single-page app's fallback, security headers on every answer, and the API under `/v1/*` on the same origin,
 * uncached, with every viewer header but Host (API Gateway refuses a foreign Host).
 *
 * The fallback is a viewer-request function on the files' behaviour (a path without a file extension is the
 * app's index.html), not the distribution's 403/404 error pages: those would apply to the API's behaviour too
 * and turn its 403 and 404 answers into a 200 HTML page.
 */
export const SPA_FALLBACK_CODE = `function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

export class WebConsole extends Construct {
  readonly distribution: Distribution;
  readonly url: string;
  readonly webClient: WebClient;

  constructor(scope: Construct, id: string, props: WebConsoleProps) {
    super(scope, id);
    const bucket = new Bucket(this, 'Files', {
      // Public files of a public app: S3-managed encryption (a KMS key would need CloudFront decrypt grants).
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      // Kept on stack deletion like every bucket here (emptying it would take one more provider function).
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: consoleContentSecurityPolicy({
            hostedUi: props.hostedUiUrl,
            workFilesUpload: workFilesUploadOrigin(
              props.workFilesBucketName,
              Stack.of(this).region,
              Stack.of(this).urlSuffix,
            ),
          }),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
      },
    });
    const spaFallback = new CloudFrontFunction(this, 'SpaFallback', {
      comment: 'factu web console: app routes are index.html',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(SPA_FALLBACK_CODE),
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'factu web console',
      ...(props.customDomain
        ? {
            domainNames: [props.customDomain.domainName],
            certificate: Certificate.fromCertificateArn(
              this,
              'Certificate',
              props.customDomain.certificateArn,
            ),
          }
        : {}),
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      priceClass: PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        functionAssociations: [{ function: spaFallback, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        '/v1/*': {
          // What RestApiOrigin gives (the stage's domain and path, HTTPS, TLS 1.2), from the API's id and the
          // stage's name rather than from `restApi.url`: that names the stage, whose deployment needs every
          // method, whose authorizer function accepts the web client below, which names this distribution —
          // a cycle CloudFormation refuses.
          origin: new HttpOrigin(
            `${props.restApi.restApiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`,
            {
              originPath: `/${props.stageName}`,
              protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
              originSslProtocols: [OriginSslPolicy.TLS_V1_2],
            },
          ),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
        },
      },
    });
    this.url = `https://${props.customDomain?.domainName ?? this.distribution.distributionDomainName}`;

    // The web client lives here, not with the user pool in the stateful stack: its callback and logout URLs
    // name this distribution's domain, which exists only in this stack, and the stateful stack deploys first.
    // The pool comes in by its exported id (no new stack dependency, no cycle), so one `cdk deploy --all` gives
    // a client that accepts the console's own URLs.
    // Extra origins first: the local cloud signs its demo users in through the first callback URL.
    const origins = [...(props.extraOrigins ?? []), this.url];
    this.webClient = new WebClient(this, 'WebClient', {
      userPool: props.userPool,
      callbackUrls: [...origins.map((origin) => `${origin}${CALLBACK_PATH}`), ...props.extraCallbackUrls],
      logoutUrls: [...origins.map((origin) => `${origin}${SIGNED_OUT_PATH}`), ...props.extraLogoutUrls],
    });

    new BucketDeployment(this, 'Deploy', {
      destinationBucket: bucket,
      distribution: this.distribution,
      sources: [
        Source.asset(join(props.repoRoot, 'web'), {
          // The console bundles shared/ code: the built files, not web/'s sources, say whether it changed.
          assetHashType: AssetHashType.OUTPUT,
          bundling: {
            // Built on the synthesizing machine (web/build.ts); the image is only CDK's required fallback.
            image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22'),
            local: {
              tryBundle(outputDir) {
                bundleConsole(props.repoRoot, outputDir);
                return true;
              },
            },
          },
          exclude: ['dist', 'node_modules'],
        }),
        Source.jsonData('config.json', {
          hostedUiUrl: props.hostedUiUrl,
          clientId: this.webClient.userPoolClientId,
        }),
      ],
    });

    const acknowledge = (scope: Construct, id: string, reason: string) =>
      Validations.of(scope).acknowledge({ id, reason });
    acknowledge(
      bucket,
      'AwsSolutions-S1',
      'Public static files, identical to the deployment asset: no access log.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'A console for Panama businesses reached from anywhere.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      'No WAF yet (cost): the API behaviour is throttled by API Gateway and every call is authorized.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR3',
      'Static files: no CloudFront access log; the API logs its own.',
    );
    // With its own certificate the distribution serves TLS 1.2 (2021 policy) at least; CloudFront's default
    // certificate keeps TLSv1 for old viewers whatever the policy says.
    if (!props.customDomain)
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR4',
        "CloudFront's default *.cloudfront.net certificate; `web.domainName` with a certificate gives TLS 1.2 at least.",
      );

    // BucketDeployment's provider: CDK's singleton function (one per stack), run by CloudFormation at deploy
    // time only; its role and runtime are CDK's, not ours to pin.
    const provider = Stack.of(this).node.children.find((child) =>
      child.node.id.startsWith('Custom::CDKBucketDeployment'),
    );
    if (!provider) throw new Error('BucketDeployment created no provider function');
    const deployOnly = 'CDK BucketDeployment provider, invoked only by CloudFormation during a deploy';
    const copies = `${deployOnly}: CDK's grants to copy the asset from the CDK assets bucket into the console bucket.`;
    for (const [id, reason] of [
      [
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        `${deployOnly}: the basic execution role, for its own logs.`,
      ],
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map(
        (action) => [`AwsSolutions-IAM5[Action::${action}]`, copies] as const,
      ),
      ['AwsSolutions-IAM5[Resource::*]', copies],
      [
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
        copies,
      ],
      ['AwsSolutions-L1', `${deployOnly}: CDK pins its runtime.`],
      ['Serverless-LambdaDLQ', `${deployOnly}: CloudFormation receives its failure; nothing to redrive.`],
      ['Serverless-LambdaLatestVersion', `${deployOnly}: CDK pins its runtime.`],
      ['Serverless-LambdaTracing', `${deployOnly}: no request path to trace.`],
    ] as const)
      acknowledge(provider, id, reason);
    acknowledgeWildcardResource(provider, `${bucket.bucketArn}/*`, copies);
  }
}
