import { buildCufe, checkCufe } from '#shared/fiscal/cufe';
import { cufeFieldsOf } from '#shared/fiscal/rfe-xml';
import { validateDocument } from '#shared/fiscal/validate';
import { contextFromOptions } from '../context';
import { type CommandResult, readJson, readValue, UsageError } from '../io';
import { nowOption, type Options } from '../options';
import { violationsResult } from './validate';

/** `factu cufe check <cufe|->` (`valid`, or the reason with exit 1) and `factu cufe build <doc.json|->` */
export function cufeCommand(args: string[], options: Options): CommandResult {
  const [action, argument] = args;
  if (action === 'check') {
    const cufe = readValue(argument, 'CUFE').trim();
    const result = checkCufe(cufe);
    return result.valid
      ? { exitCode: 0, text: 'valid', json: { cufe, valid: true } }
      : {
          exitCode: 1,
          text: `invalid: ${result.reason}`,
          json: { cufe, valid: false, reason: result.reason },
        };
  }
  if (action === 'build') {
    const validation = validateDocument(readJson(argument), { now: nowOption(options) });
    if (!validation.ok) return violationsResult(validation.violations);
    const context = contextFromOptions(options, validation.document.pointOfSale);
    const fields = cufeFieldsOf(validation.document, context);
    const cufe = buildCufe(fields);
    return { exitCode: 0, text: cufe, json: { cufe, fields } };
  }
  throw new UsageError('use "cufe check <cufe>" or "cufe build <doc.json>"');
}
