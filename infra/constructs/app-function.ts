import { AssetHashType, DockerImage, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  Architecture,
  type CfnFunction,
  Code,
  Function as LambdaFunction,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { HouseBundler } from '../bundling/esbuild-bundler';
import { REPO_ROOT } from '../config';
import { acknowledgeWildcardResource } from './grants';
import { TenantAccessRole } from './tenant-access-role';

export { ESM_REQUIRE_BANNER } from '../bundling/esbuild-bundler';

/** CloudFormation metadata key on every AWS::Lambda::Function: the handler file, relative to the repo. */
export const ENTRY_METADATA_KEY = 'factu:entry';

/** Never pulled: local bundling (in-process esbuild) always succeeds or throws. */
const UNUSED_BUNDLING_IMAGE = DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x');

export interface AppFunctionProps {
  /** Handler file relative to the repository root, e.g. `functions/api/documents/get-document.ts`. */
  readonly entry: string;
  /** Physical function name (fixed, so other stacks can reach the function by name). */
  readonly functionName?: string;
  /** `POWERTOOLS_SERVICE_NAME` and the function description. */
  readonly serviceName: string;
  readonly environment?: Record<string, string>;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  readonly logRetention: RetentionDays;
  /** Key that encrypts the function's log group. */
  readonly logsKey?: IKey;
  /** @default 'INFO' */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Dead-letter queue for asynchronous invocations (only for functions invoked asynchronously). */
  readonly deadLetterQueue?: IQueue;
}

/**
 * The house Lambda function: Node.js 22 on ARM64, esbuild ESM bundle with the AWS SDK bundled (one SDK
 * version, faster cold starts), minified with source maps, its own role (no managed policies) and its own
 * log group with retention, X-Ray active (Powertools Tracer: handler subsegments, traced SDK and HTTP
 * calls). Permissions are added only through `infra/constructs/grants.ts`.
 *
 * Bundling runs esbuild's JS API in the synth process (`infra/bundling/esbuild-bundler.ts`, CDK local
 * bundling): `index.mjs` with its code-split chunks and source maps, and the files the bundle reads at run
 * time (XSDs, pdfkit's font modules). The asset hash is the hash of the output, as with `NodejsFunction`.
 */
export class AppFunction extends Construct {
  readonly fn: LambdaFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly entry: string;
  private tenantAccess?: TenantAccessRole;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    this.entry = props.entry;

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      encryptionKey: props.logsKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.entry}`,
    });
    this.role.addToPolicy(
      new PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.fn = new LambdaFunction(this, 'Function', {
      code: Code.fromAsset(REPO_ROOT, {
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          image: UNUSED_BUNDLING_IMAGE,
          local: new HouseBundler(props.entry, REPO_ROOT),
        },
      }),
      functionName: props.functionName,
      handler: 'index.handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      description: `factu ${props.serviceName} (${props.entry})`,
      role: this.role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      deadLetterQueue: props.deadLetterQueue,
      retryAttempts: props.deadLetterQueue ? 2 : undefined,
      // No NODE_OPTIONS=--enable-source-maps: it parses the source map at every cold start (40–130 ms);
      // the logger maps a stack through index.mjs.map only when an error is logged.
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
        ...props.environment,
      },
    });

    // Tracing.ACTIVE adds xray:PutTraceSegments/PutTelemetryRecords on "*" to the role.
    acknowledgeWildcardResource(
      this.role,
      '*',
      'X-Ray PutTraceSegments/PutTelemetryRecords (tracing) do not support resource-level permissions.',
    );

    const cfn = this.fn.node.defaultChild as CfnFunction;
    cfn.addMetadata(ENTRY_METADATA_KEY, props.entry);
  }

  /**
   * The role this function assumes per tenant for tenant data (created with the first tenant-data grant), its
   * ARN in `TENANT_ROLE_ARN`. Functions without one keep their own credentials and reach no tenant data.
   */
  tenantAccessRole(): TenantAccessRole {
    if (!this.tenantAccess) {
      this.tenantAccess = new TenantAccessRole(this, 'TenantAccess', {
        executionRole: this.role,
        description: `Tenant-scoped data access of ${this.entry} (session tag tenantId)`,
      });
      this.fn.addEnvironment('TENANT_ROLE_ARN', this.tenantAccess.role.roleArn);
    }
    return this.tenantAccess;
  }
}
