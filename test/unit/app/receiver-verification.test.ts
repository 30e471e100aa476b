import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { keys } from '#shared/data/keys';
import { comparableName, verifyReceiver } from '#shared/documents/receiver-verification';
import { HkaAuthenticationError, HkaTransientError } from '#shared/hka/errors';
import type { RucRegistration } from '#shared/hka/ruc-registration';
import { FakeTable } from './fake-table.ts';
import { hkaCredentialsItem } from './fixtures.ts';
import { setTestEnv, TENANT } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const kms = mockClient(KMSClient);
const table = new FakeTable();

const now = new Date('2026-11-22T15:00:00Z');
const DAY_S = 24 * 60 * 60;
const receiver = {
  type: 'taxpayer',
  rucType: '2' as const,
  ruc: '2588017-1-831938',
  dv: '20',
  name: 'Distribuidora Ejemplo, S.A.',
};
const registered: RucRegistration = {
  registered: true,
  tipoRuc: '2',
  ruc: '2588017-1-831938',
  dv: '20',
  name: 'DISTRIBUIDORA EJEMPLO SA',
  affiliated: true,
};
const cacheKey = keys.rucVerification(TENANT, 'demo', '2', '2588017-1-831938');

function hkaAnswering(answer: () => Promise<RucRegistration>) {
  const rucRegistration = vi.fn(answer);
  return { hka: { rucRegistration }, rucRegistration };
}

beforeEach(() => {
  ddb.reset();
  kms.reset();
  table.clear();
  table.install(ddb);
  table.put(hkaCredentialsItem);
  kms.on(DecryptCommand).resolves({
    Plaintext: new TextEncoder().encode(JSON.stringify({ tokenEmpresa: 'te', tokenPassword: 'tp' })),
  });
});

describe('verifyReceiver', () => {
  it('cache miss: asks HKA with the tenant credentials and keeps a registered answer 30 days', async () => {
    // Prepare
    const { hka, rucRegistration } = hkaAnswering(async () => registered);

    // Act
    const result = await verifyReceiver(TENANT, 'demo', receiver, { now, hka });
    const keptBeforeAccepting = table.get(cacheKey);
    await result.remember();

    // Assess
    expect(result).toMatchObject({ errors: [], warnings: [] });
    expect(keptBeforeAccepting).toBeUndefined();
    expect(rucRegistration).toHaveBeenCalledWith(
      { tokenEmpresa: 'te', tokenPassword: 'tp' },
      { tipoRuc: '2', ruc: '2588017-1-831938' },
    );
    expect(table.get(cacheKey)).toMatchObject({
      name: 'DISTRIBUIDORA EJEMPLO SA',
      dv: '20',
      expiresAt: now.getTime() / 1000 + 30 * DAY_S,
    });
  });

  it('cache hit: answers from the stored item without calling HKA', async () => {
    // Prepare
    const { hka, rucRegistration } = hkaAnswering(async () => registered);
    await (await verifyReceiver(TENANT, 'demo', receiver, { now, hka })).remember();

    // Act
    const later = new Date(now.getTime() + 29 * DAY_S * 1000);
    const result = await verifyReceiver(
      TENANT,
      'demo',
      { ...receiver, name: 'OTRO NOMBRE' },
      { now: later, hka },
    );

    // Assess
    expect(rucRegistration).toHaveBeenCalledTimes(1);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        path: 'receiver.name',
        hint: 'DISTRIBUIDORA EJEMPLO SA',
        severity: 'warning',
      }),
    ]);
  });

  it('an expired item is asked again (TTL deletion is lazy)', async () => {
    // Prepare
    const { hka, rucRegistration } = hkaAnswering(async () => registered);
    await (await verifyReceiver(TENANT, 'demo', receiver, { now, hka })).remember();

    // Act
    await verifyReceiver(TENANT, 'demo', receiver, { now: new Date(now.getTime() + 31 * DAY_S * 1000), hka });

    // Assess
    expect(rucRegistration).toHaveBeenCalledTimes(2);
  });

  it('not registered: an error at receiver.ruc, never kept (asked again next time)', async () => {
    // Prepare
    const { hka } = hkaAnswering(async () => ({
      registered: false,
      reason: 'not-registered',
      code: '201',
      message: 'RUC inexistente en los registros de la DGI (1602).',
    }));

    // Act
    const result = await verifyReceiver(TENANT, 'demo', receiver, { now, hka });
    await result.remember();

    // Assess
    expect(result.warnings).toEqual([]);
    expect(result.errors).toEqual([
      expect.objectContaining({
        path: 'receiver.ruc',
        message: 'RUC no inscrito',
        code: 'RUC_NOT_REGISTERED',
        severity: 'error',
      }),
    ]);
    expect(table.get(cacheKey)).toBeUndefined();
  });

  it.each([
    ['an outage', () => new HkaTransientError('ConsultarRucDV', 'not-sent', 'HTTP 503', 503)],
    ['wrong credentials', () => new HkaAuthenticationError('ConsultarRucDV', '100', 'Token inválido')],
  ])('%s: a warning, never a block, and nothing cached', async (_case, failure) => {
    // Prepare
    const { hka } = hkaAnswering(async () => {
      throw failure();
    });

    // Act
    const result = await verifyReceiver(TENANT, 'demo', receiver, { now, hka });
    await result.remember();

    // Assess
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      expect.objectContaining({ path: 'receiver.ruc', code: 'RUC_NOT_VERIFIED', severity: 'warning' }),
    ]);
    expect(table.get(cacheKey)).toBeUndefined();
  });

  it('an HKA that does not answer in time: a warning after the deadline', async () => {
    // Prepare
    const { hka } = hkaAnswering(() => new Promise(() => {}));
    const started = Date.now();

    // Act
    const result = await verifyReceiver(TENANT, 'demo', receiver, { now, hka, deadlineMs: 50 });

    // Assess
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result.warnings.map((w) => w.code)).toEqual(['RUC_NOT_VERIFIED']);
  });

  it('a DV differing from the DGI one: a warning with the registered DV as the hint', async () => {
    const { hka } = hkaAnswering(async () => ({ ...registered, dv: '21' }));
    const result = await verifyReceiver(TENANT, 'demo', receiver, { now, hka });
    expect(result.warnings).toEqual([expect.objectContaining({ path: 'receiver.dv', hint: '21' })]);
  });

  it('final consumers and foreign receivers are not looked up', async () => {
    const { hka, rucRegistration } = hkaAnswering(async () => registered);
    await verifyReceiver(TENANT, 'demo', { type: 'final-consumer', name: 'CONSUMIDOR FINAL' }, { now, hka });
    await verifyReceiver(TENANT, 'demo', { type: 'foreign', name: 'ACME' }, { now, hka });
    expect(rucRegistration).not.toHaveBeenCalled();
  });
});

describe('comparableName', () => {
  it('ignores case, accents, punctuation and spacing', () => {
    expect(comparableName('Compañía  Pérez, S.A.')).toBe(comparableName('COMPANIA PEREZ SA'));
    expect(comparableName('DISTRIBUIDORA DEMO, S.A.')).not.toBe(
      comparableName('DISTRIBUIDORA EJEMPLO, S.A.'),
    );
  });
});
