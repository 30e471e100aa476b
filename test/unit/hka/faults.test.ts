import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHkaClient } from '#shared/hka/client';
import { HkaTransientError } from '#shared/hka/errors';
import { submitWithoutDuplicates } from '#shared/hka/submit';
import { sampleDocumento } from './fixtures.ts';
import { type Harness, nextNumero, startHarness } from './harness.ts';

/** The next call's error (or the value, if it succeeded). */
const outcome = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );

describe('fault injection and transient classification', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ seed: 3 }, { timeoutMs: 400 });
  });
  afterAll(async () => h.close());

  const setFaults = (faults: unknown[]) =>
    h.admin('faults', { tokenEmpresa: h.credentials.tokenEmpresa, faults });

  it.each([
    ['timeout', 'unknown', undefined],
    ['reset', 'unknown', undefined],
    ['http-500', 'unknown', 500],
    ['http-503', 'not-sent', 503],
    ['malformed', 'unknown', 200],
    ['empty', 'unknown', undefined],
  ] as const)('%s → HkaTransientError(%s)', async (kind, expected, status) => {
    await setFaults([{ kind, times: 1 }]);
    const result = await outcome(h.client.foliosRestantes(h.credentials));
    expect((result as { error: unknown }).error).toBeInstanceOf(HkaTransientError);
    const error = (result as { error: HkaTransientError }).error;
    expect(error.outcome).toBe(expected);
    if (status !== undefined) expect(error.httpStatus).toBe(status);
    expect(h.metrics.at(-1)).toMatchObject({ operation: 'FoliosRestantes', outcome: expected });
    // `times: 1` → the next call is healthy again, on the same keep-alive pool.
    await expect(h.client.foliosRestantes(h.credentials)).resolves.toMatchObject({ codigo: '200' });
  });

  it('latency delays the answer but it still arrives', async () => {
    await setFaults([{ kind: 'latency', ms: 150, times: 1 }]);
    const started = performance.now();
    await h.client.foliosRestantes(h.credentials);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('per-request header faults apply to that request only', async () => {
    await h.admin('faults', undefined, 'DELETE');
    const res = await fetch(h.sandbox.url, {
      method: 'POST',
      headers: {
        'content-type': 'text/xml',
        soapaction: '"http://tempuri.org/IService/FoliosRestantes"',
        'x-hka-sandbox-fault': 'http-503',
      },
      body: `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><FoliosRestantes xmlns="http://tempuri.org/"><tokenEmpresa>${h.credentials.tokenEmpresa}</tokenEmpresa><tokenPassword>${h.credentials.tokenPassword}</tokenPassword></FoliosRestantes></s:Body></s:Envelope>`,
    });
    expect(res.status).toBe(503);
    await expect(h.client.foliosRestantes(h.credentials)).resolves.toMatchObject({ codigo: '200' });
  });

  it('an intermittent failure rate is deterministic under a seed', async () => {
    const run = async (seed: number) => {
      const h2 = await startHarness({ seed }, { timeoutMs: 400 });
      try {
        await h2.admin('faults', { faults: [{ kind: 'http-503', rate: 0.5 }] });
        const pattern: string[] = [];
        for (let i = 0; i < 12; i++) {
          const r = await outcome(h2.client.foliosRestantes(h2.credentials));
          pattern.push('error' in r ? 'x' : '.');
        }
        return pattern.join('');
      } finally {
        await h2.close();
      }
    };
    const a = await run(42);
    expect(await run(42)).toBe(a);
    expect(a).toMatch(/x/);
    expect(a).toMatch(/\./);
  });

  it('a request that never left (connection refused) is not-sent', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = createHkaClient({
      endpoint: `http://127.0.0.1:${port}/Service.svc`,
      timeoutMs: 500,
      metrics: () => {},
    });
    const error = (await outcome(client.foliosRestantes(h.credentials))) as { error: HkaTransientError };
    expect(error.error).toBeInstanceOf(HkaTransientError);
    expect(error.error.outcome).toBe('not-sent');
    client.close();
  });

  it('a connect that does not complete in time is not-sent (TEST-NET-1, never routed)', async () => {
    const client = createHkaClient({
      endpoint: 'http://192.0.2.1:81/Service.svc',
      timeoutMs: 5_000,
      connectTimeoutMs: 200,
      metrics: () => {},
    });
    const started = performance.now();
    const result = (await outcome(client.foliosRestantes(h.credentials))) as { error: HkaTransientError };
    expect(result.error).toBeInstanceOf(HkaTransientError);
    expect(result.error.outcome).toBe('not-sent');
    expect(performance.now() - started).toBeLessThan(2_000);
    client.close();
  });

  it('"processed but answer lost": the next step finds the document through EstadoDocumento and sends nothing', async () => {
    const numero = nextNumero(7000);
    const documento = sampleDocumento({ numero });
    await setFaults([{ kind: 'lost-answer', operations: ['Enviar'], times: 1 }]);

    const lost = (await outcome(submitWithoutDuplicates(h.client, h.credentials, documento))) as {
      error: HkaTransientError;
    };
    expect(lost.error).toBeInstanceOf(HkaTransientError);
    expect(lost.error.outcome).toBe('unknown');
    const stored = h.sandbox.state.data.documents.filter((d) => d.datos.numeroDocumentoFiscal === numero);
    expect(stored).toHaveLength(1); // HKA processed it; we never heard.
    const foliosUsed = h.sandbox.state.data.tenants[0]!.folios.cycleUsed;

    const calls = h.metrics.length;
    const result = await submitWithoutDuplicates(h.client, h.credentials, documento, {
      previousAttemptUnknown: true,
    });

    expect(h.metrics.slice(calls).map((m) => m.operation)).toEqual(['EstadoDocumento']);
    expect(result.source).toBe('reconciled');
    expect(result.authorization.cufe).toBe(stored[0]!.cufe);
    // EstadoDocumento does not report the protocol; the QR is read from the authorized XML later.
    expect(result.authorization.protocol).toBeUndefined();
    expect(Number.isNaN(Date.parse(result.authorization.authorizedAt))).toBe(false);
    expect(
      h.sandbox.state.data.documents.filter((d) => d.datos.numeroDocumentoFiscal === numero),
    ).toHaveLength(1);
    expect(h.sandbox.state.data.tenants[0]!.folios.cycleUsed).toBe(foliosUsed);
  });

  it('after an unknown outcome where HKA has nothing, the document is sent once', async () => {
    const numero = nextNumero(7000);
    await setFaults([{ kind: 'reset', operations: ['Enviar'], times: 1 }]);
    const documento = sampleDocumento({ numero });
    await expect(submitWithoutDuplicates(h.client, h.credentials, documento)).rejects.toBeInstanceOf(
      HkaTransientError,
    );
    expect(h.sandbox.state.data.documents.some((d) => d.datos.numeroDocumentoFiscal === numero)).toBe(false);

    const result = await submitWithoutDuplicates(h.client, h.credentials, documento, {
      previousAttemptUnknown: true,
    });
    expect(result).toMatchObject({ source: 'sent', estado: { found: false } });
    expect(
      h.sandbox.state.data.documents.filter((d) => d.datos.numeroDocumentoFiscal === numero),
    ).toHaveLength(1);
  });

  it('if EstadoDocumento itself fails, nothing is re-sent', async () => {
    const numero = nextNumero(7000);
    await setFaults([{ kind: 'http-503', operations: ['EstadoDocumento'], times: 1 }]);
    const calls = h.metrics.length;
    await expect(
      submitWithoutDuplicates(h.client, h.credentials, sampleDocumento({ numero }), {
        previousAttemptUnknown: true,
      }),
    ).rejects.toBeInstanceOf(HkaTransientError);
    expect(h.metrics.slice(calls).map((m) => m.operation)).toEqual(['EstadoDocumento']);
  });

  it('GET /__admin/state reports documents and folio counters per tenant', async () => {
    const state = (await h.admin('state', undefined, 'GET')) as {
      tenants: {
        ruc: string;
        folios: { cycleUsed: number; cycleAvailable: number };
        documents: { cufe: string }[];
      }[];
    };
    expect(state.tenants[0]!.documents.length).toBeGreaterThan(0);
    expect(state.tenants[0]!.folios.cycleUsed).toBe(state.tenants[0]!.documents.length);
    expect(JSON.stringify(state)).not.toContain(h.credentials.tokenPassword);
  });
});
