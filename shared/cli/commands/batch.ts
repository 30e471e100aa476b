import { batchTemplateCsv } from '#shared/batches/csv';
import { BATCH_TEMPLATE } from '#shared/batches/template';
import { type CommandResult, UsageError } from '../io';
import type { Options } from '../options';

/**
 * `factu batch template`: the CSV template of bulk issuing (POST /v1/batch-uploads, then POST /v1/batches
 * {uploadId}): its header and one example document of two lines. `--json`: the columns described.
 */
export async function batchCommand(args: string[], _options: Options): Promise<CommandResult> {
  const [subcommand, ...rest] = args;
  if (subcommand !== 'template') throw new UsageError('usage: factu batch template');
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  const text = batchTemplateCsv();
  return {
    exitCode: 0,
    text: text.trimEnd(),
    json: {
      columns: BATCH_TEMPLATE.map(({ name, level, description }) => ({ name, level, description })),
      csv: text,
    },
  };
}
