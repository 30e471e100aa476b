import { describe, expect, it } from 'vitest';
import { batchTemplateCsv } from '#shared/batches/csv';
import { readBatchFile, rowErrorPlace } from '../../../web/src/routes/batches-file';
import { recipientsOf } from '../../../web/src/routes/document-recipients';
import { documentsSearchSchema, draftOf, searchOf } from '../../../web/src/routes/documents-search';
import { sumAmounts } from '../../../web/src/routes/reports-money';
import { daysUntil, monthBounds, panamaDate, panamaMonth } from '../../../web/src/routes/reports-period';

describe('the documents list address', () => {
  it('keeps every filter the API takes and drops what the API would refuse', () => {
    // Prepare
    const address = {
      status: 'FAILED',
      type: 'credit-note',
      from: '2026-12-01',
      to: 'yesterday',
      branch: '0001',
      pointOfSale: '12',
      receiverRuc: '2588017-1-831938',
      number: '42',
      q: 'a',
      limit: '100',
    };

    // Act
    const search = documentsSearchSchema.parse(address);

    // Assess
    expect(search).toEqual({
      status: 'FAILED',
      type: 'credit-note',
      from: '2026-12-01',
      branch: '0001',
      receiverRuc: '2588017-1-831938',
      number: '42',
      limit: 100,
    });
  });

  it('turns the typed filters into a search: blanks left out, the CUFE upper-cased, selects kept', () => {
    // Prepare
    const draft = { ...draftOf({}), q: '  Café  ', cufe: `fe${'0'.repeat(64)}`, branch: ' ' };

    // Act
    const search = searchOf(draft, { status: 'AUTHORIZED', limit: 50 });

    // Assess
    expect(search).toEqual({ status: 'AUTHORIZED', limit: 50, q: 'Café', cufe: `FE${'0'.repeat(64)}` });
  });
});

describe('report figures', () => {
  it('sums decimal amounts exactly, negatives included', () => {
    expect(sumAmounts(['0.10', '0.20'])).toBe('0.30');
    expect(sumAmounts(['7.00', '-10.5', '0'])).toBe('-3.50');
    expect(sumAmounts([])).toBe('0.00');
    expect(() => sumAmounts(['1.234'])).toThrow();
  });

  it('counts days and months in Panama time, whatever the zone of the instant', () => {
    // 02:00 UTC on the 1st is still the 30th of November in Panama (UTC-5).
    const lateEvening = new Date('2026-12-01T02:00:00Z');
    expect(panamaDate(lateEvening)).toBe('2026-11-30');
    expect(panamaMonth(lateEvening)).toBe('2026-11');
    expect(monthBounds('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(monthBounds('2026-12')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(daysUntil('2026-12-31T00:00:00Z', new Date('2026-12-01T00:00:00Z'))).toBe(30);
  });
});

describe('a batch file chosen in the browser', () => {
  it('takes JSON as a list or as {documents}', () => {
    expect(readBatchFile('lote.json', '[{"type":"invoice"}]')).toEqual({
      source: 'json',
      documents: [{ type: 'invoice' }],
    });
    expect(readBatchFile('lote.txt', '{"documents":[{"reference":"A-1"}]}')).toEqual({
      source: 'json',
      documents: [{ reference: 'A-1' }],
    });
  });

  it('refuses JSON that is not a list of documents, saying why', () => {
    expect(readBatchFile('lote.json', '[1, 2]')).toEqual({
      errors: ['JSON: every document must be an object'],
    });
    expect(readBatchFile('lote.json', '[]')).toMatchObject({
      errors: [expect.stringContaining('non-empty')],
    });
    expect(readBatchFile('lote.json', '{nope')).toMatchObject({ errors: [expect.stringMatching(/^JSON: /)] });
  });

  it('leaves a CSV to the API, which reads it where its errors can name the line and column', () => {
    expect(readBatchFile('lote.csv', batchTemplateCsv())).toEqual({ source: 'csv' });
    expect(readBatchFile('LOTE.CSV', 'not,the,template\n1,2,3\n')).toEqual({ source: 'csv' });
  });

  it("places a row error at the CSV's line and column, or at the JSON document's field", () => {
    const error = { row: 7, path: 'items[1].quantity', column: 'itemQuantity' };
    expect(rowErrorPlace('csv', error)).toEqual({ line: 7, column: 'itemQuantity' });
    expect(rowErrorPlace('csv', { row: 3, path: '(line)' })).toEqual({ line: 3, column: '(line)' });
    expect(rowErrorPlace('json', error)).toEqual({ path: 'items[1].quantity' });
  });
});

describe('resend recipients', () => {
  it('splits what was typed on commas, semicolons and spaces', () => {
    expect(recipientsOf(' a@x.pa, b@y.pa;c@z.pa  d@w.pa ')).toEqual(['a@x.pa', 'b@y.pa', 'c@z.pa', 'd@w.pa']);
    expect(recipientsOf('  ')).toEqual([]);
  });
});
