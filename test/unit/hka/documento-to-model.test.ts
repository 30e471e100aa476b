import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toHkaDocumento } from '#shared/fiscal/hka-documento';
import { catalogueAmountViolations } from '#shared/fiscal/rules/catalogue/index';
import { validateDocument } from '#shared/fiscal/validate';
import { viewOfDocumento } from '#shared/fiscal/view/from-documento';
import { documentoToModel, hkaFieldOf } from '#shared/hka/documento-to-model';
import { demoContext } from '../fiscal/support/demo-issuer.ts';
import { EXAMPLES_NOW } from '../fiscal/support/documents.ts';

const directory = new URL('../../../examples/documents/', import.meta.url);
const examples = readdirSync(directory)
  .filter((file) => file.endsWith('.json'))
  .map((file) => [file, JSON.parse(readFileSync(new URL(file, directory), 'utf8'))] as const);

describe('documentoToModel', () => {
  it.each(examples)('reads back the documento of %s into the same computed document', (_file, input) => {
    // Prepare
    const original = validateDocument(input, { now: EXAMPLES_NOW });
    if (!original.ok) throw new Error('invalid example');
    // JSON form, as an integrator's documento is written.
    const documento = JSON.parse(JSON.stringify(toHkaDocumento(original.document, demoContext)));

    // Act
    const readBack = validateDocument(documentoToModel(documento), { now: EXAMPLES_NOW });

    // Assess
    expect(readBack.ok ? [] : readBack.violations).toEqual([]);
    if (!readBack.ok) return;
    expect(readBack.document.codes).toEqual(original.document.codes);
    expect(readBack.document.totals).toEqual(original.document.totals);
    expect(readBack.document.receiver.type).toBe(original.document.receiver.type);
    expect(catalogueAmountViolations(viewOfDocumento(documento), EXAMPLES_NOW)).toEqual([]);
  });

  it('names the HKA element of our paths, in lists too', () => {
    expect(hkaFieldOf('receiver.dv')).toBe('digitoVerificadorRUC');
    expect(hkaFieldOf('items[2].quantity')).toBe('listaItems.item[2].cantidad');
    expect(hkaFieldOf('payments[1].description')).toBe('listaFormaPago.formaPago[1].descFormaPago');
    expect(hkaFieldOf('items[0].oti[1].code')).toBe('listaItems.item[0].listaItemOTI');
    expect(hkaFieldOf('nothing.like.this')).toBeUndefined();
  });
});
