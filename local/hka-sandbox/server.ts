/**
 * The HTTP layer: routes `?wsdl`, `/__admin/*`, the PAC reception path and SOAP; applies faults around the
 * SOAP processing. Faults act on the raw socket where a real network would (reset, held socket, lost
 * answer), so the client sees exactly what it would see in production.
 */
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { type AdminContext, handleAdmin } from './admin.ts';
import {
  authenticationFailure,
  resolveOperation,
  runOperation,
  SoapFaultError,
  tokensOf,
} from './dispatch.ts';
import { drawFaults, type FaultSpec, FaultSpecError, parseFaultHeader } from './faults.ts';
import type { OperationContext } from './ops/context.ts';
import { InternalServiceFault } from './ops/enviar.ts';
import { parseSoapRequest, SoapRequestError, soapFault, type XmlObject } from './soap-io.ts';
import { readDocumentoInWcfOrder } from './wcf-order.ts';

/** Carried to Enviar so a rejection can say which elements were dropped for their position. */
const wcfIgnoredNote = (ignored: string[]): XmlObject =>
  ignored.length > 0 ? { __ignoredOutOfOrder: ignored.join(', ') } : {};

export type ServerDeps = {
  ops: OperationContext;
  admin: AdminContext;
  wsdl(baseUrl: string): string;
  pacReception?(xml: string): Promise<{ status: number; body: string; contentType: string }>;
  log(message: string, extra?: Record<string, unknown>): void;
};

const MAX_BODY_BYTES = 32 * 1024 * 1024;
const XML = 'text/xml; charset=utf-8';

class BodyTooLarge extends Error {}

/** The name tenant faults match on (`operations`) for the PAC reception. */
export const PAC_RECEPTION_OPERATION = 'RecepcionFE';

/** The issuer's RUC of an rEnviFe, whose rFE travels XML-escaped inside `xFe` (or as markup). */
function issuerRucOf(raw: string): string | undefined {
  const tag = (name: string) => `(?:<|&lt;)(?:\\w+:)?${name}(?:>|&gt;)`;
  return new RegExp(`${tag('gRucEmi')}[\\s\\S]*?${tag('dRuc')}([^<&]+)`).exec(raw)?.[1]?.trim();
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function createSandboxServer(deps: ServerDeps) {
  /** Responses deliberately never answered (`timeout`): destroyed on close. */
  const held = new Set<http.ServerResponse>();

  const send = (res: http.ServerResponse, status: number, contentType: string, body: string) => {
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  async function handleSoap(req: http.IncomingMessage, res: http.ServerResponse, raw: string): Promise<void> {
    let operation: string;
    let body: ReturnType<typeof parseSoapRequest>['body'];
    try {
      const parsed = parseSoapRequest(raw);
      operation = resolveOperation(parsed.operation, req.headers.soapaction as string | undefined);
      body = parsed.body;
      if (operation === 'Enviar') {
        // Re-read the documento member by member, as WCF does (out-of-order elements are ignored).
        const inOrder = readDocumentoInWcfOrder(raw);
        if (inOrder) body = { ...body, documento: inOrder.documento, ...wcfIgnoredNote(inOrder.ignored) };
      }
    } catch (error) {
      if (error instanceof SoapRequestError) return send(res, 400, XML, soapFault('s:Client', error.message));
      if (error instanceof SoapFaultError)
        return send(res, error.httpStatus, XML, soapFault(error.faultcode, error.message));
      throw error;
    }

    const tokens = tokensOf(operation, body);
    const tenant = deps.ops.state.tenantByTokens(tokens.tokenEmpresa, tokens.tokenPassword);
    if (tenant) deps.ops.state.countCall(tenant.id, operation);
    const headerFaults = req.headers['x-hka-sandbox-fault'];
    let requestFaults: FaultSpec[] = [];
    try {
      requestFaults = typeof headerFaults === 'string' ? parseFaultHeader(headerFaults) : [];
    } catch (error) {
      if (error instanceof FaultSpecError) return send(res, 400, 'text/plain', error.message);
      throw error;
    }
    const faults = await drawAndDelay(tenant, requestFaults, operation);
    if (failedBeforeProcessing(req, res, faults.failure, operation)) return;

    let answer: string;
    if (!tenant) {
      answer = authenticationFailure(operation);
    } else {
      try {
        answer = await runOperation(deps.ops, operation, body, tenant);
      } catch (error) {
        if (error instanceof InternalServiceFault)
          return send(res, 500, XML, soapFault('a:InternalServiceFault', error.message));
        throw error;
      }
    }
    if (faults.failure === 'lost-answer') {
      // Processed and stored; the answer never reaches the caller.
      req.socket.destroy();
      return;
    }
    send(res, 200, XML, answer);
  }

  /** The faults of this request (the tenant's and the header's), after any injected latency. */
  async function drawAndDelay(
    tenant: { faults: FaultSpec[] } | undefined,
    requestFaults: FaultSpec[],
    operation: string,
  ) {
    const faults = drawFaults([...(tenant?.faults ?? []), ...requestFaults], operation, deps.ops.random);
    if (tenant?.faults.some((f) => f.times !== undefined)) deps.ops.state.changed();
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    return faults;
  }

  /** Acts out a failure that happens before HKA processes anything; true when the request is answered (or not). */
  function failedBeforeProcessing(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    failure: ReturnType<typeof drawFaults>['failure'],
    operation: string,
  ): boolean {
    switch (failure) {
      case 'timeout':
        // Hold the socket: the client's response timeout must fire.
        held.add(res);
        res.on('close', () => held.delete(res));
        return true;
      case 'reset':
        req.socket.destroy();
        return true;
      case 'http-500':
        send(res, 500, 'text/html', '<html><body><h1>500 - Internal server error.</h1></body></html>');
        return true;
      case 'http-503':
        send(res, 503, 'text/html', '<html><body><h1>Service Unavailable</h1></body></html>');
        return true;
      case 'malformed':
        send(
          res,
          200,
          XML,
          `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><${operation}Response xmlns="http://tempuri.org/"><${operation}Result`,
        );
        return true;
      case 'empty':
        send(res, 200, XML, '');
        return true;
      default:
        return false;
    }
  }

  /**
   * The PAC reception (emitter-signed) under the same faults as SOAP: the tenant is the rFE's issuer (the
   * real service knows the transmitter by its TLS client certificate; the sandbox has no tokens there), the
   * operation is `RecepcionFE` for `operations` filters.
   */
  async function handlePacReception(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    raw: string,
    receive: NonNullable<ServerDeps['pacReception']>,
  ): Promise<void> {
    const ruc = issuerRucOf(raw);
    const tenant = ruc ? deps.ops.state.data.tenants.find((t) => t.ruc === ruc) : undefined;
    const faults = await drawAndDelay(tenant, [], PAC_RECEPTION_OPERATION);
    if (failedBeforeProcessing(req, res, faults.failure, PAC_RECEPTION_OPERATION)) return;
    const answer = await receive(raw);
    if (faults.failure === 'lost-answer') {
      req.socket.destroy();
      return;
    }
    send(res, answer.status, answer.contentType, answer.body);
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const handle = async () => {
      if (req.method === 'GET' && (url.searchParams.has('wsdl') || url.searchParams.has('singleWsdl'))) {
        const host = req.headers.host ?? 'localhost';
        return send(res, 200, XML, deps.wsdl(`http://${host}${url.pathname}`));
      }
      if (url.pathname.startsWith('/__admin/')) {
        const raw = req.method === 'GET' ? '' : await readBody(req);
        const answer = handleAdmin(
          deps.admin,
          req.method ?? 'GET',
          url.pathname,
          raw ? JSON.parse(raw) : undefined,
        );
        return send(res, answer.status, 'application/json', JSON.stringify(answer.body));
      }
      if (req.method !== 'POST') return send(res, 405, 'text/plain', 'POST a SOAP request, or GET ?wsdl');
      const raw = await readBody(req);
      if (url.pathname.startsWith('/pac/') && deps.pacReception) {
        return handlePacReception(req, res, raw, deps.pacReception);
      }
      return handleSoap(req, res, raw);
    };
    handle().catch((error: unknown) => {
      if (error instanceof BodyTooLarge) return send(res, 413, 'text/plain', 'request too large');
      if (error instanceof SyntaxError)
        return send(res, 400, 'application/json', JSON.stringify({ error: error.message }));
      deps.log('hka-sandbox internal error', { error: (error as Error).stack ?? String(error) });
      if (!res.headersSent)
        send(res, 500, XML, soapFault('a:InternalServiceFault', 'Internal error in the sandbox.'));
    });
  });
  // Keep-alive clients (the HKA client pools sockets) must not race the server's idle close.
  server.keepAliveTimeout = 65_000;

  return {
    server,
    closeHeld() {
      for (const res of held) res.socket?.destroy();
      held.clear();
    },
  };
}
