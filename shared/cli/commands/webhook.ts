import { DEFAULT_TOLERANCE_SECONDS, verifySignature } from '#shared/webhooks/signature';
import { type CommandResult, readInput, UsageError } from '../io';
import { nowOption, type Options } from '../options';

const REASONS = {
  'malformed-header': 'the header is not "t=<unix seconds>,v1=<64 hex>"',
  'timestamp-outside-tolerance': 'the timestamp is outside the tolerance (a replay, or clocks far apart)',
  'no-matching-signature': 'no v1 signature matches this body and secret',
} as const;

/**
 * `factu webhook verify --secret whsec_… --header 't=…,v1=…' [--tolerance 300] [body|-]`: checks a delivery's
 * Factu-Signature against the exact body received (exit 0 valid, 1 not, with the reason).
 */
export function webhookCommand(args: string[], options: Options): CommandResult {
  const [action, path] = args;
  if (action !== 'verify')
    throw new UsageError('use "webhook verify --secret <whsec_…> --header <t=…,v1=…> [body]"');
  if (!options.secret) throw new UsageError('--secret is required (the endpoint secret, whsec_…)');
  if (!options.header) throw new UsageError('--header is required (the Factu-Signature header value)');
  const tolerance = options.tolerance === undefined ? DEFAULT_TOLERANCE_SECONDS : Number(options.tolerance);
  if (!Number.isInteger(tolerance) || tolerance < 0) {
    throw new UsageError(`--tolerance "${options.tolerance}" is not a whole number of seconds`);
  }
  const body = readInput(path);
  const check = verifySignature(options.secret, body, options.header, {
    now: nowOption(options),
    toleranceSeconds: tolerance,
  });
  if (check.valid) {
    return {
      exitCode: 0,
      text: `valid (signed at ${new Date(check.timestamp * 1000).toISOString()})`,
      json: { valid: true, timestamp: check.timestamp },
    };
  }
  return {
    exitCode: 1,
    text: `invalid: ${REASONS[check.reason]}`,
    json: { valid: false, reason: check.reason },
  };
}
