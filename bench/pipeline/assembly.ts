/**
 * The cloud assembly the pipeline bench runs, without disturbing other users of `cdk.out`.
 *
 * The local cloud's own rule decides whether `cdk.out` can be reused (`#local/synth`: the content hash of
 * the inputs recorded next to the manifest, and the manifest untouched since). When it is stale, the bench
 * calls the local cloud's `synthesize()`, exactly as `npm start` would. Two things make a shared `cdk.out`
 * unsafe to run from directly: another engineer may start `cdk synth` (the CLI's writer lock,
 * `cdk.out/synth.lock`) while the bench runs, rewriting templates in place; and holding the CLI's reader
 * lock for minutes would make their synth fail. So the bench waits for a live writer to finish, then
 * takes a private snapshot — templates and manifests copied, `asset.<hash>` directories hard-linked
 * (content-addressed: the CDK renames a finished bundle into place and never rewrites it) — checks that no
 * synth started meanwhile, and runs the local cloud from the snapshot (`assemblyDir`).
 */
import {
  copyFileSync,
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { inputFingerprint, synthesize } from '#local/synth';

/** Same file and rule as `local/synth.ts` (not exported there). */
const FINGERPRINT_FILE = '.factu-local-fingerprint.json';
const WRITER_LOCK = 'synth.lock';

export type PreparedAssembly = {
  /** The private snapshot to pass as `assemblyDir`. */
  assemblyDir: string;
  /**
   * `reused`: cdk.out was up to date; `synthesized`: the bench ran the local cloud's synth first;
   * `stale-fallback`: the working tree did not synthesize, so the last complete cdk.out (older sources) ran.
   */
  source: 'reused' | 'synthesized' | 'stale-fallback';
  /** Time spent waiting for someone else's `cdk synth` to release cdk.out. */
  waitedForOtherSynthMs: number;
  synthMs: number;
  snapshotMs: number;
  fingerprint: string;
  /** stale-fallback: why the synth failed (first error line). */
  synthError?: string;
  /** When the assembly that ran was written (its manifest's mtime). */
  assemblyWrittenAt?: string;
};

export type PrepareOptions = {
  repoRoot: string;
  /** Where the snapshot goes (`<into>/cdk.out`). */
  into: string;
  /** Give up when cdk.out is still not usable after this long. */
  timeoutMs: number;
  log: (line: string) => void;
};

export async function prepareAssembly(options: PrepareOptions): Promise<PreparedAssembly> {
  const cdkOut = join(options.repoRoot, 'cdk.out');
  const snapshotDir = join(options.into, 'cdk.out');
  const deadline = Date.now() + options.timeoutMs;
  let waitedForOtherSynthMs = 0;
  let synthMs = 0;
  let synthesized = false;
  let reportedWriter: number | undefined;

  for (let round = 0; ; round++) {
    if (Date.now() > deadline) {
      throw new Error(`cdk.out did not become usable within ${options.timeoutMs / 1000} s`);
    }
    const writer = liveWriter(cdkOut);
    if (writer !== undefined) {
      if (reportedWriter !== writer) options.log(`pipeline: waiting for PID ${writer} synthesizing cdk.out…`);
      reportedWriter = writer;
      const t0 = Date.now();
      await sleep(1000);
      waitedForOtherSynthMs += Date.now() - t0;
      continue;
    }
    const fingerprint = inputFingerprint(options.repoRoot);
    const record = readRecord(cdkOut);
    // After our own synth the assembly is what we built, even if a source changed while it ran.
    if (isFresh(cdkOut, fingerprint, record) || (synthesized && record !== undefined)) {
      const t0 = Date.now();
      rmSync(snapshotDir, { recursive: true, force: true });
      snapshot(cdkOut, snapshotDir);
      const snapshotMs = Date.now() - t0;
      const after = readRecord(cdkOut);
      const untouched =
        liveWriter(cdkOut) === undefined &&
        after !== undefined &&
        record !== undefined &&
        after.fingerprint === record.fingerprint &&
        after.manifestMtimeMs === record.manifestMtimeMs &&
        sameFile(join(cdkOut, 'manifest.json'), join(snapshotDir, 'manifest.json'));
      if (untouched) {
        return {
          assemblyDir: snapshotDir,
          source: synthesized ? 'synthesized' : 'reused',
          waitedForOtherSynthMs,
          synthMs,
          snapshotMs,
          fingerprint: record.fingerprint,
          assemblyWrittenAt: new Date(record.manifestMtimeMs).toISOString(),
        };
      }
      options.log('pipeline: cdk.out changed while it was being copied; trying again');
      continue;
    }
    if (synthesized && round > 6) throw new Error('cdk.out keeps changing under the bench');
    options.log('pipeline: cdk.out is stale; synthesizing (local cloud synth)…');
    const t0 = Date.now();
    try {
      await synthesize(options.repoRoot);
      synthMs += Date.now() - t0;
      synthesized = true;
    } catch (error) {
      synthMs += Date.now() - t0;
      // Another CLI took the writer lock first (or a reader holds it): wait for it like any other writer.
      const message = error instanceof Error ? error.message : String(error);
      if (/ConcurrentWriteLock|ConcurrentReadLock|currently (synthing|reading)/i.test(message)) {
        options.log('pipeline: another synth holds cdk.out; waiting for it');
        await sleep(1000);
        continue;
      }
      // The working tree does not synthesize (someone is mid-edit): run the last complete assembly the
      // local cloud synthesized instead, and say so in the results.
      const record = readRecord(cdkOut);
      if (!record || !isComplete(cdkOut, record) || liveWriter(cdkOut) !== undefined) throw error;
      const s0 = Date.now();
      rmSync(snapshotDir, { recursive: true, force: true });
      snapshot(cdkOut, snapshotDir);
      const after = readRecord(cdkOut);
      if (!after || after.manifestMtimeMs !== record.manifestMtimeMs || liveWriter(cdkOut) !== undefined) {
        continue;
      }
      const firstError =
        message
          .split('\n')
          .find((line) => /^\s*(\w*Error|error)\b/.test(line))
          ?.trim() ?? message.split('\n')[0];
      options.log(`pipeline: synth failed (${firstError}); using the last complete cdk.out (stale)`);
      return {
        assemblyDir: snapshotDir,
        source: 'stale-fallback',
        waitedForOtherSynthMs,
        synthMs,
        snapshotMs: Date.now() - s0,
        fingerprint: record.fingerprint,
        synthError: firstError,
        assemblyWrittenAt: new Date(record.manifestMtimeMs).toISOString(),
      };
    }
  }
}

type FingerprintRecord = { fingerprint: string; manifestMtimeMs: number };

function readRecord(cdkOut: string): FingerprintRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(cdkOut, FINGERPRINT_FILE), 'utf8')) as FingerprintRecord;
  } catch {
    return undefined;
  }
}

/** `local/synth.ts`'s freshness rule: same input hash, manifest not rewritten since that synth. */
function isFresh(cdkOut: string, fingerprint: string, record: FingerprintRecord | undefined): boolean {
  const manifest = join(cdkOut, 'manifest.json');
  if (!record || !existsSync(manifest)) return false;
  try {
    return record.fingerprint === fingerprint && record.manifestMtimeMs === statSync(manifest).mtimeMs;
  } catch {
    return false;
  }
}

/** A finished local-cloud synth: its record matches the manifest it wrote (whatever the sources are now). */
function isComplete(cdkOut: string, record: FingerprintRecord): boolean {
  try {
    return record.manifestMtimeMs === statSync(join(cdkOut, 'manifest.json')).mtimeMs;
  } catch {
    return false;
  }
}

/** The PID in the CDK CLI's writer lock, if that process is alive. */
function liveWriter(cdkOut: string): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(join(cdkOut, WRITER_LOCK), 'utf8'), 10);
  } catch {
    return undefined;
  }
  if (!Number.isFinite(pid)) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

/** Files copied, `asset.*` directories hard-linked (copied across devices); locks and temp bundles left out. */
function snapshot(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const name = entry.name;
    if (name === WRITER_LOCK || /^read\..*\.lock$/.test(name) || name.startsWith('bundling-temp-')) continue;
    const source = join(from, name);
    const target = join(to, name);
    if (entry.isDirectory()) {
      if (name.startsWith('asset.')) linkTree(source, target);
      else if (name !== 'cdk.out') cpSync(source, target, { recursive: true });
    } else if (entry.isFile()) copyFileSync(source, target);
  }
}

function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) linkTree(source, target);
    else if (entry.isFile()) {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
    }
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    return readFileSync(a).equals(readFileSync(b));
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
