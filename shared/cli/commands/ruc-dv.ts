import { computeRucDv, RucFormatError } from '#shared/fiscal/ruc-dv';
import { type CommandResult, readValue, UsageError } from '../io';
import type { Options } from '../options';

/** `factu ruc-dv <ruc|-> --type 1|2`: the two-digit DV; a malformed RUC is reported with exit 1. */
export function rucDvCommand(args: string[], options: Options): CommandResult {
  const type = options.type;
  if (type !== '1' && type !== '2') throw new UsageError('--type must be 1 (natural) or 2 (juridical)');
  const ruc = readValue(args[0], 'RUC');
  try {
    const dv = computeRucDv(ruc, type);
    return { exitCode: 0, text: dv, json: { ruc, type, dv } };
  } catch (error) {
    if (!(error instanceof RucFormatError)) throw error;
    return {
      exitCode: 1,
      text: '',
      json: { ruc, type, error: error.message },
      stderr: [error.message],
    };
  }
}
