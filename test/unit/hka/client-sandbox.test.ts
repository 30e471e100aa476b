import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HkaAuthenticationError, HkaRejectedError } from '#shared/hka/errors';
import { datosOf, sampleDocumento } from './fixtures.ts';
import { type Harness, nextNumero, startHarness } from './harness.ts';

describe('HKA client ↔ sandbox: the nine operations', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ seed: 7 });
  });
  afterAll(async () => h.close());

  it('Enviar authorizes: CUFE with a valid check digit, QR unescaped once, 40-char protocol', async () => {
    const numero = nextNumero(1000);
    const result = await h.client.enviar(h.credentials, sampleDocumento({ numero }));
    const { checkCufe } = await import('#shared/fiscal/cufe');

    expect(result.duplicate).toBe(false);
    expect(result.codigo).toBe('200');
    expect(checkCufe(result.authorization.cufe)).toEqual({ valid: true });
    expect(result.authorization.qr).toContain(`chFE=${result.authorization.cufe}&iAmb=2&digestValue=`);
    expect(result.authorization.qr).not.toContain('&amp;');
    expect(result.responseXml).toContain('&amp;iAmb=2');
    expect(result.authorization.protocol).toHaveLength(40);
    expect(Number.isNaN(Date.parse(result.authorization.authorizedAt))).toBe(false);
    expect(h.metrics.at(-1)).toMatchObject({ operation: 'Enviar', outcome: 'success', code: '200' });
  });

  it('Enviar of an already processed document answers 102 with the original data and stores nothing new', async () => {
    const numero = nextNumero(1000);
    const first = await h.client.enviar(h.credentials, sampleDocumento({ numero }));
    const countBefore = h.sandbox.state.data.documents.length;
    const again = await h.client.enviar(h.credentials, sampleDocumento({ numero }));

    expect(again.duplicate).toBe(true);
    expect(again.codigo).toBe('102');
    expect(again.authorization.cufe).toBe(first.authorization.cufe);
    expect(again.authorization.protocol).toBe(first.authorization.protocol);
    expect(h.sandbox.state.data.documents.length).toBe(countBefore);
    expect(h.metrics.at(-1)).toMatchObject({ operation: 'Enviar', outcome: 'duplicate' });
  });

  it('concurrent sends of one document authorize it once; the others get 102 with the same CUFE', async () => {
    const numero = nextNumero(1000);
    const results = await Promise.all(
      Array.from({ length: 6 }, () => h.client.enviar(h.credentials, sampleDocumento({ numero }))),
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.authorization.cufe)).size).toBe(1);
    expect(
      h.sandbox.state.data.documents.filter((d) => d.datos.numeroDocumentoFiscal === numero),
    ).toHaveLength(1);
  });

  it('a business rejection carries HKA code, text and field paths of our model', async () => {
    const doc = sampleDocumento({ numero: nextNumero(1000) });
    const items = (doc.listaItems as { item: Record<string, string>[] }).item;
    items[1]!.valorITBMS = '1.75'; // 00 (exempt) must carry 0.00
    delete (doc.datosTransaccion as { cliente: Record<string, string> }).cliente.razonSocial;

    const error = await h.client.enviar(h.credentials, doc).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HkaRejectedError);
    const rejected = error as HkaRejectedError;
    expect(rejected.code).toBe('201');
    expect(rejected.message).toContain('El campo razonSocial es requerido');
    expect(rejected.details.map((d) => d.path)).toEqual(
      expect.arrayContaining(['receiver.name', 'items[1].itbmsRate']),
    );
    expect(rejected.details.find((d) => d.path === 'items[1].itbmsRate')?.message).toMatch(
      /^En la ocurrencia \[2\] de Item, El campo valorITBMS es inválido/,
    );
  });

  it('forbidden fields for a foreign receiver are named (the field 201 case)', async () => {
    const doc = sampleDocumento({ numero: nextNumero(1000) });
    const trx = doc.datosTransaccion as Record<string, unknown>;
    trx.destinoOperacion = '2';
    trx.naturalezaOperacion = '02';
    trx.tipoDocumento = '03';
    delete trx.tipoVenta;
    trx.datosFacturaExportacion = { condicionesEntrega: 'FOB', monedaOperExportacion: 'USD' };
    const cliente = trx.cliente as Record<string, unknown>;
    Object.assign(cliente, {
      tipoClienteFE: '04',
      pais: 'US',
      tipoIdentificacion: '01',
      nroIdentificacionExtranjero: 'X1234567',
      paisExtranjero: 'Estados Unidos',
    });

    const error = (await h.client.enviar(h.credentials, doc).catch((e: unknown) => e)) as HkaRejectedError;

    expect(error).toBeInstanceOf(HkaRejectedError);
    expect(error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'receiver.rucType',
          message: 'El campo tipoContribuyente no debe ser informado',
        }),
        expect.objectContaining({ path: 'receiver.ruc' }),
        expect.objectContaining({ path: 'receiver.location.code' }),
      ]),
    );
  });

  it('a credit note with tipoVenta and a sale nature is authorized: both only warn (§8.6, §9.2 unconfirmed)', async () => {
    const doc = sampleDocumento({ numero: nextNumero(1000) });
    const trx = doc.datosTransaccion as Record<string, unknown>;
    trx.tipoDocumento = '06'; // nota de crédito genérica with naturaleza 01 and a tipoVenta
    expect(trx.tipoVenta).toBeDefined();

    const result = await h.client.enviar(h.credentials, doc);

    expect(result.codigo).toBe('200');
    expect(result.duplicate).toBe(false);
  });

  it('a wrong DV is rejected with the DGI algorithm', async () => {
    const doc = sampleDocumento({ numero: nextNumero(1000) });
    (
      (doc.datosTransaccion as Record<string, unknown>).cliente as Record<string, string>
    ).digitoVerificadorRUC = '58';
    const error = (await h.client.enviar(h.credentials, doc).catch((e: unknown) => e)) as HkaRejectedError;
    expect(error.details).toEqual([expect.objectContaining({ path: 'receiver.dv' })]);
  });

  it('wrong tokens → HkaAuthenticationError', async () => {
    const error = await h.client
      .foliosRestantes({ tokenEmpresa: 'nobody', tokenPassword: 'wrong' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HkaAuthenticationError);
    expect(h.metrics.at(-1)).toMatchObject({ operation: 'FoliosRestantes', outcome: 'authentication' });
  });

  it('EstadoDocumento: found with status and dates, and "not found" as an answer', async () => {
    const numero = nextNumero(1000);
    const sent = await h.client.enviar(h.credentials, sampleDocumento({ numero }));
    const estado = await h.client.estadoDocumento(h.credentials, datosOf(numero));
    expect(estado).toMatchObject({ found: true, cufe: sent.authorization.cufe, status: 'Autorizada' });
    if (estado.found) expect(Number.isNaN(Date.parse(estado.receivedAt ?? ''))).toBe(false);

    const missing = await h.client.estadoDocumento(h.credentials, datosOf('9999999999'));
    expect(missing.found).toBe(false);
  });

  it('DescargaXML returns the authorized rFE: XSD-valid, signed, gNoFirm carrying the QR of Enviar', async () => {
    const { validateRfeXml } = await import('#shared/fiscal/xsd');
    const { verifyRfeSignature } = await import('#shared/signing/xmldsig');
    const numero = nextNumero(1000);
    const sent = await h.client.enviar(h.credentials, sampleDocumento({ numero }));

    const xml = (await h.client.descargaXml(h.credentials, datosOf(numero))).content.toString('utf8');

    expect(validateRfeXml(xml)).toEqual({ valid: true });
    expect(verifyRfeSignature(xml)).toMatchObject({ valid: true });
    expect(xml).toContain(`<dId>${sent.authorization.cufe}</dId>`);
    const qrInXml = /<dQRCode>([^<]+)<\/dQRCode>/.exec(xml)![1]!.replaceAll('&amp;', '&');
    expect(qrInXml).toBe(sent.authorization.qr);
    const digest = /<DigestValue>([^<]+)<\/DigestValue>/.exec(xml)![1]!;
    expect(sent.authorization.qr).toContain(`&digestValue=${digest}&jwt=`);
  });

  it('text round-trips exactly through client, sandbox and rFE (&, entity-like text, <)', async () => {
    const numero = nextNumero(1000);
    const doc = sampleDocumento({ numero });
    const tricky = 'AT&T; literal &amp; <b> "q" \'a\' ñ';
    (doc.listaItems as { item: Record<string, string>[] }).item[0]!.descripcion = tricky;
    await h.client.enviar(h.credentials, doc);
    const xml = (await h.client.descargaXml(h.credentials, datosOf(numero))).content.toString('utf8');
    const { XMLParser } = await import('fast-xml-parser');
    const rfe = new XMLParser({ parseTagValue: false }).parse(xml).rFE;
    expect(rfe.gItem[0].dDescProd).toBe(tricky);
  });

  it('DescargaPDF returns the CAFE as a decoded PDF', async () => {
    const numero = nextNumero(1000);
    await h.client.enviar(h.credentials, sampleDocumento({ numero }));
    const pdf = await h.client.descargaPdf(h.credentials, datosOf(numero));
    expect(pdf.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.content.length).toBeGreaterThan(2_000);
  });

  it('FoliosRestantes counts each authorization once', async () => {
    const before = await h.client.foliosRestantes(h.credentials);
    const numero = nextNumero(1000);
    await h.client.enviar(h.credentials, sampleDocumento({ numero }));
    await h.client.enviar(h.credentials, sampleDocumento({ numero })); // 102: no folio
    const after = await h.client.foliosRestantes(h.credentials);
    expect(after.cycleUsed).toBe(before.cycleUsed + 1);
    expect(after.cycleAvailable).toBe(before.cycleAvailable - 1);
    expect(after.licenceFrom).toMatch(/^\d{4}-01-01$/);
  });

  it('exhausted folios or an expired licence reject new documents; duplicates still answer 102', async () => {
    const h2 = await startHarness({ seed: 11 });
    try {
      const numero = nextNumero(5000);
      await h2.client.enviar(h2.credentials, sampleDocumento({ numero }));
      await h2.admin('folios', { tokenEmpresa: h2.credentials.tokenEmpresa, cycleTotal: 1 });
      const error = (await h2.client
        .enviar(h2.credentials, sampleDocumento({ numero: nextNumero(5000) }))
        .catch((e: unknown) => e)) as HkaRejectedError;
      expect(error).toBeInstanceOf(HkaRejectedError);
      expect(error.reason).toBe('folios-exhausted');
      expect((await h2.client.enviar(h2.credentials, sampleDocumento({ numero }))).duplicate).toBe(true);

      await h2.admin('folios', {
        tokenEmpresa: h2.credentials.tokenEmpresa,
        cycleTotal: 100,
        licenceTo: '2020-12-31',
      });
      const expired = (await h2.client
        .enviar(h2.credentials, sampleDocumento({ numero: nextNumero(5000) }))
        .catch((e: unknown) => e)) as HkaRejectedError;
      expect(expired.message).toMatch(/^La licencia de folios venció el 2020-12-31/);
    } finally {
      await h2.close();
    }
  });

  it('AnulacionDocumento within 7 days succeeds; after 7 days it is rejected', async () => {
    const h2 = await startHarness({ seed: 12 });
    try {
      const late = nextNumero(6000);
      const early = nextNumero(6000);
      await h2.client.enviar(h2.credentials, sampleDocumento({ numero: late }));
      await h2.client.enviar(h2.credentials, sampleDocumento({ numero: early }));
      const ok = await h2.client.anulacionDocumento(
        h2.credentials,
        datosOf(early),
        'Operación no realizada por el cliente',
      );
      expect(ok.mensaje).toBe('Proceso de Anulación ejecutado con éxito.');
      const estado = await h2.client.estadoDocumento(h2.credentials, datosOf(early));
      expect(estado.found && estado.status).toBe('Anulada');

      await h2.admin('clock', { advanceMs: 7 * 86_400_000 + 60_000 });
      const error = (await h2.client
        .anulacionDocumento(h2.credentials, datosOf(late), 'Operación no realizada por el cliente')
        .catch((e: unknown) => e)) as HkaRejectedError;
      expect(error).toBeInstanceOf(HkaRejectedError);
      expect(error.reason).toBe('cancellation-window');
    } finally {
      await h2.close();
    }
  });

  it('ConsultarRucDV answers from the registry with the DGI DV; unknown RUCs are rejected', async () => {
    const hka = await h.client.consultarRucDv(h.credentials, { tipoRuc: '2', ruc: '155596713-2-2015' });
    expect(hka).toMatchObject({ dv: '59', razonSocial: 'THE FACTORY HKA CORP', affiliated: true });
    const natural = await h.client.consultarRucDv(h.credentials, { tipoRuc: '1', ruc: '8-274-125' });
    expect(natural.dv).toBe('91');
    await expect(
      h.client.consultarRucDv(h.credentials, { tipoRuc: '2', ruc: '123456-1-123456' }),
    ).rejects.toBeInstanceOf(HkaRejectedError);
  });
});
