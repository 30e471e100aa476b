/**
 * Follow-up operations on a stored document: EstadoDocumento, AnulacionDocumento, DescargaXML,
 * DescargaPDF, EnvioCorreo, RastreoCorreo.
 */
import { panamaLocal } from '../authorization.ts';
import { invalid, required } from '../rules.ts';
import { type ResultField, text, type XmlObject } from '../soap-io.ts';
import { documentKey, type SandboxTenant, type StoredDocument } from '../state.ts';
import {
  CODES,
  errorResult,
  NOT_FOUND_MESSAGE,
  type OperationContext,
  type OperationHandler,
} from './context.ts';
import { readDatosDocumento } from './datos-documento.ts';

const CANCELLATION_WINDOW_MS = 7 * 86_400_000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** `YYYY-MM-DD hh:mm:ss`, the EstadoDocumento date format (brief §8.7). */
const spacedLocal = (iso: string) => panamaLocal(new Date(iso)).replace('T', ' ');

type Found = { ok: true; doc: StoredDocument } | { ok: false; result: ReturnType<typeof errorResult> };

function findDocument(ctx: OperationContext, body: XmlObject, tenant: SandboxTenant): Found {
  const read = readDatosDocumento(body);
  if (!read.ok) return { ok: false, result: errorResult(CODES.rejected, read.messages.join(' | ')) };
  const doc = ctx.state.document(tenant.id, documentKey(read.datos));
  if (!doc) return { ok: false, result: errorResult(CODES.rejected, NOT_FOUND_MESSAGE) };
  return { ok: true, doc };
}

export const estadoDocumento: OperationHandler = async (ctx, body, tenant) => {
  const found = findDocument(ctx, body, tenant);
  if (!found.ok) return found.result;
  const { doc } = found;
  return [
    ['codigo', CODES.ok],
    ['mensaje', 'Consulta realizada con éxito.'],
    ['cufe', doc.cufe],
    ['fechaEmisionDocumento', spacedLocal(doc.fechaEmision)],
    ['fechaRecepcionDocumento', spacedLocal(doc.receivedAt)],
    ['estatusDocumento', doc.status],
    ['mensajeDocumento', doc.statusMessage],
    ['resultado', 'procesado'],
  ];
};

export const anulacionDocumento: OperationHandler = async (ctx, body, tenant) => {
  const motivo = text(body, 'motivoAnulacion');
  if (motivo === '') return errorResult(CODES.rejected, required('motivoAnulacion'));
  if (motivo.length < 15)
    return errorResult(CODES.rejected, invalid('motivoAnulacion', 'Longitud mínima 15 caracteres.'));
  const found = findDocument(ctx, body, tenant);
  if (!found.ok) return found.result;
  const { doc } = found;
  if (doc.status === 'Anulada') return errorResult(CODES.rejected, 'El documento ya se encuentra anulado.');
  const now = ctx.now();
  if (now.getTime() - new Date(doc.receivedAt).getTime() > CANCELLATION_WINDOW_MS) {
    // Brief §9.1: 7 calendar days ("7 días continuos"); after that a credit note is required.
    return errorResult(
      CODES.rejected,
      'El plazo para anular el documento ha expirado: solo se permite anular dentro de los 7 días continuos posteriores a su autorización. Emita una nota de crédito.',
    );
  }
  doc.status = 'Anulada';
  doc.statusMessage = 'Evento registrado con éxito (anulación)';
  doc.cancelledAt = now.toISOString();
  doc.cancellationReason = motivo;
  ctx.state.changed();
  return [
    ['codigo', CODES.ok],
    ['resultado', 'procesado'],
    ['mensaje', 'Proceso de Anulación ejecutado con éxito.'],
    ['estatusDocumento', doc.status],
  ];
};

export const descargaXml: OperationHandler = async (ctx, body, tenant) => {
  const found = findDocument(ctx, body, tenant);
  if (!found.ok) return found.result;
  const xml = await ctx.artifacts.rfeXml(found.doc, tenant);
  return [
    ['codigo', CODES.ok],
    ['resultado', 'procesado'],
    ['mensaje', 'Descarga del documento XML exitosa.'],
    ['documento', Buffer.from(xml, 'utf8').toString('base64')],
  ];
};

export const descargaPdf: OperationHandler = async (ctx, body, tenant) => {
  const found = findDocument(ctx, body, tenant);
  if (!found.ok) return found.result;
  const pdf = await ctx.artifacts.cafePdf(found.doc, tenant);
  return [
    ['codigo', CODES.ok],
    ['resultado', 'procesado'],
    ['mensaje', 'Descarga del documento PDF exitosa.'],
    ['documento', pdf.toString('base64')],
  ];
};

export const envioCorreo: OperationHandler = async (ctx, body, tenant) => {
  const correo = text(body, 'correo');
  if (correo === '') return errorResult(CODES.rejected, required('correo'));
  if (!EMAIL.test(correo))
    return errorResult(CODES.rejected, invalid('correo', 'Dirección de correo inválida.'));
  const found = findDocument(ctx, body, tenant);
  if (!found.ok) return found.result;
  const { doc } = found;
  const creadoEn = panamaLocal(ctx.now()).replace('T', ' ');
  try {
    const { messageId } = await ctx.sendEmail({ to: correo, doc, tenant });
    doc.emails.push({ correo, creadoEn, estado: 'Enviado', messageId });
    ctx.state.changed();
    return [
      ['codigo', CODES.ok],
      ['resultado', 'procesado'],
      ['mensaje', 'Se ha enviado satisfactoriamente el email.'],
    ];
  } catch (error) {
    // A rejected send is surfaced (SES sandbox rules), never swallowed.
    doc.emails.push({ correo, creadoEn, estado: 'Fallido', messageId: '', detail: (error as Error).message });
    ctx.state.changed();
    return errorResult(CODES.rejected, `No se pudo enviar el email: ${(error as Error).message}`);
  }
};

export const rastreoCorreo: OperationHandler = async (ctx, body, tenant) => {
  const cufe = text(body, 'cufe');
  if (cufe === '') return errorResult(CODES.rejected, required('cufe'));
  const doc = ctx.state.documentByCufe(tenant.id, cufe);
  if (!doc) return errorResult(CODES.rejected, NOT_FOUND_MESSAGE);
  return [
    ['codigo', CODES.ok],
    [
      'mensaje',
      doc.emails.length > 0 ? 'Consulta realizada con éxito.' : 'El documento no tiene correos enviados.',
    ],
    [
      'listaRastreo',
      doc.emails.map((e): ResultField[] => [
        ['correo', e.correo],
        ['creado_en', e.creadoEn],
        ['estado', e.estado],
        ['messageId', e.messageId],
      ]),
      'listTracking',
    ],
    ['resultado', 'procesado'],
  ];
};
