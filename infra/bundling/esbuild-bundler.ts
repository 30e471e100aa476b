/**
 * The house bundler: esbuild's JS API in this process (`buildSync`), plugged into CDK as local bundling
 * (`ILocalBundling.tryBundle`). ESM for Node 22, minified, source maps without sources content, the
 * createRequire banner (CommonJS dependencies such as the X-Ray SDK under Powertools Tracer call `require`),
 * nothing external (the AWS SDK is bundled), main fields module,main.
 *
 * Code splitting is on, for one reason: a dynamic `import()` becomes a chunk of its own that Lambda loads
 * only when that code path first runs, instead of at every cold start. The code uses it where a measured
 * cold-start cost needs it (the HKA SOAP stack, pdfkit, xml-crypto). A function's bundle is then
 * `index.mjs` plus the chunks it imports (statically: loaded at init; dynamically: on first use), all side by
 * side in its directory. Tree shaking relies on package.json's `"sideEffects": false`: a module of ours none of whose
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
 * - `shared/http/docs-viewer.ts` reads Swagger UI's files with `require.resolve('swagger-ui-dist/…')` →
 *   `<out>/node_modules/swagger-ui-dist/` (the served files, the package's package.json, LICENSE and NOTICE),
 *   where Node's resolution from `index.mjs` finds them. Kept out of the bundle itself: 1.9 MB of text would
 *   be parsed at every cold start and break the init budget below.
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
import { join, relative, resolve, sep } from 'node:path';
import type { ILocalBundling } from 'aws-cdk-lib';
import { type BuildOptions, buildSync } from 'esbuild';
import { VIEWER_PACKAGE, VIEWER_PACKAGE_FILES } from '#shared/http/docs-viewer';

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
const DOCS_VIEWER_MODULE = 'shared/http/docs-viewer.ts';
/** Where a bundle with the API reference viewer finds Swagger UI's files (Node resolution from index.mjs). */
export const VIEWER_PACKAGE_DIR = `node_modules/${VIEWER_PACKAGE}`;

/**
 * Node built-ins bundled through a CommonJS shim (`process.getBuiltinModule`) instead of an ESM `import`.
 * Importing `node:http` as ESM builds a module facade that reads every export, and its lazy `WebSocket`-style
 * getters load Node's bundled undici: ~8 ms of every cold start here (bench/bundles.ts). The shim hands out
 * the very same module object (Powertools Tracer's HTTP patching still applies).
 */
const BUILTIN_SHIMS = ['http', 'https'];

function builtinShimAliases(projectRoot: string): Record<string, string> {
  return Object.fromEntries(
    BUILTIN_SHIMS.flatMap((name) => {
      const shim = join(projectRoot, 'infra', 'bundling', 'builtins', `${name}.cjs`);
      return [
        [name, shim],
        [`node:${name}`, shim],
      ];
    }),
  );
}

/** esbuild options of the house bundle (entry points and outdir apart). */
export function houseBuildOptions(projectRoot: string): BuildOptions {
  return {
    alias: builtinShimAliases(projectRoot),
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

/** A function's bundle as built: its directory, its files (index.mjs, chunks, maps), its sources. */
export type BuiltBundle = {
  dir: string;
  files: string[];
  /** Repo-relative source files bundled into index.mjs and its chunks. */
  inputs: string[];
};

/**
 * Builds one handler into `outdir` with the house options: `index.mjs` and its chunks, every source map made
 * repo-relative. Everything the build writes belongs to this one bundle.
 */
export function buildBundle(entry: string, outdir: string, projectRoot: string): BuiltBundle {
  // esbuild names chunks after a hash that covers their source maps, whose paths are relative to where the
  // build writes: building in a staging directory at a fixed depth under the project makes the chunk names
  // (and so the asset hash) the same whatever `outdir` CDK asks for. Unique per build, so parallel synths
  // never share one.
  const stagingRoot = join(projectRoot, 'node_modules', '.cache');
  mkdirSync(stagingRoot, { recursive: true });
  const staging = mkdtempSync(join(stagingRoot, 'factu-bundle-'));
  try {
    const result = buildSync({
      ...houseBuildOptions(projectRoot),
      entryPoints: { index: join(projectRoot, entry) },
      entryNames: '[name]',
      outdir: staging,
    });
    if (result.errors.length > 0) throw new Error(`esbuild failed for ${entry}`);
    mkdirSync(outdir, { recursive: true });
    const files = Object.keys(result.metafile!.outputs)
      .map((file) => {
        const built = resolve(projectRoot, file);
        // Made repo-relative where esbuild wrote it, before the move.
        if (built.endsWith('.map')) normalizeSourceMap(built, projectRoot);
        const target = join(outdir, relative(staging, built));
        copyFileSync(built, target);
        return target;
      })
      .sort();
    const inputs = Object.keys(result.metafile!.inputs).map((input) => input.split(sep).join('/'));
    return { dir: outdir, files, inputs: inputs.sort() };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
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
  if (inputs.includes(DOCS_VIEWER_MODULE)) {
    const target = join(outputDir, VIEWER_PACKAGE_DIR);
    mkdirSync(target, { recursive: true });
    for (const file of VIEWER_PACKAGE_FILES) {
      copyFileSync(join(projectRoot, VIEWER_PACKAGE_DIR, file), join(target, file));
      shipped.push(`${VIEWER_PACKAGE_DIR}/${file}`);
    }
  }
  return shipped;
}

/** Bundles one handler into `outputDir` (index.mjs, its chunks, their maps, run-time files). */
export function bundleHandler(entry: string, outputDir: string, projectRoot: string): BuiltBundle {
  const bundle = buildBundle(entry, outputDir, projectRoot);
  shipRuntimeFiles(outputDir, projectRoot, bundle.inputs);
  return bundle;
}

/**
 * Local bundling of one handler, in process: its own esbuild build. Why not one build for every handler
 * (faster): with code splitting esbuild decides what is used once per build, so a function would also load
 * what only other functions use from a module they share; a build of its own keeps each bundle to its own
 * import graph, and its asset hash to its own sources. Its fields are part of CDK's asset cache key (the
 * bundling options are serialized), so `entry` must stay an own enumerable field.
 */
export class HouseBundler implements ILocalBundling {
  constructor(
    readonly entry: string,
    readonly projectRoot: string,
  ) {}

  tryBundle(outputDir: string): boolean {
    bundleHandler(this.entry, outputDir, this.projectRoot);
    return true;
  }
}
