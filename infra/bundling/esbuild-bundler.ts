/**
 * The house bundler: esbuild's JS API in this process (`buildSync`), plugged into CDK as local bundling
 * (`ILocalBundling.tryBundle`). ESM for Node 22, minified, source maps without sources content, the
 * createRequire banner, nothing external (the AWS SDK is bundled), main fields module,main.
 *
 * Code splitting is on, for one reason: a dynamic `import()` becomes a chunk of its own that Lambda loads
 * only when that code path first runs, instead of at every cold start. The code uses it where a measured
 * cold-start cost needs it (the HKA SOAP stack, pdfkit). A function's bundle is then `index.mjs` plus the
 * chunks it imports (statically: loaded at init; dynamically: on first use), all side by side in its
 * directory. Tree shaking relies on package.json's `"sideEffects": false`: a module of ours none of whose
 * exports is used is left out, so re-export barrels cost nothing.
 *
 * After bundling it rewrites the source maps to repo-relative paths (the asset hash must not depend on the
 * output directory) and ships the files a bundle reads at run time, decided from esbuild's metafile:
 *
 * - `shared/fiscal/xsd.ts` reads the DGI schemas from `./xsd/` next to itself → `<out>/xsd/*.xsd`.
 * - pdfkit 0.20 loads its standard-font metrics with `createRequire(import.meta.url)('#standard-fonts/<Name>')`
 *   (a package `imports` specifier that esbuild cannot see, resolved at run time against the nearest
 *   package.json of the bundle) → `<out>/package.json` with the same `imports` mapping and
 *   `<out>/pdfkit/standard-fonts/` (the font modules); plus `<out>/data/sRGB_IEC61966_2_1.icc`, which it
 *   reads from `new URL('./data/…', import.meta.url)` for PDF/A output.
 * - The HKA WSDL is not needed: `shared/hka/wsdl-loader.ts` renders it in memory when the file is absent.
 *
 * Chunks sit next to `index.mjs`, so `import.meta.url`-relative reads resolve the same from any of them.
 */
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve, sep } from 'node:path';
import type { ILocalBundling } from 'aws-cdk-lib';
import { type BuildOptions, buildSync, type Metafile } from 'esbuild';

/** The ESM banner that gives bundled CommonJS dependencies a working `require`. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

/** The bundle file and its source map, as the Lambda handler `index.handler` expects them. */
export const BUNDLE_FILE = 'index.mjs';

/**
 * The most JavaScript a function may load at init (index.mjs and its static chunks): 1 MB (MiB). Held by
 * test/infra/bundles.test.ts; bench/bundles.ts reports each function against it.
 */
export const MAX_INIT_JS_BYTES = 1024 * 1024;

/** Where a bundle that validates XML against the DGI schemas finds them (shared/fiscal/xsd.ts). */
export const XSD_DIR = 'xsd';
/** Where a bundle with pdfkit finds its standard-font modules (through `<out>/package.json` `imports`). */
export const PDFKIT_FONTS_DIR = 'pdfkit/standard-fonts';

const XSD_MODULE = 'shared/fiscal/xsd.ts';
const XSD_SOURCE_DIR = 'shared/fiscal/xsd';
const PDFKIT_DIR = 'node_modules/pdfkit';

/** esbuild options of the house bundle (entry points and outdir apart). */
export function houseBuildOptions(projectRoot: string): BuildOptions {
  return {
    absWorkingDir: projectRoot,
    bundle: true,
    format: 'esm',
    target: 'node22',
    platform: 'node',
    mainFields: ['module', 'main'],
    external: [],
    minify: true,
    splitting: true,
    chunkNames: 'chunk-[hash]',
    outExtension: { '.js': '.mjs' },
    sourcemap: true,
    sourcesContent: false,
    banner: { js: ESM_REQUIRE_BANNER },
    logLevel: 'warning',
    metafile: true,
  };
}

/** Rewrites the `sources` of a source map relative to the project root. */
export function normalizeSourceMap(mapFile: string, projectRoot: string): void {
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[] };
  const dir = resolve(mapFile, '..');
  map.sources = map.sources.map((source) => relative(projectRoot, resolve(dir, source)).split(sep).join('/'));
  writeFileSync(mapFile, JSON.stringify(map));
}

/** One entry's output: its file and the chunks it reaches, with the repo-relative inputs of all of them. */
export type BuiltBundle = {
  /** Absolute path of the entry's output file. */
  entryFile: string;
  /** Chunks imported statically (transitively): Lambda loads them at init, with the entry file. */
  staticChunks: string[];
  /** Chunks reached only through a dynamic `import()`: loaded when that code path first runs. */
  lazyChunks: string[];
  /** Repo-relative source files in the entry file and every chunk it reaches. */
  inputs: string[];
};

const toPosix = (path: string) => path.split(sep).join('/');

/** Every output of the build that `entry` reaches, split by how it is imported. */
function bundleOf(metafile: Metafile, projectRoot: string, entryFile: string): BuiltBundle {
  const outputs = new Map(
    Object.entries(metafile.outputs).map(([file, out]) => [resolve(projectRoot, file), out]),
  );
  const reach = (kinds: readonly string[]) => {
    const seen = new Set<string>([entryFile]);
    const queue = [entryFile];
    while (queue.length > 0) {
      for (const imported of outputs.get(queue.shift()!)?.imports ?? []) {
        if (imported.external || !kinds.includes(imported.kind)) continue;
        const file = resolve(projectRoot, imported.path);
        if (!seen.has(file)) {
          seen.add(file);
          queue.push(file);
        }
      }
    }
    seen.delete(entryFile);
    return [...seen].sort();
  };
  const staticChunks = reach(['import-statement']);
  const lazyChunks = reach(['import-statement', 'dynamic-import']).filter((f) => !staticChunks.includes(f));
  const inputs = new Set<string>();
  for (const file of [entryFile, ...staticChunks, ...lazyChunks]) {
    for (const input of Object.keys(outputs.get(file)?.inputs ?? {})) inputs.add(toPosix(input));
  }
  return { entryFile, staticChunks, lazyChunks, inputs: [...inputs].sort() };
}

/**
 * Builds entry points (output name → repo-relative entry) into `outdir` with the house options: one esbuild
 * build, so shared code and the SDK are parsed once. Every source map is made repo-relative.
 */
export function buildBundles(
  entries: Record<string, string>,
  outdir: string,
  projectRoot: string,
): Map<string, BuiltBundle> {
  const result = buildSync({
    ...houseBuildOptions(projectRoot),
    entryPoints: Object.fromEntries(
      Object.entries(entries).map(([name, entry]) => [name, join(projectRoot, entry)]),
    ),
    entryNames: '[name]',
    outdir,
  });
  if (result.errors.length > 0) throw new Error('esbuild failed');
  for (const file of readdirSync(outdir)) {
    if (file.endsWith('.map')) normalizeSourceMap(join(outdir, file), projectRoot);
  }
  const bundles = new Map<string, BuiltBundle>();
  for (const name of Object.keys(entries)) {
    bundles.set(name, bundleOf(result.metafile!, projectRoot, join(outdir, `${name}.mjs`)));
  }
  return bundles;
}

const CHUNK_REFERENCE = /(import\()?"\.\/(chunk-[A-Za-z0-9]+\.mjs)"/g;

/**
 * The JavaScript files of a bundle directory, read from the files themselves: `initial` is what Lambda
 * loads at init (index.mjs and the chunks it imports statically, transitively), `lazy` the chunks only a
 * dynamic `import()` reaches.
 */
export function bundleFilesOf(dir: string): { initial: string[]; lazy: string[] } {
  const initial = new Set<string>([BUNDLE_FILE]);
  const all = new Set<string>([BUNDLE_FILE]);
  const visit = (file: string, loadedAtInit: boolean) => {
    const code = readFileSync(join(dir, file), 'utf8');
    for (const [, dynamic, chunk] of code.matchAll(CHUNK_REFERENCE)) {
      if (loadedAtInit && !dynamic && !initial.has(chunk!)) {
        initial.add(chunk!);
        all.add(chunk!);
        visit(chunk!, true);
      } else if (!all.has(chunk!)) {
        all.add(chunk!);
        visit(chunk!, false);
      }
    }
  };
  visit(BUNDLE_FILE, true);
  return { initial: [...initial], lazy: [...all].filter((file) => !initial.has(file)).sort() };
}

/** Copies the files the bundle reads at run time next to it (see the module comment). */
export function shipRuntimeFiles(
  outputDir: string,
  projectRoot: string,
  inputs: readonly string[],
): string[] {
  const shipped: string[] = [];
  if (inputs.includes(XSD_MODULE)) {
    const source = join(projectRoot, XSD_SOURCE_DIR);
    const target = join(outputDir, XSD_DIR);
    mkdirSync(target, { recursive: true });
    for (const file of readdirSync(source).sort()) {
      if (!file.endsWith('.xsd')) continue;
      copyFileSync(join(source, file), join(target, file));
      shipped.push(`${XSD_DIR}/${file}`);
    }
  }
  if (inputs.some((p) => p.startsWith(`${PDFKIT_DIR}/`))) {
    const pdfkitJs = join(projectRoot, PDFKIT_DIR, 'js');
    const pkg = JSON.parse(readFileSync(join(projectRoot, PDFKIT_DIR, 'package.json'), 'utf8')) as {
      imports?: Record<string, unknown>;
    };
    const fontsImport = pkg.imports?.['#standard-fonts/*'];
    if (fontsImport !== './js/standard-fonts/*.cjs') {
      throw new Error(
        `pdfkit's "#standard-fonts/*" import changed (${JSON.stringify(fontsImport)}): update infra/bundling/esbuild-bundler.ts`,
      );
    }
    cpSync(join(pdfkitJs, 'standard-fonts'), join(outputDir, PDFKIT_FONTS_DIR), {
      recursive: true,
      filter: (src) => !src.endsWith('.mjs') && !src.endsWith('.map'),
    });
    writeFileSync(
      join(outputDir, 'package.json'),
      `${JSON.stringify({ private: true, imports: { '#standard-fonts/*': `./${PDFKIT_FONTS_DIR}/*.cjs` } }, null, 2)}\n`,
    );
    mkdirSync(join(outputDir, 'data'), { recursive: true });
    copyFileSync(
      join(pdfkitJs, 'data', 'sRGB_IEC61966_2_1.icc'),
      join(outputDir, 'data', 'sRGB_IEC61966_2_1.icc'),
    );
    shipped.push('package.json', `${PDFKIT_FONTS_DIR}/`, 'data/sRGB_IEC61966_2_1.icc');
  }
  return shipped;
}

/** Copies a bundle built elsewhere (index.mjs, its chunks, their maps) into a function's directory, then the run-time files. */
export function installBundle(bundle: BuiltBundle, outputDir: string, projectRoot: string): void {
  for (const file of [bundle.entryFile, ...bundle.staticChunks, ...bundle.lazyChunks]) {
    for (const path of [file, `${file}.map`]) copyFileSync(path, join(outputDir, basename(path)));
  }
  shipRuntimeFiles(outputDir, projectRoot, bundle.inputs);
}

/** Bundles one handler into `outputDir` (index.mjs, its chunks, their maps, run-time files). */
export function bundleHandler(entry: string, outputDir: string, projectRoot: string): BuiltBundle {
  const bundle = buildBundles({ index: entry }, outputDir, projectRoot).get('index')!;
  shipRuntimeFiles(outputDir, projectRoot, bundle.inputs);
  return bundle;
}

type Batch = { dir: string; bundles: Map<string, BuiltBundle> };
const batches = new Map<string, Batch>();

/**
 * Bundles many handlers, each in an esbuild build of its own, into a scratch directory: once per process
 * and set of entries (the first function to bundle builds them all); removed when the process exits.
 *
 * One build per function rather than one for all: with code splitting, esbuild decides what is used once
 * for the whole build, so a function would also load what only other functions use from a module they
 * share; a build of its own keeps each bundle to its own import graph (and its asset hash to its sources).
 */
function batchFor(entries: readonly string[], projectRoot: string): Batch {
  const sorted = [...new Set(entries)].sort();
  const key = JSON.stringify([projectRoot, sorted]);
  const cached = batches.get(key);
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'factu-bundles-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const bundles = new Map(
    sorted.map((entry, i) => {
      const outdir = join(dir, `e${String(i).padStart(3, '0')}`);
      return [entry, buildBundles({ index: entry }, outdir, projectRoot).get('index')!];
    }),
  );
  const batch = { dir, bundles };
  batches.set(key, batch);
  return batch;
}

/**
 * Local bundling of one handler, in process. With `batch` (every entry the app bundles), the first function
 * builds all of them in one esbuild build and each function then takes its own output; without, it is built
 * alone. Its fields are part of CDK's asset cache key (the bundling options are serialized), so `entry` must
 * stay an own enumerable field.
 */
export class HouseBundler implements ILocalBundling {
  constructor(
    readonly entry: string,
    readonly projectRoot: string,
    readonly batch: readonly string[] = [],
  ) {}

  tryBundle(outputDir: string): boolean {
    if (!this.batch.includes(this.entry)) {
      bundleHandler(this.entry, outputDir, this.projectRoot);
      return true;
    }
    const bundle = batchFor(this.batch, this.projectRoot).bundles.get(this.entry)!;
    installBundle(bundle, outputDir, this.projectRoot);
    return true;
  }
}
