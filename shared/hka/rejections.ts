/**
 * The rejection catalogue: every HKA/DGI answer shape we can explain, as plain data. The explainer
 * (`messages.ts`) splits an answer into parts, removes HKA's "En la ocurrencia [n] de <Grupo>, " prefix and
 * reads the element of "El campo X …", then takes the FIRST entry whose `pattern` matches the part (and whose
 * `hkaCodes`, when given, include the code HKA or the DGI answered). Specific entries therefore come before
 * the generic "El campo X es requerido / no debe ser informado / es inválido" shapes.
 *
 * Hints are templates: `{field}` is HKA's element, `{path}` the path in our document model.
 * Each entry carries a sample answer and what it must explain to; a table-driven test runs every sample, so a
 * new entry is added with its proof. An answer no entry matches is kept verbatim (`UNEXPLAINED`) and counted,
 * which is how this list grows.
 *
 * Sources: domain brief panama-fe.md §3.11 (DGI codes), §8.1 and §8.7 (HKA answers), §9.1, §10 (pitfalls),
 * and the messages of the local HKA sandbox (local/hka-sandbox), which copies HKA's shapes.
 */

export type RejectionHint = { es: string; en: string };

export type RejectionEntry = {
  /** Stable code returned to the user (`reasons[].code`). */
  code: string;
  /** One answer part, after the occurrence prefix (case-insensitive). */
  pattern: RegExp;
  /** Only when HKA's `codigo` (or the DGI's result code) is one of these. */
  hkaCodes?: readonly string[];
  /** The element, when the message does not name it ("El campo X" names it otherwise). */
  hkaField?: string;
  /** What the answer means (es). */
  meaning: string;
  hint: RejectionHint;
  /** Where the shape comes from. */
  source: string;
  sample: {
    hkaCode: string;
    mensaje: string;
    expected: { path: string | null; hkaField: string | null };
  };
};

/** The code of an answer part no entry explains. */
export const UNEXPLAINED = 'UNEXPLAINED';

export const REJECTIONS: readonly RejectionEntry[] = [
  // ── Duplicates and numbering ─────────────────────────────────────────────────────────────────────
  {
    code: 'DOCUMENT_DUPLICATE',
    pattern: /documento est[aá] duplicado/i,
    hkaField: 'numeroDocumentoFiscal',
    meaning: 'HKA ya procesó un documento con la misma sucursal, punto de facturación, número y tipo.',
    hint: {
      es: 'El número ya fue usado. Si el documento es el suyo, ya está autorizado; si no, emítalo con un número nuevo.',
      en: 'The number is already used. If it is this document, it is already authorized; otherwise issue it under a new number.',
    },
    source: 'panama-fe.md §8.7 (codigo 102)',
    sample: {
      hkaCode: '102',
      mensaje: 'El documento está duplicado.',
      expected: { path: 'number', hkaField: 'numeroDocumentoFiscal' },
    },
  },
  {
    code: 'NUMBER_TAKEN_BY_OTHER_DOCUMENT',
    pattern: /n[uú]mero .*(ocupado|usado) por otro documento/i,
    hkaField: 'numeroDocumentoFiscal',
    meaning: 'HKA respondió 102 con los datos de OTRO documento emitido antes con este número.',
    hint: {
      es: 'Este documento no fue autorizado. Emítalo de nuevo (recibirá un número nuevo) y revise qué sistema usó este número.',
      en: 'This document was not authorized. Issue it again (it gets a new number) and check which system used this number.',
    },
    source: 'panama-fe.md §8.7 (102 carries the original), §11.3 (never reuse a number)',
    sample: {
      hkaCode: '102',
      mensaje:
        'El número 0000000042 ya está usado por otro documento (CUFE FE0120…); HKA respondió 102 con sus datos.',
      expected: { path: 'number', hkaField: 'numeroDocumentoFiscal' },
    },
  },
  {
    code: 'DGI_DUPLICATE',
    pattern: /documento duplicado/i,
    hkaCodes: ['1002'],
    meaning: 'La DGI ya tiene un documento con este CUFE.',
    hint: {
      es: 'El documento ya fue recibido; consulte su estado en lugar de reenviarlo.',
      en: 'The document was already received; query its status instead of sending it again.',
    },
    source: 'panama-fe.md §3.11 (DGI 1002)',
    sample: { hkaCode: '1002', mensaje: 'Documento duplicado', expected: { path: null, hkaField: null } },
  },

  // ── Receiver (RUC) ─────────────────────────────────────────────────────────────────────────────
  {
    code: 'RUC_NOT_REGISTERED',
    pattern: /RUC inexistente en los registros de la DGI|^1602\s*-/i,
    hkaField: 'numeroRUC',
    meaning: 'El RUC del receptor no está inscrito en la DGI.',
    hint: {
      es: 'Verifique el RUC del receptor (npx factu ruc-dv --verify) o emita a un consumidor final / extranjero.',
      en: "Check the receiver's RUC (npx factu ruc-dv --verify) or issue to a final consumer / foreigner.",
    },
    source: 'panama-fe.md §3.11 (DGI 1602)',
    sample: {
      hkaCode: '203',
      mensaje: '1602-RUC inexistente en los registros de la DGI',
      expected: { path: 'receiver.ruc', hkaField: 'numeroRUC' },
    },
  },
  {
    code: 'RUC_FORMAT',
    pattern: /Regla de formaci[oó]n del RUC inv[aá]lida|^1601\s*-/i,
    hkaField: 'numeroRUC',
    meaning: 'El RUC no tiene un formato válido para su tipo (natural o jurídico).',
    hint: {
      es: 'Escriba el RUC con sus guiones, tal como aparece en el aviso de operación, y revise el tipo de contribuyente.',
      en: 'Write the RUC with its hyphens, as on the registration notice, and check the taxpayer type.',
    },
    source: 'panama-fe.md §3.11 (DGI 1601), §7.1',
    sample: {
      hkaCode: '201',
      mensaje: 'Regla de formación del RUC invalida (1601).',
      expected: { path: 'receiver.ruc', hkaField: 'numeroRUC' },
    },
  },
  {
    code: 'RUC_DV_MISMATCH',
    pattern: /El DV no corresponde al RUC/i,
    hkaField: 'digitoVerificadorRUC',
    meaning: 'El dígito verificador no corresponde al RUC.',
    hint: {
      es: 'Calcule el DV con el tipo de RUC correcto (npx factu ruc-dv <ruc> --type 1|2).',
      en: 'Compute the DV with the right RUC type (npx factu ruc-dv <ruc> --type 1|2).',
    },
    source: 'panama-fe.md §7.2',
    sample: {
      hkaCode: '201',
      mensaje: 'El campo digitoVerificadorRUC es inválido. El DV no corresponde al RUC informado.',
      expected: { path: 'receiver.dv', hkaField: 'digitoVerificadorRUC' },
    },
  },
  {
    code: 'RECEIVER_NOT_GOVERNMENT',
    pattern: /no corresponde a una entidad de gobierno/i,
    hkaField: 'numeroRUC',
    meaning: 'El receptor de una factura de gobierno (03) no es una entidad pública.',
    hint: {
      es: 'Use el RUC de la entidad pública, o receiver.type "taxpayer" (01) si el cliente es una empresa privada.',
      en: 'Use the public entity’s RUC, or receiver.type "taxpayer" (01) when the customer is a private company.',
    },
    source: 'panama-fe.md §9.3 (03 Gobierno); integrators report HKA refusing a private RUC there',
    sample: {
      hkaCode: '201',
      mensaje:
        'El campo numeroRUC es inválido. El RUC 2588017-1-831938 no corresponde a una entidad de gobierno (tipoClienteFE 03).',
      expected: { path: 'receiver.ruc', hkaField: 'numeroRUC' },
    },
  },
  {
    code: 'RECEIVER_TYPE_FOR_LEGAL_RUC',
    pattern: /RUC jur[ií]dico debe informarse como contribuyente/i,
    meaning: 'Un RUC jurídico solo puede ser receptor contribuyente (01).',
    hint: {
      es: 'Use receiver.type "01" (contribuyente) para una persona jurídica.',
      en: 'Use receiver.type "01" (taxpayer) for a legal entity.',
    },
    source: 'panama-fe.md §9.3',
    sample: {
      hkaCode: '201',
      mensaje: 'El campo tipoClienteFE es inválido. Un RUC jurídico debe informarse como contribuyente (01).',
      expected: { path: 'receiver.type', hkaField: 'tipoClienteFE' },
    },
  },

  // ── ISC and export specifics (field pitfalls) ───────────────────────────────────────────────────
  {
    code: 'ISC_ON_UNTAXED_ITEM',
    pattern: /ISC en una operaci[oó]n no valorada/i,
    hkaField: 'valorISC',
    meaning: 'Se informó ISC (aunque sea 0.00) en un ítem sin ISC.',
    hint: {
      es: 'Quite el isc del ítem ({path}) cuando no paga ISC: HKA no acepta valorISC 0.00.',
      en: 'Remove the item’s isc ({path}) when it pays no ISC: HKA refuses valorISC 0.00.',
    },
    source: 'panama-fe.md §8.1, §10',
    sample: {
      hkaCode: '201',
      mensaje:
        'En la ocurrencia [4] de Item, El campo valorISC es inválido. Informado valor del ISC en una operacion no valorada.',
      expected: { path: 'items[3].isc.amount', hkaField: 'valorISC' },
    },
  },
  {
    code: 'TOTAL_ISC_NOT_ALLOWED',
    pattern: /El campo \[?totalISC\]? no debe ser informado/i,
    meaning: 'Se informó totalISC en un documento sin ISC.',
    hint: {
      es: 'Ningún ítem ({path}) debe llevar isc con tasa o monto 0: sin ISC, quite isc de los ítems.',
      en: 'No item ({path}) may carry an isc of rate or amount 0: without ISC, remove isc from the items.',
    },
    source: 'panama-fe.md §8.1, §10',
    sample: {
      hkaCode: '201',
      mensaje: 'El campo totalISC no debe ser informado',
      expected: { path: 'items', hkaField: 'totalISC' },
    },
  },
  {
    code: 'EXCHANGE_RATE_NOT_ALLOWED',
    pattern: /El campo \[?tipoDeCambio\]? no debe ser informado/i,
    meaning: 'Se informó el tipo de cambio en una exportación en la moneda de curso legal (USD).',
    hint: {
      es: 'Quite {path} cuando la moneda es USD.',
      en: 'Remove {path} when the currency is USD.',
    },
    source: 'panama-fe.md §10',
    sample: {
      hkaCode: '201',
      mensaje: 'El campo [tipoDeCambio] no debe ser informado',
      expected: { path: 'export.exchangeRate', hkaField: 'tipoDeCambio' },
    },
  },
  {
    code: 'UNIT_NOT_IN_CATALOG',
    pattern: /La unidad .* no existe en el cat[aá]logo/i,
    hkaField: 'unidadMedida',
    meaning: 'La unidad de medida no es un código del catálogo (distingue mayúsculas).',
    hint: {
      es: 'Use el código del catálogo en minúsculas, p. ej. "und" y no "UND".',
      en: 'Use the catalogue code in lower case, e.g. "und", not "UND".',
    },
    source: 'panama-fe.md §10',
    sample: {
      hkaCode: '201',
      mensaje:
        'En la ocurrencia [1] de Item, El campo unidadMedida es inválido. La unidad UND no existe en el catálogo.',
      expected: { path: 'items[0].unit', hkaField: 'unidadMedida' },
    },
  },

  // ── Values HKA recomputes or checks (the "why" after "es inválido.") ─────────────────────────────
  {
    code: 'DISCOUNTS_EXCEED_ITEMS',
    pattern: /descuentos exceden el total de los [ií]tems/i,
    meaning: 'Los descuentos globales superan el total de los ítems: el total de la factura sería negativo.',
    hint: {
      es: 'Reduzca los descuentos globales (discounts) a no más del total de los ítems más acarreo y seguro.',
      en: 'Reduce the global discounts (discounts) to at most the items total plus freight and insurance.',
    },
    source: 'panama-fe.md §3.6, §3.7 (montoTipo01 has no sign)',
    sample: {
      hkaCode: '201',
      mensaje: 'El campo totalDescuento es inválido. Los descuentos exceden el total de los ítems.',
      expected: { path: 'discounts', hkaField: 'totalDescuento' },
    },
  },
  {
    code: 'TOTAL_MISMATCH',
    pattern: /Valor informado .*valor calculado/i,
    meaning: 'Un total o valor calculado no coincide con el que HKA recalcula.',
    hint: {
      es: 'Deje que factu calcule los totales; revise cantidades, precios y descuentos del campo indicado (redondeo a 2 decimales, mitad hacia arriba).',
      en: 'Let factu compute the totals; check quantities, prices and discounts of the named field (2 decimals, half up).',
    },
    source: 'panama-fe.md §3.9, §10',
    sample: {
      hkaCode: '201',
      mensaje: 'El campo totalFactura es inválido. Valor informado 10.70, valor calculado 10.71.',
      expected: { path: 'items', hkaField: 'totalFactura' },
    },
  },
  {
    code: 'ISSUE_DATE_IN_FUTURE',
    pattern: /no puede ser posterior a \d+ d[ií]as de la fecha actual/i,
    meaning: 'La fecha de emisión está demasiado en el futuro.',
    hint: {
      es: 'Emita con la fecha y hora actuales de Panamá (-05:00).',
      en: 'Issue with the current Panama date and time (-05:00).',
    },
    source: 'panama-fe.md §9.5',
    sample: {
      hkaCode: '201',
      mensaje:
        'El campo fechaEmision es inválido. La fecha de emisión no puede ser posterior a 2 días de la fecha actual.',
      expected: { path: 'issuedAt', hkaField: 'fechaEmision' },
    },
  },
  {
    code: 'DATE_AFTER_ISSUE',
    pattern: /No puede ser posterior a la fecha de emisi[oó]n/i,
    meaning: 'Una fecha relacionada es posterior a la fecha de emisión.',
    hint: {
      es: 'La fecha de {path} debe ser anterior o igual a la fecha de emisión.',
      en: 'The date in {path} must be on or before the issue date.',
    },
    source: 'panama-fe.md §9.4, §9.2',
    sample: {
      hkaCode: '201',
      mensaje: 'El campo fechaInicioContingencia es inválido. No puede ser posterior a la fecha de emisión.',
      expected: { path: 'contingency.startedAt', hkaField: 'fechaInicioContingencia' },
    },
  },
  {
    code: 'DATE_FORMAT',
    pattern: /Formato esperado (AAAA|YYYY)-MM-DD/i,
    meaning: 'La fecha no tiene el formato que espera HKA.',
    hint: {
      es: 'Use AAAA-MM-DDThh:mm:ss-05:00 (hora de Panamá con su desfase).',
      en: 'Use YYYY-MM-DDThh:mm:ss-05:00 (Panama time with its offset).',
    },
    source: 'panama-fe.md §9.5',
    sample: {
      hkaCode: '201',
      mensaje: 'El campo fechaEmision es inválido. Formato esperado AAAA-MM-DDThh:mm:ss-05:00.',
      expected: { path: 'issuedAt', hkaField: 'fechaEmision' },
    },
  },
  {
    code: 'REFERENCED_CUFE_INVALID',
    pattern: /CUFE inv[aá]lido/i,
    meaning: 'El CUFE no tiene la forma o el dígito verificador correctos.',
    hint: {
      es: 'Copie el CUFE completo (66 caracteres) del documento referenciado.',
      en: 'Copy the full CUFE (66 characters) of the referenced document.',
    },
    source: 'panama-fe.md §4',
    sample: {
      hkaCode: '201',
      mensaje:
        'En la ocurrencia [1] de DocFiscalReferenciado, El campo cufeFEReferenciada es inválido. CUFE inválido: must be 66 characters, got 12.',
      expected: { path: 'references[0].cufe', hkaField: 'cufeFEReferenciada' },
    },
  },
  {
    code: 'VALUE_FOR_DOCUMENT_TYPE',
    pattern: /Para (este tipo de documento|tipoDocumento \d+) debe ser/i,
    meaning: 'El valor no corresponde al tipo de documento.',
    hint: {
      es: 'Revise {path} para este tipo de documento (p. ej. exportación: destino extranjero).',
      en: 'Check {path} for this document type (e.g. export: foreign destination).',
    },
    source: 'panama-fe.md §8.6',
    sample: {
      hkaCode: '201',
      mensaje: 'El campo destinoOperacion es inválido. Para este tipo de documento debe ser 2.',
      expected: { path: 'destination', hkaField: 'destinoOperacion' },
    },
  },
  {
    code: 'DESTINATION_COUNTRY',
    pattern: /Para destino \d .* el pa[ií]s/i,
    meaning: 'El país del receptor no corresponde al destino de la operación.',
    hint: {
      es: 'Destino 1 (Panamá) requiere país PA; destino 2 (extranjero) otro país.',
      en: 'Destination 1 (Panama) needs country PA; destination 2 (abroad) another country.',
    },
    source: 'panama-fe.md §8.4',
    sample: {
      hkaCode: '201',
      mensaje: 'El campo pais es inválido. Para destino 1 (Panamá) el país debe ser PA.',
      expected: { path: 'receiver.country', hkaField: 'pais' },
    },
  },
  {
    code: 'CATALOG_CODE_UNKNOWN',
    pattern: /No existe en el cat[aá]logo/i,
    meaning: 'El código no existe en el catálogo de la DGI.',
    hint: {
      es: 'Use un código del catálogo de la DGI para {path}.',
      en: 'Use a code of the DGI catalogue for {path}.',
    },
    source: 'panama-fe.md §3.8',
    sample: {
      hkaCode: '201',
      mensaje: 'El campo codigoUbicacion es inválido. No existe en el catálogo de ubicaciones.',
      expected: { path: 'receiver.location.code', hkaField: 'codigoUbicacion' },
    },
  },
  {
    code: 'VALUE_NOT_ALLOWED',
    pattern: /Valores permitidos:/i,
    meaning: 'El valor no está entre los permitidos.',
    hint: {
      es: 'Use uno de los valores que indica el mensaje para {path}.',
      en: 'Use one of the values the message lists for {path}.',
    },
    source: 'panama-fe.md §8.4, §8.5',
    sample: {
      hkaCode: '201',
      mensaje: 'El campo tipoClienteFE es inválido. Valores permitidos: 01 a 04.',
      expected: { path: 'receiver.type', hkaField: 'tipoClienteFE' },
    },
  },
  {
    code: 'TEXT_LENGTH',
    pattern: /Longitud (entre \d+ y \d+|m[ií]nima|m[aá]xima)/i,
    meaning: 'El texto es más corto o más largo de lo permitido.',
    hint: {
      es: 'Ajuste la longitud de {path} a los límites del mensaje.',
      en: 'Fit the length of {path} to the limits in the message.',
    },
    source: 'panama-fe.md §8.4 (HKA Enviar field table)',
    sample: {
      hkaCode: '201',
      mensaje: 'El campo motivoContingencia es inválido. Longitud entre 15 y 250.',
      expected: { path: 'contingency.reason', hkaField: 'motivoContingencia' },
    },
  },
  {
    code: 'TEXT_FORBIDDEN_CHARACTERS',
    pattern: /caracteres especiales no permitidos/i,
    meaning: 'El texto contiene caracteres que HKA no acepta.',
    hint: {
      es: 'Quite de {path} los caracteres de control y los que no son texto imprimible.',
      en: 'Remove control and non-printable characters from {path}.',
    },
    source: 'panama-fe.md §3.7',
    sample: {
      hkaCode: '201',
      mensaje: 'El campo razonSocial es inválido. Contiene caracteres especiales no permitidos.',
      expected: { path: 'receiver.name', hkaField: 'razonSocial' },
    },
  },
  {
    code: 'NUMBER_FORMAT',
    pattern: /Debe tener \d+ decimales|Formato num[eé]rico inv[aá]lido|Debe ser num[eé]rico/i,
    meaning: 'El número no tiene el formato esperado.',
    hint: {
      es: 'Revise el formato numérico de {path} (decimales con punto, cantidad de dígitos).',
      en: 'Check the number format of {path} (decimal point, number of digits).',
    },
    source: 'panama-fe.md §3.7, §9.6',
    sample: {
      hkaCode: '201',
      mensaje:
        'El campo numeroDocumentoFiscal es inválido. Debe ser numérico de hasta 10 dígitos y distinto de cero.',
      expected: { path: 'number', hkaField: 'numeroDocumentoFiscal' },
    },
  },
  {
    code: 'FIXED_LENGTH',
    pattern: /Debe tener \d+ (caracteres|d[ií]gitos)/i,
    meaning: 'El valor no tiene la longitud fija requerida.',
    hint: {
      es: 'Revise {path}: debe tener exactamente la longitud indicada.',
      en: 'Check {path}: it must have exactly the length stated.',
    },
    source: 'panama-fe.md §8.2',
    sample: {
      hkaCode: '201',
      mensaje: 'El campo codigoSucursalEmisor es inválido. Debe tener 4 caracteres.',
      expected: { path: 'branch', hkaField: 'codigoSucursalEmisor' },
    },
  },
  {
    code: 'PHONE_FORMAT',
    pattern: /Formato 999-9999/i,
    meaning: 'El teléfono no tiene el formato panameño.',
    hint: { es: 'Use 999-9999 o 9999-9999.', en: 'Use 999-9999 or 9999-9999.' },
    source: 'panama-fe.md §8.4',
    sample: {
      hkaCode: '201',
      mensaje: 'El campo telefono1 es inválido. Formato 999-9999 o 9999-9999.',
      expected: { path: 'receiver.phones[0]', hkaField: 'telefono1' },
    },
  },
  {
    code: 'EMAIL_INVALID',
    pattern: /Direcci[oó]n de correo inv[aá]lida/i,
    meaning: 'La dirección de correo no es válida.',
    hint: { es: 'Corrija la dirección de correo en {path}.', en: 'Fix the e-mail address in {path}.' },
    source: 'panama-fe.md §8.4',
    sample: {
      hkaCode: '201',
      mensaje: 'El campo correoElectronico1 es inválido. Dirección de correo inválida.',
      expected: { path: 'receiver.emails[0]', hkaField: 'correoElectronico1' },
    },
  },
  {
    code: 'LIST_TOO_LONG',
    pattern: /M[aá]ximo \d+ (ítems|items|formas de pago)/i,
    meaning: 'La lista tiene más elementos de los permitidos.',
    hint: {
      es: 'Divida el documento o reduzca {path} al máximo indicado.',
      en: 'Split the document or reduce {path} to the stated maximum.',
    },
    source: 'panama-fe.md §3.5, §9.6',
    sample: {
      hkaCode: '201',
      mensaje: 'El campo listaItems es inválido. Máximo 1000 ítems.',
      expected: { path: 'items', hkaField: 'listaItems' },
    },
  },

  // ── Generic HKA shapes (after every specific "why") ───────────────────────────────────────────────
  {
    code: 'FIELD_REQUIRED',
    pattern: /El campo \[?\w+\]? es requerido/i,
    meaning: 'Falta un campo obligatorio para este documento o receptor.',
    hint: {
      es: 'Informe {path}: es obligatorio para este tipo de documento o de receptor.',
      en: 'Provide {path}: it is required for this document or receiver type.',
    },
    source: 'panama-fe.md §8.7',
    sample: {
      hkaCode: '201',
      mensaje: 'El campo razonSocial es requerido',
      expected: { path: 'receiver.name', hkaField: 'razonSocial' },
    },
  },
  {
    code: 'FIELD_NOT_ALLOWED',
    pattern: /El campo \[?\w+\]? no debe ser informado/i,
    meaning: 'Se informó un campo que no aplica a este documento o receptor.',
    hint: {
      es: 'Quite {path}: no aplica a este tipo de documento o de receptor (un valor vacío o 0 también cuenta).',
      en: 'Remove {path}: it does not apply to this document or receiver type (an empty or 0 value counts too).',
    },
    source: 'panama-fe.md §8.1, §8.7',
    sample: {
      hkaCode: '201',
      mensaje: 'El campo tipoContribuyente no debe ser informado',
      expected: { path: 'receiver.rucType', hkaField: 'tipoContribuyente' },
    },
  },
  {
    code: 'FIELD_INVALID',
    pattern: /El campo \[?\w+\]? es inv[aá]lido/i,
    meaning: 'El valor del campo no es válido.',
    hint: {
      es: 'Corrija {path} según el detalle del mensaje.',
      en: 'Fix {path} as the message details.',
    },
    source: 'panama-fe.md §8.7',
    sample: {
      hkaCode: '201',
      mensaje: 'En la ocurrencia [2] de FormaPago, El campo descFormaPago es inválido.',
      expected: { path: 'payments[1].description', hkaField: 'descFormaPago' },
    },
  },

  // ── Whole-document and account answers ──────────────────────────────────────────────────────────
  {
    code: 'HKA_GENERIC_ERROR',
    pattern: /^Error al procesar (la )?solicitud\.?$/i,
    meaning: 'HKA rechazó el documento sin indicar el campo.',
    hint: {
      es: 'Causa conocida: tipoContribuyente informado para un receptor extranjero (04). Revise los campos condicionales del receptor; valide con POST /v1/documents/validate.',
      en: 'Known cause: tipoContribuyente sent for a foreign (04) receiver. Check the receiver’s conditional fields; validate with POST /v1/documents/validate.',
    },
    source: 'panama-fe.md §8.7 (codigo 201), §10',
    sample: {
      hkaCode: '201',
      mensaje: 'Error al procesar solicitud.',
      expected: { path: null, hkaField: null },
    },
  },
  {
    code: 'FOLIOS_EXHAUSTED',
    pattern: /No posee folios disponibles/i,
    meaning: 'La empresa no tiene folios disponibles en el ciclo.',
    hint: {
      es: 'Adquiera folios con HKA y sincronícelos (POST /v1/folios/sync); luego reintente.',
      en: 'Buy folios from HKA and sync them (POST /v1/folios/sync); then retry.',
    },
    source: 'panama-fe.md §8.3, §11.3',
    sample: {
      hkaCode: '201',
      mensaje: 'No posee folios disponibles en el ciclo actual. Adquiera folios adicionales.',
      expected: { path: null, hkaField: null },
    },
  },
  {
    code: 'FOLIO_LICENCE_EXPIRED',
    pattern: /licencia de folios venci[oó]/i,
    meaning: 'La licencia anual de folios venció.',
    hint: { es: 'Renueve la licencia con HKA.', en: 'Renew the licence with HKA.' },
    source: 'panama-fe.md §8.3',
    sample: {
      hkaCode: '201',
      mensaje: 'La licencia de folios venció el 2025-12-31. Renueve la licencia.',
      expected: { path: null, hkaField: null },
    },
  },
  {
    code: 'HKA_CREDENTIALS_REFUSED',
    pattern: /(token|usuario|clave|credencial).*(inv[aá]lid|no autorizad|incorrect)/i,
    meaning: 'HKA no reconoce el par de tokens de la empresa.',
    hint: {
      es: 'Actualice tokenEmpresa/tokenPassword en PUT /v1/settings/hka-credentials y pruébelos con POST …/test.',
      en: 'Update tokenEmpresa/tokenPassword with PUT /v1/settings/hka-credentials and test them with POST …/test.',
    },
    source: 'panama-fe.md §8.1',
    sample: {
      hkaCode: '100',
      mensaje: 'Usuario o clave inválidos: tokenEmpresa/tokenPassword no autorizados.',
      expected: { path: null, hkaField: null },
    },
  },
  {
    code: 'CANCELLATION_WINDOW_EXPIRED',
    pattern: /plazo para anular/i,
    meaning: 'Pasó el plazo de anulación (7 días).',
    hint: {
      es: 'Emita una nota de crédito que referencie el documento.',
      en: 'Issue a credit note referencing the document.',
    },
    source: 'panama-fe.md §9.1',
    sample: {
      hkaCode: '201',
      mensaje:
        'El plazo para anular el documento ha expirado: solo se permite anular dentro de los 7 días continuos posteriores a su autorización. Emita una nota de crédito.',
      expected: { path: null, hkaField: null },
    },
  },
  {
    code: 'ALREADY_CANCELLED',
    pattern: /ya se encuentra anulado/i,
    meaning: 'El documento ya está anulado.',
    hint: { es: 'No hay nada más que hacer.', en: 'Nothing more to do.' },
    source: 'panama-fe.md §9.1',
    sample: {
      hkaCode: '201',
      mensaje: 'El documento ya se encuentra anulado.',
      expected: { path: null, hkaField: null },
    },
  },
  {
    code: 'DOCUMENT_NOT_FOUND',
    pattern: /No existe un documento registrado/i,
    meaning: 'HKA no tiene un documento con esos datos.',
    hint: {
      es: 'Revise sucursal, punto de facturación, número y tipo del documento.',
      en: 'Check the branch, point of sale, number and type of the document.',
    },
    source: 'panama-fe.md §8.2',
    sample: {
      hkaCode: '201',
      mensaje: 'No existe un documento registrado con los datos suministrados.',
      expected: { path: null, hkaField: null },
    },
  },
  {
    code: 'MALFORMED_DOCUMENTO',
    pattern: /Object reference not set to an instance of an object/i,
    meaning: 'El servicio de HKA no pudo leer el documento (estructura incompleta).',
    hint: {
      es: 'Enviar recibe el documento estructurado, nunca XML firmado; falta datosTransaccion.',
      en: 'Enviar takes the structured documento, never signed XML; datosTransaccion is missing.',
    },
    source: 'panama-fe.md §10',
    sample: {
      hkaCode: 'InternalServiceFault',
      mensaje: 'Object reference not set to an instance of an object.',
      expected: { path: null, hkaField: null },
    },
  },
  {
    code: 'ELEMENT_ORDER',
    pattern: /fuera del orden del contrato/i,
    meaning: 'Elementos fuera del orden del contrato WCF (HKA los ignora sin decirlo).',
    hint: {
      es: 'Error interno de factu al construir el documento: repórtelo.',
      en: 'Internal factu error while building the documento: report it.',
    },
    source: 'panama-fe.md §8.1 (element order)',
    sample: {
      hkaCode: '201',
      mensaje: 'Sandbox: elementos ignorados por estar fuera del orden del contrato: tipoVenta',
      expected: { path: null, hkaField: null },
    },
  },

  // ── PAC reception (emitter-signed channel) ──────────────────────────────────────────────────────
  {
    code: 'PAC_SIGNATURE_INVALID',
    pattern: /Firma (digital )?inv[aá]lida/i,
    meaning: 'La firma XMLDSig del documento no es válida.',
    hint: {
      es: 'Revise el certificado de firma (vigente, del RUC emisor) en /v1/certificates.',
      en: 'Check the signing certificate (valid, of the issuer RUC) in /v1/certificates.',
    },
    source: 'panama-fe.md §3.2, §10',
    sample: { hkaCode: '0130', mensaje: 'Firma inválida', expected: { path: null, hkaField: null } },
  },
  {
    code: 'PAC_CUFE_MISMATCH',
    pattern: /El CUFE no corresponde al documento/i,
    meaning: 'El CUFE no coincide con los datos del documento.',
    hint: {
      es: 'Error interno de factu al construir el CUFE: repórtelo.',
      en: 'Internal factu error while building the CUFE: report it.',
    },
    source: 'panama-fe.md §4.1',
    sample: {
      hkaCode: '0140',
      mensaje: 'El CUFE no corresponde al documento: fecha.',
      expected: { path: null, hkaField: null },
    },
  },
  {
    code: 'PAC_ISSUER_NOT_ENABLED',
    pattern: /Emisor no habilitado/i,
    meaning: 'El emisor no está habilitado con este PAC.',
    hint: {
      es: 'Complete la afiliación del RUC con HKA para el canal firmado por el emisor.',
      en: 'Complete the RUC’s enrolment with HKA for the emitter-signed channel.',
    },
    source: 'panama-fe.md §3.11',
    sample: {
      hkaCode: '0150',
      mensaje: 'Emisor no habilitado para emitir con este PAC.',
      expected: { path: null, hkaField: null },
    },
  },
  {
    code: 'PAC_WRONG_ENVIRONMENT',
    pattern: /Ambiente incorrecto/i,
    meaning: 'El ambiente (iAmb) no corresponde al servicio.',
    hint: {
      es: 'Use el ambiente de pruebas con demo y el de producción con prod.',
      en: 'Use the test environment with demo and production with prod.',
    },
    source: 'panama-fe.md §3.11',
    sample: {
      hkaCode: '0120',
      mensaje: 'Ambiente incorrecto: este servicio es de pruebas (iAmb = 2).',
      expected: { path: null, hkaField: null },
    },
  },
  {
    code: 'PAC_SCHEMA',
    pattern: /XML mal formado|No se encontr[oó] feDatosMsg/i,
    meaning: 'El mensaje no cumple el esquema de recepción.',
    hint: {
      es: 'Error interno de factu al construir el rFE: repórtelo.',
      en: 'Internal factu error while building the rFE: report it.',
    },
    source: 'panama-fe.md §3.11, §11.6',
    sample: {
      hkaCode: '0100',
      mensaje: 'XML mal formado: Unexpected close tag',
      expected: { path: null, hkaField: null },
    },
  },
];
