// Fixed texts of the CAFE. Kept in one place so the tests and both layouts print exactly the same words.

/** Mandatory on documents of the test environment (iAmb 2), panama-fe.md §6. */
export const TEST_ENVIRONMENT_LEGEND = 'FE generada en ambiente de pruebas - sin valor comercial ni fiscal';

/** DGI manual lookup page (§5). */
export const CONSULTATION_URL = 'https://dgi-fep.mef.gob.pa/Consultas/FacturasPorCUFE';

export const CONSULTATION_LEGEND = `Consulte por la clave de acceso en ${CONSULTATION_URL}`;

/** Decreto Ejecutivo 766/2020: the QR lets anyone verify the document in the DGI records. */
export const QR_LEGEND = 'o escanee el código QR para verificar este documento en los registros de la DGI.';

/** Across every page of a draft (a preview): a draft must never pass for a fiscal document. */
export const DRAFT_LEGEND = 'BORRADOR — SIN VALIDEZ FISCAL';

/** Printed where a draft's number goes, and said where its QR and CUFE would be. */
export const DRAFT_PLACEHOLDER = 'BORRADOR';

export const DRAFT_NOTICE =
  'Documento no emitido: sin número, sin CUFE y sin código QR. No fue enviado a la DGI; no sirve como comprobante.';

/**
 * Across the top of every page of a CAFE issued in contingency (tipoEmision 02), before HKA/DGI authorized
 * it. The DGI publishes no wording (panama-fe.md §9.4): this one says what the document is not yet — its
 * authorization of use — so nobody takes it for an authorized document.
 */
export const CONTINGENCY_LEGEND =
  'DOCUMENTO EMITIDO EN CONTINGENCIA — pendiente de autorización de uso ante la DGI';

/** Said where an authorized CAFE prints its protocol. */
export const CONTINGENCY_PENDING = 'Pendiente: emitido en contingencia';

/** When the contingency started, under the legend. */
export function contingencyStartLine(startedAt: string): string {
  return `Contingencia iniciada el ${startedAt}. El documento se enviará a la DGI cuando el PAC responda.`;
}

export const CAFE_TITLE = 'Comprobante Auxiliar de Factura Electrónica';

export function environmentLabel(environment: '1' | '2'): string {
  return environment === '1' ? 'Producción' : 'Pruebas';
}
