import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type HkaDocumento, toHkaDocumento } from '#shared/fiscal/hka-documento';
import { validateDocument } from '#shared/fiscal/validate';
import { validateDocumento } from '../../../local/hka-sandbox/validate-documento.ts';
import { demoContext } from '../fiscal/support/demo-issuer';
import { EXAMPLES_NOW } from '../fiscal/support/documents';

/** The documento our builder sends for examples/documents/invoice-isc-oti.json (one item with OTI). */
function otiDocumento(): HkaDocumento {
  const raw = JSON.parse(
    readFileSync(new URL('../../../examples/documents/invoice-isc-oti.json', import.meta.url), 'utf8'),
  );
  const result = validateDocument(raw, { now: EXAMPLES_NOW });
  if (!result.ok) throw new Error('the example must be valid');
  return toHkaDocumento(result.document, demoContext);
}

const totales = (documento: HkaDocumento) => documento.totalesSubTotales as HkaDocumento;
const totalOti = (documento: HkaDocumento) =>
  ((totales(documento).listaTotalOTI as HkaDocumento).totalOti as HkaDocumento[])[0] as HkaDocumento;

describe('HKA sandbox — listaTotalOTI and installments', () => {
  it('accepts the OTI totals our builder computes', () => {
    // Act & Assess
    expect(validateDocumento(otiDocumento(), EXAMPLES_NOW)).toEqual([]);
  });

  it('rejects an OTI total that is not the sum of its items', () => {
    // Prepare
    const documento = otiDocumento();
    totalOti(documento).valorTotalOTI = '999.99';

    // Act
    const messages = validateDocumento(documento, EXAMPLES_NOW);

    // Assess
    expect(messages).toEqual([
      expect.stringMatching(/^En la ocurrencia \[1\] de TotalOTI, El campo valorTotalOTI es inválido/),
    ]);
  });

  it('rejects a missing OTI total and a total for a code no item carries', () => {
    // Prepare
    const missing = otiDocumento();
    delete totales(missing).listaTotalOTI;
    const foreign = otiDocumento();
    totalOti(foreign).codigoTotalOTI = '11';

    // Act
    const onMissing = validateDocumento(missing, EXAMPLES_NOW);
    const onForeign = validateDocumento(foreign, EXAMPLES_NOW);

    // Assess
    expect(onMissing).toEqual([
      'El campo listaTotalOTI es inválido. Falta el total de la tasa OTI 01.',
      'El campo listaTotalOTI es inválido. Falta el total de la tasa OTI 02.',
    ]);
    expect(onForeign).toEqual([
      expect.stringContaining('El campo codigoTotalOTI es inválido'),
      expect.stringContaining('El campo listaTotalOTI es inválido'),
    ]);
  });

  it('rejects installments adding up to more than the invoice total', () => {
    // Prepare
    const documento = otiDocumento();
    totales(documento).listaPagoPlazo = {
      pagoPlazo: [{ fechaVenceCuota: '2026-12-22T00:00:00-05:00', valorCuota: '99999.00' }],
    };

    // Act
    const messages = validateDocumento(documento, EXAMPLES_NOW);

    // Assess
    expect(messages).toEqual([expect.stringContaining('El campo listaPagoPlazo es inválido')]);
  });
});
