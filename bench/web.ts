/**
 * Web console benchmark: what a browser downloads before the console can draw (the entry script and the
 * chunks index.html preloads, gzipped as CloudFront serves them) and what each screen adds when first
 * visited (its lazy chunk and the chunks only it imports). Built fresh from web/ with vite's manifest.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { REPO_ROOT } from '#infra/config';
import type { BenchReport } from './stats';

/** The initial JavaScript budget, gzipped. */
export const MAX_INITIAL_JS_GZIP_BYTES = 250 * 1024;

type ManifestEntry = {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
};

export async function runWebBench(): Promise<BenchReport> {
  execFileSync(
    process.execPath,
    [
      join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      join(REPO_ROOT, 'web', 'vite.config.ts'),
    ],
    { cwd: REPO_ROOT, stdio: 'ignore' },
  );
  const dist = join(REPO_ROOT, 'web', 'dist');
  const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<
    string,
    ManifestEntry
  >;
  const gzip = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
  const raw = (file: string) => readFileSync(join(dist, file)).length;

  /** A chunk and everything it imports statically. */
  const closure = (key: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(key)) return seen;
    seen.add(key);
    for (const imported of manifest[key]?.imports ?? []) closure(imported, seen);
    return seen;
  };
  const entryKey = Object.keys(manifest).find((key) => manifest[key]?.isEntry);
  if (!entryKey) throw new Error('vite manifest has no entry');
  const initial = closure(entryKey);
  const initialFiles = [...initial].map((key) => manifest[key]!.file);
  const initialGzip = initialFiles.reduce((total, file) => total + gzip(file), 0);
  const initialRaw = initialFiles.reduce((total, file) => total + raw(file), 0);

  const routes = (manifest[entryKey]?.dynamicImports ?? []).map((key) => {
    const own = [...closure(key)]
      .filter((chunk) => !initial.has(chunk))
      .map((chunk) => manifest[chunk]!.file);
    return {
      route: key.replace(/^src\/routes\//, '').replace(/\.tsx?$/, ''),
      chunks: own.length,
      rawBytes: own.reduce((total, file) => total + raw(file), 0),
      gzipBytes: own.reduce((total, file) => total + gzip(file), 0),
    };
  });
  const withinBudget = initialGzip <= MAX_INITIAL_JS_GZIP_BYTES;
  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  return {
    results: {
      initialJs: {
        files: initialFiles.length,
        rawBytes: initialRaw,
        gzipBytes: initialGzip,
        budgetGzipBytes: MAX_INITIAL_JS_GZIP_BYTES,
        withinBudget,
      },
      routes,
    },
    tables: [
      {
        title: 'web console: JavaScript per screen (KB)',
        headers: ['', 'chunks', 'raw', 'gzip'],
        rows: [
          ['initial (entry + preloaded)', String(initialFiles.length), kb(initialRaw), kb(initialGzip)],
          ...routes.map((route) => [
            `route ${route.route}`,
            String(route.chunks),
            kb(route.rawBytes),
            kb(route.gzipBytes),
          ]),
        ],
        notes: [
          `initial JS budget: ${kb(MAX_INITIAL_JS_GZIP_BYTES)} KB gzipped — ${withinBudget ? 'within' : 'OVER'}`,
        ],
      },
    ],
  };
}
