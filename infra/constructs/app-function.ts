import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, type CfnFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { REPO_ROOT } from '../config';
import { acknowledgeWildcardResource } from './grants';

/** CloudFormation metadata key on every AWS::Lambda::Function: the handler file, relative to the repo. */
export const ENTRY_METADATA_KEY = 'factu:entry';

const NORMALIZE_SOURCE_MAP = join(REPO_ROOT, 'infra', 'bundling', 'normalize-source-map.mjs');

/** The ESM banner that gives bundled CommonJS dependencies a working `require`. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

export interface AppFunctionProps {
  /** Handler file relative to the repository root, e.g. `functions/api/documents/get-document.ts`. */
  readonly entry: string;
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
 * log group with retention, X-Ray active. Permissions are added only through `infra/constructs/grants.ts`.
 */
export class AppFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly entry: string;

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

    this.fn = new NodejsFunction(this, 'Function', {
      entry: join(REPO_ROOT, props.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
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
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        platform: 'node',
        mainFields: ['module', 'main'],
        externalModules: [],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        banner: ESM_REQUIRE_BANNER,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          // Source map paths relative to the repo: the bundle's hash must not depend on the outdir.
          afterBundling: (_inputDir: string, outputDir: string) => [
            `node "${NORMALIZE_SOURCE_MAP}" "${outputDir}" "${REPO_ROOT}"`,
          ],
        },
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
}
