import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HkaRejectedError } from '#shared/hka/errors';
import { datosOf, sampleDocumento } from './fixtures.ts';
import { type Harness, nextNumero, startHarness } from './harness.ts';
import { startLocalSes } from './ses-local.ts';

describe('EnvioCorreo / RastreoCorreo through SES v2', () => {
  let ses: Awaited<ReturnType<typeof startLocalSes>>;
  let h: Harness;
  beforeAll(async () => {
    ses = await startLocalSes();
    h = await startHarness({ seed: 5, sesEndpoint: ses.endpoint, fromAddress: 'facturas@factu.test' });
  });
  afterAll(async () => {
    await h.close();
    await ses.close();
  });

  it('sends a real e-mail with the CAFE and the XML attached, and tracks it', async () => {
    const numero = nextNumero(3000);
    const sent = await h.client.enviar(h.credentials, sampleDocumento({ numero }));

    const result = await h.client.envioCorreo(h.credentials, datosOf(numero), 'cliente@example.com');
    expect(result.mensaje).toBe('Se ha enviado satisfactoriamente el email.');

    const emails = await ses.emails();
    expect(emails).toHaveLength(1);
    expect(JSON.stringify(emails[0])).toContain('cliente@example.com');
    expect(JSON.stringify(emails[0])).toContain(`${sent.authorization.cufe}.pdf`);

    const tracking = await h.client.rastreoCorreo(h.credentials, sent.authorization.cufe);
    expect(tracking.entries).toHaveLength(1);
    expect(tracking.entries[0]).toMatchObject({ correo: 'cliente@example.com', estado: 'Enviado' });
    expect(tracking.entries[0]!.messageId).not.toBe('');
    expect(Number.isNaN(Date.parse(tracking.entries[0]!.createdAt ?? ''))).toBe(false);
  });

  it('RastreoCorreo of a document without e-mails is an empty list; an unknown CUFE is rejected', async () => {
    const sent = await h.client.enviar(h.credentials, sampleDocumento({ numero: nextNumero(3000) }));
    expect((await h.client.rastreoCorreo(h.credentials, sent.authorization.cufe)).entries).toEqual([]);
    await expect(h.client.rastreoCorreo(h.credentials, 'FE-no-such-cufe')).rejects.toBeInstanceOf(
      HkaRejectedError,
    );
  });
});
