import { spawn } from 'node:child_process';
import { dirname } from 'node:path';

export const root = new URL('../../../', import.meta.url).pathname;
export const BIN = `${root}bin/factu.mjs`;

export type FactuRun = { code: number | null; stdout: string; stderr: string; bytes: Buffer };

/**
 * Runs a command as a user would: a separate process, asynchronously so a test can start several at once
 * (each costs a Node start plus tsx, ~0.5–1.5 s). Standard input is `stdin` when given, else an empty pipe.
 * By default the bin runs under this Node (`node bin/factu.mjs`); `command` runs something else, with
 * this Node first on PATH (for the shebang and npx).
 */
export function factu(
  args: string[],
  {
    stdin,
    command,
    stdinDelayMs,
  }: { stdin?: string | Buffer; command?: string[]; stdinDelayMs?: number } = {},
): Promise<FactuRun> {
  const [file, ...prefix] = command ?? [process.execPath, BIN];
  const child = spawn(file!, [...prefix, ...args], {
    cwd: root,
    env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` },
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  // A late writer (stdinDelayMs) is what a slow producer piping into the CLI looks like.
  if (stdinDelayMs === undefined) child.stdin.end(stdin);
  else setTimeout(() => child.stdin.end(stdin), stdinDelayMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const bytes = Buffer.concat(out);
      resolve({ code, stdout: bytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), bytes });
    });
  });
}
