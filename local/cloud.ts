import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { buildConsole } from '../web/build.ts';
import { LambdaAuthorizers } from './api/lambda-authorizer.ts';
import { restApiSpecs } from './api/routes.ts';
import { startApiServer } from './api/server.ts';
import { CREDENTIALS, type Endpoints, REGION, sdkEnvironment } from './aws.ts';
import { startCognitoLocal } from './emulators/cognito.ts';
import { startDynamoDbLocal } from './emulators/dynamodb.ts';
import { startS3Local } from './emulators/s3.ts';
import { startSesLocal } from './emulators/ses.ts';
import { closeServer, startSqsLocal } from './emulators/sqs.ts';
import { startHka } from './hka.ts';
import { startHostedUi } from './hosted-ui/server.ts';
import { startDynamoDbFront } from './iam/dynamodb-front.ts';
import { type RoleModel, rolesOf } from './iam/roles.ts';
import { s3Access, TenantGuard, tableSchemasOf } from './iam/tenant-guard.ts';
import { LambdaRegistry } from './lambda/registry.ts';
import { createLog } from './log.ts';
import { assertPortFree, type Ports, resolvePorts } from './ports.ts';
import { provisionUserPools } from './provision/cognito.ts';
import { provisionTables } from './provision/dynamodb.ts';
import { provisionKeys, provisionSecrets } from './provision/kms-and-secrets.ts';
import { provisionBuckets } from './provision/s3.ts';
import { emailIdentities } from './provision/ses.ts';
import { provisionQueues } from './provision/sqs.ts';
import type { HkaTokens } from './seed/seed.ts';
import { type DemoSection, seedDemo } from './seed/seed.ts';
import { type ScheduleMode, startSchedules } from './sources/schedules.ts';
import { startSqsPoller } from './sources/sqs-poller.ts';
import { type BusEvent, EventBridge, eventBridgeService } from './standins/eventbridge/bus.ts';
import { createDeliverer } from './standins/eventbridge/deliver.ts';
import { startJsonProtocolServer } from './standins/json-protocol.ts';
import { kmsService } from './standins/kms/service.ts';
import { KmsKeyStore } from './standins/kms/store.ts';
import { SecretStore, secretsManagerService } from './standins/secrets-manager.ts';
import { stepFunctionsService } from './standins/sfn.ts';
import { StsSessions, stsService } from './standins/sts.ts';
import type { ExpressExecutionRecord } from './stepfunctions/express-executions.ts';
import { StepFunctions } from './stepfunctions/machines.ts';
import { synthesize } from './synth.ts';
import { loadAssembly } from './template/assembly.ts';
import { sqsEventSources } from './template/event-sources.ts';
import { functionSpecs } from './template/functions.ts';
import { TemplateResolver } from './template/intrinsics.ts';
import { eventRules } from './template/rules.ts';
import { stateMachineSpecs } from './template/state-machines.ts';
import { startConsoleServer } from './web/console-server.ts';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Everything the local cloud keeps under its data directory (what `reset` removes). */
const OWNED_ENTRIES = [
  'dynamodb',
  's3',
  'cognito',
  'kms',
  'secretsmanager',
  'stepfunctions',
  'hka-sandbox',
  'logs',
  'seed.json',
  'seed-output.json',
  'stack.json',
  'clock.json',
];

export type StartLocalCloudOptions = {
  /** Where all state lives (`.local/` for `npm start`, a temp dir in tests). */
  dataDir: string;
  /** Delete the state the local cloud keeps in `dataDir` first (other files there are left alone). */
  reset?: boolean;
  /** Fixed ports (defaults in ports.ts), some overridden, or `'auto'` for free ports (tests). */
  ports?: Partial<Ports> | 'auto';
  /** Shorten Step Functions waits/backoffs and SQS redelivery (tests only). */
  fastRetries?: boolean;
  /**
   * Keep DynamoDB Local's data in memory (faster writes, lost on stop). Only for a throwaway `dataDir`
   * (tests): the seed marker in `dataDir` would otherwise outlive the seeded items.
   */
  ephemeralDynamoDb?: boolean;
  /** Step Functions executions running at once (later ones wait for a slot); see `RunnerOptions`. */
  maxConcurrentExecutions?: number;
  /** A cloud assembly to run instead of synthesizing the CDK app (unit tests use a fixture). */
  assemblyDir?: string;
  /** Run `cdk synth` first (default: true unless `assemblyDir` is given); skipped when cdk.out is up to date. */
  synth?: boolean;
  /** Synthesize even when cdk.out looks up to date. */
  forceSynth?: boolean;
  /** Seed the demo tenants (default: true). */
  seed?: boolean;
  /** Print function and emulator output on the console (it always goes to `<dataDir>/logs/local.log`). */
  verbose?: boolean;
  /**
   * An HKA sandbox running elsewhere (its SOAP URL and seeded tokens) instead of one inside this process:
   * a crash test kills the local cloud while HKA, like the real one, keeps what it received.
   */
  externalHka?: { url: string; tokens: HkaTokens };
  /** When schedule rules fire (default: at their declared rates); see `ScheduleMode`. */
  schedules?: ScheduleMode;
  /**
   * Tests: shorter issuing attempts than the template's (function environment `ISSUING_*`), so a re-drive
   * after a lost attempt or a transient failure happens in seconds, not minutes.
   */
  issuingTiming?: {
    attemptLeaseSeconds: number;
    startGraceSeconds: number;
    redriveDelaysSeconds: number[];
    /** The waits of a document waiting for HKA (first, cap); the 72-hour limit is left as deployed. */
    waitBaseSeconds?: number;
    waitCapSeconds?: number;
  };
  /**
   * Behave like an AWS account in the SES sandbox (every new account is): sends from or to an address that is
   * not a verified identity are refused with MessageRejected. Verified: the template's `AWS::SES::EmailIdentity`
   * plus `verifiedIdentities` (addresses or domains).
   */
  sesSandbox?: boolean | { verifiedIdentities: string[] };
};

/** What `npm start` prints and writes to `.local/stack.json`, and what integration tests receive. */
export type LocalStack = {
  apiUrl: string;
  /** The web console (built web/dist), signing in through the hosted UI and calling the API on its origin. */
  webUrl: string;
  docsUrl: string;
  mailUrl: string;
  hkaSandboxUrl: string;
  cognito: {
    endpoint: string;
    userPoolId: string;
    clientId: string;
    region: string;
    /** The user pool's domain: the hosted UI (`/oauth2/authorize`, `/login`, `/oauth2/token`, `/logout`). */
    hostedUiUrl: string;
    /** The web client's registered redirect URIs (the template's CallbackURLs). */
    callbackUrls: string[];
    /** The web client (the hosted UI's; same as `clientId`). */
    webClientId: string;
    /** The web client's first redirect URI, where the hosted UI returns after a sign-in. */
    callbackUrl: string;
  };
  /**
   * `DELETE` here is API Gateway's FlushStageAuthorizersCache for the local stage: the authorizer's cached
   * answers (60 s) are forgotten, so a revoked key is refused at once.
   */
  authorizerCacheFlushUrl: string;
  demo: DemoSection;
  /** AWS service endpoints, for tools and tests that look at the emulators directly. */
  endpoints: Endpoints;
  credentials: { accessKeyId: string; secretAccessKey: string };
  resources: {
    tables: string[];
    buckets: string[];
    queues: string[];
    stateMachines: string[];
    functions: string[];
  };
  example: { document: string; curl: string };
  /** Where function, emulator and API output goes (`<dataDir>/logs/local.log`). */
  logFile: string;
  startupMs: number;
};

export type LocalCloud = {
  stack: LocalStack;
  stop(): Promise<void>;
  /** Fires schedule rules now (all, or one by name); returns how many fired. */
  fireSchedules(ruleName?: string): number;
  /** Events recently put on any bus. */
  recentEvents(): BusEvent[];
  /** Recent EXPRESS executions with their outcome (AWS serves them through no API; this is for diagnostics). */
  recentExpressExecutions(): ExpressExecutionRecord[];
  /**
   * The test clock: moves every function's `now()` (shared/clock.ts) forward by `ms` more; returns the total
   * offset. Emulators, the HKA sandbox and AWS request signing keep the real time.
   */
  advanceClock(ms: number): number;
};

/**
 * Starts the whole local cloud from the synthesized template: emulators, stand-ins, resources, functions, API,
 * state machines, event sources; seeds the demo tenants; returns the stack description and `stop()`.
 * Any failure during start stops what was already started (no orphan Java process, no bound port).
 */
export async function startLocalCloud(options: StartLocalCloudOptions): Promise<LocalCloud> {
  const started = Date.now();
  const dataDir = resolve(options.dataDir);
  if (options.reset) {
    // Only what the local cloud writes: `.local/` is also where developers keep their own scratch files.
    for (const entry of OWNED_ENTRIES) rmSync(join(dataDir, entry), { recursive: true, force: true });
  }
  mkdirSync(dataDir, { recursive: true });
  const log = createLog({ file: join(dataDir, 'logs', 'local.log'), verbose: options.verbose ?? false });
  const cleanups: Array<() => Promise<void> | void> = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        log.error('while stopping', error);
      }
    }
  };

  try {
    const ports = await resolvePorts(options.ports);
    if (options.ports !== 'auto') {
      for (const [service, port] of Object.entries(ports)) await assertPortFree(port, service);
    }
    const shouldSynth = options.synth ?? options.assemblyDir === undefined;
    const synthesis = shouldSynth
      ? synthesize(REPO_ROOT, { force: options.forceSynth }).then(({ assemblyDir, reused }) => {
          log.info(reused ? 'cdk.out is up to date with the sources: reusing it' : 'synthesized cdk.out');
          return assemblyDir;
        })
      : Promise.resolve(options.assemblyDir ?? join(REPO_ROOT, 'cdk.out'));
    synthesis.catch(() => undefined);

    // Tenant-role sessions the functions obtain from the STS stand-in. DynamoDB (through a front) and S3 decide
    // on requests signed with them as IAM would, with the tenant roles' policies from the template.
    const stsSessions = new StsSessions();
    let roles = new Map<string, RoleModel>();
    const tenantGuard = new TenantGuard(() => roles);
    // Emulators start while the CDK app synthesizes: the two together are most of the start time. All of
    // them settle before a failure is raised, so everything that did start is on the cleanup list.
    const settled = await Promise.allSettled([
      startDynamoDbLocal({
        port: ports.dynamodb,
        dbPath: join(dataDir, 'dynamodb'),
        inMemory: options.ephemeralDynamoDb ?? false,
        onOutput: (line) => log.fileOnly('dynamodb', line),
      }).then(track(cleanups)),
      startS3Local({
        port: ports.s3,
        directory: join(dataDir, 's3'),
        sessions: {
          lookup: (accessKeyId) => stsSessions.lookup(accessKeyId),
          refusal: (session, { method, path, query }) =>
            tenantGuard.refusal(session, [s3Access(method, path, query)]),
        },
      }).then(track(cleanups)),
      startSqsLocal({ port: ports.sqs }).then(track(cleanups)),
      startSesLocal({ port: ports.ses, sandbox: Boolean(options.sesSandbox) }).then(track(cleanups)),
      startCognitoLocal({
        port: ports.cognito,
        directory: join(dataDir, 'cognito'),
        logFile: join(dataDir, 'logs', 'cognito.log'),
      }).then(track(cleanups)),
    ] as const);
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const [dynamodb, s3, sqs, ses, cognito] = settled.map(
      (result) => (result as PromiseFulfilledResult<unknown>).value,
    ) as [
      Awaited<ReturnType<typeof startDynamoDbLocal>>,
      Awaited<ReturnType<typeof startS3Local>>,
      Awaited<ReturnType<typeof startSqsLocal>>,
      Awaited<ReturnType<typeof startSesLocal>>,
      Awaited<ReturnType<typeof startCognitoLocal>>,
    ];
    // Cognito e-mails through its own sending, not the account's SES (sandbox or not), as on AWS.
    cognito.deliverMailThrough(ses.directUrl);
    const awsUrl = `http://127.0.0.1:${ports.aws}`;
    const endpoints: Endpoints = {
      dynamodb: dynamodb.url,
      s3: s3.url,
      sqs: sqs.url,
      sesv2: ses.url,
      cognito: cognito.url,
      kms: awsUrl,
      secretsManager: awsUrl,
      eventBridge: awsUrl,
      sfn: awsUrl,
      sts: awsUrl,
    };
    const hka = options.externalHka
      ? { ...options.externalHka, close: async () => undefined, fallback: false }
      : await startHka({
          port: ports.hka,
          // HKA mails through its own provider: our account's SES sandbox does not apply to it.
          sesEndpoint: ses.directUrl,
          dataDir: join(dataDir, 'hka-sandbox'),
          onLog: (message) => log.raw('hka-sandbox', message),
          onWarning: (message) => log.warn(message),
        });
    cleanups.push(() => hka.close());

    const assemblyDir = await synthesis;
    const stacks = loadAssembly(assemblyDir);
    const resolver = new TemplateResolver(stacks, { sqsEndpoint: sqs.url });
    roles = rolesOf(resolver);
    const dynamoDbFront = await startDynamoDbFront({
      targetUrl: dynamodb.url,
      sessions: (accessKeyId) => stsSessions.lookup(accessKeyId),
      guard: tenantGuard,
      tables: tableSchemasOf(resolver),
    });
    cleanups.push(() => dynamoDbFront.stop());
    // What functions, the seeder and tools call is the front (as on AWS, the endpoint is where IAM decides);
    // the local cloud’s own provisioning client below talks to DynamoDB Local directly.
    endpoints.dynamodb = dynamoDbFront.url;
    // The SDK annotates the credentials object it is given: hand each client its own copy.
    const clientConfig = () => ({ region: REGION, credentials: { ...CREDENTIALS } });
    const dynamoClient = new DynamoDBClient({ ...clientConfig(), endpoint: dynamodb.url });
    const s3Client = new S3Client({ ...clientConfig(), endpoint: s3.url, forcePathStyle: true });
    const sqsClient = new SQSClient({ ...clientConfig(), endpoint: sqs.url });
    cleanups.push(() => {
      dynamoClient.destroy();
      s3Client.destroy();
      sqsClient.destroy();
    });

    // Resources. Cognito first: its ids are only known once created and other resources' properties use them.
    const keyStore = new KmsKeyStore(join(dataDir, 'kms'));
    const secretStore = new SecretStore(join(dataDir, 'secretsmanager'));
    const userPools = await provisionUserPools(resolver, cognito.url);
    provisionKeys(resolver, keyStore);
    provisionSecrets(resolver, secretStore);
    ses.verifyIdentities([
      ...emailIdentities(resolver),
      ...(typeof options.sesSandbox === 'object' ? options.sesSandbox.verifiedIdentities : []),
    ]);
    const [tables, buckets, queues] = await Promise.all([
      provisionTables(resolver, dynamoClient),
      provisionBuckets(resolver, s3Client),
      provisionQueues(resolver, sqsClient),
    ]);
    for (const { name, objectLock } of buckets) if (objectLock) s3.setObjectLock(name, objectLock);

    // Functions, with the template's environment plus the local endpoints and the HKA sandbox.
    // The test clock starts at the real time on every start: an offset left by a test must not outlive it.
    const clockFile = join(dataDir, 'clock.json');
    let clockOffsetMs = 0;
    writeFileSync(clockFile, JSON.stringify({ offsetMs: clockOffsetMs }));
    const overrides = {
      ...sdkEnvironment(endpoints),
      FACTU_CLOCK_FILE: clockFile,
      HKA_DEMO_ENDPOINT: hka.url,
      HKA_PROD_ENDPOINT: hka.url,
      // cognito-local issues tokens naming its own HTTP endpoint as issuer and serves its JWKS over HTTP: the
      // authorizer's local-only verification path (shared/auth/id-tokens.ts). Never set on AWS.
      LOCAL_COGNITO_ENDPOINT: cognito.url,
      // Test receivers listen on 127.0.0.1 over http; on AWS webhooks reach public https endpoints only.
      WEBHOOKS_ALLOW_LOOPBACK: 'true',
      ...(options.issuingTiming
        ? {
            ISSUING_ATTEMPT_LEASE_SECONDS: String(options.issuingTiming.attemptLeaseSeconds),
            ISSUING_START_GRACE_SECONDS: String(options.issuingTiming.startGraceSeconds),
            ISSUING_REDRIVE_DELAYS_SECONDS: options.issuingTiming.redriveDelaysSeconds.join(','),
            ...(options.issuingTiming.waitBaseSeconds
              ? { ISSUING_WAIT_BASE_SECONDS: String(options.issuingTiming.waitBaseSeconds) }
              : {}),
            ...(options.issuingTiming.waitCapSeconds
              ? { ISSUING_WAIT_CAP_SECONDS: String(options.issuingTiming.waitCapSeconds) }
              : {}),
          }
        : {}),
      // No X-Ray here (no daemon, no trace header): Powertools Tracer would log a missing-segment error on
      // every traced call.
      POWERTOOLS_TRACE_ENABLED: 'false',
    };
    const { specs, skipped } = functionSpecs(resolver);
    if (skipped.length)
      log.info(`functions without a bundled asset (not runnable locally): ${skipped.join(', ')}`);
    const lambda = new LambdaRegistry(specs, {
      environment: overrides,
      onOutput: (name, line) => log.raw(name, line),
    });
    cleanups.push(() => lambda.close());

    // Events, state machines and the JSON stand-ins that front them.
    let stepFunctions: StepFunctions | undefined;
    const { rules, buses } = eventRules(resolver);
    const eventBridge = new EventBridge(
      rules,
      buses,
      createDeliverer({ resolver, sqs: sqsClient, lambda, stepFunctions: () => stepFunctions! }),
      (message, error) => log.error(message, error),
    );
    stepFunctions = new StepFunctions(
      stateMachineSpecs(resolver),
      { lambda, eventBridge, sqs: sqsClient },
      {
        fastRetries: options.fastRetries ?? false,
        log,
        ...(options.maxConcurrentExecutions
          ? { maxConcurrentExecutions: options.maxConcurrentExecutions }
          : {}),
      },
      join(dataDir, 'stepfunctions'),
    );
    const machines = stepFunctions;
    cleanups.push(async () => {
      await eventBridge.drain();
      await machines.close();
    });
    const jsonServer = await startJsonProtocolServer(
      [
        kmsService(keyStore),
        secretsManagerService(secretStore),
        eventBridgeService(eventBridge),
        stepFunctionsService(machines),
      ],
      {
        port: ports.aws,
        onError: (error) => log.error('AWS stand-in', error),
        query: stsService(stsSessions, () => roles),
      },
    );
    cleanups.push(() => closeServer(jsonServer));

    // The API: the first REST API of the template on the api port (a second one, if any, on the next ports).
    const apis = restApiSpecs(resolver);
    const authorizers = new LambdaAuthorizers((name, event, requestId) =>
      lambda.invoke(name, event, requestId),
    );
    const apiServers: Server[] = [];
    for (const [index, api] of apis.entries()) {
      const server = await startApiServer({
        api,
        lambda,
        authorizers,
        port: ports.api + index,
        onAccess: (line) => log.raw('api', line),
        onError: (message, error) => log.error(`api: ${message}`, error),
      });
      apiServers.push(server);
      cleanups.push(() => closeServer(server));
    }
    if (apis.length === 0) log.warn('the template declares no REST API');

    // Event sources and schedules.
    const { sources, unsupported } = sqsEventSources(resolver);
    if (unsupported.length) log.warn(`event source mappings not run locally: ${unsupported.join(', ')}`);
    for (const source of sources.filter((candidate) => candidate.enabled)) {
      const poller = startSqsPoller(source, {
        sqs: sqsClient,
        lambda,
        fastRetries: options.fastRetries ?? false,
        onError: (message, error) => log.error(message, error),
      });
      cleanups.push(() => poller.stop());
    }
    const schedules = startSchedules(eventBridge, rules, options.schedules ?? { kind: 'declared' });
    cleanups.push(() => schedules.stop());

    // The hosted UI: the domain of the (first) user pool that has one, as on AWS.
    const pool = userPools.find((candidate) => candidate.domain) ?? userPools[0];
    const client = pool?.clients.find((candidate) => /web/i.test(candidate.name)) ?? pool?.clients[0];
    if (!pool || !client) throw new Error('the template declares no Cognito user pool with an app client');
    if (!pool.domain)
      throw new Error('the template gives the user pool no domain (AWS::Cognito::UserPoolDomain)');
    const hostedUi = await startHostedUi({
      port: ports.hostedUi,
      userPoolId: pool.userPoolId,
      issuer: pool.domain,
      directory: cognito.directory,
      signIn: cognito.signIn,
      onError: (error) => log.error('hosted UI', error),
    });
    cleanups.push(() => hostedUi.stop());
    const redirectUri = client.callbackUrls[0];
    if (!redirectUri) throw new Error(`the app client ${client.name} has no callback URL for the hosted UI`);

    // Demo data.
    const functionEnvironment = Object.assign(
      {},
      ...specs.map((spec) => spec.environment),
      overrides,
    ) as Record<string, string>;
    const demo: DemoSection =
      options.seed === false
        ? { tenants: [], platformUsers: [] }
        : await seedDemo({
            dataDir,
            repoRoot: REPO_ROOT,
            cognitoEndpoint: cognito.url,
            userPoolId: pool.userPoolId,
            hostedUi: { hostedUiUrl: hostedUi.url, clientId: client.clientId, redirectUri },
            hkaTokens: hka.tokens,
            functionEnvironment,
            computeDv: async (ruc) => (await import('#shared/fiscal/ruc-dv')).computeRucDv(ruc, '2'),
            log: (message) => log.info(message),
          });

    const apiUrl = `http://127.0.0.1:${ports.api}`;
    const webConsole = await startConsoleServer({
      port: ports.web,
      distDir: buildConsole(REPO_ROOT),
      apiUrl,
      hostedUiUrl: hostedUi.url,
      clientId: client.clientId,
      workFilesUploadOrigin: new URL(endpoints.s3).origin,
    });
    cleanups.push(() => webConsole.stop());
    const docsPath = apis[0]?.methods.find(
      (method) => method.httpMethod === 'GET' && /docs/.test(method.resourcePath),
    );
    const exampleDocument = 'examples/documents/invoice-taxpayer.json';
    const stack: LocalStack = {
      apiUrl,
      webUrl: webConsole.url,
      docsUrl: `${apiUrl}${docsPath?.resourcePath ?? '/docs'}`,
      mailUrl: ses.url,
      hkaSandboxUrl: hka.url,
      cognito: {
        endpoint: cognito.url,
        userPoolId: pool.userPoolId,
        clientId: client.clientId,
        region: REGION,
        hostedUiUrl: hostedUi.url,
        callbackUrls: client.callbackUrls,
        webClientId: client.clientId,
        callbackUrl: redirectUri,
      },
      authorizerCacheFlushUrl: apis[0]
        ? `${apiUrl}/restapis/${apis[0].id}/stages/${apis[0].stageName}/cache/authorizers`
        : '',
      demo,
      endpoints,
      credentials: { ...CREDENTIALS },
      resources: {
        tables,
        buckets: buckets.map((bucket) => bucket.name),
        queues,
        stateMachines: machines.list().map((machine) => machine.arn),
        functions: specs.map((spec) => spec.name),
      },
      example: {
        document: exampleDocument,
        curl: exampleCurl({
          apiUrl,
          apiKey: demo.tenants[0]?.apiKeys.find((key) => key.role === 'USER')?.secret,
          document: exampleDocument,
        }),
      },
      logFile: join(dataDir, 'logs', 'local.log'),
      startupMs: Date.now() - started,
    };
    // Demo passwords and TOTP secrets are in it: owner only.
    writeFileSync(join(dataDir, 'stack.json'), `${JSON.stringify(stack, null, 2)}\n`, { mode: 0o600 });
    log.info(`local cloud ready in ${stack.startupMs} ms`);
    return {
      stack,
      stop,
      fireSchedules: (ruleName) => schedules.fire(ruleName),
      recentEvents: () => [...eventBridge.recent],
      recentExpressExecutions: () => machines.expressExecutions.recent(),
      advanceClock: (ms) => {
        clockOffsetMs += ms;
        writeFileSync(clockFile, JSON.stringify({ offsetMs: clockOffsetMs }));
        return clockOffsetMs;
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Pushes a started component's `stop` on the cleanup list and passes the component through. */
function track(cleanups: Array<() => Promise<void> | void>) {
  return <T extends { stop(): Promise<void> }>(component: T): T => {
    cleanups.push(() => component.stop());
    return component;
  };
}

/**
 * Issue a document as an integration does: with the first demo tenant's USER API key (a `test` key: HKA's demo
 * environment). People sign in through the hosted UI instead (`npx factu login` prints an ID token).
 */
function exampleCurl(input: { apiUrl: string; apiKey: string | undefined; document: string }): string {
  return [
    `curl -s -X POST ${input.apiUrl}/v1/documents \\`,
    `  -H "Authorization: Bearer ${input.apiKey ?? '<fk_test_… from .local/stack.json>'}" \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -H "Idempotency-Key: $(node -pe 'crypto.randomUUID()')" \\`,
    `  --data @${input.document}`,
  ].join('\n');
}
