import { readFileSync, readSync, writeFileSync } from 'node:fs';

/** Thrown for wrong usage: printed with the help hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const STDIN = 'standard input';

/**
 * Reads all of standard input synchronously. `readFileSync(0)` is not enough: when stdin is a
 * non-blocking pipe or socket (a parent process that has not written yet), it fails with EAGAIN
 * instead of waiting, so a piped document could be refused depending on timing. Waits briefly and
 * retries until end of input.
 */
function readStdinSync(): string {
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(64 * 1024);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    let bytes: number;
    try {
      bytes = readSync(0, buffer, 0, buffer.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 5);
        continue;
      }
      if (code === 'EOF') break;
      throw error;
    }
    if (bytes === 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, bytes)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Reads a file, or standard input for `-`. Without a path, standard input is read when it is piped
 * (`cat doc.json | factu validate`); on a terminal a missing path is a usage error.
 */
export function readInput(path: string | undefined): string {
  if (path === undefined && process.stdin.isTTY) {
    throw new UsageError('missing input file (give a file, "-" or pipe it on standard input)');
  }
  const fromStdin = path === undefined || path === '-';
  let text: string;
  try {
    text = fromStdin ? readStdinSync() : readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${fromStdin ? STDIN : path}: ${(error as Error).message}`);
  }
  if (fromStdin && text.trim() === '') {
    throw new UsageError(
      path === undefined ? 'missing input file (standard input is empty)' : 'standard input is empty',
    );
  }
  return text;
}

export function readJson(path: string | undefined): unknown {
  const text = readInput(path);
  try {
    return JSON.parse(text);
  } catch (error) {
    const source = path === undefined || path === '-' ? STDIN : path;
    throw new UsageError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
}

/** A value given on the command line, or read from standard input for `-` (first line, trimmed). */
export function readValue(value: string | undefined, what: string): string {
  if (value === undefined) throw new UsageError(`missing ${what}`);
  return value === '-' ? readInput('-').trim() : value;
}

/** Reads a file the user named in an option (a key, a certificate, an issuer…). */
export function readOptionFile(path: string, option: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new UsageError(`${option}: cannot read ${path}: ${(error as Error).message}`);
  }
}

export function writeOutput(path: string, content: string | Uint8Array): void {
  try {
    writeFileSync(path, content);
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${(error as Error).message}`);
  }
}

/**
 * What a command produced: text for humans (or raw bytes, e.g. a PDF on standard output), a value for
 * `--json`, notices for standard error, and the exit code.
 */
export type CommandResult = {
  exitCode: number;
  text: string;
  json: unknown;
  /** Written to standard output instead of `text` (without `--json`), byte for byte. */
  binary?: Uint8Array;
  /** Lines for standard error (warnings, notices), printed in both modes. */
  stderr?: string[];
};
