/**
 * The whole local cloud in this process with every function's AWS calls metered: before a function's first
 * sandbox starts, its `AWS_ENDPOINT_URL_<SERVICE>` variables, its HKA endpoints and any other URL on those
 * services (queue URLs) are pointed at its own listener of a metering pass-through per service (the
 * pipeline bench's hook), and the runtime meters count
 * Lambda runs, executions and events. Schedules fire only when the bench fires them, so every window holds
 * exactly the work it causes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalCloud, startLocalCloud } from '#local/cloud';
import { ISSUING_DEFAULTS } from '#shared/config/config';
import { type PreparedAssembly, prepareAssembly } from '../pipeline/assembly';
import { instrumentLambdaPools } from '../pipeline/probes';
import { awsJsonMeter, sesMeter } from './meters/aws-json';
import { dynamoDbMeter } from './meters/dynamodb';
import { hkaFront, type PacFaults } from './meters/hka-front';
import { type Meter, type MeteringProxy, startMeteringProxy } from './meters/proxy';
import { meterRuntime } from './meters/runtime';
import { s3Meter } from './meters/s3';
import { type CostTemplate, loadCostTemplate } from './template-model';
import { UsageRecorder } from './usage';

export type MeteredCloud = {
  cloud: LocalCloud;
  recorder: UsageRecorder;
  template: CostTemplate;
  assembly: PreparedAssembly;
  pacFaults: PacFaults;
  close(): Promise<void>;
};

/** Endpoint variables per metered service (several variables may share one local service). */
const METERED = [
  { service: 'dynamodb', variables: ['AWS_ENDPOINT_URL_DYNAMODB'] },
  { service: 's3', variables: ['AWS_ENDPOINT_URL_S3'] },
  { service: 'sqs', variables: ['AWS_ENDPOINT_URL_SQS'] },
  { service: 'ses', variables: ['AWS_ENDPOINT_URL_SESV2', 'AWS_ENDPOINT_URL_SES'] },
  {
    service: 'aws-json',
    variables: [
      'AWS_ENDPOINT_URL_KMS',
      'AWS_ENDPOINT_URL_SECRETS_MANAGER',
      'AWS_ENDPOINT_URL_EVENTBRIDGE',
      'AWS_ENDPOINT_URL_SFN',
    ],
  },
  { service: 'hka', variables: ['HKA_DEMO_ENDPOINT', 'HKA_PROD_ENDPOINT'] },
] as const;

export async function startMeteredCloud(options: {
  repoRoot: string;
  log: (line: string) => void;
  /** Seconds between a transient failure and the next attempt (the sweep still has to run). */
  redriveDelaySeconds: number;
}): Promise<MeteredCloud> {
  const workDir = mkdtempSync(join(tmpdir(), 'factu-bench-cost-'));
  const recorder = new UsageRecorder();
  meterRuntime(recorder);
  const front = hkaFront(recorder);
  const proxies = new Map<string, MeteringProxy>();
  let template: CostTemplate | undefined;
  let cloud: LocalCloud | undefined;

  const meterFor = (service: string, target: string): Meter => {
    switch (service) {
      case 'dynamodb': {
        const table = template?.tables[0];
        if (!table) throw new Error('the template declares no DynamoDB table');
        return dynamoDbMeter(target, table, recorder);
      }
      case 's3':
        return s3Meter(recorder);
      case 'ses':
        return sesMeter(recorder);
      case 'hka':
        return front;
      default:
        return awsJsonMeter(recorder);
    }
  };
  const lambdas = instrumentLambdaPools();
  lambdas.beforeFirstSandbox(async (functionName, env) => {
    const origins = new Map<string, string>();
    for (const { service, variables } of METERED) {
      for (const variable of variables) {
        const value = env[variable];
        if (!value) continue;
        const { origin } = new URL(value);
        let proxy = proxies.get(service);
        if (!proxy) {
          proxy = startMeteringProxy(origin, meterFor(service, origin));
          proxies.set(service, proxy);
        }
        origins.set(origin, await proxy.urlFor(functionName));
      }
    }
    // Every URL on a metered service moves to the proxy with its path: the endpoints, and the URLs the
    // SDK sends to directly (SQS uses a queue URL's host as its endpoint).
    for (const [variable, value] of Object.entries(env)) {
      for (const [origin, proxied] of origins) {
        if (value === origin || value.startsWith(`${origin}/`))
          env[variable] = `${proxied}${value.slice(origin.length)}`;
      }
    }
  });

  const close = async () => {
    lambdas.beforeFirstSandbox(undefined);
    meterRuntime(undefined);
    if (cloud) await cloud.stop();
    await Promise.all([...proxies.values()].map((proxy) => proxy.close()));
    if (process.env.FACTU_KEEP_LOCAL !== '1') rmSync(workDir, { recursive: true, force: true });
    else options.log(`cost: kept ${workDir} (FACTU_KEEP_LOCAL=1)`);
  };

  try {
    const assembly = await prepareAssembly({
      repoRoot: options.repoRoot,
      into: workDir,
      timeoutMs: 110_000,
      log: options.log,
    });
    template = loadCostTemplate(assembly.assemblyDir);
    cloud = await startLocalCloud({
      dataDir: join(workDir, 'data'),
      ports: 'auto',
      assemblyDir: assembly.assemblyDir,
      synth: false,
      ephemeralDynamoDb: true,
      schedules: { kind: 'manual' },
      issuingTiming: {
        attemptLeaseSeconds: ISSUING_DEFAULTS.attemptLeaseSeconds,
        startGraceSeconds: ISSUING_DEFAULTS.startGraceSeconds,
        redriveDelaysSeconds: ISSUING_DEFAULTS.redriveDelaysSeconds.map(() => options.redriveDelaySeconds),
      },
    });
    return { cloud, recorder, template, assembly, pacFaults: front.pacFaults, close };
  } catch (error) {
    await close();
    throw error;
  }
}
