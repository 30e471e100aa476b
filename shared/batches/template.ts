/**
 * The CSV template of bulk issuing, declared once: the parser (./csv.ts), `factu batch template` and the
 * README's table are all built from this list. One line per line item; the lines of a document share its
 * `reference` and need not be adjacent. Document columns are read from the document's first line (later
 * lines may repeat them, or leave them empty; a different value is an error). Empty cells are absent fields.
 */

/** Where a column's value goes in the issuing body (`POST /v1/documents`). */
export type TemplateColumn = {
  readonly name: string;
  /** `document`: once per document; `item`: one per line, into `items[n]`. */
  readonly level: 'document' | 'item';
  /** Path segments in the document (document level) or in its item (item level). */
  readonly path: readonly (string | number)[];
  readonly description: string;
  /** The value of the example group, one per example line (a document column: its first line's). */
  readonly example: readonly string[];
};

const documentColumn = (
  name: string,
  path: readonly (string | number)[],
  description: string,
  example: string,
): TemplateColumn => ({ name, level: 'document', path, description, example: [example, ''] });

const itemColumn = (
  name: string,
  path: string,
  description: string,
  example: readonly [string, string],
): TemplateColumn => ({ name, level: 'item', path: [path], description, example });

/** The column that groups lines into documents: the row reference (unique in the batch, ≤ 64 characters). */
export const REFERENCE_COLUMN = 'reference';

export const BATCH_TEMPLATE: readonly TemplateColumn[] = [
  documentColumn(REFERENCE_COLUMN, [], 'Your reference of the document; its lines share it', 'FAC-2026-0001'),
  documentColumn('type', ['type'], 'Document type (invoice, credit-note, …)', 'invoice'),
  documentColumn('issuedAt', ['issuedAt'], 'Emission date-time with offset; empty = when issued', ''),
  documentColumn('branch', ['branch'], 'Branch code; empty = the company default', ''),
  documentColumn('pointOfSale', ['pointOfSale'], 'Point of sale; empty = the company default', ''),
  documentColumn(
    'customerId',
    ['receiver', 'customerId'],
    'A saved customer (GET /v1/customers); the receiver columns then override it or stay empty',
    '',
  ),
  documentColumn(
    'receiverType',
    ['receiver', 'type'],
    'taxpayer, final-consumer, government, foreign',
    'taxpayer',
  ),
  documentColumn('receiverRucType', ['receiver', 'rucType'], '1 natural, 2 juridical', '2'),
  documentColumn('receiverRuc', ['receiver', 'ruc'], 'Receiver RUC', '2588017-1-831938'),
  documentColumn('receiverDv', ['receiver', 'dv'], 'Receiver DV (2 digits)', '20'),
  documentColumn('receiverName', ['receiver', 'name'], 'Receiver name', 'DISTRIBUIDORA EJEMPLO, S.A.'),
  documentColumn(
    'receiverAddress',
    ['receiver', 'address'],
    'Receiver address',
    'Vía España, Edificio Ejemplo, local 3',
  ),
  documentColumn('receiverLocationCode', ['receiver', 'location', 'code'], 'Location code P-D-C', '8-8-7'),
  documentColumn('receiverProvince', ['receiver', 'location', 'province'], 'Province', 'PANAMA'),
  documentColumn('receiverDistrict', ['receiver', 'location', 'district'], 'District', 'PANAMA'),
  documentColumn(
    'receiverCorregimiento',
    ['receiver', 'location', 'corregimiento'],
    'Corregimiento',
    'BELLA VISTA',
  ),
  documentColumn('receiverPhone', ['receiver', 'phones', 0], 'Receiver phone', '223-4567'),
  documentColumn(
    'receiverEmail',
    ['receiver', 'emails', 0],
    'Receiver e-mail (the CAFE is sent there)',
    'compras@ejemplo.com.pa',
  ),
  documentColumn('paymentMethod', ['payments', 0, 'method'], 'cash, transfer, credit, card, …', 'transfer'),
  documentColumn('paymentAmount', ['payments', 0, 'amount'], 'Amount paid (the document total)', '281.14'),
  documentColumn('remarks', ['remarks'], 'Free issuer information', ''),
  itemColumn('productId', 'productId', 'A saved product (GET /v1/products); item columns override it', [
    '',
    '',
  ]),
  itemColumn('itemDescription', 'description', 'Line description', [
    'Servicio de soporte técnico mensual',
    'Cable de red Cat6',
  ]),
  itemColumn('itemCode', 'code', 'Your product code', ['SOP-001', 'CAB-006']),
  itemColumn('itemUnit', 'unit', 'Unit of measure (DGI catalogue)', ['und', 'm']),
  itemColumn('itemQuantity', 'quantity', 'Quantity', ['1', '15']),
  itemColumn('itemUnitPrice', 'unitPrice', 'Unit price', ['250.00', '0.85']),
  itemColumn('itemUnitDiscount', 'unitDiscount', 'Discount per unit, in money', ['', '']),
  itemColumn('itemItbmsRate', 'itbmsRate', 'ITBMS rate: 0, 7, 10 or 15', ['7', '7']),
];

/** The columns by name. */
export const TEMPLATE_COLUMNS: ReadonlyMap<string, TemplateColumn> = new Map(
  BATCH_TEMPLATE.map((column) => [column.name, column]),
);

/** `items[2].quantity` → `itemQuantity`; `receiver.ruc` → `receiverRuc`: the column a finding points at. */
export function columnOfPath(path: string): string | undefined {
  const item = /^items\[\d+\]\.([A-Za-z]+)$/.exec(path);
  for (const column of BATCH_TEMPLATE) {
    if (column.level === 'item' && item && column.path[0] === item[1]) return column.name;
    if (column.level === 'document' && column.path.length > 0 && pathText(column.path) === path) {
      return column.name;
    }
  }
  return undefined;
}

/** `['payments', 0, 'amount']` → `payments[0].amount`, the shape of findings' paths. */
export function pathText(path: readonly (string | number)[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('');
}

/** The line number of the item a finding names (`items[n]…`), or the document's first line. */
export function lineOfPath(path: string, lines: { first: number; items: readonly number[] }): number {
  const item = /^items\[(\d+)\]/.exec(path);
  return (item && lines.items[Number(item[1])]) || lines.first;
}
