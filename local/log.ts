import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** A tiny logger: the local cloud talks to a developer, not to CloudWatch. */
export type Log = {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
  /** Raw lines of a component (function output, emulator logs): to the log file, and the console if verbose. */
  raw(source: string, line: string): void;
  /** Lines only worth keeping in the log file (emulator start-up chatter). */
  fileOnly(source: string, line: string): void;
};

export function createLog({ file, verbose }: { file?: string; verbose: boolean }): Log {
  if (file) mkdirSync(dirname(file), { recursive: true });
  const write = (line: string) => {
    if (file) appendFileSync(file, `${new Date().toISOString()} ${line}\n`);
  };
  return {
    info(message) {
      write(`INFO ${message}`);
      if (verbose) console.log(`[local] ${message}`);
    },
    warn(message) {
      write(`WARN ${message}`);
      console.warn(`[local] warning: ${message}`);
    },
    error(message, error) {
      const detail = error instanceof Error ? `${error.name}: ${error.message}` : error ? String(error) : '';
      write(`ERROR ${message} ${detail}`);
      console.error(`[local] ${message}${detail ? ` — ${detail}` : ''}`);
    },
    raw(source, line) {
      write(`[${source}] ${line}`);
      if (verbose) console.log(`[${source}] ${line}`);
    },
    fileOnly(source, line) {
      write(`[${source}] ${line}`);
    },
  };
}
