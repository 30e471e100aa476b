import { join } from 'node:path';
import { AssetHashType, DockerImage, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { RestApiOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { bundleConsole } from '../../web/build';
import { consoleContentSecurityPolicy } from '../../web/security-headers';

export interface WebConsoleProps {
  /** The repository root (web/ is built from it at synth). */
  readonly repoRoot: string;
  /** The REST API, served on the console's own origin under `/v1/*` (no CORS). */
  readonly restApi: RestApi;
  /** `https://<prefix>.auth.<region>.amazoncognito.com`: where the console signs in and refreshes. */
  readonly hostedUiUrl: string;
  /** The user pool's web client. */
  readonly webClientId: string;
}

/**
 * The web console: its files in a private bucket read by CloudFront through origin access control, the
 * single-page app's fallback (403/404 → /index.html), security headers on every answer, and the API under
 * `/v1/*` on the same origin, uncached, with every viewer header but Host (API Gateway refuses a foreign Host).
 */
export class WebConsole extends Construct {
  readonly distribution: Distribution;
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebConsoleProps) {
    super(scope, id);
    const bucket = new Bucket(this, 'Files', {
      // Public files of a public app: S3-managed encryption (a KMS key would need CloudFront decrypt grants).
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: consoleContentSecurityPolicy(props.hostedUiUrl),
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
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'factu web console',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      priceClass: PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      },
      additionalBehaviors: {
        '/v1/*': {
          origin: new RestApiOrigin(props.restApi),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
        },
      },
      // The app routes every path itself: an unknown key (403 through OAC) or a missing one is its index.html.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.seconds(0),
      })),
    });
    this.url = `https://${this.distribution.distributionDomainName}`;

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
        Source.jsonData('config.json', { hostedUiUrl: props.hostedUiUrl, clientId: props.webClientId }),
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
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR4',
      'The default *.cloudfront.net certificate; a custom domain would set TLSv1.2_2021.',
    );
  }
}
