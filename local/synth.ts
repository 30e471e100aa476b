import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** What the cloud assembly is built from: a change to any of these makes `cdk.out` stale. */
const INPUTS = [
  'infra',
  'functions',
  'shared',
  'state-machines',
  'package.json',
  'package-lock.json',
  'cdk.json',
  'tsconfig.json',
];
const FINGERPRINT_FILE = '.factu-local-fingerprint.json';

/**
 * Runs the CDK app (`cdk synth --quiet`) into `<repoRoot>/cdk.out`: the same templates and bundled assets a
 * deployment would use. Bundling every function takes a while, so when nothing the assembly is built from
 * changed since the last synth by the local cloud (a content hash of the inputs, and the manifest untouched
 * since), the existing `cdk.out` is reused. Returns the assembly directory and whether it was reused.
 */
export async function synthesize(
  repoRoot: string,
  { force = false }: { force?: boolean } = {},
): Promise<{
  assemblyDir: string;
  reused: boolean;
}> {
  const assemblyDir = join(repoRoot, 'cdk.out');
  const fingerprint = inputFingerprint(repoRoot);
  if (!force && isFresh(assemblyDir, fingerprint)) return { assemblyDir, reused: true };
  const cdk = join(repoRoot, 'node_modules', '.bin', 'cdk');
  const child = spawn(cdk, ['synth', '--quiet', '--output', 'cdk.out'], {
    cwd: repoRoot,
    // FACTU_LOCAL_SYNTH tells the app this assembly is for the local cloud (it may skip deploy-only work).
    env: {
      ...process.env,
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      CDK_DISABLE_VERSION_CHECK: 'true',
      FACTU_LOCAL_SYNTH: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // If this process exits mid-synth (Ctrl-C, SIGTERM), take the CDK app with it.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  }).finally(() => process.off('exit', killOnExit));
  if (code !== 0) throw new Error(`cdk synth failed (exit ${code}):\n${output.trim()}`);
  writeFileSync(
    join(assemblyDir, FINGERPRINT_FILE),
    JSON.stringify({ fingerprint, manifestMtimeMs: statSync(join(assemblyDir, 'manifest.json')).mtimeMs }),
  );
  return { assemblyDir, reused: false };
}

function isFresh(assemblyDir: string, fingerprint: string): boolean {
  const file = join(assemblyDir, FINGERPRINT_FILE);
  const manifest = join(assemblyDir, 'manifest.json');
  if (!existsSync(file) || !existsSync(manifest)) return false;
  try {
    const recorded = JSON.parse(readFileSync(file, 'utf8')) as {
      fingerprint: string;
      manifestMtimeMs: number;
    };
    // Someone else (cdk synth by hand, infra tests) may have rewritten cdk.out since: then it is not ours to trust.
    return recorded.fingerprint === fingerprint && recorded.manifestMtimeMs === statSync(manifest).mtimeMs;
  } catch {
    return false;
  }
}

/** SHA-256 over the relative path and content of every input file (a few hundred files: milliseconds). */
export function inputFingerprint(repoRoot: string): string {
  const hash = createHash('sha256');
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const stats = statSync(path);
    if (stats.isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        if (entry === 'node_modules' || entry.startsWith('.')) continue;
        visit(join(path, entry));
      }
      return;
    }
    hash.update(relative(repoRoot, path));
    hash.update('\0');
    hash.update(readFileSync(path));
    hash.update('\0');
  };
  for (const input of INPUTS) visit(join(repoRoot, input));
  return hash.digest('hex');
}
