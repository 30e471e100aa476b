import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './io';

export const optionSpec = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  type: { type: 'string' },
  now: { type: 'string' },
  output: { type: 'string', short: 'o' },
  issuer: { type: 'string' },
  environment: { type: 'string' },
  number: { type: 'string' },
  'point-of-sale': { type: 'string' },
  'security-code': { type: 'string' },
  key: { type: 'string' },
  cert: { type: 'string' },
  p12: { type: 'string' },
  pin: { type: 'string' },
  'qr-secret': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export type Options = {
  [K in keyof typeof optionSpec]?: (typeof optionSpec)[K]['type'] extends 'boolean' ? boolean : string;
};

export function parseCommandLine(argv: string[]): { positionals: string[]; options: Options } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: optionSpec,
      allowPositionals: true,
      strict: true,
    });
    return { positionals, options: values as Options };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** `--now` as a Date (the clock of every time-bound rule). */
export function nowOption(options: Options): Date {
  if (options.now === undefined) return new Date();
  const now = new Date(options.now);
  if (Number.isNaN(now.getTime()))
    throw new UsageError(`--now "${options.now}" is not an ISO-8601 date-time`);
  return now;
}
