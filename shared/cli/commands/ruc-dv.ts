import { computeRucDv, RucFormatError } from '#shared/fiscal/ruc-dv';
import { createHkaClient } from '#shared/hka/client';
import { type CommandResult, readValue, UsageError } from '../io';
import type { Options } from '../options';

/** HKA's demo service: `--verify` never reaches production unless asked to. */
export const HKA_DEMO_ENDPOINT = 'https://demoemision.thefactoryhka.com.pa/ws/obj/v1.0/Service.svc';

/**
 * `factu ruc-dv <ruc|-> --type 1|2`: the two-digit DV; a malformed RUC is reported with exit 1.
 * With `--verify`, asks HKA's ConsultarRucDV (the DGI registry) instead: exit 0 registered, 1 not
 * registered, 2 HKA unavailable or refusing the credentials.
 */
export async function rucDvCommand(args: string[], options: Options): Promise<CommandResult> {
  const type = options.type;
  if (type !== '1' && type !== '2') throw new UsageError('--type must be 1 (natural) or 2 (juridical)');
  const ruc = readValue(args[0], 'RUC');
  if (options.verify) return verifyWithHka(ruc, type, options);
  if (options['hka-endpoint'] !== undefined) throw new UsageError('--hka-endpoint needs --verify');
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

/** Credentials only from the environment: a token on the command line would stay in the shell history. */
function credentialsFromEnvironment() {
  const tokenEmpresa = process.env.FACTU_HKA_TOKEN_EMPRESA;
  const tokenPassword = process.env.FACTU_HKA_TOKEN_PASSWORD;
  if (!tokenEmpresa || !tokenPassword) {
    throw new UsageError(
      '--verify needs FACTU_HKA_TOKEN_EMPRESA and FACTU_HKA_TOKEN_PASSWORD in the environment',
    );
  }
  return { tokenEmpresa, tokenPassword };
}

async function verifyWithHka(ruc: string, type: '1' | '2', options: Options): Promise<CommandResult> {
  const credentials = credentialsFromEnvironment();
  const endpoint = options['hka-endpoint'] ?? process.env.FACTU_HKA_ENDPOINT ?? HKA_DEMO_ENDPOINT;
  const client = createHkaClient({ endpoint, timeoutMs: 15_000 });
  try {
    const answer = await client.rucRegistration(credentials, { tipoRuc: type, ruc });
    if (answer.registered) {
      return {
        exitCode: 0,
        text: [
          `registered: yes`,
          `name: ${answer.name}`,
          `dv: ${answer.dv}`,
          `affiliated to e-invoicing: ${answer.affiliated ? 'yes' : 'no'}`,
        ].join('\n'),
        json: {
          ruc,
          type,
          registered: true,
          name: answer.name,
          dv: answer.dv,
          affiliated: answer.affiliated,
        },
      };
    }
    return {
      exitCode: 1,
      text: `registered: no\nreason: ${answer.message}`,
      json: { ruc, type, registered: false, reason: answer.reason, message: answer.message },
    };
  } catch (error) {
    // Unavailable, or the credentials refused: nothing is known about the RUC.
    const message = `HKA could not answer: ${(error as Error).message}`;
    return {
      exitCode: 2,
      text: '',
      json: { ruc, type, registered: null, error: { name: (error as Error).name, message } },
      stderr: [message],
    };
  } finally {
    client.close();
  }
}
