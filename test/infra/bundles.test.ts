import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildSync } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BUNDLE_FILE,
  bundleFilesOf,
  houseBuildOptions,
  MAX_INIT_JS_BYTES,
  normalizeSourceMap,
  PDFKIT_FONTS_DIR,
  shipRuntimeFiles,
  VIEWER_PACKAGE_DIR,
  XSD_DIR,
} from '#infra/bundling/esbuild-bundler';
import { REPO_ROOT } from '#infra/config';
import { ENTRY_METADATA_KEY } from '#infra/constructs/app-function';
import { pipelineFunctions } from '#infra/routes';
import { startHkaSandbox } from '#local/hka-sandbox/index';
import { VIEWER_PACKAGE_FILES } from '#shared/http/docs-viewer';
import { resourcesOfType, type Synthesized, synth } from './synth';

let s: Synthesized;
beforeAll(async () => {
  s = await synth();
});

const XSD_FILES = readdirSync(join(REPO_ROOT, 'shared/fiscal/xsd'))
  .filter((f) => f.endsWith('.xsd'))
  .sort();

/**
 * Every function's bundle directory in the assembly, with the repo-relative sources of its source maps
 * (index.mjs and every chunk).
 */
function bundles(): { entry: string; dir: string; sources: string[] }[] {
  // Our functions (CDK's deploy-time BucketDeployment provider has no `factu:entry` and is not ours to check).
  const ours = resourcesOfType(s.templates.stateless, 'AWS::Lambda::Function').filter(
    ([, fn]) => fn.Metadata?.[ENTRY_METADATA_KEY] !== undefined,
  );
  return ours.map(([, fn]) => {
    const dir = join(s.outdir, fn.Metadata!['aws:asset:path'] as string);
    const sources = readdirSync(dir)
      .filter((file) => file.endsWith('.mjs.map'))
      .flatMap(
        (file) => (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { sources: string[] }).sources,
      );
    return { entry: fn.Metadata![ENTRY_METADATA_KEY] as string, dir, sources: [...new Set(sources)] };
  });
}

const run = promisify(execFile);

/** Runs an ES module snippet in a fresh Node process (as Lambda would load the bundle: no vitest). */
async function node(cwd: string, code: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], { cwd });
  return stdout.trim();
}

describe('bundles carry the files they read at run time', () => {
  it('source maps are repo-relative (asset hashes do not depend on the outdir)', () => {
    for (const b of bundles()) {
      expect(b.sources.length, b.entry).toBeGreaterThan(0);
      expect(b.sources).toContain(b.entry);
      for (const source of b.sources) expect(source, b.entry).not.toMatch(/^(\.\.\/|\/)/);
    }
  });

  it('every bundle with shared/fiscal/xsd.ts has the DGI schemas in xsd/', () => {
    for (const b of bundles().filter((x) => x.sources.includes('shared/fiscal/xsd.ts'))) {
      const present = readdirSync(join(b.dir, XSD_DIR)).sort();
      expect(present, b.entry).toEqual(XSD_FILES);
    }
    // Bundles without the validator do not carry the schemas.
    for (const b of bundles().filter((x) => !x.sources.includes('shared/fiscal/xsd.ts'))) {
      expect(existsSync(join(b.dir, XSD_DIR)), b.entry).toBe(false);
    }
  });

  it('every bundle with pdfkit resolves #standard-fonts/* next to it (FinalizeDocument among them)', async () => {
    const withPdfkit = bundles().filter((b) => b.sources.some((x) => x.startsWith('node_modules/pdfkit/')));
    expect(withPdfkit.map((b) => b.entry)).toContain(pipelineFunctions.FinalizeDocument.entry);
    for (const b of withPdfkit) {
      const pkg = JSON.parse(readFileSync(join(b.dir, 'package.json'), 'utf8')) as {
        imports: Record<string, string>;
      };
      expect(pkg.imports['#standard-fonts/*'], b.entry).toBe(`./${PDFKIT_FONTS_DIR}/*.cjs`);
      // Resolved exactly as pdfkit does it: createRequire(<bundle>)('#standard-fonts/<Name>').
      const out = await node(
        b.dir,
        `import { createRequire } from 'node:module';
         const require = createRequire(${JSON.stringify(join(b.dir, BUNDLE_FILE))});
         const names = ['Helvetica', 'HelveticaBold', 'Courier', 'TimesRoman'];
         console.log(names.map((n) => require('#standard-fonts/' + n).name).join(','));`,
      );
      expect(out, b.entry).toBe('Helvetica,Helvetica-Bold,Courier,Times-Roman');
    }
  });
});

describe('the API reference viewer travels with its function', () => {
  it("ships Swagger UI's files beside the bundles that serve them, and only those", () => {
    const withViewer = bundles().filter((b) => b.sources.includes('shared/http/docs-viewer.ts'));
    expect(withViewer.map((b) => b.entry)).toContain('functions/api/docs/get-docs-asset.ts');
    for (const b of withViewer) {
      const shipped = readdirSync(join(b.dir, VIEWER_PACKAGE_DIR)).sort();
      expect(shipped, b.entry).toEqual([...VIEWER_PACKAGE_FILES].sort());
    }
    for (const b of bundles().filter((x) => !x.sources.includes('shared/http/docs-viewer.ts'))) {
      expect(existsSync(join(b.dir, 'node_modules')), b.entry).toBe(false);
    }
  });

  it('serves the viewer from a copy of the bundle outside the repository (as Lambda runs it)', async () => {
    // Prepare: away from the repository's node_modules, only what the asset carries can be resolved.
    const b = bundles().find((x) => x.entry === 'functions/api/docs/get-docs-asset.ts')!;
    const copy = mkdtempSync(join(tmpdir(), 'factu-docs-asset-'));
    cpSync(b.dir, copy, { recursive: true });

    // Act
    const out = await node(
      copy,
      `const { handler } = await import('./${BUNDLE_FILE}');
       const served = await handler({ pathParameters: { file: 'swagger-ui-bundle.js' }, requestContext: {} });
       console.log(JSON.stringify({ status: served.statusCode, type: served.headers['content-type'], ui: served.body.includes('SwaggerUIBundle') }));`,
    );

    // Assess
    expect(JSON.parse(out)).toEqual({ status: 200, type: 'text/javascript; charset=utf-8', ui: true });
  });
});

describe('what a function loads at init', () => {
  it('is at most 1 MB of JavaScript (index.mjs and its static chunks) for every function', () => {
    const sizes = bundles().map((b) => {
      const { initial } = bundleFilesOf(b.dir);
      return {
        entry: b.entry,
        bytes: initial.reduce((sum, file) => sum + statSync(join(b.dir, file)).size, 0),
      };
    });
    expect(sizes.length).toBeGreaterThan(30);
    const over = sizes.filter((size) => size.bytes > MAX_INIT_JS_BYTES);
    expect(over, 'functions over the init budget (bench/bundles.ts shows what they carry)').toEqual([]);
  });

  it('takes node:http and node:https through the CommonJS shim, never as ES module imports', () => {
    for (const b of bundles()) {
      for (const file of readdirSync(b.dir).filter((f) => f.endsWith('.mjs'))) {
        const code = readFileSync(join(b.dir, file), 'utf8');
        expect(code.match(/from\s*"(node:)?https?"/g), `${b.entry} ${file}`).toBeNull();
      }
    }
  });

  it('leaves the HKA SOAP stack and pdfkit to the first call that needs them', () => {
    const initSources = (dir: string) =>
      bundleFilesOf(dir).initial.flatMap(
        (file) =>
          (JSON.parse(readFileSync(join(dir, `${file}.map`), 'utf8')) as { sources: string[] }).sources,
      );
    const withSoap = bundles().filter((b) => b.sources.some((x) => x.startsWith('node_modules/soap/')));
    const withPdfkit = bundles().filter((b) => b.sources.some((x) => x.startsWith('node_modules/pdfkit/')));
    expect(withSoap.map((b) => b.entry)).toContain('functions/events/sync-folios.ts');
    expect(withPdfkit.map((b) => b.entry)).toContain(pipelineFunctions.FinalizeDocument.entry);
    for (const b of [...withSoap, ...withPdfkit]) {
      const loadedAtInit = initSources(b.dir);
      expect(
        loadedAtInit.filter((x) => /^node_modules\/(soap|pdfkit)\//.test(x)),
        b.entry,
      ).toEqual([]);
      expect(loadedAtInit, b.entry).toContain(b.entry);
    }
  });
});

describe('errors logged by a bundled handler', () => {
  it('carry the original source frames, mapped through index.mjs.map only when logged', async () => {
    // Prepare: the folio-sync fan-out without TABLE_NAME fails inside shared/config/config.ts.
    const b = bundles().find((x) => x.entry === 'functions/events/schedule-folio-sync.ts')!;
    const env = {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'ScheduleFolioSync',
      POWERTOOLS_SERVICE_NAME: 'factu-schedule-folio-sync',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_METRICS_DISABLED: 'true',
    };

    // Act
    const { stdout, stderr } = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import('./${BUNDLE_FILE}');
         const sourceMapsAtInit = process.sourceMapsEnabled;
         await m.handler({}, { awsRequestId: 'r-1', functionName: 'ScheduleFolioSync' }).then(
           () => console.log('UNEXPECTED SUCCESS'),
           (error) => console.log(JSON.stringify({ thrown: error.name, sourceMapsAtInit })),
         );`,
      ],
      { cwd: b.dir, env },
    );

    // Assess
    // Powertools writes ERROR lines to stderr.
    const jsonLines = (text: string) =>
      text
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(jsonLines(stdout).at(-1)).toEqual({ thrown: 'ConfigurationError', sourceMapsAtInit: false });
    const logged = jsonLines(stderr).find((line) => line.message === 'Folio sync fan-out failed') as {
      error: { name: string; location: string; stack: string };
    };
    expect(logged.error.name).toBe('ConfigurationError');
    expect(logged.error.location).toMatch(/^shared\/config\/config\.ts:\d+$/);
    const frames = logged.error.stack.split('\n').slice(1);
    expect(frames[0]).toMatch(/\(shared\/config\/config\.ts:\d+:\d+\)$/);
    expect(frames.some((frame) => /shared\/data\/tenants\.ts:\d+:\d+/.test(frame))).toBe(true);
    expect(frames.filter((frame) => frame.includes('index.mjs:'))).toEqual([]);
  });
});

describe('a bundle made with the house options works without the repository', () => {
  let dir: string;
  beforeAll(() => {
    // Same esbuild options and post-processing as every function; the entry re-exports what the handlers use.
    dir = mkdtempSync(join(tmpdir(), 'factu-bundle-probe-'));
    const result = buildSync({
      ...houseBuildOptions(REPO_ROOT),
      entryNames: 'index',
      outdir: dir,
      stdin: {
        contents: [
          "export { renderCafePdf } from '#shared/fiscal/cafe-pdf/render';",
          "export { sampleView } from '#test/unit/cafe-pdf/fixtures';",
          "export { validateRfeXml } from '#shared/fiscal/xsd';",
          "export { createHkaClient } from '#shared/hka/client';",
        ].join('\n'),
        resolveDir: REPO_ROOT,
        sourcefile: 'probe.ts',
        loader: 'ts',
      },
    });
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.map'))) {
      normalizeSourceMap(join(dir, file), REPO_ROOT);
    }
    shipRuntimeFiles(dir, REPO_ROOT, Object.keys(result.metafile!.inputs));
  });

  it('renders a CAFE with pdfkit standard fonts', async () => {
    const out = await node(
      dir,
      `const m = await import('./${BUNDLE_FILE}');
       const pdf = await m.renderCafePdf(m.sampleView());
       console.log(pdf.subarray(0, 5).toString(), pdf.length);`,
    );
    const [magic, length] = out.split(' ');
    expect(magic).toBe('%PDF-');
    expect(Number(length)).toBeGreaterThan(1000);
  });

  it('validates XML against the shipped XSDs', async () => {
    const out = await node(
      dir,
      `const m = await import('./${BUNDLE_FILE}');
       console.log(JSON.stringify(m.validateRfeXml('<x/>')));`,
    );
    const result = JSON.parse(out) as { valid: boolean; errors: string[] };
    expect(result.valid).toBe(false);
    expect(result.errors.join(' ')).toMatch(/No matching global declaration/);
  });

  it('calls HKA without Service.wsdl next to the bundle (rendered in memory)', async () => {
    expect(existsSync(join(dir, 'wsdl'))).toBe(false);
    const sandbox = await startHkaSandbox();
    try {
      const token = sandbox.tokens[0]!;
      const out = await node(
        dir,
        `const m = await import('./${BUNDLE_FILE}');
         const client = m.createHkaClient({ endpoint: ${JSON.stringify(sandbox.url)} });
         const r = await client.foliosRestantes(${JSON.stringify({ tokenEmpresa: token.tokenEmpresa, tokenPassword: token.tokenPassword })});
         console.log(typeof r.cycleAvailable);`,
      );
      expect(out).toBe('number');
    } finally {
      await sandbox.close();
    }
  });
});
