/**
 * The product's path into the sandbox: every example document (examples/documents) validated by the
 * fiscal core, mapped by `toHkaDocumento`, sent by the client. The sandbox must authorize what the
 * fiscal core accepts — otherwise one of the two has a rule wrong, and the local cloud would show it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoIssuer } from '#shared/fiscal/demo-issuer';
import { toHkaDocumento } from '#shared/fiscal/hka-documento';
import { validateDocument } from '#shared/fiscal/validate';
import { validateRfeXml } from '#shared/fiscal/xsd';
import { type Harness, startHarness } from './harness.ts';

const examplesDir = new URL('../../../examples/documents/', import.meta.url);
const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.json'));
/** The reference clock the examples are valid at (examples/documents/README.md). */
const EXAMPLES_NOW = new Date('2026-11-22T12:00:00-05:00');

describe('fiscal core → client → sandbox', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ seed: 61, now: () => EXAMPLES_NOW });
  });
  afterAll(async () => h.close());

  it.each(examples.map((file, i) => [file, i] as const))('%s is authorized', async (file, i) => {
    const input = JSON.parse(readFileSync(new URL(file, examplesDir), 'utf8'));
    const validated = validateDocument(input, { now: EXAMPLES_NOW });
    if (!validated.ok)
      throw new Error(`example invalid for the fiscal core: ${JSON.stringify(validated.violations)}`);
    const documento = toHkaDocumento(validated.document, {
      issuer: demoIssuer,
      environment: '2',
      number: String(9_000 + i).padStart(10, '0'),
      pointOfSale: '001',
      securityCode: '123456789',
    });

    const result = await h.client.enviar(h.credentials, documento).catch((error: unknown) => error);

    expect(result, JSON.stringify((result as { details?: unknown }).details ?? result)).toMatchObject({
      codigo: '200',
    });

    // The rFE the sandbox built from the documento is XSD-valid — except type 10, which rFE v1.00 lacks.
    const trx = documento.datosTransaccion as Record<string, unknown>;
    const xml = await h.client.descargaXml(h.credentials, {
      codigoSucursalEmisor: String(documento.codigoSucursalEmisor),
      numeroDocumentoFiscal: String(trx.numeroDocumentoFiscal),
      puntoFacturacionFiscal: String(trx.puntoFacturacionFiscal),
      tipoDocumento: String(trx.tipoDocumento),
      tipoEmision: String(trx.tipoEmision),
    });
    const check = validateRfeXml(xml.content.toString('utf8'));
    if (trx.tipoDocumento === '10') expect(check.valid).toBe(false);
    else expect(check).toEqual({ valid: true });
  });
});
