import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startHkaSandbox } from '#local/hka-sandbox/index';
import { DEFAULT_WSDL_PATH } from '#shared/hka/client';
import { HKA_OPERATIONS } from '#shared/hka/namespaces';
import { renderWsdl } from '#shared/hka/wsdl/generate-wsdl';

describe('Service.wsdl', () => {
  it('the committed file is what the generator writes (run `tsx shared/hka/wsdl/write-wsdl.ts`)', () => {
    expect(readFileSync(DEFAULT_WSDL_PATH, 'utf8')).toBe(renderWsdl());
  });

  it('declares the nine operations with SOAP 1.1 actions', () => {
    const wsdl = readFileSync(DEFAULT_WSDL_PATH, 'utf8');
    for (const op of HKA_OPERATIONS) {
      expect(wsdl).toContain(
        `<soap:operation soapAction="http://tempuri.org/IService/${op}" style="document"/>`,
      );
    }
    expect(wsdl).toContain('xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"');
  });

  it('the sandbox serves it at ?wsdl with its own address', async () => {
    const sandbox = await startHkaSandbox();
    try {
      const wsdl = await (await fetch(`${sandbox.url}?wsdl`)).text();
      expect(wsdl).toContain(`<soap:address location="${sandbox.url}"/>`);
      expect(wsdl).toContain('<wsdl:portType name="IService">');
    } finally {
      await sandbox.close();
    }
  });
});
