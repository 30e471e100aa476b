/**
 * The house bundler: esbuild's JS API in this process (`buildSync`), plugged into CDK as local bundling
 * (`ILocalBundling.tryBundle`). Same options the `NodejsFunction` CLI invocation used (ESM, minified, source
 * maps without sources content, the createRequire banner, nothing external, target node22, platform node,
 * main fields module,main), without one `npx esbuild` process per function.
 *
 * After bundling it rewrites the source map to repo-relative paths (the asset hash must not depend on the
 * output directory) and ships the files a bundle reads at run time, decided from esbuild's metafile:
 *
 * - `shared/fiscal/xsd.ts` reads the DGI schemas from `./xsd/` next to itself → `<out>/xsd/*.xsd`.
 * - pdfkit 0.20 loads its standard-font metrics with `createRequire(import.meta.url)('#standard-fonts/<Name>')`
 *   (a package `imports` specifier that esbuild cannot see, resolved at run time against the nearest
 *   package.json of the bundle) → `<out>/package.json` with the same `imports` mapping and
 *   `<out>/pdfkit/standard-fonts/` (the font modules); plus `<out>/data/sRGB_IEC61966_2_1.icc`, which it
 *   reads from `new URL('./data/…', import.meta.url)` for PDF/A output.
 * - The HKA WSDL is not needed: `shared/hka/wsdl-loader.ts` renders it in memory when the file is absent.
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
import { join, relative, resolve, sep } from 'node:path';
import type { ILocalBundling } from 'aws-cdk-lib';
import { type BuildOptions, buildSync, type Metafile } from 'esbuild';

/** The ESM banner that gives bundled CommonJS dependencies a working `require`. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

/** The bundle file and its source map, as the Lambda handler `index.handler` expects them. */
export const BUNDLE_FILE = 'index.mjs';

/** Where a bundle that validates XML against the DGI schemas finds them (shared/fiscal/xsd.ts). */
export const XSD_DIR = 'xsd';
/** Where a bundle with pdfkit finds its standard-font modules (through `<out>/package.json` `imports`). */
export const PDFKIT_FONTS_DIR = 'pdfkit/standard-fonts';

const XSD_MODULE = 'shared/fiscal/xsd.ts';
const XSD_SOURCE_DIR = 'shared/fiscal/xsd';
const PDFKIT_DIR = 'node_modules/pdfkit';

/** esbuild options of the house bundle (entry and outfile apart). */
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
    sourcemap: true,
    sourcesContent: false,
    banner: { js: ESM_REQUIRE_BANNER },
    logLevel: 'warning',
    metafile: true,
  };
}

/** Rewrites the `sources` of `<outputDir>/index.mjs.map` relative to the project root. */
export function normalizeSourceMap(outputDir: string, projectRoot: string): void {
  const mapFile = join(outputDir, `${BUNDLE_FILE}.map`);
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[] };
  map.sources = map.sources.map((source) =>
    relative(projectRoot, resolve(outputDir, source)).split(sep).join('/'),
  );
  writeFileSync(mapFile, JSON.stringify(map));
}

/** Repo-relative input paths of a bundle (esbuild's metafile keys are relative to absWorkingDir). */
function inputsOf(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs).map((p) => p.split(sep).join('/'));
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

/** Bundles one handler into `outputDir` (index.mjs + index.mjs.map + run-time files). */
export function bundleHandler(entry: string, outputDir: string, projectRoot: string): { inputs: string[] } {
  const result = buildSync({
    ...houseBuildOptions(projectRoot),
    entryPoints: [join(projectRoot, entry)],
    outfile: join(outputDir, BUNDLE_FILE),
  });
  if (result.errors.length > 0) throw new Error(`esbuild failed for ${entry}`);
  normalizeSourceMap(outputDir, projectRoot);
  const inputs = inputsOf(result.metafile!);
  shipRuntimeFiles(outputDir, projectRoot, inputs);
  return { inputs };
}

type Batch = { dir: string; outputs: Map<string, { dir: string; inputs: string[] }> };
const batches = new Map<string, Batch>();

/**
 * Bundles many handlers with one esbuild build (one parse of the shared modules and the SDK, outputs
 * linked in parallel). Without code splitting every entry point still gets its own self-contained bundle,
 * the same as a build of that entry alone. Built once per process and set of entries; the scratch
 * directory is removed when the process exits.
 */
function batchFor(entries: readonly string[], projectRoot: string): Batch {
  const sorted = [...new Set(entries)].sort();
  const key = JSON.stringify([projectRoot, sorted]);
  const cached = batches.get(key);
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'factu-bundles-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const name = (i: number) => `e${String(i).padStart(3, '0')}`;
  const result = buildSync({
    ...houseBuildOptions(projectRoot),
    entryPoints: Object.fromEntries(sorted.map((entry, i) => [`${name(i)}/index`, join(projectRoot, entry)])),
    outdir: dir,
    outExtension: { '.js': '.mjs' },
  });
  if (result.errors.length > 0) throw new Error('esbuild failed');
  const outputs = new Map<string, { dir: string; inputs: string[] }>();
  const metaOutputs = result.metafile!.outputs;
  sorted.forEach((entry, i) => {
    const outDir = join(dir, name(i));
    const meta = Object.entries(metaOutputs).find(
      ([file]) => resolve(projectRoot, file) === join(outDir, BUNDLE_FILE),
    );
    if (!meta) throw new Error(`esbuild produced no bundle for ${entry}`);
    normalizeSourceMap(outDir, projectRoot);
    outputs.set(entry, {
      dir: outDir,
      inputs: Object.keys(meta[1].inputs).map((p) => p.split(sep).join('/')),
    });
  });
  const batch = { dir, outputs };
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
    const built = batchFor(this.batch, this.projectRoot).outputs.get(this.entry)!;
    for (const file of [BUNDLE_FILE, `${BUNDLE_FILE}.map`]) {
      copyFileSync(join(built.dir, file), join(outputDir, file));
    }
    shipRuntimeFiles(outputDir, this.projectRoot, built.inputs);
    return true;
  }
}
