import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodSpec, RestApiSpec } from '#local/api/routes';
import { startApiServer } from '#local/api/server';
import { closeServer } from '#local/emulators/sqs';
import { FunctionError } from '#local/lambda/errors';
import type { LambdaRegistry } from '#local/lambda/registry';

const TEN_MB = 10 * 1024 * 1024;

const method = (httpMethod: string, resourcePath: string, functionName: string): MethodSpec => ({
  httpMethod,
  resourcePath,
  resourceId: resourcePath,
  authorizationType: 'NONE',
  integration: { type: 'AWS_PROXY', functionName },
});

const api = (gatewayResponses: RestApiSpec['gatewayResponses'] = {}): RestApiSpec => ({
  id: 'api',
  name: 'api',
  stageName: 'v1',
  binaryMediaTypes: [],
  methods: [
    method('POST', '/echo', 'echo'),
    method('GET', '/slow', 'slow'),
    method('GET', '/fail', 'fail'),
    method('GET', '/huge-answer', 'huge-answer'),
  ],
  gatewayResponses,
  throttling: { defaults: {}, methods: new Map() },
});

/** Functions behind the routes: what each invocation received is recorded. */
function fakeLambda(invoked: string[]): LambdaRegistry {
  return {
    invoke: async (name: string, event: { body: string | null }) => {
      invoked.push(name);
      if (name === 'slow') return new Promise(() => undefined);
      if (name === 'fail') throw new FunctionError('TypeError', 'boom');
      if (name === 'huge-answer') {
        throw new FunctionError(
          'Function.ResponseSizeTooLarge',
          'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
        );
      }
      return { statusCode: 200, body: String(event.body?.length ?? 0) };
    },
  } as unknown as LambdaRegistry;
}

describe('API Gateway limits in the local REST API', () => {
  const servers: Server[] = [];
  const invoked: string[] = [];
  let url: string;
  let customUrl: string;

  const start = async (spec: RestApiSpec) => {
    const server = await startApiServer({
      api: spec,
      lambda: fakeLambda(invoked),
      authorizers: {} as never,
      port: 0,
      onAccess: () => undefined,
      onError: () => undefined,
      integrationTimeoutMs: 300,
    });
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  beforeAll(async () => {
    url = await start(api());
    customUrl = await start(
      api({
        DEFAULT_5XX: {
          headers: { 'access-control-allow-origin': '*' },
          template:
            '{"success":false,"error":$context.error.messageString,"type":"$context.error.responseType"}',
        },
      }),
    );
  });

  afterAll(async () => {
    for (const server of servers) await closeServer(server);
  });

  it('refuses a body over 10 MB with 413 before any function runs (declared or streamed length)', async () => {
    invoked.length = 0;

    const declared = await fetch(`${url}/echo`, { method: 'POST', body: Buffer.alloc(TEN_MB + 1, 97) });
    const streamed = await fetch(`${url}/echo`, {
      method: 'POST',
      body: new ReadableStream({
        start(controller) {
          for (let sent = 0; sent <= TEN_MB; sent += 1024 * 1024)
            controller.enqueue(new Uint8Array(1024 * 1024));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);

    for (const response of [declared, streamed]) {
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({ message: 'Request Too Long' });
    }
    expect(invoked).toEqual([]);
  });

  it('passes a body of exactly 10 MB to the function', async () => {
    const response = await fetch(`${url}/echo`, { method: 'POST', body: Buffer.alloc(TEN_MB, 97) });

    expect(response.status).toBe(200);
    expect(await response.text()).toBe(String(TEN_MB));
  });

  it('answers 504 when the integration times out', async () => {
    const response = await fetch(`${url}/slow`);

    expect(response.status).toBe(504);
    expect(await response.json()).toEqual({ message: 'Endpoint request timed out' });
  });

  it('answers 502 for a failed invocation, an oversized response included', async () => {
    for (const path of ['/fail', '/huge-answer']) {
      const response = await fetch(`${url}${path}`);

      expect(response.status).toBe(502);
      expect(await response.json()).toEqual({ message: 'Internal server error' });
    }
  });

  it("uses the template's gateway responses for what the gateway itself answers", async () => {
    const response = await fetch(`${customUrl}/fail`);

    expect(response.status).toBe(502);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.json()).toEqual({
      success: false,
      error: 'Internal server error',
      // A failed Lambda invocation has no gateway response type of its own: DEFAULT_5XX renders it.
      type: 'DEFAULT_5XX',
    });
  });
});
