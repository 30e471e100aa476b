import { readFileSync, writeFileSync } from 'node:fs';

/** Thrown for wrong usage: printed with the help hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const STDIN = 'standard input';

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
    text = readFileSync(fromStdin ? 0 : path, 'utf8');
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
