import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Builds the console into web/dist when it is missing or older than any of its sources (the console bundles
 * shared/ code too), so `cdk synth` and the local cloud work from a clean clone without a separate step.
 */
export function buildConsole(repoRoot: string): string {
  const dist = join(repoRoot, 'web', 'dist');
  const index = join(dist, 'index.html');
  const sources = [
    join(repoRoot, 'web', 'src'),
    join(repoRoot, 'web', 'index.html'),
    join(repoRoot, 'shared'),
  ];
  if (!existsSync(index) || newestChange(sources) > statSync(index).mtimeMs) viteBuild(repoRoot, dist);
  return dist;
}

/** The console built straight into CDK's bundling directory (web/dist, which a local cloud may serve, is left alone). */
export function bundleConsole(repoRoot: string, outputDir: string): void {
  viteBuild(repoRoot, outputDir);
}

function viteBuild(repoRoot: string, outDir: string): void {
  execFileSync(
    process.execPath,
    [
      join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      join(repoRoot, 'web', 'vite.config.ts'),
      '--outDir',
      outDir,
      '--emptyOutDir',
    ],
    { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

function newestChange(paths: string[]): number {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    newest = stat.isDirectory()
      ? Math.max(newest, newestChange(readdirSync(path).map((entry) => join(path, entry))))
      : Math.max(newest, stat.mtimeMs);
  }
  return newest;
}
