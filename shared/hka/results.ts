/**
 * `<Op>Result` → typed results. Pure functions over soap's parsed object (prefix-free keys); the call
 * itself (transport, classification, metrics) lives in `client.ts`.
 */
import { businessError } from './classify.ts';
import { HkaRejectedError, HkaTransientError } from './errors.ts';
import { decodeBase64, parseCount, parseDateRange, parseHkaDate, parseYesNo, textOf } from './parse.ts';
import type {
  AnulacionResult,
  ConsultarRucDvResult,
  DownloadResult,
  EnviarResult,
  EstadoDocumentoResult,
  FoliosRestantesResult,
  RastreoCorreoResult,
} from './types.ts';

export type ResultFields = Record<string, unknown>;

/** 200 = authorized; 102 = already processed, with the original CUFE/QR/protocol (brief §8.7). */
export function enviarResult(r: ResultFields, raw: string): EnviarResult {
  const codigo = textOf(r.codigo);
  const mensaje = textOf(r.mensaje);
  if (codigo !== '200' && codigo !== '102') throw businessError('Enviar', codigo, mensaje);
  const authorizedAtRaw = textOf(r.fechaRecepcionDGI);
  const authorization = {
    cufe: textOf(r.cufe),
    qr: textOf(r.qr),
    protocol: textOf(r.nroProtocoloAutorizacion),
    authorizedAt: parseHkaDate(authorizedAtRaw) ?? '',
    authorizedAtRaw,
  };
  if (!authorization.cufe) {
    // A success without a CUFE is unusable and may hide a processed document: treat as unknown.
    throw new HkaTransientError('Enviar', 'unknown', `HKA Enviar answered ${codigo} without a cufe`, 200);
  }
  return { duplicate: codigo === '102', codigo, mensaje, authorization, responseXml: raw };
}

export function estadoResult(r: ResultFields, raw: string): EstadoDocumentoResult {
  const codigo = textOf(r.codigo);
  const mensaje = textOf(r.mensaje);
  if (codigo !== '200') {
    const error = businessError('EstadoDocumento', codigo, mensaje);
    // "Not found" is an answer, not a failure: it is what lets us send safely.
    if (error instanceof HkaRejectedError && error.reason === 'not-found')
      return { found: false, codigo, mensaje };
    throw error;
  }
  const emittedAt = parseHkaDate(textOf(r.fechaEmisionDocumento));
  const receivedAt = parseHkaDate(textOf(r.fechaRecepcionDocumento));
  return {
    found: true,
    codigo,
    mensaje,
    cufe: textOf(r.cufe),
    status: textOf(r.estatusDocumento),
    statusMessage: textOf(r.mensajeDocumento),
    ...(emittedAt ? { emittedAt } : {}),
    ...(receivedAt ? { receivedAt } : {}),
    responseXml: raw,
  };
}

export function anulacionResult(r: ResultFields): AnulacionResult {
  const status = textOf(r.estatusDocumento);
  return { codigo: textOf(r.codigo), mensaje: textOf(r.mensaje), ...(status ? { status } : {}) };
}

export function downloadResult(r: ResultFields): DownloadResult {
  return { codigo: textOf(r.codigo), mensaje: textOf(r.mensaje), content: decodeBase64(textOf(r.documento)) };
}

export function foliosResult(r: ResultFields): FoliosRestantesResult {
  const licence = parseDateRange(textOf(r.fechaLicencia));
  const cycle = parseDateRange(textOf(r.fechaCiclo));
  // The XML example says foliosDisponibleCiclo, the wiki table foliosDisponiblesCiclo: take either.
  const available = textOf(r.foliosDisponibleCiclo) || textOf(r.foliosDisponiblesCiclo);
  return {
    codigo: textOf(r.codigo),
    mensaje: textOf(r.mensaje),
    licencia: textOf(r.licencia),
    ...(licence.from ? { licenceFrom: licence.from } : {}),
    ...(licence.to ? { licenceTo: licence.to } : {}),
    ciclo: textOf(r.ciclo),
    ...(cycle.from ? { cycleFrom: cycle.from } : {}),
    ...(cycle.to ? { cycleTo: cycle.to } : {}),
    cycleTotal: parseCount(textOf(r.foliosTotalesCiclo)),
    cycleUsed: parseCount(textOf(r.foliosUtilizadosCiclo)),
    cycleAvailable: parseCount(available),
    licenceTotal: parseCount(textOf(r.foliosTotales)),
  };
}

export function rastreoResult(r: ResultFields): RastreoCorreoResult {
  const list = (r.listaRastreo as ResultFields | null | undefined)?.listTracking;
  // soap yields an object for one entry and an array for several.
  const entries = (Array.isArray(list) ? list : list ? [list] : []) as ResultFields[];
  return {
    codigo: textOf(r.codigo),
    mensaje: textOf(r.mensaje),
    entries: entries.map((entry) => {
      const createdAtRaw = textOf(entry.creado_en);
      const createdAt = parseHkaDate(createdAtRaw);
      return {
        correo: textOf(entry.correo),
        createdAtRaw,
        ...(createdAt ? { createdAt } : {}),
        estado: textOf(entry.estado),
        messageId: textOf(entry.messageId),
      };
    }),
  };
}

export function rucDvResult(r: ResultFields): ConsultarRucDvResult {
  const info = (r.infoRuc ?? {}) as ResultFields;
  const afiliadoFE = textOf(info.afiliadoFE);
  return {
    codigo: textOf(r.codigo),
    mensaje: textOf(r.mensaje),
    tipoRuc: textOf(info.tipoRuc),
    ruc: textOf(info.ruc),
    dv: textOf(info.dv),
    razonSocial: textOf(info.razonSocial),
    afiliadoFE,
    affiliated: parseYesNo(afiliadoFE),
  };
}
