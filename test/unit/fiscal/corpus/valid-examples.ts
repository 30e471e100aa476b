/**
 * Valid documents of every document type: our examples (examples/documents) plus the combinations
 * HKA's own published examples use and the §8.6 table would refuse (brief §8.6): credit notes 04/06 and
 * an export 03 with naturaleza 01, an import 02 with tipoOperacion 1, and an item whose ISC is zero.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { DocumentInputRaw } from '#shared/fiscal/model';

const directory = new URL('../../../../examples/documents/', import.meta.url);

const read = (name: string): DocumentInputRaw =>
  JSON.parse(readFileSync(new URL(name, directory), 'utf8')) as DocumentInputRaw;

const ourExamples = readdirSync(directory)
  .filter((name) => name.endsWith('.json'))
  .map((name) => ({ name, document: read(name) }));

const withChanges = (name: string, changes: Partial<DocumentInputRaw>) => ({
  name: `${name} (${Object.entries(changes)
    .map(([key, value]) => `${key} ${JSON.stringify(value)}`)
    .join(', ')})`,
  document: { ...read(name), ...changes } as DocumentInputRaw,
});

const zeroIsc = read('invoice-taxpayer.json');
const firstItem = zeroIsc.items[0] as DocumentInputRaw['items'][number];

export const validExamples: { name: string; document: DocumentInputRaw }[] = [
  ...ourExamples,
  withChanges('credit-note-referenced.json', { operationNature: 'sale' }),
  withChanges('generic-credit-note.json', { operationNature: 'sale' }),
  withChanges('export-invoice.json', { operationNature: 'sale' }),
  withChanges('import-invoice.json', { operationType: 'outgoing' }),
  {
    name: 'invoice-taxpayer.json (an item with ISC 0.00)',
    document: { ...zeroIsc, items: [{ ...firstItem, isc: { amount: '0.00' } }, ...zeroIsc.items.slice(1)] },
  },
];
