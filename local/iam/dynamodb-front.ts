import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SessionLookup } from '../standins/sts.ts';
import { dynamoDbAccesses, type TableSchema, type TenantGuard } from './tenant-guard.ts';

export type DynamoDbFront = { url: string; stop(): Promise<void> };

/**
 * A pass-through in front of DynamoDB Local (which checks no credentials) that decides as IAM would for
 * requests signed with tenant-session credentials: an expired session gets ExpiredTokenException, an item the
 * session's role may not reach (another tenant's key) AccessDeniedException, before DynamoDB Local sees the
 * request. Other requests are relayed untouched. The cost is one loopback hop, plus, for session requests, a
 * JSON parse and one policy evaluation per item action.
 */
export async function startDynamoDbFront({
  targetUrl,
  sessions,
  guard,
  tables,
}: {
  targetUrl: string;
  sessions: (accessKeyId: string) => SessionLookup;
  guard: TenantGuard;
  tables: Map<string, TableSchema>;
}): Promise<DynamoDbFront> {
  const target = new URL(targetUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });

  const relay = (incoming: IncomingMessage, outgoing: ServerResponse, body: Buffer) => {
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
        agent,
      },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    upstream.on('error', (error) => {
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end(String(error));
    });
    upstream.end(body);
  };

  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const accessKeyId = /Credential=([^/,\s]+)\//.exec(String(incoming.headers.authorization ?? ''))?.[1];
      const found = accessKeyId ? sessions(accessKeyId) : undefined;
      if (!found) return relay(incoming, outgoing, body);
      if (found.expired)
        return refuse(
          outgoing,
          'ExpiredTokenException',
          'The security token included in the request is expired',
        );
      const operation =
        String(incoming.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() ?? '';
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        return relay(incoming, outgoing, body);
      }
      const refusal = guard.refusal(found.session, dynamoDbAccesses(operation, parsed, tables));
      if (refusal) return refuse(outgoing, 'AccessDeniedException', refusal);
      relay(incoming, outgoing, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      agent.destroy();
    },
  };
}

function refuse(outgoing: ServerResponse, code: string, message: string): void {
  const payload = Buffer.from(JSON.stringify({ __type: `com.amazon.coral.service#${code}`, message }));
  outgoing.writeHead(400, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': payload.length,
    'x-amzn-errortype': code,
  });
  outgoing.end(payload);
}
