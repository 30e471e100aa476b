import { createServer, type Server } from 'node:http';

/**
 * The fixed loopback port `factu login` listens on. The app client must list its redirect URI among its
 * callback URLs (infra/config.ts has it by default; Cognito allows plain http only for `localhost`).
 */
export const CLI_LOGIN_PORT = 8976;

export function loopbackRedirectUri(port: number): string {
  return `http://localhost:${port}/callback`;
}

export const CLI_LOGIN_REDIRECT_URI = loopbackRedirectUri(CLI_LOGIN_PORT);

export type CallbackOutcome = { ok: true; code: string } | { ok: false; error: string };

export type LoopbackListener = {
  /** The browser's redirect, checked: the code, or why the sign-in failed. */
  outcome: Promise<CallbackOutcome>;
  close(): Promise<void>;
};

/** Port taken (another `factu login`?) or no loopback interface. */
export class LoopbackUnavailableError extends Error {
  override readonly name = 'LoopbackUnavailableError';
}

/**
 * Waits on the loopback interface for the authorization server's redirect (RFC 8252 §7.3). `localhost` may
 * resolve to 127.0.0.1 or ::1 in the browser, so both are served (::1 when the machine has IPv6). The first
 * request to `/callback` decides: an `error` from the server, a `state` that is not ours (a forged
 * redirect), or the code. The browser is told the outcome; tokens never reach it.
 */
export async function listenForCallback({
  port,
  state,
  timeoutMs,
}: {
  port: number;
  state: string;
  timeoutMs: number;
}): Promise<LoopbackListener> {
  let settle: (outcome: CallbackOutcome) => void = () => undefined;
  const outcome = new Promise<CallbackOutcome>((resolve) => {
    settle = resolve;
  });
  let decided = false;
  const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' || url.pathname !== '/callback' || decided) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    decided = true;
    const error = url.searchParams.get('error');
    const code = url.searchParams.get('code');
    const result: CallbackOutcome = error
      ? { ok: false, error: `the hosted UI answered ${error}` }
      : url.searchParams.get('state') !== state
        ? { ok: false, error: 'the redirect carries another state than this login sent (not our request)' }
        : code
          ? { ok: true, code }
          : { ok: false, error: 'the redirect carries no code' };
    res.writeHead(result.ok ? 200 : 400, {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(
      result.ok ? 'Signed in to factu. You can close this window.\n' : `Sign-in failed: ${result.error}\n`,
    );
    settle(result);
  };

  const servers: Server[] = [];
  const listen = (host: string) =>
    new Promise<Server>((resolve, reject) => {
      const server = createServer(handler);
      server.once('error', reject);
      server.listen(port, host, () => resolve(server));
    });
  try {
    servers.push(await listen('127.0.0.1'));
  } catch (error) {
    throw new LoopbackUnavailableError(
      `cannot listen on localhost:${port} for the sign-in redirect (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  await listen('::1').then(
    (server) => servers.push(server),
    () => undefined, // no IPv6 loopback here: 127.0.0.1 serves `localhost`
  );
  const timer = setTimeout(
    () => settle({ ok: false, error: `no sign-in within ${Math.round(timeoutMs / 1000)} s` }),
    timeoutMs,
  );
  return {
    outcome,
    close: async () => {
      clearTimeout(timer);
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}
