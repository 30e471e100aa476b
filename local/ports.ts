import { createServer } from 'node:net';

export type ServiceName =
  | 'api'
  | 'dynamodb'
  | 's3'
  | 'sqs'
  | 'ses'
  | 'cognito'
  | 'hostedUi'
  | 'aws'
  | 'hka'
  | 'web';
export type Ports = Record<ServiceName, number>;

/**
 * Fixed ports for `npm start`: stable URLs across runs, and cognito-local on 9229 keeps the token issuer
 * (`http://127.0.0.1:9229/<pool>`) stable so tokens and stack.json stay valid after a restart; the hosted UI
 * on 9230 is the user pool's domain (the URL `factu login` and a browser use).
 */
export const DEFAULT_PORTS: Ports = {
  api: 3000,
  dynamodb: 8000,
  s3: 4569,
  sqs: 9324,
  ses: 8005,
  cognito: 9229,
  hostedUi: 9230,
  aws: 4599,
  hka: 8088,
  /** The web console: the web client's default callback is http://localhost:5173/auth/callback. */
  web: 5173,
};

/** Asks the OS for a free port on 127.0.0.1 (for tests, which must not collide with a running `npm start`). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** `'auto'` picks a free port for every service; an object overrides some of the defaults. */
export async function resolvePorts(ports: Partial<Ports> | 'auto' | undefined): Promise<Ports> {
  if (ports === 'auto') {
    const entries = await Promise.all(
      (Object.keys(DEFAULT_PORTS) as ServiceName[]).map(async (name) => [name, await freePort()] as const),
    );
    return Object.fromEntries(entries) as Ports;
  }
  return { ...DEFAULT_PORTS, ...ports };
}

/** Fails early and clearly when a fixed port is taken (usually: another `npm start` is still running). */
export async function assertPortFree(port: number, service: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `port ${port} for ${service} is in use (${error.code}); is another local cloud running? ` +
            'Stop it or pass other ports.',
        ),
      ),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}
