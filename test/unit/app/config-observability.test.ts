import { describe, expect, it } from 'vitest';
import { ConfigurationError, loadConfig } from '#shared/config/config';
import { errorResponse } from '#shared/http/envelope';
import { REDACTED, redact } from '#shared/observability/redact';

describe('config', () => {
  it('reads the contract variables and fails loudly, by name, on a missing one', () => {
    const config = loadConfig({ TABLE_NAME: 't', DOWNLOAD_URL_TTL_SECONDS: '120' });
    expect(config.tableName).toBe('t');
    expect(config.downloadUrlTtlSeconds).toBe(120);
    expect(() => config.documentsBucketName).toThrow(/DOCUMENTS_BUCKET_NAME/);
    expect(() => config.documentsBucketName).toThrow(ConfigurationError);
  });

  it('caps presigned URL lifetimes at 5 minutes', () => {
    expect(loadConfig({}).downloadUrlTtlSeconds).toBe(300);
    expect(() => loadConfig({ DOWNLOAD_URL_TTL_SECONDS: '301' })).toThrow(ConfigurationError);
  });

  it('derives the demo PAC reception endpoint from the HKA demo host unless configured', () => {
    const derived = loadConfig({ HKA_DEMO_ENDPOINT: 'http://127.0.0.1:8088/ws/obj/v1.0/Service.svc' });
    expect(derived.pacReceptionEndpoint('demo')).toBe('http://127.0.0.1:8088/pac/recepcion');
    expect(() => derived.pacReceptionEndpoint('prod')).toThrow(/HKA_PROD_PAC_RECEPTION_ENDPOINT/);
  });
});

describe('redaction', () => {
  it('masks credentials, PINs, keys and tokens at any depth', () => {
    const out = redact({
      tenantId: 't1',
      hka: { tokenEmpresa: 'a', tokenPassword: 'b' },
      certificate: { pin: '1234', privateKeyPem: '-----BEGIN', p12: 'AAAA' },
      headers: { Authorization: 'Bearer x' },
      items: [{ description: 'ok' }],
    });
    expect(out).toEqual({
      tenantId: 't1',
      hka: { tokenEmpresa: REDACTED, tokenPassword: REDACTED },
      certificate: { pin: REDACTED, privateKeyPem: REDACTED, p12: REDACTED },
      headers: { Authorization: REDACTED },
      items: [{ description: 'ok' }],
    });
  });

  it('shapes the error envelope', () => {
    const res = errorResponse(
      422,
      { error: 'bad', code: 'VALIDATION_FAILED', details: [{ path: 'a', message: 'b' }], requestId: 'r' },
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(JSON.parse(res.body)).toEqual({
      success: false,
      error: 'bad',
      code: 'VALIDATION_FAILED',
      details: [{ path: 'a', message: 'b' }],
      requestId: 'r',
      timestamp: '2026-01-01T00:00:00.000Z',
    });
  });
});
