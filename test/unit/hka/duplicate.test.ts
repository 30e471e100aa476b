import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCufe } from '#shared/fiscal/cufe';
import { cufeMismatch } from '#shared/hka/duplicate';
import { HkaRejectedError } from '#shared/hka/errors';
import { submitWithoutDuplicates } from '#shared/hka/submit';
import { datosOf, panamaNow, sampleDocumento } from './fixtures.ts';
import { type Harness, nextNumero, startHarness } from './harness.ts';

const DAY_MS = 86_400_000;

const ours = {
  datos: {
    codigoSucursalEmisor: '0000',
    numeroDocumentoFiscal: '0000000042',
    puntoFacturacionFiscal: '001',
    tipoDocumento: '01',
    tipoEmision: '01',
  },
  fechaEmision: '2026-11-22T23:30:00-05:00',
};
const cufeOf = (overrides: Partial<Parameters<typeof buildCufe>[0]> = {}) =>
  buildCufe({
    documentType: '01',
    rucType: '2',
    ruc: '155596713-2-2015',
    dv: '59',
    branch: '0000',
    date: '20261122',
    number: '0000000042',
    pointOfSale: '001',
    emissionType: '01',
    environment: '2',
    securityCode: '123456789',
    ...overrides,
  });

describe('cufeMismatch: is the CUFE HKA answered with our document’s?', () => {
  it('every part we know matches (emission date read in Panama time, whatever the offset)', () => {
    expect(cufeMismatch(cufeOf(), ours)).toBeUndefined();
    expect(cufeMismatch(cufeOf(), { ...ours, fechaEmision: '2026-11-23T04:30:00.000Z' })).toBeUndefined();
  });

  it.each([
    ['emission date', { date: '20261121' }, /fecha de emisión 20261121, el nuestro 20261122/],
    ['document type', { documentType: '04' }, /tipo de documento 04/],
    ['branch', { branch: '0001' }, /sucursal 0001/],
    ['number', { number: '0000000043' }, /número 0000000043/],
    ['point of sale', { pointOfSale: '002' }, /punto de facturación 002/],
  ])('another %s → not ours', (_case, overrides, why) => {
    expect(cufeMismatch(cufeOf(overrides), ours)).toMatch(why);
  });

  it('a CUFE it cannot read is never taken for ours', () => {
    expect(cufeMismatch('FE01', ours)).toMatch(/ilegible/);
    expect(cufeMismatch('', ours)).toMatch(/ilegible/);
  });
});

describe('submitWithoutDuplicates ↔ sandbox: 102 of our document vs another document under our number', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ seed: 11 });
  });
  afterAll(async () => h.close());

  it('our own document, re-sent after an unknown outcome: the 102 is adopted', async () => {
    // Prepare
    const documento = sampleDocumento({ numero: nextNumero(3000) });
    const first = await h.client.enviar(h.credentials, documento);
    // EstadoDocumento would find it; make the reconciliation miss so the re-send's 102 is what decides.
    const estadoDocumento = async () => ({ found: false as const, codigo: '201', mensaje: 'No existe' });

    // Act
    const result = await submitWithoutDuplicates({ ...h.client, estadoDocumento }, h.credentials, documento, {
      previousAttemptUnknown: true,
    });

    // Assess
    expect(result.source).toBe('duplicate');
    expect(result.authorization.cufe).toBe(first.authorization.cufe);
  });

  it('another document (another day) under a taken number: refused, never adopted, even after an unknown outcome', async () => {
    // Prepare
    const numero = nextNumero(3000);
    await h.client.enviar(h.credentials, sampleDocumento({ numero, fechaEmision: panamaNow(-DAY_MS) }));
    const other = sampleDocumento({ numero });
    const estadoDocumento = async () => ({ found: false as const, codigo: '201', mensaje: 'No existe' });

    // Act
    const error = await submitWithoutDuplicates({ ...h.client, estadoDocumento }, h.credentials, other, {
      previousAttemptUnknown: true,
    }).catch((e) => e);

    // Assess
    expect(error).toBeInstanceOf(HkaRejectedError);
    expect(error).toMatchObject({ operation: 'Enviar', code: '102', reason: 'number-taken' });
    expect(error.details).toEqual([
      expect.objectContaining({
        path: 'number',
        hkaField: 'numeroDocumentoFiscal',
        code: 'NUMBER_TAKEN_BY_OTHER_DOCUMENT',
        hkaCode: '102',
      }),
    ]);
    expect(error.message).toMatch(/fecha de emisión/);
  });

  it('a 102 on a document none of whose submissions can have reached HKA is another document’s, same day or not', async () => {
    // Prepare: same identifiers and day, different content (another system used our number).
    const numero = nextNumero(3000);
    await h.client.enviar(h.credentials, sampleDocumento({ numero }));
    const ourDocument = sampleDocumento({ numero });
    (ourDocument.datosTransaccion as Record<string, unknown>).informacionInteres = 'otra venta';

    // Act
    const error = await submitWithoutDuplicates(h.client, h.credentials, ourDocument).catch((e) => e);

    // Assess
    expect(error).toMatchObject({ name: 'HkaRejectedError', reason: 'number-taken' });
    expect(error.message).toMatch(/ningún envío anterior/);
  });

  it('EstadoDocumento finding another document under our number: refused before anything is sent', async () => {
    // Prepare
    const numero = nextNumero(3000);
    await h.client.enviar(h.credentials, sampleDocumento({ numero, fechaEmision: panamaNow(-2 * DAY_MS) }));
    const ourDocument = sampleDocumento({ numero });
    const receiptsBefore = h.sandbox.state.data.documents.find(
      (d) => d.datos.numeroDocumentoFiscal === datosOf(numero).numeroDocumentoFiscal,
    )?.receipts;

    // Act
    const error = await submitWithoutDuplicates(h.client, h.credentials, ourDocument, {
      previousAttemptUnknown: true,
    }).catch((e) => e);

    // Assess
    expect(error).toMatchObject({ operation: 'EstadoDocumento', reason: 'number-taken' });
    expect(error.details[0]).toMatchObject({ code: 'NUMBER_TAKEN_BY_OTHER_DOCUMENT', path: 'number' });
    const receiptsAfter = h.sandbox.state.data.documents.find(
      (d) => d.datos.numeroDocumentoFiscal === datosOf(numero).numeroDocumentoFiscal,
    )?.receipts;
    expect(receiptsAfter).toBe(receiptsBefore);
  });
});
