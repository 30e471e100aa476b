import { describe, expect, it } from 'vitest';
import { BatchCsvError, batchTemplateCsv, parseBatchCsv, readCsvRecords } from '#shared/batches/csv';
import { MAX_BATCH_DOCUMENTS } from '#shared/batches/entries';
import { BATCH_TEMPLATE, columnOfPath, lineOfPath } from '#shared/batches/template';
import { validateDocument } from '#shared/fiscal/validate';
import invoiceTaxpayer from '../../../examples/documents/invoice-taxpayer.json' with { type: 'json' };

const header = BATCH_TEMPLATE.map((column) => column.name);

/** A CSV of the template's columns from rows given as column → value. */
function csvOf(rows: Array<Record<string, string>>, columns: readonly string[] = header): string {
  const cell = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return [
    columns.join(','),
    ...rows.map((row) => columns.map((name) => cell(row[name] ?? '')).join(',')),
  ].join('\n');
}

const line = (reference: string, item: Record<string, string>, document: Record<string, string> = {}) => ({
  reference,
  type: 'invoice',
  receiverType: 'final-consumer',
  paymentMethod: 'cash',
  paymentAmount: '10.70',
  itemDescription: 'Café molido 1 lb',
  itemQuantity: '1',
  itemUnitPrice: '10.00',
  itemItbmsRate: '7',
  ...document,
  ...item,
});

describe('the batch CSV template', () => {
  it('round-trips: its example parses into the example invoice, which validates', () => {
    // Prepare
    const template = batchTemplateCsv();

    // Act
    const [entry, ...others] = parseBatchCsv(template);

    // Assess
    expect(others).toEqual([]);
    expect(entry?.reference).toBe('FAC-2026-0001');
    expect(entry?.errors).toBeUndefined();
    expect(entry?.lines).toEqual({ first: 2, items: [2, 3] });
    expect(entry?.input).toEqual(invoiceTaxpayer);
    const validated = validateDocument(entry?.input, { now: new Date('2026-12-06T15:00:00Z') });
    expect(validated.ok, JSON.stringify(validated)).toBe(true);
  });

  it('names every column once, and its header is the first line', () => {
    // Prepare
    const names = BATCH_TEMPLATE.map((column) => column.name);

    // Act
    const [first] = readCsvRecords(batchTemplateCsv());

    // Assess
    expect(new Set(names).size).toBe(names.length);
    expect(first?.cells).toEqual(names);
  });
});

describe('parseBatchCsv', () => {
  it('issues by reference: a customerId and productIds become the catalogue references of the body', () => {
    // Prepare: only the references, the quantity and the payment; everything else comes from the catalogue.
    const columns = [
      'reference',
      'type',
      'customerId',
      'paymentMethod',
      'paymentAmount',
      'productId',
      'itemQuantity',
    ];
    const row = {
      reference: 'R1',
      type: 'invoice',
      customerId: 'C1',
      paymentMethod: 'cash',
      paymentAmount: '5.35',
    };
    const text = csvOf(
      [
        { ...row, productId: 'P1', itemQuantity: '2' },
        { ...row, productId: 'P2', itemQuantity: '1' },
      ],
      columns,
    );

    // Act
    const [entry] = parseBatchCsv(text);

    // Assess
    expect(entry?.errors).toBeUndefined();
    expect(entry?.input).toMatchObject({
      receiver: { customerId: 'C1' },
      items: [
        { productId: 'P1', quantity: '2' },
        { productId: 'P2', quantity: '1' },
      ],
    });
  });

  it('groups lines by reference, in order of first appearance, lines need not be adjacent', () => {
    // Prepare
    const text = csvOf([
      line('A', { itemDescription: 'Primero A' }),
      line('B', { itemDescription: 'Único B' }),
      line('A', { itemDescription: 'Segundo A' }, { type: '' }),
    ]);

    // Act
    const entries = parseBatchCsv(text);

    // Assess
    expect(entries.map((entry) => entry.reference)).toEqual(['A', 'B']);
    const [a, b] = entries;
    expect((a!.input.items as Array<{ description: string }>).map((item) => item.description)).toEqual([
      'Primero A',
      'Segundo A',
    ]);
    expect(a?.lines).toEqual({ first: 2, items: [2, 4] });
    expect(a?.input.type).toBe('invoice');
    expect(b?.lines).toEqual({ first: 3, items: [3] });
  });

  it('reads quoted cells with commas, doubled quotes and line breaks, CRLF, a BOM and semicolons', () => {
    // Prepare
    const description = 'Servicio "premium", mensual\nsegunda línea';
    const text = `\uFEFF${csvOf([line('Q-1', { itemDescription: description })]).replace(/\n(?=Q-1)/, '\r\n')}`;
    const semicolons = csvOf([line('S-1', {})]).replace(/,/g, ';');

    // Act
    const [quoted] = parseBatchCsv(text);
    const [semicolon] = parseBatchCsv(semicolons);

    // Assess
    expect((quoted!.input.items as Array<{ description: string }>)[0]?.description).toBe(description);
    expect(semicolon?.reference).toBe('S-1');
    expect((semicolon!.input.payments as Array<{ amount: string }>)[0]?.amount).toBe('10.70');
  });

  it('leaves empty cells out, so a missing required field is reported by validation on its path', () => {
    // Prepare
    const text = csvOf([line('E-1', { itemQuantity: '' })]);

    // Act
    const [entry] = parseBatchCsv(text);
    const validated = validateDocument(entry?.input, { now: new Date('2026-12-06T15:00:00Z') });

    // Assess
    expect((entry!.input.items as Array<Record<string, string>>)[0]).not.toHaveProperty('quantity');
    expect(validated.ok).toBe(false);
    if (!validated.ok) expect(validated.violations.map((v) => v.path)).toContain('items[0].quantity');
  });

  it('reports a document value that differs from its first line, and a line of the wrong width, on that line', () => {
    // Prepare
    const text = `${csvOf([line('C-1', {}), line('C-1', {}, { paymentAmount: '99.00' })])}\nC-1,invoice`;

    // Act
    const [entry] = parseBatchCsv(text);

    // Assess
    expect(entry?.errors).toEqual([
      expect.objectContaining({
        row: 3,
        path: 'payments[0].amount',
        column: 'paymentAmount',
        code: 'CSV_CONFLICTING_VALUE',
      }),
      expect.objectContaining({ row: 4, code: 'CSV_CELL_COUNT' }),
    ]);
  });

  it('refuses a file it cannot read as the template, saying where', () => {
    // Prepare
    const cases = {
      unknownColumn: csvOf([line('U-1', {})], [...header, 'colour']),
      noReferenceColumn: csvOf([line('N-1', {})], header.slice(1)),
      lineWithoutReference: csvOf([line('L-1', {}), line('', {})]),
      unclosedQuote: `${header.join(',')}\nX-1,"invoice`,
      empty: '',
    };

    // Act
    const errors: Record<string, BatchCsvError | undefined> = Object.fromEntries(
      Object.entries(cases).map(([name, text]) => {
        try {
          parseBatchCsv(text);
          return [name, undefined];
        } catch (error) {
          return [name, error as BatchCsvError];
        }
      }),
    );

    // Assess
    for (const error of Object.values(errors)) expect(error).toBeInstanceOf(BatchCsvError);
    expect(errors.unknownColumn?.details).toEqual([
      expect.objectContaining({ path: `header[${header.length}]`, code: 'CSV_UNKNOWN_COLUMN' }),
    ]);
    expect(errors.noReferenceColumn?.details).toEqual([
      expect.objectContaining({ code: 'CSV_NO_REFERENCE' }),
    ]);
    expect(errors.lineWithoutReference?.details).toEqual([
      expect.objectContaining({ path: 'line 3', code: 'CSV_REFERENCE_INVALID' }),
    ]);
    expect(errors.unclosedQuote?.details[0]?.code).toBe('CSV_UNCLOSED_QUOTE');
    expect(errors.empty?.details[0]?.code).toBe('CSV_EMPTY');
  });

  it(`refuses more than ${MAX_BATCH_DOCUMENTS} documents as too large`, () => {
    // Prepare
    const columns = ['reference', 'itemQuantity'];
    const lines = Array.from({ length: MAX_BATCH_DOCUMENTS + 1 }, (_, i) => `R${i},1`);
    const text = [columns.join(','), ...lines].join('\n');

    // Act
    const act = () => parseBatchCsv(text);

    // Assess
    expect(act).toThrowError(expect.objectContaining({ tooLarge: true }));
  });
});

describe('findings mapped back onto the CSV', () => {
  it("names an item's line and column, and a document field's first line", () => {
    // Prepare
    const lines = { first: 7, items: [7, 8, 9] };

    // Act
    const itemLine = lineOfPath('items[2].quantity', lines);
    const documentLine = lineOfPath('receiver.ruc', lines);

    // Assess
    expect(itemLine).toBe(9);
    expect(documentLine).toBe(7);
    expect(columnOfPath('items[2].quantity')).toBe('itemQuantity');
    expect(columnOfPath('receiver.location.code')).toBe('receiverLocationCode');
    expect(columnOfPath('payments[0].amount')).toBe('paymentAmount');
    expect(columnOfPath('items[0].isc.rate')).toBeUndefined();
  });
});
