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
  sign: { type: 'boolean' },
  key: { type: 'string' },
  cert: { type: 'string' },
  p12: { type: 'string' },
  pin: { type: 'string' },
  'qr-secret': { type: 'string' },
  layout: { type: 'string' },
  authorization: { type: 'string' },
  'hosted-ui': { type: 'string' },
  'client-id': { type: 'string' },
  port: { type: 'string' },
  scope: { type: 'string' },
  timeout: { type: 'string' },
  'no-browser': { type: 'boolean' },
  verify: { type: 'boolean' },
  'hka-endpoint': { type: 'string' },
  hka: { type: 'boolean' },
  secret: { type: 'string' },
  header: { type: 'string' },
  tolerance: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export type OptionName = keyof typeof optionSpec;

export type Options = {
  [K in OptionName]?: (typeof optionSpec)[K]['type'] extends 'boolean' ? boolean : string;
};

const CONTEXT: OptionName[] = ['now', 'issuer', 'environment', 'number', 'point-of-sale', 'security-code'];
const SIGNING: OptionName[] = ['sign', 'key', 'cert', 'p12', 'pin', 'qr-secret'];

/** The options each command understands besides `--help` and `--json`; any other is a usage error. */
export const commandOptions: Record<string, OptionName[]> = {
  'ruc-dv': ['type', 'verify', 'hka-endpoint'],
  cufe: CONTEXT,
  validate: ['now', 'hka'],
  xml: [...CONTEXT, ...SIGNING, 'output'],
  pdf: [...CONTEXT, ...SIGNING, 'output', 'layout', 'authorization'],
  login: ['hosted-ui', 'client-id', 'port', 'scope', 'timeout', 'no-browser'],
  batch: [],
  webhook: ['secret', 'header', 'tolerance', 'now'],
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

/** Rejects options that mean nothing to the command (`factu ruc-dv … --layout ticket`). */
export function assertOptionsFor(command: string, options: Options): void {
  const allowed = new Set<string>(['help', 'json', ...(commandOptions[command] ?? [])]);
  const foreign = Object.keys(options).filter((name) => !allowed.has(name));
  if (foreign.length > 0) {
    throw new UsageError(
      `${foreign.map((name) => `--${name}`).join(', ')} ${foreign.length === 1 ? 'does' : 'do'} not apply to "${command}"`,
    );
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
