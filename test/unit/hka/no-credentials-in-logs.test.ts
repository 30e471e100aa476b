/**
 * tokenEmpresa/tokenPassword must never reach a log line, a metric or an error (message, stack, cause,
 * JSON form). Every client path is exercised with a debug-level logger and stdout/stderr captured.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHkaClient, type HkaLogger } from '#shared/hka/client';
import { powertoolsMetricsSink } from '#shared/hka/metrics';
import { submitWithoutDuplicates } from '#shared/hka/submit';
import { datosOf, sampleDocumento } from './fixtures.ts';
import { type Harness, startHarness } from './harness.ts';

const TOKEN_EMPRESA = 'SECRET-EMPRESA-7f3a9c';
const TOKEN_PASSWORD = 'SECRET-PASSWORD-e41b28';

describe('credentials never appear in logs or errors', () => {
  let h: Harness;
  const captured: string[] = [];
  const capture = (...args: unknown[]) => {
    captured.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  };

  beforeAll(async () => {
    h = await startHarness({
      seed: 21,
      tenants: [
        {
          name: 'SECRETOS, S.A.',
          ruc: '2588017-1-831938',
          rucType: '2',
          tokenEmpresa: TOKEN_EMPRESA,
          tokenPassword: TOKEN_PASSWORD,
        },
      ],
    });
  });
  afterAll(async () => h.close());

  it('across success, duplicate, rejection, authentication and transient failures', async () => {
    const swallow = (chunk: unknown) => {
      capture(String(chunk));
      return true;
    };
    const writes = [
      vi.spyOn(process.stdout, 'write').mockImplementation(swallow),
      vi.spyOn(process.stderr, 'write').mockImplementation(swallow),
      vi.spyOn(console, 'log').mockImplementation(capture),
      vi.spyOn(console, 'error').mockImplementation(capture),
      vi.spyOn(console, 'warn').mockImplementation(capture),
    ];
    const logger: HkaLogger = {
      debug: (m, e) => capture('DEBUG', m, e),
      info: (m, e) => capture('INFO', m, e),
      warn: (m, e) => capture('WARN', m, e),
      error: (m, e) => capture('ERROR', m, e),
    };
    const client = createHkaClient({
      endpoint: h.sandbox.url,
      timeoutMs: 300,
      logger,
      // Created after the spies: Powertools writes its EMF lines to the stdout it finds at construction.
      metrics: powertoolsMetricsSink(new Metrics({ namespace: 'factu', serviceName: 'hka-test' })),
    });
    const credentials = { tokenEmpresa: TOKEN_EMPRESA, tokenPassword: TOKEN_PASSWORD };
    const errors: unknown[] = [];
    const attempt = (p: Promise<unknown>) => p.catch((e: unknown) => errors.push(e));

    try {
      await client.enviar(credentials, sampleDocumento({ numero: '0000000101' }));
      await client.enviar(credentials, sampleDocumento({ numero: '0000000101' }));
      const bad = sampleDocumento({ numero: '0000000102' });
      (bad.totalesSubTotales as Record<string, string>).totalFactura = '1.00';
      await attempt(client.enviar(credentials, bad));
      await attempt(
        client.foliosRestantes({ tokenEmpresa: TOKEN_EMPRESA, tokenPassword: 'SECRET-WRONG-PASSWORD' }),
      );
      await client.consultarRucDv(credentials, { tipoRuc: '2', ruc: '155596713-2-2015' });
      for (const kind of ['timeout', 'http-500', 'malformed', 'reset', 'lost-answer']) {
        await h.admin('faults', { tokenEmpresa: TOKEN_EMPRESA, faults: [{ kind, times: 1 }] });
        await attempt(client.estadoDocumento(credentials, datosOf('0000000101')));
      }
      await h.admin('faults', { tokenEmpresa: TOKEN_EMPRESA, faults: [{ kind: 'lost-answer', times: 1 }] });
      await attempt(submitWithoutDuplicates(client, credentials, sampleDocumento({ numero: '0000000103' })));
      await submitWithoutDuplicates(client, credentials, sampleDocumento({ numero: '0000000103' }), {
        previousAttemptUnknown: true,
      });
      const dead = createHkaClient({ endpoint: 'http://127.0.0.1:1/Service.svc', timeoutMs: 300, logger });
      await attempt(dead.descargaXml(credentials, datosOf('0000000101')));
      dead.close();
    } finally {
      client.close();
      for (const spy of writes) spy.mockRestore();
    }

    expect(errors.length).toBeGreaterThanOrEqual(8);
    const errorTexts = errors.map((e) => {
      const err = e as Error & { cause?: unknown };
      return [
        err.message,
        err.stack,
        JSON.stringify(err),
        JSON.stringify(err.cause ?? null),
        String(err),
      ].join('\n');
    });
    const everything = [...captured, ...errorTexts].join('\n');
    expect(captured.some((line) => line.includes('hka request') && line.includes('tokenPassword>***<'))).toBe(
      true,
    ); // debug logging was on, redacted
    expect(captured.some((line) => line.includes('"HkaCalls":1'))).toBe(true); // EMF metrics were written
    expect(captured.some((line) => line.includes('"hkaCode"'))).toBe(true); // with HKA's code as metadata
    for (const secret of [TOKEN_EMPRESA, TOKEN_PASSWORD, 'SECRET-WRONG-PASSWORD']) {
      expect(everything).not.toContain(secret);
    }
  });
});
