/**
 * One loopback listener per Lambda function, created on first use: a pass-through a bench points one
 * function's endpoint at (`AWS_ENDPOINT_URL_<SERVICE>`), so every call it receives is that function's.
 */
import { createServer, type RequestListener, type Server } from 'node:http';

export type FunctionListeners = {
  /** The endpoint a function should use (a listener created on first use). */
  urlFor(functionName: string): Promise<string>;
  close(): Promise<void>;
};

export function functionListeners(handlerFor: (functionName: string) => RequestListener): FunctionListeners {
  const listeners = new Map<string, Promise<{ url: string; server: Server }>>();
  const listen = (functionName: string) =>
    new Promise<{ url: string; server: Server }>((resolve, reject) => {
      const server = createServer(handlerFor(functionName));
      server.keepAliveTimeout = 5000;
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        const port = typeof address === 'object' && address ? address.port : 0;
        resolve({ url: `http://127.0.0.1:${port}`, server });
      });
    });
  return {
    async urlFor(functionName) {
      let listener = listeners.get(functionName);
      if (!listener) {
        listener = listen(functionName);
        listeners.set(functionName, listener);
      }
      return (await listener).url;
    },
    async close() {
      const all = await Promise.all(listeners.values());
      await Promise.all(
        all.map(
          ({ server }) =>
            new Promise<void>((done) => {
              server.closeAllConnections();
              server.close(() => done());
            }),
        ),
      );
    },
  };
}
