import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HkaRejectedError, HkaTransientError } from '#shared/hka/errors';
import { rucRegistrationOf } from '#shared/hka/ruc-registration';
import type { ConsultarRucDvResult, HkaDocumento } from '#shared/hka/types';
import { sampleDocumento } from './fixtures.ts';
import { type Harness, nextNumero, startHarness } from './harness.ts';

/** A government (03) invoice to the given RUC, CPBS-classified as government receivers need. */
function governmentDocumento(ruc: string, dv: string): HkaDocumento {
  const doc = sampleDocumento({ numero: nextNumero(7000) });
  const trx = doc.datosTransaccion as { cliente: Record<string, string> };
  Object.assign(trx.cliente, { tipoClienteFE: '03', numeroRUC: ruc, digitoVerificadorRUC: dv });
  for (const item of (doc.listaItems as { item: Record<string, string>[] }).item) {
    Object.assign(item, { codigoCPBSAbrev: '43', codigoCPBS: '4321', unidadMedidaCPBS: 'und' });
  }
  return doc;
}

describe('ConsultarRucDV as registered / not registered (client ↔ sandbox)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ seed: 11 });
  });
  afterAll(async () => h.close());

  it('a registered RUC gives the DGI name, DV and FE affiliation', async () => {
    // Act
    const answer = await h.client.rucRegistration(h.credentials, { tipoRuc: '2', ruc: '2588017-1-831938' });

    // Assess
    expect(answer).toEqual({
      registered: true,
      tipoRuc: '2',
      ruc: '2588017-1-831938',
      dv: '20',
      name: 'DISTRIBUIDORA EJEMPLO, S.A.',
      affiliated: true,
    });
  });

  it('a well-formed RUC the DGI does not know is "not registered" (1602), not an error', async () => {
    // Act
    const answer = await h.client.rucRegistration(h.credentials, { tipoRuc: '2', ruc: '61302-14-999999' });

    // Assess
    expect(answer).toMatchObject({ registered: false, reason: 'not-registered', code: '201' });
    expect(h.metrics.at(-1)).toMatchObject({ operation: 'ConsultarRucDV', outcome: 'rejected' });
  });

  it('an unreadable RUC is "malformed" (1601)', async () => {
    const answer = await h.client.rucRegistration(h.credentials, { tipoRuc: '2', ruc: 'ABC' });
    expect(answer).toMatchObject({ registered: false, reason: 'malformed' });
  });

  it('a RUC registered through the admin API is then known', async () => {
    // Prepare
    const ruc = '1102-85-117211';
    const before = await h.client.rucRegistration(h.credentials, { tipoRuc: '2', ruc });
    const registered = await h.admin('rucs', { tipoRuc: '2', ruc, razonSocial: 'RECIEN INSCRITA, S.A.' });

    // Act
    const after = await h.client.rucRegistration(h.credentials, { tipoRuc: '2', ruc });

    // Assess
    expect(before.registered).toBe(false);
    expect(registered).toEqual({ ruc, dv: '95' });
    expect(after).toMatchObject({
      registered: true,
      name: 'RECIEN INSCRITA, S.A.',
      dv: '95',
      affiliated: false,
    });
  });

  it('the admin API refuses a RUC the DGI algorithm cannot read', async () => {
    const answer = await h.admin('rucs', { tipoRuc: '2', ruc: 'ABC', razonSocial: 'X' });
    expect(answer).toMatchObject({ error: expect.any(String) });
  });

  it('an HTTP 503 is an outage (transient error), never an answer about the RUC', async () => {
    // Prepare
    await h.admin('faults', { faults: [{ kind: 'http-503', operations: ['ConsultarRucDV'], times: 1 }] });

    // Act
    const outcome = h.client.rucRegistration(h.credentials, { tipoRuc: '2', ruc: '2588017-1-831938' });

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(HkaTransientError);
    await expect(outcome).rejects.toMatchObject({ outcome: 'not-sent', httpStatus: 503 });
  });
});

describe('Enviar: a government receiver must be a public entity of the registry', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ seed: 12 });
  });
  afterAll(async () => h.close());

  it('refuses a government invoice to a company RUC, naming numeroRUC', async () => {
    // Act
    const outcome = h.client.enviar(h.credentials, governmentDocumento('155596713-2-2015', '59'));

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(HkaRejectedError);
    await expect(outcome).rejects.toThrow(
      /numeroRUC es inválido\. El RUC 155596713-2-2015 no corresponde a una entidad de gobierno/,
    );
  });

  it('authorizes a government invoice to a public entity', async () => {
    const result = await h.client.enviar(h.credentials, governmentDocumento('1489806-1-645353', '68'));
    expect(result.codigo).toBe('200');
  });
});

describe('rucRegistrationOf', () => {
  it('a 200 without infoRuc data is unusable: a transient error', async () => {
    const empty: ConsultarRucDvResult = {
      codigo: '200',
      mensaje: 'Consulta realizada con éxito.',
      tipoRuc: '',
      ruc: '',
      dv: '',
      razonSocial: '',
      afiliadoFE: '',
      affiliated: false,
    };
    await expect(rucRegistrationOf(async () => empty)).rejects.toBeInstanceOf(HkaTransientError);
  });
});
