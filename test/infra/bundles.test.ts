import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildSync } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BUNDLE_FILE,
  houseBuildOptions,
  normalizeSourceMap,
  PDFKIT_FONTS_DIR,
  shipRuntimeFiles,
  XSD_DIR,
} from '#infra/bundling/esbuild-bundler';
import { REPO_ROOT } from '#infra/config';
import { ENTRY_METADATA_KEY } from '#infra/constructs/app-function';
import { pipelineFunctions } from '#infra/routes';
import { startHkaSandbox } from '#local/hka-sandbox/index';
import { resourcesOfType, type Synthesized, synth } from './synth';

let s: Synthesized;
beforeAll(async () => {
  s = await synth();
});

const XSD_FILES = readdirSync(join(REPO_ROOT, 'shared/fiscal/xsd'))
  .filter((f) => f.endsWith('.xsd'))
  .sort();

/** Every function's bundle directory in the assembly, with the repo-relative sources of its source map. */
function bundles(): { entry: string; dir: string; sources: string[] }[] {
  return resourcesOfType(s.templates.stateless, 'AWS::Lambda::Function').map(([, fn]) => {
    const dir = join(s.outdir, fn.Metadata!['aws:asset:path'] as string);
    const map = JSON.parse(readFileSync(join(dir, `${BUNDLE_FILE}.map`), 'utf8')) as { sources: string[] };
    return { entry: fn.Metadata![ENTRY_METADATA_KEY] as string, dir, sources: map.sources };
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

describe('a bundle made with the house options works without the repository', () => {
  let dir: string;
  beforeAll(() => {
    // Same esbuild options and post-processing as every function; the entry re-exports what the handlers use.
    dir = mkdtempSync(join(tmpdir(), 'factu-bundle-probe-'));
    const result = buildSync({
      ...houseBuildOptions(REPO_ROOT),
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
      outfile: join(dir, BUNDLE_FILE),
    });
    normalizeSourceMap(dir, REPO_ROOT);
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
