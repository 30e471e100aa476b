import { required } from '../rules.ts';
import { child, text, type XmlObject } from '../soap-io.ts';
import type { StoredDocument } from '../state.ts';

const FIELDS = [
  'codigoSucursalEmisor',
  'numeroDocumentoFiscal',
  'puntoFacturacionFiscal',
  'tipoDocumento',
  'tipoEmision',
] as const;

/** Reads `datosDocumento`; returns HKA-style messages for missing identifiers. */
export function readDatosDocumento(
  body: XmlObject,
): { ok: true; datos: StoredDocument['datos'] } | { ok: false; messages: string[] } {
  const datos = child(body, 'datosDocumento');
  const messages = FIELDS.filter((f) => text(datos, f) === '').map(required);
  if (!datos) return { ok: false, messages: [required('datosDocumento')] };
  if (messages.length > 0) return { ok: false, messages };
  return {
    ok: true,
    datos: {
      codigoSucursalEmisor: text(datos, 'codigoSucursalEmisor'),
      numeroDocumentoFiscal: text(datos, 'numeroDocumentoFiscal'),
      puntoFacturacionFiscal: text(datos, 'puntoFacturacionFiscal'),
      tipoDocumento: text(datos, 'tipoDocumento'),
      tipoEmision: text(datos, 'tipoEmision'),
    },
  };
}
