/**
 * Bundle benchmark: for every Lambda function of the synthesized app, what it ships and what its cold start
 * costs before the first invocation.
 *
 * - The app is synthesized as `npx tsx infra/app.ts` does it, into a scratch directory; each function is
 *   found by its `factu:entry` metadata, its bundle directory by `aws:asset:path`.
 * - Sizes: `index.mjs`; the initial JavaScript (index.mjs and the chunks it imports statically — what Lambda
 *   loads at init); the lazy chunks (reached only through a dynamic `import()`, loaded on first use); the
 *   whole directory (source maps, XSDs, fonts included).
 * - Module init: the time to `import()` index.mjs in a fresh Node process (process start not counted), with
 *   the function's template environment (intrinsic values replaced by placeholders) and the variables the
 *   Lambda runtime sets. Median of N runs, functions interleaved round by round so background load hits all
 *   alike; also in process CPU time, which a loaded machine inflates much less. Every connection attempted
 *   during the import is recorded and reported (SDK clients must not connect at init; none does).
 * - Top contributors per bundle, by package (node_modules) or source area, from esbuild's metafile of the
 *   same build as the synth's (the house options, one build per function), split into what is loaded at init
 *   and what only on first use.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildSync, type Metafile } from 'esbuild';
import {
  BUNDLE_FILE,
  bundleFilesOf,
  houseBuildOptions,
  MAX_INIT_JS_BYTES,
} from '#infra/bundling/esbuild-bundler';
import { type BenchReport, rounded, summarize, type Table } from './stats';

/** Targets of every function. */
export const BUNDLE_TARGETS = {
  /** Initial JavaScript (index.mjs + static chunks), bytes. */
  initialJsBytes: { max: MAX_INIT_JS_BYTES },
  /** Median module init on this machine, ms. */
  initMedianMs: { max: 150 },
} as const;

const REPO_ROOT = new URL('../', import.meta.url).pathname.replace(/\/$/, '');
const run = promisify(execFile);

type CfnFunction = {
  Type: string;
  Properties?: { Environment?: { Variables?: Record<string, unknown> }; MemorySize?: number };
  Metadata?: Record<string, unknown>;
};

export type FunctionBundle = {
  entry: string;
  logicalId: string;
  dir: string;
  environment: Record<string, string>;
  memoryMb: number;
};

/** Placeholder for a template value only known at deploy time (a Ref, an import, a join of them). */
function resolveIntrinsic(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const node = value as Record<string, unknown>;
  if ('Ref' in node) {
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': 'us-east-1',
      'AWS::AccountId': '123456789012',
      'AWS::URLSuffix': 'amazonaws.com',
    };
    return pseudo[String(node.Ref)] ?? `bench-${String(node.Ref).toLowerCase()}`;
  }
  if ('Fn::Join' in node) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map(resolveIntrinsic).join(separator);
  }
  if ('Fn::ImportValue' in node) return `bench-${resolveIntrinsic(node['Fn::ImportValue']).toLowerCase()}`;
  if ('Fn::GetAtt' in node) return `bench-${(node['Fn::GetAtt'] as string[]).join('-').toLowerCase()}`;
  if ('Fn::Sub' in node) return String(node['Fn::Sub']).replace(/\$\{[^}]+\}/g, 'bench');
  return 'bench';
}

/** Every Lambda function of the synthesized stacks that has a bundle. */
export function functionBundles(assemblyDir: string): FunctionBundle[] {
  const bundles: FunctionBundle[] = [];
  for (const file of readdirSync(assemblyDir)
    .filter((f) => f.endsWith('.template.json'))
    .sort()) {
    const template = JSON.parse(readFileSync(join(assemblyDir, file), 'utf8')) as {
      Resources?: Record<string, CfnFunction>;
    };
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      const entry = resource.Metadata?.['factu:entry'];
      const assetPath = resource.Metadata?.['aws:asset:path'];
      if (
        resource.Type !== 'AWS::Lambda::Function' ||
        typeof entry !== 'string' ||
        typeof assetPath !== 'string'
      )
        continue;
      const variables = resource.Properties?.Environment?.Variables ?? {};
      bundles.push({
        entry,
        logicalId,
        dir: join(assemblyDir, assetPath),
        environment: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, resolveIntrinsic(v)])),
        memoryMb: resource.Properties?.MemorySize ?? 128,
      });
    }
  }
  return bundles.sort((a, b) => a.entry.localeCompare(b.entry));
}

function dirBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, e) => {
    const path = join(dir, e.name);
    return sum + (e.isDirectory() ? dirBytes(path) : statSync(path).size);
  }, 0);
}

/** A package (`node_modules/<pkg>`) or an area of ours (`shared/fiscal`), for the contributor tables. */
function groupOf(input: string): string {
  const pkg = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1]!;
  const parts = input.split('/');
  return parts[0] === 'shared' && parts.length > 2 ? `${parts[0]}/${parts[1]}` : input;
}

type Contributor = { module: string; bytes: number };

/** Bytes per package/area in the given outputs of a metafile, largest first. */
function contributors(metafile: Metafile, outputs: readonly string[]): Contributor[] {
  const totals = new Map<string, number>();
  for (const output of outputs) {
    for (const [input, { bytesInOutput }] of Object.entries(metafile.outputs[output]?.inputs ?? {})) {
      totals.set(groupOf(input), (totals.get(groupOf(input)) ?? 0) + bytesInOutput);
    }
  }
  return [...totals]
    .map(([module, bytes]) => ({ module, bytes }))
    .filter((c) => c.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
}

/** The outputs an entry output reaches in a metafile, split static (init) / lazy. */
function reachable(metafile: Metafile, entryOutput: string): { initial: string[]; lazy: string[] } {
  const walk = (kinds: string[]) => {
    const seen = new Set([entryOutput]);
    const queue = [entryOutput];
    while (queue.length > 0) {
      for (const imported of metafile.outputs[queue.shift()!]?.imports ?? []) {
        if (imported.external || !kinds.includes(imported.kind) || seen.has(imported.path)) continue;
        seen.add(imported.path);
        queue.push(imported.path);
      }
    }
    return [...seen];
  };
  const initial = walk(['import-statement']);
  return { initial, lazy: walk(['import-statement', 'dynamic-import']).filter((f) => !initial.includes(f)) };
}

/**
 * Top contributors of an entry, from esbuild's metafile of a build with the house options (not written):
 * the same build as the synth's, which builds every function on its own.
 */
function contributorsOf(entry: string): { initial: Contributor[]; lazy: Contributor[] } {
  const { metafile } = buildSync({
    ...houseBuildOptions(REPO_ROOT),
    entryPoints: { index: join(REPO_ROOT, entry) },
    entryNames: '[name]',
    outdir: join(tmpdir(), 'factu-bench-bundles'),
    write: false,
  });
  const entryOutput = Object.keys(metafile!.outputs).find((file) => file.endsWith(`/${BUNDLE_FILE}`))!;
  const { initial, lazy } = reachable(metafile!, entryOutput);
  return { initial: contributors(metafile!, initial), lazy: contributors(metafile!, lazy) };
}

/** Records connection attempts made while the bundle is imported (nothing should connect at init). */
const NETWORK_PROBE = `data:text/javascript,${encodeURIComponent(`
import net from 'node:net';
const attempts = [];
globalThis.__initConnections = attempts;
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const target = args[0] && typeof args[0] === 'object' ? (args[0].host ?? '') + ':' + (args[0].port ?? args[0].path) : String(args[0]);
  attempts.push(target);
  return connect.apply(this, args);
};`)}`;

const IMPORT_AND_TIME = `
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const module = await import('./${BUNDLE_FILE}');
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
await new Promise((resolve) => setImmediate(resolve));
process.stdout.write(JSON.stringify({
  wallMs,
  cpuMs: (cpu.user + cpu.system) / 1000,
  handler: typeof module.handler,
  connections: globalThis.__initConnections,
}));
process.exit(0);`;

type InitSample = { wallMs: number; cpuMs: number; handler: string; connections: string[] };

/** One cold import of a function's bundle in a fresh process, as the Lambda runtime would do it. */
async function coldImport(fn: FunctionBundle): Promise<InitSample> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    TZ: 'UTC',
    LANG: 'en_US.UTF-8',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'ASIABENCHBENCHBENCH0',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SESSION_TOKEN: 'bench',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    LAMBDA_TASK_ROOT: fn.dir,
    _HANDLER: 'index.handler',
    ...fn.environment,
  };
  const { stdout } = await run(
    process.execPath,
    ['--import', NETWORK_PROBE, '--input-type=module', '-e', IMPORT_AND_TIME],
    { cwd: fn.dir, env, maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as InitSample;
}

/** Synthesizes the app into `outdir` exactly as `npx tsx infra/app.ts` does. */
async function synthesize(outdir: string): Promise<void> {
  await run(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'infra', 'app.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: '', FACTU_LOCAL_SYNTH: '' },
    maxBuffer: 64 * 1024 * 1024,
  });
}

const kb = (bytes: number) => (bytes / 1024).toFixed(0);
const top = (list: Contributor[], n: number) =>
  list
    .slice(0, n)
    .map((c) => `${c.module} ${kb(c.bytes)}`)
    .join(', ');

export async function runBundlesBench(options: { quick?: boolean } = {}): Promise<BenchReport> {
  const runs = options.quick ? 3 : 9;
  const assemblyDir = mkdtempSync(join(tmpdir(), 'factu-bench-assembly-'));
  try {
    const t0 = Date.now();
    await synthesize(assemblyDir);
    const synthMs = Date.now() - t0;
    const functions = functionBundles(assemblyDir).filter((fn) => existsSync(join(fn.dir, BUNDLE_FILE)));

    const samples = new Map<string, InitSample[]>(functions.map((fn) => [fn.entry, []]));
    for (let round = 0; round < runs; round++) {
      for (const fn of functions) samples.get(fn.entry)!.push(await coldImport(fn));
    }

    const rows = functions.map((fn) => {
      const files = bundleFilesOf(fn.dir);
      const size = (list: string[]) => list.reduce((sum, f) => sum + statSync(join(fn.dir, f)).size, 0);
      const taken = samples.get(fn.entry)!;
      const found = contributorsOf(fn.entry);
      return {
        entry: fn.entry,
        indexBytes: statSync(join(fn.dir, BUNDLE_FILE)).size,
        initialJsBytes: size(files.initial),
        lazyJsBytes: size(files.lazy),
        dirBytes: dirBytes(fn.dir),
        initialFiles: files.initial.length,
        lazyFiles: files.lazy.length,
        initMs: rounded(summarize(taken.map((s) => s.wallMs)), 1),
        initCpuMs: rounded(summarize(taken.map((s) => s.cpuMs)), 1),
        handlerExported: taken.every((s) => s.handler === 'function'),
        connectionsAtInit: [...new Set(taken.flatMap((s) => s.connections))],
        topInitial: found.initial.slice(0, 10),
        topLazy: found.lazy.slice(0, 10),
      };
    });

    const overSize = rows
      .filter((r) => r.initialJsBytes > BUNDLE_TARGETS.initialJsBytes.max)
      .map((r) => r.entry);
    const overInit = rows
      .filter((r) => r.initMs.median > BUNDLE_TARGETS.initMedianMs.max)
      .map((r) => r.entry);
    const byName = (entry: string) => entry.replace(/^functions\//, '').replace(/\.ts$/, '');
    const table: Table = {
      title: `Bundles and module init (median of ${runs} cold imports; KB = 1024 bytes)`,
      headers: [
        'function',
        'index KB',
        'init JS KB',
        'lazy KB',
        'dir KB',
        'init ms',
        'init CPU ms',
        'largest at init',
      ],
      rows: [...rows]
        .sort((a, b) => b.initialJsBytes - a.initialJsBytes)
        .map((r) => [
          byName(r.entry),
          kb(r.indexBytes),
          kb(r.initialJsBytes),
          kb(r.lazyJsBytes),
          kb(r.dirBytes),
          r.initMs.median.toFixed(0),
          r.initCpuMs.median.toFixed(0),
          top(r.topInitial, 4),
        ]),
      notes: [
        `targets: init JS ≤ ${BUNDLE_TARGETS.initialJsBytes.max} bytes (over: ${overSize.length ? overSize.map(byName).join(', ') : 'none'}); init median ≤ ${BUNDLE_TARGETS.initMedianMs.max} ms (over: ${overInit.length ? overInit.map(byName).join(', ') : 'none'})`,
        'lazy: chunks behind a dynamic import(), loaded on the first call that needs them (HKA SOAP stack, pdfkit, xml-crypto)',
        `handler exported after import: ${
          rows.every((r) => r.handlerExported)
            ? 'every function'
            : `missing in ${rows
                .filter((r) => !r.handlerExported)
                .map((r) => byName(r.entry))
                .join(', ')}`
        }`,
        `connections attempted at init: ${
          rows.some((r) => r.connectionsAtInit.length > 0)
            ? rows
                .filter((r) => r.connectionsAtInit.length)
                .map((r) => `${byName(r.entry)} → ${r.connectionsAtInit.join(' ')}`)
                .join('; ')
            : 'none'
        }`,
      ],
    };
    const lazyTable: Table = {
      title: 'Lazily loaded chunks (first use only)',
      headers: ['function', 'lazy KB', 'largest lazy'],
      rows: rows
        .filter((r) => r.lazyJsBytes > 0)
        .sort((a, b) => b.lazyJsBytes - a.lazyJsBytes)
        .map((r) => [byName(r.entry), kb(r.lazyJsBytes), top(r.topLazy, 5)]),
    };
    return {
      results: {
        runs,
        synthMs,
        targets: BUNDLE_TARGETS,
        summary: {
          functions: rows.length,
          maxInitialJsBytes: Math.max(...rows.map((r) => r.initialJsBytes)),
          maxInitMedianMs: Math.max(...rows.map((r) => r.initMs.median)),
          overSize,
          overInit,
        },
        functions: rows,
      },
      tables: [table, lazyTable],
    };
  } finally {
    rmSync(assemblyDir, { recursive: true, force: true });
  }
}
