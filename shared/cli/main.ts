/**
 * `factu` — command-line access to the fiscal core (run: `npm run factu -- <command>` or
 * `npx tsx shared/cli/main.ts <command>`).
 */
import { type CommandResult, UsageError } from './io';
import { type Options, parseCommandLine } from './options';

export const HELP = `factu — Panama electronic invoicing (DGI rFE v1.00) tools

Usage:
  factu ruc-dv <ruc> --type 1|2           DGI check digits (DV) of a RUC (1 natural, 2 juridical)
  factu cufe check <cufe>                 layout and check digit of a CUFE
  factu cufe build <doc.json|->           CUFE of a document in an emission context
  factu validate <doc.json|->             computed document, or every violation with its path
  factu xml <doc.json|-> [-o out.xml]     rFE XML (unsigned unless signing flags are given), XSD-checked

Options:
  --json                  machine-readable output
  --now <iso>             clock for time-bound rules (e.g. 2026-11-22T12:00:00-05:00)
  --issuer <issuer.json>  issuer (default: HKA's demo issuer 155596713-2-2015 DV 59)
  --environment 1|2       1 production, 2 test (default 2)
  --number <n>            dNroDF, zero-padded to 10 digits (default 1)
  --point-of-sale <nnn>   dPtoFacDF (default: the document's pointOfSale)
  --security-code <9 d>   dSeg (default: random)
  --key <pem> --cert <pem> | --p12 <file> --pin <pin>   sign the rFE (xml)
  --qr-secret <secret>    HMAC key of the QR JWT (required to sign)
  -o, --output <file>     write the XML to a file
  -h, --help              this help

Exit codes: 0 ok · 1 invalid document/CUFE/RUC or XSD failure · 2 usage error
`;

// Commands are loaded on demand: `ruc-dv` should not pay for libxml2, xml-crypto and forge at start-up.
async function run(command: string | undefined, args: string[], options: Options): Promise<CommandResult> {
  switch (command) {
    case 'ruc-dv':
      return (await import('./commands/ruc-dv')).rucDvCommand(args, options);
    case 'cufe':
      return (await import('./commands/cufe')).cufeCommand(args, options);
    case 'validate':
      return (await import('./commands/validate')).validateCommand(args, options);
    case 'xml':
      return (await import('./commands/xml')).xmlCommand(args, options);
    default:
      throw new UsageError(command === undefined ? 'missing command' : `unknown command "${command}"`);
  }
}

export async function main(argv: string[]): Promise<number> {
  try {
    const { positionals, options } = parseCommandLine(argv);
    if (options.help || positionals.length === 0) {
      process.stdout.write(HELP);
      return options.help ? 0 : 2;
    }
    const [command, ...args] = positionals;
    const result = await run(command, args, options);
    if (result.stderr) process.stderr.write(`${result.stderr}\n`);
    process.stdout.write(`${options.json ? JSON.stringify(result.json, null, 2) : result.text}\n`);
    return result.exitCode;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`factu: ${error.message}\nRun "factu --help" for usage.\n`);
      return 2;
    }
    process.stderr.write(
      `factu: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`,
    );
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
