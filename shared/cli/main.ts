/**
 * `factu` — command-line access to the fiscal core (and `factu login`, a sign-in for the API): `npx factu <command>` (bin/factu.mjs), or
 * `npm run factu -- <command>`, or `npx tsx shared/cli/main.ts <command>`.
 */
import { COMMAND_HELP, HELP } from './help';
import { type CommandResult, UsageError } from './io';
import { assertOptionsFor, type Options, parseCommandLine } from './options';

export { HELP } from './help';

// Commands are loaded on demand: `ruc-dv` should not pay for libxml2, xml-crypto, forge and pdfkit.
async function run(command: string, args: string[], options: Options): Promise<CommandResult> {
  switch (command) {
    case 'ruc-dv':
      return (await import('./commands/ruc-dv')).rucDvCommand(args, options);
    case 'cufe':
      return (await import('./commands/cufe')).cufeCommand(args, options);
    case 'validate':
      return (await import('./commands/validate')).validateCommand(args, options);
    case 'xml':
      return (await import('./commands/xml')).xmlCommand(args, options);
    case 'pdf':
      return (await import('./commands/pdf')).pdfCommand(args, options);
    case 'login':
      return (await import('./commands/login')).loginCommand(args, options);
    case 'batch':
      return (await import('./commands/batch')).batchCommand(args, options);
    case 'webhook':
      return (await import('./commands/webhook')).webhookCommand(args, options);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function printResult(result: CommandResult, json: boolean): void {
  for (const line of result.stderr ?? []) process.stderr.write(`factu: ${line}\n`);
  if (json) process.stdout.write(`${JSON.stringify(result.json, null, 2)}\n`);
  else if (result.binary) process.stdout.write(result.binary);
  else if (result.text !== '') process.stdout.write(`${result.text}\n`);
}

export async function main(argv: string[]): Promise<number> {
  // Known before parsing, so even an unparseable command line answers in JSON when asked to.
  let json = argv.includes('--json');
  try {
    const { positionals, options } = parseCommandLine(argv);
    json = options.json === true;
    const [command, ...args] = positionals;
    if (command === 'help' || (options.help && command === undefined)) {
      process.stdout.write((args[0] !== undefined && COMMAND_HELP[args[0]]) || HELP);
      return 0;
    }
    if (command === undefined) {
      process.stderr.write(HELP);
      return 2;
    }
    if (options.help) {
      const help = COMMAND_HELP[command];
      if (help === undefined) throw new UsageError(`unknown command "${command}"`);
      process.stdout.write(help);
      return 0;
    }
    assertOptionsFor(command, options);
    const result = await run(command, args, options);
    printResult(result, json);
    return result.exitCode;
  } catch (error) {
    const usage = error instanceof UsageError;
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    const exitCode = usage ? 2 : 1;
    if (json) {
      process.stdout.write(`${JSON.stringify({ ok: false, exitCode, error: { name, message } }, null, 2)}\n`);
    }
    process.stderr.write(
      usage ? `factu: ${message}\nRun "factu --help" for usage.\n` : `factu: ${name}: ${message}\n`,
    );
    return exitCode;
  }
}

process.exitCode = await main(process.argv.slice(2));
