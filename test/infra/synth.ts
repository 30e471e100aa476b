import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import type { App } from 'aws-cdk-lib';
import { buildApp, STATEFUL_STACK_NAME } from '#infra/app';
import { REPO_ROOT } from '#infra/config';

export type CfnResource = {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  DependsOn?: string[] | string;
};
export type CfnTemplate = {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: string } }>;
  Mappings?: Record<string, unknown>;
};
export type ValidationReport = {
  pluginReports?: { pluginName?: string; conclusion?: string; violations?: unknown[] }[];
} & Record<string, unknown>;

export interface Synthesized {
  /** The cloud assembly directory. */
  readonly outdir: string;
  /**
   * `stateless`: the resources and outputs of every stateless stack (core, route functions, API) in one
   * template, for checks that do not care which stack holds a resource (logical ids are unique across them).
   */
  readonly templates: { stateful: CfnTemplate; stateless: CfnTemplate };
  /** Every stack's own template, by stack name. */
  readonly stacks: Record<string, CfnTemplate>;
  /** The CDK validation report (cdk-nag findings) of this synth. */
  readonly validationReport: ValidationReport;
  /** Assembly metadata: construct path → metadata entries (acknowledgements live here); stateless = all stateless stacks. */
  readonly metadata: { stateful: StackMetadata; stateless: StackMetadata };
}
export type StackMetadata = Record<string, { type: string; data: unknown }[]>;

/** Inputs that change what the synth produces. */
const INPUT_DIRS = ['infra', 'state-machines', 'functions', 'shared', 'web/src'];
const INPUT_FILES = [
  'cdk.json',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  // The web console, built into the Factu-Web deployment asset.
  'web/index.html',
  'web/vite.config.ts',
  'web/build.ts',
  'web/security-headers.ts',
];
const CACHE_ROOT = join(REPO_ROOT, 'node_modules', '.cache', 'factu-infra-synth');

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : listFiles(path);
    return e.isFile() ? [path] : [];
  });
}

/** Content hash of every synth input (sources of infra, state machines, handlers, shared, configs). */
export function sourceKey(): string {
  const hash = createHash('sha256');
  const files = [
    ...INPUT_DIRS.flatMap((d) => listFiles(join(REPO_ROOT, d))),
    ...INPUT_FILES.map((f) => join(REPO_ROOT, f)),
  ]
    .filter((f) => existsSync(f))
    .sort();
  for (const file of files) {
    hash.update(relative(REPO_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 24);
}

/** Stack names of a cloud assembly (its manifest's CloudFormation stack artifacts). */
export function stackNamesOf(outdir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
    artifacts?: Record<string, { type: string; properties?: { stackName?: string } }>;
  };
  return Object.entries(manifest.artifacts ?? {})
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
    .map(([id, artifact]) => artifact.properties?.stackName ?? id)
    .sort();
}

/** One template of the resources and outputs of several; a logical id used twice is an error. */
export function mergeTemplates(templates: Record<string, CfnTemplate>): CfnTemplate {
  const merged: CfnTemplate = { Resources: {}, Outputs: {} };
  for (const [stackName, template] of Object.entries(templates)) {
    for (const [section, entries] of [
      ['Resources', template.Resources],
      ['Outputs', template.Outputs ?? {}],
    ] as const) {
      const target = merged[section] as Record<string, unknown>;
      for (const [logicalId, value] of Object.entries(entries)) {
        if (logicalId in target)
          throw new Error(`${stackName}: ${section} ${logicalId} also in another stack`);
        target[logicalId] = value;
      }
    }
  }
  return merged;
}

function load(outdir: string): Synthesized {
  const json = <T>(file: string) => JSON.parse(readFileSync(join(outdir, file), 'utf8')) as T;
  const names = stackNamesOf(outdir);
  const stacks = Object.fromEntries(names.map((name) => [name, json<CfnTemplate>(`${name}.template.json`)]));
  const statelessNames = names.filter((name) => name !== STATEFUL_STACK_NAME);
  return {
    outdir,
    templates: {
      stateful: stacks[STATEFUL_STACK_NAME]!,
      stateless: mergeTemplates(Object.fromEntries(statelessNames.map((name) => [name, stacks[name]!]))),
    },
    stacks,
    validationReport: json<ValidationReport>('validation-report.json'),
    metadata: {
      stateful: json<StackMetadata>(`${STATEFUL_STACK_NAME}.metadata.json`),
      stateless: Object.assign(
        {},
        ...statelessNames.map((name) => json<StackMetadata>(`${name}.metadata.json`)),
      ) as StackMetadata,
    },
  };
}

/**
 * `app.synth()` that tolerates a failed validation (cdk-nag findings): the assembly and its
 * validation-report.json are written anyway, and the tests report the findings as failed assertions.
 */
export function synthTolerant(app: App): { validationFailed: boolean } {
  const exitCodeBefore = process.exitCode;
  try {
    app.synth();
    return { validationFailed: false };
  } catch (error) {
    if ((error as Error).name === 'ValidationFailed') return { validationFailed: true };
    throw error;
  } finally {
    process.exitCode = exitCodeBefore;
  }
}

/** Synthesizes the real app (real esbuild bundling, cdk-nag always on) in this process into `outdir`. */
export function synthInProcess(outdir: string): App {
  const { app } = buildApp({ outdir, nag: true });
  synthTolerant(app);
  return app;
}

/** Synthesizes the real app in a fresh Node process (as `tsx infra/app.ts` does) into `outdir`. */
export async function synthInSubprocess(outdir: string): Promise<void> {
  await promisify(execFile)(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'infra', 'app.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: '', FACTU_LOCAL_SYNTH: '' },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Keeps the cache small: drops every entry but the current one once it is older than an hour. */
function pruneCache(currentKey: string): void {
  for (const entry of readdirSync(CACHE_ROOT)) {
    if (entry === currentKey || entry.endsWith('.lock')) continue;
    const path = join(CACHE_ROOT, entry);
    try {
      if (Date.now() - statSync(path).mtimeMs > 60 * 60_000) rmSync(path, { recursive: true, force: true });
    } catch {}
  }
}

let cached: Synthesized | undefined;

/**
 * The real synth (bundling ~37 functions), shared by all infra test files: the first worker synthesizes
 * into node_modules/.cache/factu-infra-synth/<content hash of the inputs>, the others wait for it and read
 * the same cloud assembly. A change to any input gives a new key, hence a fresh synth.
 */
export async function synth(): Promise<Synthesized> {
  if (cached) return cached;
  const key = sourceKey();
  const dir = join(CACHE_ROOT, key);
  const lock = `${dir}.lock`;
  mkdirSync(CACHE_ROOT, { recursive: true });
  const deadline = Date.now() + 10 * 60_000;
  while (!existsSync(join(dir, 'manifest.json'))) {
    let owner = false;
    try {
      mkdirSync(lock);
      owner = true;
    } catch {
      // Someone else is synthesizing; a lock older than 10 minutes is stale.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 10 * 60_000) rmSync(lock, { recursive: true, force: true });
      } catch {}
    }
    if (owner) {
      try {
        const tmp = mkdtempSync(join(CACHE_ROOT, 'tmp-'));
        synthInProcess(tmp);
        writeFileSync(join(tmp, 'SOURCE_KEY'), key);
        rmSync(dir, { recursive: true, force: true });
        renameSync(tmp, dir);
        pruneCache(key);
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
      break;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for the shared synth (${lock})`);
    await new Promise((r) => setTimeout(r, 500));
  }
  cached = load(dir);
  return cached;
}

let tree: App | undefined;

/**
 * The construct tree of the app with bundling skipped (fast): for checks that need constructs rather than
 * templates (cdk-nag's validateScope). Templates are identical apart from asset hashes.
 */
export function constructTree(): App {
  if (tree) return tree;
  const { app } = buildApp({
    outdir: mkdtempSync(join(tmpdir(), 'factu-infra-tree-')),
    context: { 'aws:cdk:bundling-stacks': [] },
    nag: true,
  });
  synthTolerant(app);
  tree = app;
  return tree;
}

/** Resources of one type, by logical id. */
export function resourcesOfType(template: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}
