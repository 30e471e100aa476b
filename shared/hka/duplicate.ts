/**
 * Is HKA's "already processed" document ours? A 102 (or an EstadoDocumento hit) carries the ORIGINAL
 * document's CUFE, QR and protocol (brief §8.7), and HKA compares identifiers, not content: a different
 * document issued earlier under the same branch, point of sale, number and type answers 102 too. Adopting
 * that answer would mark our document AUTHORIZED with someone else's CUFE, so the CUFE is compared with what
 * we know of ours: its layout (brief §4.1) encodes type, branch, emission date, number, point of sale and
 * emission type; only the security code (HKA's random) and the issuer (the tenant's tokens) are not compared.
 */
import { HkaRejectedError } from './errors.ts';
import { violationsFromMessage } from './messages.ts';
import type { HkaCallName } from './namespaces.ts';
import type { DatosDocumento } from './types.ts';

/** What we know of our document: HKA's identifiers and the emission instant (ISO 8601). */
export type OurDocument = { datos: DatosDocumento; fechaEmision: string };

const PANAMA_OFFSET_MS = 5 * 3_600_000;

/** The Panama (−05:00) calendar date of an instant, as `YYYYMMDD` (the CUFE's date is Panama's). */
function panamaDate(iso: string): string {
  const instant = Date.parse(iso);
  const date = Number.isNaN(instant)
    ? iso.slice(0, 10)
    : new Date(instant - PANAMA_OFFSET_MS).toISOString().slice(0, 10);
  return date.replaceAll('-', '');
}

/**
 * Why `cufe` cannot be our document's (Spanish, for the rejection), or undefined when every part we know
 * matches. A CUFE we cannot read is never taken for ours.
 */
export function cufeMismatch(cufe: string, ours: OurDocument): string | undefined {
  if (!/^FE.{64}$/.test(cufe)) return `CUFE ilegible (${cufe.length} caracteres)`;
  const body = cufe.slice(2);
  const { datos } = ours;
  const parts: [string, string, string][] = [
    ['tipo de documento', body.slice(0, 2), datos.tipoDocumento],
    ['sucursal', body.slice(26, 30), datos.codigoSucursalEmisor],
    ['fecha de emisión', body.slice(30, 38), panamaDate(ours.fechaEmision)],
    ['número', body.slice(38, 48), datos.numeroDocumentoFiscal.padStart(10, '0')],
    ['punto de facturación', body.slice(48, 51), datos.puntoFacturacionFiscal.padStart(3, '0')],
    ['tipo de emisión', body.slice(51, 53), datos.tipoEmision],
  ];
  const differing = parts.filter(([, theirs, mine]) => theirs !== mine);
  if (differing.length === 0) return undefined;
  return differing.map(([name, theirs, mine]) => `${name} ${theirs}, el nuestro ${mine}`).join('; ');
}

/**
 * The document HKA holds under our number is another one: our document is refused (never retried; the number
 * is not reused), with a reason the explainer reads as NUMBER_TAKEN_BY_OTHER_DOCUMENT on `number`.
 */
export function numberTakenError(
  operation: HkaCallName,
  hkaCode: string,
  numero: string,
  theirCufe: string,
  why: string,
): HkaRejectedError {
  const message = `El número ${numero} ya está usado por otro documento (CUFE ${theirCufe || 'no informado'}); HKA respondió ${hkaCode} con sus datos: ${why}.`;
  return new HkaRejectedError(
    operation,
    hkaCode,
    message,
    violationsFromMessage(message, hkaCode),
    'number-taken',
  );
}
