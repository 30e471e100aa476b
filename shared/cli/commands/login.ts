import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type CommandResult, UsageError } from '../io';
import { CLI_LOGIN_PORT, listenForCallback, loopbackRedirectUri } from '../login/loopback';
import { authorizeUrl, createPkce, exchangeCode, randomState, TokenEndpointError } from '../login/oauth';
import type { Options } from '../options';

/** Written by `npm start`: the local hosted UI and web client, the defaults of `--hosted-ui` / `--client-id`. */
const LOCAL_STACK_FILE = fileURLToPath(new URL('../../../.local/stack.json', import.meta.url));

const DEFAULT_SCOPE = 'openid email profile';
const DEFAULT_TIMEOUT_SECONDS = 300;

function localStackDefaults(): { hostedUiUrl?: string; clientId?: string } {
  if (!existsSync(LOCAL_STACK_FILE)) return {};
  try {
    const stack = JSON.parse(readFileSync(LOCAL_STACK_FILE, 'utf8')) as {
      cognito?: { hostedUiUrl?: string; clientId?: string };
    };
    return { hostedUiUrl: stack.cognito?.hostedUiUrl, clientId: stack.cognito?.clientId };
  } catch {
    return {};
  }
}

function positiveInteger(value: string | undefined, option: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > max)
    throw new UsageError(`${option} must be 1–${max}`);
  return number;
}

/** Best effort: the user can always open the printed URL themselves. */
function openBrowser(url: string): void {
  // Each opener gets the URL as one argument, never through a shell (a URL is full of `&`).
  const [command, ...args] =
    process.platform === 'darwin'
      ? ['open', url]
      : process.platform === 'win32'
        ? ['rundll32', 'url.dll,FileProtocolHandler', url]
        : ['xdg-open', url];
  try {
    const child = spawn(command as string, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // no opener on this machine
  }
}

/**
 * `factu login`: signs a person in through the Cognito hosted UI (AWS's or the local cloud's, alike) with
 * the authorization-code flow for native apps (RFC 8252): a loopback redirect on localhost, PKCE (S256) and
 * a random `state`. Prints the authorize URL (and opens it in a browser), waits for the redirect, trades the
 * code at the token endpoint and prints the ID token (`--json`: all tokens).
 */
export async function loginCommand(args: string[], options: Options): Promise<CommandResult> {
  if (args.length > 0) throw new UsageError(`unexpected argument "${args[0]}"`);
  const defaults = localStackDefaults();
  const hostedUiUrl = options['hosted-ui'] ?? defaults.hostedUiUrl;
  const clientId = options['client-id'] ?? defaults.clientId;
  if (!hostedUiUrl || !clientId) {
    throw new UsageError(
      'give --hosted-ui <url> and --client-id <id> (your deployment\'s hosted UI domain and web client), or run "npm start" for the local ones',
    );
  }
  try {
    new URL(hostedUiUrl);
  } catch {
    throw new UsageError(`--hosted-ui "${hostedUiUrl}" is not a URL`);
  }
  const port = positiveInteger(options.port, '--port', CLI_LOGIN_PORT, 65_535);
  const timeoutMs = positiveInteger(options.timeout, '--timeout', DEFAULT_TIMEOUT_SECONDS, 3600) * 1000;
  const redirectUri = loopbackRedirectUri(port);
  const pkce = createPkce();
  const state = randomState();

  const listener = await listenForCallback({ port, state, timeoutMs });
  try {
    const url = authorizeUrl({
      hostedUiUrl,
      clientId,
      redirectUri,
      scope: options.scope ?? DEFAULT_SCOPE,
      state,
      codeChallenge: pkce.challenge,
    });
    // Now, not at the end: the person needs the URL while the command waits.
    process.stderr.write(`factu: sign in with your browser:\n${url}\n`);
    if (!options['no-browser']) openBrowser(url);
    const outcome = await listener.outcome;
    if (!outcome.ok) return failure(outcome.error);
    const tokens = await exchangeCode({
      hostedUiUrl,
      clientId,
      redirectUri,
      code: outcome.code,
      codeVerifier: pkce.verifier,
    });
    if (!tokens.idToken)
      return failure('the token endpoint gave no ID token (is "openid" among the scopes?)');
    return { exitCode: 0, text: tokens.idToken, json: tokens };
  } catch (error) {
    if (error instanceof TokenEndpointError) return failure(error.message);
    throw error;
  } finally {
    await listener.close();
  }
}

function failure(message: string): CommandResult {
  return { exitCode: 1, text: '', json: { ok: false, error: message }, stderr: [`login failed: ${message}`] };
}
