import { App, type IPolicyValidationPlugin, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { LOCAL_CONSOLE_ORIGIN, loadConfig, loadKeepStatefulWebClient, readCdkJsonContext } from './config';
import { routesByStackGroup } from './route-stacks';
import { apiRoutes } from './routes';
import { ApiStack } from './stacks/api-stack';
import { RoutesStack } from './stacks/routes-stack';
import { StatefulStack } from './stacks/stateful-stack';
import { StatelessStack } from './stacks/stateless-stack';

export const STATEFUL_STACK_NAME = 'Factu-Stateful';
/** The core stateless stack (pipeline, messaging, e-mail, event functions, alarms). */
export const STATELESS_STACK_NAME = 'Factu-Stateless';
export const API_STACK_NAME = 'Factu-Api';
/** `Factu-Routes-<Group>`: the functions of one group of routes (infra/route-stacks.ts). */
export const routesStackName = (group: string) => `Factu-Routes-${group}`;

export interface FactuApp {
  readonly app: App;
  readonly stateful: StatefulStack;
  /** The core stateless stack. */
  readonly stateless: StatelessStack;
  readonly routes: readonly RoutesStack[];
  readonly api: ApiStack;
}

export interface BuildAppOptions {
  /** Cloud assembly directory (default: `CDK_OUTDIR`, set by the CLI, or a temp dir). */
  readonly outdir?: string;
  /** Extra context on top of cdk.json's (the CLI's `-c` still wins). */
  readonly context?: Record<string, unknown>;
  /**
   * Run the cdk-nag packs. Default: on, except when `FACTU_LOCAL_SYNTH=1` (set by local/synth.ts: the
   * local cloud's assembly is never deployed, and the packs cost 10–16 s of its start-up). The AWS synth
   * (`cdk synth`) and the tests always run them.
   */
  readonly nag?: boolean;
  /**
   * Let the web client accept the local cloud's console (`http://localhost:5173`). Default: on only for the
   * local cloud's synth (`FACTU_LOCAL_SYNTH=1`): a deployed client accepts no `http://localhost` console
   * unless `auth.callbackUrls` names one.
   */
  readonly localConsole?: boolean;
}

/** Whether this process synthesizes for the local cloud only (local/synth.ts sets FACTU_LOCAL_SYNTH=1). */
export function isLocalSynth(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.FACTU_LOCAL_SYNTH === '1';
}

/** The cdk-nag packs every synth runs. */
export function nagPacks(scope: IConstruct): IPolicyValidationPlugin[] {
  return [new AwsSolutionsChecks(scope), new ServerlessChecks(scope)];
}

/**
 * Builds the factu App: the stateful stack, the core stateless stack, one stack per group of route functions
 * and the API stack (dependencies: stateful ← core ← routes ← API; no stack imports a function's ARN), plus cdk-nag (AwsSolutions + Serverless) as validation plugins, so
 * any unacknowledged finding fails the synth and is listed in the assembly's validation report.
 *
 * Context: cdk.json's `context` is always the base (so `tsx infra/app.ts`, the tests and `cdk synth` build
 * the same templates); the CLI's context (`-c`) overrides it. Asset and path metadata are always on, so
 * the local cloud finds each function's bundle (`aws:asset:path`) however the app was synthesized.
 */
export function buildApp(options: BuildAppOptions = {}): FactuApp {
  const app = new App({
    outdir: options.outdir,
    analyticsReporting: false,
    context: {
      'aws:cdk:enable-path-metadata': true,
      'aws:cdk:enable-asset-metadata': true,
      ...readCdkJsonContext(),
      ...options.context,
    },
  });
  const config = loadConfig(app);
  const localConsole = options.localConsole ?? isLocalSynth();
  const stateful = new StatefulStack(app, STATEFUL_STACK_NAME, {
    stackName: STATEFUL_STACK_NAME,
    description: 'factu — stateful resources (table, documents bucket, keys, user pool, secrets)',
    config,
    terminationProtection: true,
    ...(localConsole ? { localConsoleOrigin: LOCAL_CONSOLE_ORIGIN } : {}),
    keepPreMoveWebClient: loadKeepStatefulWebClient(app),
  });
  const stateless = new StatelessStack(app, STATELESS_STACK_NAME, {
    stackName: STATELESS_STACK_NAME,
    description: 'factu — issuing pipeline, messaging, e-mail, event functions, alarms',
    config,
    statefulStackName: STATEFUL_STACK_NAME,
  });
  stateless.addStackDependency(stateful, 'imports the stateful exports');
  const names = { config, statefulStackName: STATEFUL_STACK_NAME, coreStackName: STATELESS_STACK_NAME };
  const routes = [...routesByStackGroup(apiRoutes)].map(([group, groupRoutes]) => {
    const stackName = routesStackName(group);
    const stack = new RoutesStack(app, stackName, {
      stackName,
      description: `factu — functions of the ${group} API routes`,
      ...names,
      routes: groupRoutes,
    });
    stack.addStackDependency(stateful, 'imports the stateful exports');
    stack.addStackDependency(stateless, 'imports the core exports');
    return stack;
  });
  const api = new ApiStack(app, API_STACK_NAME, {
    stackName: API_STACK_NAME,
    description: 'factu — REST API, authorizer, API alarm, web console',
    ...names,
    routes: apiRoutes,
    ...(localConsole ? { localConsoleOrigin: LOCAL_CONSOLE_ORIGIN } : {}),
  });
  api.addStackDependency(stateful, 'imports the stateful exports');
  api.addStackDependency(stateless, 'imports the core exports');
  for (const stack of routes)
    api.addStackDependency(stack, 'its methods invoke the functions of this stack by name');
  if (options.nag ?? !isLocalSynth()) Validations.of(app).addPlugins(...nagPacks(app));
  return { app, stateful, stateless, routes, api };
}

// `cdk synth` (cdk.json: `npx tsx infra/app.ts`) runs this file; tests import buildApp() instead.
if (import.meta.url === `file://${process.argv[1]}`) {
  buildApp().app.synth();
}
