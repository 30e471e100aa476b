import { readFileSync, writeFileSync } from 'node:fs';

/** Thrown for wrong usage: printed with the help hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Reads a file, or standard input for `-`. */
export function readInput(path: string | undefined): string {
  if (path === undefined) throw new UsageError('missing input file (use "-" for standard input)');
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read ${path === '-' ? 'standard input' : path}: ${(error as Error).message}`,
    );
  }
}

export function readJson(path: string | undefined): unknown {
  const text = readInput(path);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${path === '-' ? 'standard input' : path} is not valid JSON: ${(error as Error).message}`,
    );
  }
}

export function writeOutput(path: string, content: string): void {
  writeFileSync(path, content);
}

/** What a command produced: text for humans, a value for `--json`, and the exit code. */
export type CommandResult = { exitCode: number; text: string; json: unknown; stderr?: string };
