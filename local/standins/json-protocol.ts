import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** An AWS service error as the JSON protocols encode it (`__type` + message, HTTP 400 by default). */
export class AwsServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export type Operation = (input: Record<string, unknown>) => unknown | Promise<unknown>;

/** A service answering `X-Amz-Target: <prefix>.<Operation>` requests. */
export type JsonService = {
  /** Target prefix, e.g. `TrentService` (KMS), `secretsmanager`, `AWSEvents`, `AWSStepFunctions`. */
  targetPrefix: string;
  /** `application/x-amz-json-1.0` or `-1.1`: answered with the same content type. */
  contentType: string;
  operations: Record<string, Operation>;
};

/** A service of the AWS Query protocol (form-encoded `Action=…` in, XML out): STS. */
export type QueryService = (params: URLSearchParams) => { status: number; xml: string };

/**
 * One HTTP server for all in-repo stand-ins: they share the wire format (POST /, X-Amz-Target, JSON body)
 * and differ only in the target prefix, so every `AWS_ENDPOINT_URL_<SERVICE>` of a stand-in can point here.
 * Form-encoded requests go to the Query-protocol service (STS), which shares the endpoint.
 * Signatures are not verified (the credentials are dummies); the real SDK clients are what talk to it.
 */
export function startJsonProtocolServer(
  services: JsonService[],
  {
    port,
    host = '127.0.0.1',
    onError,
    query,
  }: { port: number; host?: string; onError?: (error: unknown) => void; query?: QueryService },
): Promise<Server> {
  const byPrefix = new Map(services.map((service) => [service.targetPrefix, service]));
  const server = createServer((request, response) => {
    const isQuery = String(request.headers['content-type'] ?? '').startsWith(
      'application/x-www-form-urlencoded',
    );
    const handled =
      isQuery && query ? handleQuery(request, response, query) : handle(request, response, byPrefix);
    void handled.catch((error) => {
      onError?.(error);
      if (!response.headersSent) send(response, 500, 'application/x-amz-json-1.1', internalError(error));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

function internalError(error: unknown) {
  return { __type: 'InternalFailure', message: error instanceof Error ? error.message : String(error) };
}

async function handleQuery(request: IncomingMessage, response: ServerResponse, query: QueryService) {
  const params = new URLSearchParams((await readBody(request)).toString('utf8'));
  const { status, xml } = query(params);
  const payload = Buffer.from(xml);
  response.writeHead(status, {
    'content-type': 'text/xml',
    'content-length': payload.length,
    'x-amzn-requestid': randomUUID(),
  });
  response.end(payload);
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  services: Map<string, JsonService>,
) {
  const target = String(request.headers['x-amz-target'] ?? '');
  const dot = target.lastIndexOf('.');
  const service = services.get(target.slice(0, dot));
  const contentType = service?.contentType ?? 'application/x-amz-json-1.1';
  const operation = service?.operations[target.slice(dot + 1)];
  const body = await readBody(request);
  if (request.method !== 'POST' || !service || !operation) {
    send(response, 400, contentType, {
      __type: 'UnknownOperationException',
      message: `operation ${target || '(none)'} is not supported by the local stand-in`,
    });
    return;
  }
  let input: Record<string, unknown>;
  try {
    input = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
  } catch {
    send(response, 400, contentType, { __type: 'SerializationException', message: 'invalid JSON body' });
    return;
  }
  try {
    const output = (await operation(input)) ?? {};
    send(response, 200, contentType, output);
  } catch (error) {
    if (error instanceof AwsServiceError) {
      send(response, error.status, contentType, { __type: error.code, message: error.message }, error.code);
    } else {
      throw error;
    }
  }
}

function send(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: unknown,
  errorType?: string,
) {
  const payload = Buffer.from(JSON.stringify(body));
  response.writeHead(status, {
    'content-type': contentType,
    'content-length': payload.length,
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  response.end(payload);
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Reads a required string member of a request, with the ValidationException AWS answers otherwise. */
export function requireString(input: Record<string, unknown>, member: string): string {
  const value = input[member];
  if (typeof value !== 'string' || value.length === 0) {
    throw new AwsServiceError(
      'ValidationException',
      `1 validation error detected: ${member} must not be null`,
    );
  }
  return value;
}

/** JSON protocol blobs are base64 strings. */
export function blob(input: Record<string, unknown>, member: string): Buffer {
  return Buffer.from(requireString(input, member), 'base64');
}
