import { createServer } from 'node:http';
import type { HkaTokens } from './seed/seed.ts';

export type HkaService = { url: string; tokens: HkaTokens; close(): Promise<void>; fallback: boolean };

type SandboxModule = {
  startHkaSandbox(options: {
    port?: number;
    host?: string;
    sesEndpoint?: string;
    dataDir?: string;
    log?: (message: string, extra?: Record<string, unknown>) => void;
  }): Promise<{
    url: string;
    tokens: HkaTokens;
    close(): Promise<void>;
  }>;
};

/**
 * The HKA look-alike (local/hka-sandbox, its own area). Loaded dynamically so the local cloud still starts
 * while the sandbox is missing or broken: then a placeholder answers every SOAP call with a Fault, which the
 * pipeline treats like an HKA outage — visible, never a fake authorization.
 */
export async function startHka(options: {
  port: number;
  sesEndpoint: string;
  dataDir: string;
  onLog(message: string): void;
  onWarning(message: string): void;
}): Promise<HkaService> {
  try {
    // A variable specifier: the sandbox is another engineer's module, loaded only at run time.
    const specifier = '#local/hka-sandbox/index';
    const module = (await import(specifier)) as SandboxModule;
    const sandbox = await module.startHkaSandbox({
      port: options.port,
      host: '127.0.0.1',
      sesEndpoint: options.sesEndpoint,
      // Documents the sandbox authorized survive restarts, like the rest of `.local/`.
      dataDir: options.dataDir,
      log: (message, extra) => options.onLog(extra ? `${message} ${JSON.stringify(extra)}` : message),
    });
    return { url: sandbox.url, tokens: sandbox.tokens, close: () => sandbox.close(), fallback: false };
  } catch (error) {
    options.onWarning(
      `HKA sandbox unavailable (${error instanceof Error ? error.message : String(error)}); using a placeholder that faults every call`,
    );
    return startPlaceholder(options.port);
  }
}

function startPlaceholder(port: number): Promise<HkaService> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const body =
        '<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>' +
        '<s:Fault><faultcode>s:Server</faultcode><faultstring>HKA sandbox not available in this local cloud</faultstring></s:Fault>' +
        '</s:Body></s:Envelope>';
      response.writeHead(500, { 'content-type': 'text/xml; charset=utf-8' });
      response.end(body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${port}/ws/obj/v1.0/Service.svc`,
        tokens: [],
        fallback: true,
        close: () => new Promise((done) => server.close(() => done())),
      }),
    );
  });
}
