/**
 * Turns what came back (or did not) into success or one of the three error classes. The split matters to
 * the pipeline: rejected = never retry, authentication = fix configuration, transient = retry, and
 * `unknown` = ask EstadoDocumento before any re-send (brief §11.4).
 */
import {
  HkaAuthenticationError,
  HkaRejectedError,
  type HkaRejectionReason,
  HkaTransientError,
} from './errors.ts';
import { violationsFromMessage } from './messages.ts';
import type { HkaOperation } from './namespaces.ts';
import { textOf } from './parse.ts';
import type { SendTracker } from './transport.ts';

/** HKA's auth failures are free text (codes undocumented offline): token/user/password + invalid. */
const AUTH_SUBJECT = /token|usuario|credencial|contrase[ñn]a|autentica/i;
const AUTH_PROBLEM = /inv[aá]lid|incorrect|fallid|no autorizad|no v[aá]lid|no existe|denegad/i;

export function isAuthenticationMessage(mensaje: string): boolean {
  return AUTH_SUBJECT.test(mensaje) && AUTH_PROBLEM.test(mensaje);
}

export function rejectionReasonOf(mensaje: string): HkaRejectionReason {
  if (/folio/i.test(mensaje)) return 'folios-exhausted';
  if (/anula/i.test(mensaje) && /plazo|d[ií]as|venci|expir/i.test(mensaje)) return 'cancellation-window';
  if (/no existe|no (se )?(ha )?encontr|no encontrad/i.test(mensaje)) return 'not-found';
  return 'validation';
}

/** HKA answered with a `<Op>Result` whose code is not a success: the matching error. */
export function businessError(operation: HkaOperation, codigo: string, mensaje: string): Error {
  const text = mensaje || `HKA ${operation} answered codigo ${codigo || '(none)'}`;
  if (isAuthenticationMessage(text)) return new HkaAuthenticationError(operation, codigo, text);
  return new HkaRejectedError(
    operation,
    codigo,
    text,
    violationsFromMessage(text, codigo),
    rejectionReasonOf(text),
  );
}

type SoapLikeError = Error & {
  code?: string;
  response?: { status?: number };
  root?: { Envelope?: { Body?: { Fault?: Record<string, unknown> } } };
};

const NEVER_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNECTTIMEOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** A failed soap call → error class. The message never contains the request (tokens live there). */
export function failureError(operation: HkaOperation, err: unknown, tracker: SendTracker): Error {
  const e = err as SoapLikeError;
  const status = e.response?.status;
  const fault = e.root?.Envelope?.Body?.Fault;
  if (fault) {
    const faultcode = textOf(fault.faultcode);
    const faultstring = textOf(fault.faultstring) || 'SOAP fault';
    // Client-side faults (bad XML, deserialization) repeat identically; server faults may be transient.
    if (/client|deserializ/i.test(faultcode)) {
      return new HkaRejectedError(
        operation,
        faultcode || 'Fault',
        faultstring,
        violationsFromMessage(faultstring, faultcode || undefined),
        'soap-fault',
      );
    }
    return new HkaTransientError(
      operation,
      'unknown',
      `HKA ${operation} SOAP fault ${faultcode}: ${faultstring}`,
      status,
    );
  }
  if (status !== undefined) {
    // 503 (no instance to take the request) and 429 (throttled) are refusals before any processing; other
    // statuses (500, 502, 504 …) may come after HKA processed the document, so its state is unknown.
    const refusedBeforeProcessing = status === 503 || status === 429;
    return new HkaTransientError(
      operation,
      refusedBeforeProcessing ? 'not-sent' : 'unknown',
      `HKA ${operation} answered HTTP ${status} without a usable SOAP body`,
      status,
    );
  }
  const code = e.code ?? '';
  const neverSent = NEVER_SENT_CODES.has(code) || !tracker.sent;
  return new HkaTransientError(
    operation,
    neverSent ? 'not-sent' : 'unknown',
    `HKA ${operation} ${neverSent ? 'request not sent' : 'sent, no answer'}: ${code || e.message}`,
    undefined,
    { cause: { name: e.name, code, message: e.message } },
  );
}
