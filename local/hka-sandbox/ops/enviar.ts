/**
 * `Enviar`: duplicate check, validation, folio quota, then authorization (CUFE, QR, protocol) and storage.
 * The duplicate check comes first so that re-sending a processed document always gets its original data
 * back (102), even when folios have run out since.
 */
import { createHash } from 'node:crypto';
import { buildDocumentCufe, panamaLocal, protocolNumber, securityCode } from '../authorization.ts';
import { buildUnsignedRfe } from '../rfe-from-documento.ts';
import { receiverRegistryMessages, registryOf } from '../ruc-registry.ts';
import { child, type ResultField, text } from '../soap-io.ts';
import { documentKey, type StoredDocument } from '../state.ts';
import { validateDocumento } from '../validate-documento.ts';
import { CODES, errorResult, type OperationHandler } from './context.ts';

/** A `documento` without its transaction data is what HKA's WCF service chokes on (NullReference). */
export class InternalServiceFault extends Error {
  override readonly name = 'InternalServiceFault';
}

export function authorizationFields(codigo: string, mensaje: string, doc: StoredDocument): ResultField[] {
  return [
    ['codigo', codigo],
    ['resultado', 'procesado'],
    ['mensaje', mensaje],
    ['cufe', doc.cufe],
    ['qr', doc.qr],
    ['fechaRecepcionDGI', panamaLocal(new Date(doc.receivedAt))],
    ['nroProtocoloAutorizacion', doc.protocol],
    ['fechaLimite', null],
  ];
}

export const enviar: OperationHandler = async (ctx, body, tenant) => {
  const documento = child(body, 'documento');
  const trx = child(documento, 'datosTransaccion');
  if (!documento || !trx)
    throw new InternalServiceFault('Object reference not set to an instance of an object.');

  const datos = {
    codigoSucursalEmisor: text(documento, 'codigoSucursalEmisor'),
    numeroDocumentoFiscal: text(trx, 'numeroDocumentoFiscal'),
    puntoFacturacionFiscal: text(trx, 'puntoFacturacionFiscal'),
    tipoDocumento: text(trx, 'tipoDocumento'),
    tipoEmision: text(trx, 'tipoEmision'),
  };
  const key = documentKey(datos);
  const payloadHash = createHash('sha256').update(JSON.stringify(documento)).digest('hex');
  const existing = ctx.state.document(tenant.id, key);
  if (existing) {
    countReceipt(existing, ctx);
    // HKA compares identifiers (brief §8.7): a different payload under a used number is still 102, with the
    // ORIGINAL's CUFE, QR and protocol and the same text — nothing tells the client it is not its document.
    return authorizationFields(CODES.duplicate, 'El documento está duplicado.', existing);
  }

  const now = ctx.now();
  const messages = validateDocumento(documento, now);
  messages.push(...receiverRegistryMessages(child(trx, 'cliente'), registryOf(ctx.state)));
  if (messages.length > 0) {
    // HKA says nothing about elements it skipped; the sandbox adds it (no field named: clients ignore it).
    const skipped = text(body, '__ignoredOutOfOrder');
    if (skipped)
      messages.push(`Sandbox: elementos ignorados por estar fuera del orden del contrato: ${skipped}`);
    return errorResult(CODES.rejected, messages.join(' | '));
  }

  const { folios } = tenant;
  // The licence is annual (brief §8.3): past its end date nothing is issued, whatever the counters say.
  if (panamaLocal(now).slice(0, 10) > folios.licenceTo) {
    return errorResult(
      CODES.rejected,
      `La licencia de folios venció el ${folios.licenceTo}. Renueve la licencia.`,
    );
  }
  const exhausted = () => folios.cycleUsed >= folios.cycleTotal;
  const noFolios = () =>
    errorResult(
      CODES.rejected,
      'No posee folios disponibles en el ciclo actual. Adquiera folios adicionales.',
    );
  if (exhausted()) return noFolios();

  // Like HKA: build the rFE from the documento and sign it; the QR carries the signature's DigestValue.
  const seg = securityCode(ctx.random);
  const cufe = buildDocumentCufe({
    tipoDocumento: datos.tipoDocumento,
    rucType: tenant.rucType,
    ruc: tenant.ruc,
    dv: tenant.dv,
    sucursal: datos.codigoSucursalEmisor,
    fechaEmision: text(trx, 'fechaEmision'),
    numero: datos.numeroDocumentoFiscal,
    punto: datos.puntoFacturacionFiscal,
    tipoEmision: datos.tipoEmision,
    securityCode: seg,
  });
  const signed = await ctx.signer.sign(
    buildUnsignedRfe(documento, { cufe, securityCode: seg, tenant }),
    cufe,
  );

  // Re-check after the await: a concurrent request for the same document may have been stored meanwhile.
  // From here to addDocument nothing awaits, so check-and-store is atomic on the event loop.
  const stored = ctx.state.document(tenant.id, key);
  if (stored) {
    countReceipt(stored, ctx);
    return authorizationFields(CODES.duplicate, 'El documento está duplicado.', stored);
  }
  if (exhausted()) return noFolios();

  const doc: StoredDocument = {
    tenantId: tenant.id,
    key,
    datos,
    documento,
    payloadHash,
    cufe,
    qr: signed.qr,
    protocol: protocolNumber(now, ctx.state.nextProtocolSequence()),
    securityCode: seg,
    digestValue: signed.digestValue,
    rfeXml: signed.xml,
    fechaEmision: text(trx, 'fechaEmision'),
    receivedAt: now.toISOString(),
    status: 'Autorizada',
    statusMessage: 'Autorizado el uso de la FE',
    emails: [],
    channel: 'enviar',
    receipts: 1,
  };
  ctx.state.addDocument(doc);
  folios.cycleUsed += 1;
  ctx.state.changed();
  return authorizationFields(CODES.ok, 'El documento se envió correctamente.', doc);
};

/** A duplicate submission is still a submission: counted, so tests can prove one of ours arrived once. */
function countReceipt(doc: StoredDocument, ctx: { state: { changed(): void } }): void {
  doc.receipts = (doc.receipts ?? 1) + 1;
  ctx.state.changed();
}
