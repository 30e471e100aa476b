/**
 * Client of the DGI-standard PAC reception (brief §3.11, §11.2) for emitter-signed documents: sends
 * `feDatosMsg/rEnviFe{dVerForm, dId, iAmb, xFe}` as SOAP 1.2 and reads `rProtFe`. Same error vocabulary
 * as the SOAP client: 0260 authorized; 1002 duplicate (success, like HKA's 102); any other result code
 * → HkaRejectedError; no usable answer → HkaTransientError (`not-sent` / `unknown`).
 *
 * The sandbox serves it at `/pac/recepcion`; HKA's real endpoint for this path is not public and is
 * authenticated with a transmission certificate (configure `agent` with the client certificate).
 */
import http from 'node:http';
import https from 'node:https';
import { XMLParser } from 'fast-xml-parser';
import { HkaRejectedError, HkaTransientError } from './errors.ts';
import { violationsFromMessage } from './messages.ts';
import { type HkaCallOutcome, type HkaMetricsSink, noMetrics } from './metrics.ts';
import { parseHkaDate, textOf } from './parse.ts';
import { ConnectTimeoutError } from './transport.ts';

export const PAC_RECEPTION_NAMESPACE = 'http://dgi-fep.mef.gob.pa/wsdl/FeRecepFE';
const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';
const AUTHORIZED = '0260';
const DUPLICATE = '1002';

export type PacReceptionResult = {
  /** 1002: the DGI/PAC already had this document. */
  duplicate: boolean;
  code: string;
  message: string;
  cufe: string;
  /** `dProAut`, opaque. */
  protocol: string;
  digestValue: string;
  processedAt?: string;
  /** Every `gResProc` (authorizations may carry notifications besides 0260). */
  results: { code: string; message: string }[];
  responseXml: string;
};

export type PacReceptionClientOptions = {
  endpoint: string;
  timeoutMs?: number;
  connectTimeoutMs?: number;
  metrics?: HkaMetricsSink;
  /** An agent carrying the transmission certificate, for the real service. */
  agent?: http.Agent;
};

const parser = new XMLParser({
  removeNSPrefix: true,
  parseTagValue: false,
  ignoreAttributes: true,
  trimValues: true,
});
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/**
 * `xFe` carries the signed rFE as text: every `&`, `<`, `>` escaped exactly once (xmlbuilder2's `txt()`
 * would leave `&amp;` inside the document unescaped, and the receiver would read a different rFE).
 */
function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function createPacReceptionClient(options: PacReceptionClientOptions) {
  const url = new URL(options.endpoint);
  const transport = url.protocol === 'https:' ? https : http;
  const agent = options.agent ?? new transport.Agent({ keepAlive: true, maxSockets: 16 });
  const timeoutMs = options.timeoutMs ?? 30_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? Math.min(5_000, timeoutMs);
  const metrics = options.metrics ?? noMetrics;
  let sequence = 0;

  /** POSTs the envelope; resolves with status and body, or rejects with a transient error. */
  function post(body: string): Promise<{ status: number; text: string }> {
    let sent = false;
    return new Promise((resolve, reject) => {
      const req = transport.request(
        url,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/soap+xml; charset=utf-8',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', (error) => req.destroy(error));
        },
      );
      req.on('finish', () => {
        sent = true;
      });
      req.on('socket', (socket) => {
        if (!socket.connecting) return;
        const timer = setTimeout(
          () => req.destroy(new ConnectTimeoutError(`connect timeout after ${connectTimeoutMs} ms`)),
          connectTimeoutMs,
        );
        socket.once('connect', () => clearTimeout(timer));
        socket.once('close', () => clearTimeout(timer));
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (error: NodeJS.ErrnoException) => {
        const neverSent = !sent || error instanceof ConnectTimeoutError || error.code === 'ECONNREFUSED';
        reject(
          new HkaTransientError(
            'RecepcionFE',
            neverSent ? 'not-sent' : 'unknown',
            `PAC reception: ${error.code ?? error.message}`,
          ),
        );
      });
      req.end(body);
    });
  }

  async function send(
    signedRfe: string,
    opts: { dId?: string; environment?: '1' | '2' } = {},
  ): Promise<PacReceptionResult> {
    // dId: message id, ≤ 15 digits (feRecepFE); unique per process by time + sequence.
    const dId = opts.dId ?? `${Date.now()}${String(sequence++ % 100).padStart(2, '0')}`.slice(-15);
    const envelope =
      `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="${SOAP12}"><soap:Header>` +
      `<feHeaderMsg xmlns="${PAC_RECEPTION_NAMESPACE}"><dVerForm>1.00</dVerForm></feHeaderMsg></soap:Header>` +
      `<soap:Body><feDatosMsg xmlns="${PAC_RECEPTION_NAMESPACE}"><rEnviFe><dVerForm>1.00</dVerForm>` +
      `<dId>${escapeText(dId)}</dId><iAmb>${opts.environment ?? '2'}</iAmb><xFe>${escapeText(signedRfe)}</xFe>` +
      '</rEnviFe></feDatosMsg></soap:Body></soap:Envelope>';

    const started = performance.now();
    let outcome: HkaCallOutcome = 'unknown';
    let code: string | undefined;
    try {
      const { status, text } = await post(envelope);
      if (status !== 200) {
        throw new HkaTransientError(
          'RecepcionFE',
          'unknown',
          `PAC reception answered HTTP ${status}`,
          status,
        );
      }
      const result = readProtocol(text);
      code = result.code;
      outcome = result.duplicate ? 'duplicate' : 'success';
      return result;
    } catch (error) {
      outcome =
        error instanceof HkaTransientError
          ? error.outcome
          : error instanceof HkaRejectedError
            ? 'rejected'
            : 'unknown';
      throw error;
    } finally {
      metrics({
        operation: 'RecepcionFE',
        outcome,
        latencyMs: performance.now() - started,
        ...(code ? { code } : {}),
      });
    }
  }

  return { send, close: () => agent.destroy() };
}

function readProtocol(xml: string): PacReceptionResult {
  let parsed: Obj;
  try {
    parsed = parser.parse(xml, true) as Obj;
  } catch {
    throw new HkaTransientError('RecepcionFE', 'unknown', 'PAC reception answer is not well-formed XML', 200);
  }
  const body = obj(obj(parsed.Envelope).Body);
  const holder =
    Object.values(body)
      .map(obj)
      .find((v) => v.rProtFe) ?? body;
  const info = obj(obj(holder.rProtFe ?? parsed.rProtFe).gInfProt);
  const raw = info.gResProc;
  const results = (Array.isArray(raw) ? raw : raw ? [raw] : []).map((r) => ({
    code: textOf(obj(r).dCodRes),
    message: textOf(obj(r).dMsgRes),
  }));
  if (results.length === 0) {
    throw new HkaTransientError(
      'RecepcionFE',
      'unknown',
      'PAC reception answer has no rProtFe/gResProc',
      200,
    );
  }
  const decisive = results.find((r) => r.code === AUTHORIZED || r.code === DUPLICATE) ?? results[0]!;
  if (decisive.code !== AUTHORIZED && decisive.code !== DUPLICATE) {
    throw new HkaRejectedError(
      'RecepcionFE',
      decisive.code,
      decisive.message,
      violationsFromMessage(decisive.message, decisive.code),
      'validation',
    );
  }
  const processedAt = parseHkaDate(textOf(info.dFecProc));
  return {
    duplicate: decisive.code === DUPLICATE,
    code: decisive.code,
    message: decisive.message,
    cufe: textOf(info.dCUFE),
    protocol: textOf(info.dProAut),
    digestValue: textOf(info.dDigVal),
    ...(processedAt ? { processedAt } : {}),
    results,
    responseXml: xml,
  };
}
