import { documentsRepository } from '#shared/data/documents';
import { documentObjectKeys } from '#shared/storage/keys';
import { getObjectText, putObject } from '#shared/storage/s3';
import { pacReceptionClientFor } from '#shared/tenancy/hka';
import { dgiEnvironment, loadDocument, type PipelineState, PipelineStateError } from './common.ts';
import { reasonsFromRejection } from './reasons.ts';

/** `dQRCode` of the signed rFE, XML-unescaped once (brief §5: never twice). */
export function qrOfSignedRfe(xml: string): string {
  const match = /<(?:\w+:)?dQRCode>([^<]+)<\/(?:\w+:)?dQRCode>/.exec(xml);
  if (!match?.[1]) throw new PipelineStateError('signed rFE has no gNoFirm/dQRCode');
  return match[1]
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * emitter-signed: sends our signed rFE to the PAC reception (`rEnviFe`). Re-sending the identical signed
 * document after a lost answer is duplicate-safe by the protocol itself (1002 returns the original
 * authorization, like HKA's 102), and the signed XML is the same bytes on every retry (stored once by
 * sign-xml; RSA PKCS#1 v1.5 signatures are deterministic). The attempt is still recorded first, for the
 * history and the duplicate audit.
 */
export async function submitSigned(state: PipelineState, now: Date = new Date()): Promise<PipelineState> {
  if (!state.signedXmlKey) throw new PipelineStateError('submit-signed needs signedXmlKey');
  const doc = await loadDocument(state);
  if (doc.status === 'AUTHORIZED' && doc.cufe && doc.qr && doc.protocol && doc.authorizedAt) {
    return {
      ...state,
      authorization: { cufe: doc.cufe, qr: doc.qr, protocol: doc.protocol, authorizedAt: doc.authorizedAt },
    };
  }
  const signedXml = await getObjectText(state.signedXmlKey);
  const attempt = await documentsRepository.recordSubmissionAttempt(doc.tenantId, doc.documentId, now);
  await documentsRepository.appendEvent(doc.tenantId, doc.documentId, {
    at: now.toISOString(),
    type: 'SUBMISSION_ATTEMPT',
    status: doc.status,
    message: `Attempt ${attempt} (PAC reception, signed by the emitter)`,
  });
  try {
    const result = await pacReceptionClientFor(doc.environment).send(signedXml, {
      environment: dgiEnvironment(doc),
    });
    await putObject(
      documentObjectKeys(doc.tenantId, doc.documentId).hkaResponse,
      result.responseXml,
      'application/xml',
    );
    return {
      ...state,
      authorization: {
        cufe: result.cufe,
        qr: qrOfSignedRfe(signedXml),
        protocol: result.protocol,
        authorizedAt: result.processedAt ?? now.toISOString(),
      },
    };
  } catch (error) {
    if ((error as Error).name === 'HkaRejectedError') {
      await documentsRepository.setFields(doc.tenantId, doc.documentId, {
        reasons: reasonsFromRejection(error as Error & { code?: string; details?: [] }),
      });
    }
    throw error;
  }
}
