import { randomUUID } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHkaClient } from '#shared/hka/client';
import { panamaNow, sampleDocumento } from '../unit/hka/fixtures.ts';
import {
  dynamoClient,
  exampleDocument,
  hkaSandbox,
  invoiceHkaRejects,
  issueAndWait,
  type Json,
  localStack,
  type Session,
  session,
  tableName,
} from './helpers/local-cloud.ts';

/**
 * Rejections through the local cloud as a client sees them, explained on GET /v1/documents/{id} (path, HKA
 * element, code, hint):
 * - a field HKA refuses: HKA's clock is days behind ours, so our emission date is "posterior a 2 días";
 * - another document was issued under the number our product allocates next (another system of the company
 *   used the same branch and point of sale), so HKA's sandbox answers 102 with THAT document's CUFE. The
 *   product must not adopt it: the document ends REJECTED.
 *
 * Runs on the second demo tenant, issuing in its `prod` environment against a sandbox company of its own (so
 * the test can send the other document with that company's tokens); the issuing environment goes back to
 * `demo` at the end.
 */

const TENANT = 1;
const POS = '061';
const DAY_MS = 86_400_000;
const key = () => ({ 'idempotency-key': randomUUID() });

describe('rejection explainer', () => {
  let admin: Session;
  let tokens: { tokenEmpresa: string; tokenPassword: string };

  beforeAll(async () => {
    admin = await session(TENANT, 'ADMIN');
    const company = await hkaSandbox.addTenant({
      name: 'OTRO SISTEMA DE CAJA, S.A.',
      ruc: '10102-64-103462',
      rucType: '2',
      tokenEmpresa: `expl${randomUUID().replaceAll('-', '').slice(0, 12)}_ws_tfhka`,
      tokenPassword: `Pw${randomUUID().replaceAll('-', '')}`,
    });
    tokens = { tokenEmpresa: company.tokenEmpresa, tokenPassword: company.tokenPassword };
    const credentials = await admin.call('PUT', '/v1/settings/hka-credentials', {
      body: { environment: 'prod', ...tokens },
    });
    expect(credentials.status, credentials.text).toBe(200);
    const settings = await admin.call('PUT', '/v1/settings/issuing', { body: { environment: 'prod' } });
    expect(settings.status, settings.text).toBe(200);
    const pos = await admin.call('POST', '/v1/branches/0000/points-of-sale', {
      body: { code: POS, name: 'Caja compartida' },
      headers: key(),
    });
    expect([201, 409], pos.text).toContain(pos.status);
  });

  afterAll(async () => {
    // Other files share the tenant: back to the seeded environment.
    await admin?.call('PUT', '/v1/settings/issuing', { body: { environment: 'demo' } });
  });

  /** The series' last allocated number (the API has no view of the counter). */
  const lastNumber = async (tenantId: string) => {
    const out = await dynamoClient().send(
      new GetItemCommand({
        TableName: tableName(),
        Key: { pk: { S: `T#${tenantId}#SERIES#0000#${POS}` }, sk: { S: 'COUNTER' } },
        ConsistentRead: true,
      }),
    );
    return Number(out.Item?.lastNumber?.N ?? 0);
  };

  it('a field HKA refuses: REJECTED with HKA’s text, our path, its element, code and hint', async () => {
    // Prepare: a government invoice (03) to a private company the DGI knows — HKA checks public entities.
    const refused = invoiceHkaRejects();

    // Act
    const doc = await issueAndWait(admin, { ...refused, pointOfSale: POS });

    // Assess
    expect(doc.status, JSON.stringify(doc.reasons)).toBe('REJECTED');
    expect(doc.reasons).toEqual([
      {
        path: 'receiver.ruc',
        hkaField: 'numeroRUC',
        code: 'RECEIVER_NOT_GOVERNMENT',
        hkaCode: '201',
        message:
          'El campo numeroRUC es inválido. El RUC 2588017-1-831938 no corresponde a una entidad de gobierno (tipoClienteFE 03).',
        hint: { es: expect.stringMatching(/entidad pública/), en: expect.stringMatching(/public entity/) },
      },
    ]);
  });

  it('a different document under a taken number: REJECTED with the explained reason, never its CUFE', async () => {
    // Prepare: yesterday, another system issued number N on our branch and point of sale.
    const numero = String((await lastNumber(admin.user.tenantId)) + 1).padStart(10, '0');
    const hka = createHkaClient({ endpoint: localStack().hkaSandboxUrl });
    const theirs = await hka
      .enviar(tokens, sampleDocumento({ numero, punto: POS, fechaEmision: panamaNow(-DAY_MS) }))
      .finally(() => hka.close());
    expect(theirs.codigo, theirs.mensaje).toBe('200');

    // Act: our sale gets number N.
    const doc = await issueAndWait(admin, {
      ...(exampleDocument('invoice-final-consumer.json') as Json),
      pointOfSale: POS,
    });

    // Assess
    expect(doc.number).toBe(numero);
    expect(doc.status, JSON.stringify(doc.reasons)).toBe('REJECTED');
    expect(doc.cufe).toBeNull();
    expect(doc.reasons).toEqual([
      {
        path: 'number',
        hkaField: 'numeroDocumentoFiscal',
        code: 'NUMBER_TAKEN_BY_OTHER_DOCUMENT',
        hkaCode: '102',
        message: expect.stringContaining(theirs.authorization.cufe),
        hint: { es: expect.stringMatching(/número nuevo/), en: expect.stringMatching(/new number/) },
      },
    ]);
    const events = await admin.call('GET', `/v1/documents/${doc.id}/events`);
    expect(events.status, events.text).toBe(200);
    const rejected = (events.body.data as Json[]).find((event) => event.type === 'REJECTED');
    expect(rejected?.reasons?.[0]).toMatchObject({ code: 'NUMBER_TAKEN_BY_OTHER_DOCUMENT', path: 'number' });
  });
});
