/**
 * HKA SOAP client: one method per operation of HKA's WCF service, driven by the WSDL kept in
 * `wsdl/Service.wsdl` through the `soap` package. Credentials are per call (one pair per tenant RUC).
 */
import { businessError, failureError } from './classify.ts';
import { DATOS_DOCUMENTO_FIELDS, DOCUMENTO_FIELDS } from './documento-schema.ts';
import { HkaAuthenticationError, HkaRejectedError, HkaTransientError } from './errors.ts';
import { type HkaCallOutcome, type HkaMetricsSink, noMetrics } from './metrics.ts';
import type { HkaOperation } from './namespaces.ts';
import { orderBySchema } from './order.ts';
import { textOf } from './parse.ts';
import { redactSecrets } from './redact.ts';
import {
  anulacionResult,
  downloadResult,
  enviarResult,
  estadoResult,
  foliosResult,
  rastreoResult,
  rucDvResult,
} from './results.ts';
import { type RucQuery, type RucRegistration, rucRegistrationOf } from './ruc-registration.ts';
import { createKeepAliveAgents, type SendTracker, trackingTransport } from './transport.ts';
import type {
  AnulacionResult,
  ConsultarRucDvResult,
  DatosDocumento,
  DownloadResult,
  EnviarResult,
  EnvioCorreoResult,
  EstadoDocumentoResult,
  FoliosRestantesResult,
  HkaCredentials,
  HkaDocumento,
  RastreoCorreoResult,
} from './types.ts';
import { createSoapClient, DEFAULT_WSDL_PATH } from './wsdl-loader.ts';

/** Powertools Logger-compatible subset. */
export type HkaLogger = {
  debug(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
};

export type HkaClientOptions = {
  /** `…/ws/obj/v1.0/Service.svc` (demo or production) or the sandbox URL. */
  endpoint: string;
  /** Response deadline per call (ms). HKA signs and forwards to the DGI inside Enviar: allow seconds. */
  timeoutMs?: number;
  /** TCP/TLS connect deadline (ms); a call that cannot connect never reached HKA (`not-sent`). */
  connectTimeoutMs?: number;
  logger?: HkaLogger;
  metrics?: HkaMetricsSink;
  /** Override the WSDL file (tests, bundles that copy it elsewhere). */
  wsdlPath?: string;
  maxSockets?: number;
};

export type HkaClient = {
  enviar(credentials: HkaCredentials, documento: HkaDocumento): Promise<EnviarResult>;
  estadoDocumento(credentials: HkaCredentials, datos: DatosDocumento): Promise<EstadoDocumentoResult>;
  anulacionDocumento(
    credentials: HkaCredentials,
    datos: DatosDocumento,
    motivo: string,
  ): Promise<AnulacionResult>;
  descargaXml(credentials: HkaCredentials, datos: DatosDocumento): Promise<DownloadResult>;
  descargaPdf(
    credentials: HkaCredentials,
    datos: DatosDocumento,
    options?: { serialDispositivo?: string },
  ): Promise<DownloadResult>;
  foliosRestantes(credentials: HkaCredentials): Promise<FoliosRestantesResult>;
  envioCorreo(credentials: HkaCredentials, datos: DatosDocumento, correo: string): Promise<EnvioCorreoResult>;
  rastreoCorreo(credentials: HkaCredentials, cufe: string): Promise<RastreoCorreoResult>;
  consultarRucDv(credentials: HkaCredentials, query: RucQuery): Promise<ConsultarRucDvResult>;
  /** ConsultarRucDV as registered / not registered; outages and other refusals stay errors. */
  rucRegistration(credentials: HkaCredentials, query: RucQuery): Promise<RucRegistration>;
  /** Frees the keep-alive sockets (tests, CLI). */
  close(): void;
};

export { DEFAULT_WSDL_PATH };

const silentLogger: HkaLogger = { debug() {}, info() {}, warn() {}, error() {} };

type Fields = Record<string, unknown>;
/** soap's `<Op>Async`: [result, rawResponse, soapHeader, rawRequest]. */
type SoapOperation = (args: unknown, options: unknown) => Promise<[Fields | null, string, unknown, string]>;

export function createHkaClient(options: HkaClientOptions): HkaClient {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? Math.min(5_000, timeoutMs);
  const logger = options.logger ?? silentLogger;
  const metrics = options.metrics ?? noMetrics;
  const agents = createKeepAliveAgents(options.maxSockets);
  // Parsing the WSDL costs a few ms: once per client, started now, awaited by the first call.
  const soapClient = createSoapClient(options.endpoint, options.wsdlPath);
  soapClient.catch(() => {});

  /** Sends one request and returns `<Op>Result`, or throws a transient error. Records the metric. */
  async function call(
    operation: HkaOperation,
    args: Fields,
    credentials: HkaCredentials,
    interpret: (result: Fields, raw: string) => HkaCallOutcome,
  ): Promise<void> {
    const tracker: SendTracker = { sent: false };
    const started = performance.now();
    let outcome: HkaCallOutcome = 'unknown';
    let code: string | undefined;
    try {
      const client = await soapClient;
      const method = (client as unknown as Record<string, SoapOperation>)[`${operation}Async`]!;
      let result: Fields | null;
      let raw: string;
      let rawRequest: string;
      try {
        [result, raw, , rawRequest] = await method.call(client, args, {
          timeout: timeoutMs,
          httpAgent: agents.httpAgent,
          httpsAgent: agents.httpsAgent,
          transport: trackingTransport(tracker, connectTimeoutMs),
          proxy: false,
          maxRedirects: 0,
        });
      } catch (err) {
        throw failureError(operation, err, tracker);
      }
      const body = result?.[`${operation}Result`];
      if (!body || typeof body !== 'object') {
        throw new HkaTransientError(
          operation,
          'unknown',
          `HKA ${operation} answer has no ${operation}Result`,
          200,
        );
      }
      code = textOf((body as Fields).codigo);
      // Tokens travel in the request body: only the redacted form is ever logged.
      logger.debug('hka request', {
        operation,
        request: excerpt(redactSecrets(rawRequest ?? '', credentials)),
      });
      logger.debug('hka response', { operation, response: excerpt(redactSecrets(raw ?? '', credentials)) });
      outcome = interpret(body as Fields, raw ?? '');
    } catch (caught) {
      // Anything unexpected (WSDL load, a bug in a mapper) is reported in the transient vocabulary so
      // callers only ever see the three error classes.
      const err =
        caught instanceof HkaTransientError ||
        caught instanceof HkaRejectedError ||
        caught instanceof HkaAuthenticationError
          ? caught
          : new HkaTransientError(
              operation,
              tracker.sent ? 'unknown' : 'not-sent',
              `HKA ${operation}: ${(caught as Error).message}`,
            );
      outcome = outcomeOf(err);
      logger[outcome === 'rejected' ? 'info' : 'warn']('hka call failed', {
        operation,
        outcome,
        code: (err as { code?: string }).code ?? code,
        error: redactSecrets((err as Error).message, credentials),
      });
      throw err;
    } finally {
      const latencyMs = performance.now() - started;
      metrics({ operation, outcome, latencyMs, ...(code ? { code } : {}) });
      logger.debug('hka call', { operation, outcome, latencyMs: Math.round(latencyMs), code });
    }
  }

  const tokens = (c: HkaCredentials) => ({ tokenEmpresa: c.tokenEmpresa, tokenPassword: c.tokenPassword });
  const datosDocumento = (d: DatosDocumento) => orderBySchema(d as Fields, DATOS_DOCUMENTO_FIELDS);

  /** Operations whose only success is 200. */
  const simple = <T>(
    operation: HkaOperation,
    credentials: HkaCredentials,
    args: Fields,
    map: (r: Fields) => T,
  ) =>
    run(operation, credentials, args, (result) => {
      const codigo = textOf(result.codigo);
      if (codigo !== '200') throw businessError(operation, codigo, textOf(result.mensaje));
      return map(result);
    });

  /** Runs an operation and maps its Result; `map` throws the business error for non-success codes. */
  async function run<T>(
    operation: HkaOperation,
    credentials: HkaCredentials,
    args: Fields,
    map: (result: Fields, raw: string) => T,
    outcomeOf: (value: T) => HkaCallOutcome = () => 'success',
  ): Promise<T> {
    let value: T | undefined;
    await call(operation, args, credentials, (result, raw) => {
      value = map(result, raw);
      return outcomeOf(value);
    });
    return value as T;
  }

  const consultarRucDv = (credentials: HkaCredentials, query: RucQuery) =>
    simple(
      'ConsultarRucDV',
      credentials,
      // The only operation with the tokens inside the request object (Services.ApiRest).
      { consultarRucDVRequest: { ...tokens(credentials), tipoRuc: query.tipoRuc, ruc: query.ruc } },
      rucDvResult,
    );

  return {
    enviar: (credentials, documento) =>
      run(
        'Enviar',
        credentials,
        { ...tokens(credentials), documento: orderBySchema(documento as Fields, DOCUMENTO_FIELDS) },
        enviarResult,
        (r) => (r.duplicate ? 'duplicate' : 'success'),
      ),

    estadoDocumento: (credentials, datos) =>
      run(
        'EstadoDocumento',
        credentials,
        { ...tokens(credentials), datosDocumento: datosDocumento(datos) },
        estadoResult,
      ),

    anulacionDocumento: (credentials, datos, motivo) =>
      simple(
        'AnulacionDocumento',
        credentials,
        { ...tokens(credentials), motivoAnulacion: motivo, datosDocumento: datosDocumento(datos) },
        anulacionResult,
      ),

    descargaXml: (credentials, datos) =>
      simple(
        'DescargaXML',
        credentials,
        { ...tokens(credentials), datosDocumento: datosDocumento(datos) },
        downloadResult,
      ),

    descargaPdf: (credentials, datos, opts) =>
      simple(
        'DescargaPDF',
        credentials,
        {
          ...tokens(credentials),
          datosDocumento: datosDocumento(datos),
          ...(opts?.serialDispositivo ? { serialDispositivo: opts.serialDispositivo } : {}),
        },
        downloadResult,
      ),

    foliosRestantes: (credentials) =>
      simple('FoliosRestantes', credentials, tokens(credentials), foliosResult),

    envioCorreo: (credentials, datos, correo) =>
      simple(
        'EnvioCorreo',
        credentials,
        { ...tokens(credentials), datosDocumento: datosDocumento(datos), correo },
        (r) => ({ codigo: textOf(r.codigo), mensaje: textOf(r.mensaje) }),
      ),

    rastreoCorreo: (credentials, cufe) =>
      simple('RastreoCorreo', credentials, { ...tokens(credentials), cufe }, rastreoResult),

    consultarRucDv,

    rucRegistration: (credentials, query) => rucRegistrationOf(() => consultarRucDv(credentials, query)),

    close() {
      agents.httpAgent.destroy();
      agents.httpsAgent.destroy();
    },
  };
}

/** Debug lines stay readable: downloads carry megabytes of base64. */
const EXCERPT_CHARS = 4_000;
function excerpt(text: string): string {
  return text.length <= EXCERPT_CHARS ? text : `${text.slice(0, EXCERPT_CHARS)}… (${text.length} chars)`;
}

function outcomeOf(err: unknown): HkaCallOutcome {
  if (err instanceof HkaTransientError) return err.outcome;
  if (err instanceof HkaAuthenticationError) return 'authentication';
  if (err instanceof HkaRejectedError) return 'rejected';
  return 'unknown';
}
