import type { ErrorDetail } from '#shared/errors';
import { type BatchEntry, MAX_BATCH_DOCUMENTS } from './entries.ts';
import {
  BATCH_TEMPLATE,
  pathText,
  REFERENCE_COLUMN,
  TEMPLATE_COLUMNS,
  type TemplateColumn,
} from './template.ts';

/** The file cannot be read as the template at all (header, quoting, a line without reference): 422 as a whole. */
export class BatchCsvError extends Error {
  override readonly name = 'BatchCsvError';
  constructor(
    readonly details: ErrorDetail[],
    readonly tooLarge = false,
  ) {
    super(details.map((d) => `${d.path}: ${d.message}`).join('; '));
  }
}

type Record_ = { line: number; cells: string[] };

/**
 * RFC 4180 records (quoted cells may hold the delimiter, quotes doubled, and line breaks), each with the line
 * it starts on. The delimiter is `,`, or `;` when the header has semicolons and no comma (spreadsheets in
 * Spanish locales save so). A UTF-8 BOM is dropped; blank lines are skipped.
 */
export function readCsvRecords(text: string): Record_[] {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const headerEnd = source.search(/\r?\n/);
  const header = headerEnd === -1 ? source : source.slice(0, headerEnd);
  const delimiter = !header.includes(',') && header.includes(';') ? ';' : ',';
  const records: Record_[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let cellWasQuoted = false;
  const endRecord = () => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0] === '' && !cellWasQuoted)) records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
    cellWasQuoted = false;
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (quoted) {
      if (c === '"') {
        if (source[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"' && cell === '') {
      quoted = true;
      cellWasQuoted = true;
    } else if (c === delimiter) {
      cells.push(cell);
      cell = '';
      cellWasQuoted = false;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && source[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else cell += c;
  }
  if (quoted) {
    throw new BatchCsvError([
      { path: `line ${recordLine}`, message: 'a quoted cell is never closed', code: 'CSV_UNCLOSED_QUOTE' },
    ]);
  }
  if (cell !== '' || cells.length > 0 || cellWasQuoted) endRecord();
  return records;
}

/** Sets `value` at `path` inside `target`, creating objects and arrays on the way. */
function setPath(target: Record<string, unknown>, path: readonly (string | number)[], value: string): void {
  let node: Record<string | number, unknown> = target;
  for (let i = 0; i < path.length - 1; i++) {
    const part = path[i]!;
    const nextIsIndex = typeof path[i + 1] === 'number';
    node[part] ??= nextIsIndex ? [] : {};
    node = node[part] as Record<string | number, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

type Group = {
  reference: string;
  input: Record<string, unknown>;
  firstValues: Map<string, string>;
  lines: { first: number; items: number[] };
  errors: NonNullable<BatchEntry['errors']>;
};

/**
 * A CSV in the batch template → one entry per document reference, in order of first appearance. What breaks
 * the whole file (header, quoting, a line without reference, too many documents) throws BatchCsvError; what
 * breaks one document (a line with the wrong number of cells, a document value that differs from its first
 * line's) is that document's row error, at its line and column. Values stay text: the document's own
 * validation says what is wrong with them, on the field's path.
 */
export function parseBatchCsv(text: string): BatchEntry[] {
  const [header, ...records] = readCsvRecords(text);
  if (!header) throw new BatchCsvError([{ path: 'line 1', message: 'the file is empty', code: 'CSV_EMPTY' }]);
  const columns = headerColumns(header.cells.map((name) => name.trim()));
  const referenceAt = columns.findIndex((column) => column.name === REFERENCE_COLUMN);

  const groups = new Map<string, Group>();
  const missingReference: ErrorDetail[] = [];
  for (const record of records) {
    const reference = (record.cells[referenceAt] ?? '').trim();
    if (reference === '' || reference.length > 64) {
      missingReference.push({
        path: `line ${record.line}`,
        message:
          reference === '' ? 'the line has no reference' : 'the reference is longer than 64 characters',
        code: 'CSV_REFERENCE_INVALID',
      });
      continue;
    }
    let group = groups.get(reference);
    if (!group) {
      if (groups.size === MAX_BATCH_DOCUMENTS) {
        throw new BatchCsvError(
          [
            {
              path: 'documents',
              message: `more than ${MAX_BATCH_DOCUMENTS} documents`,
              code: 'BATCH_TOO_LARGE',
            },
          ],
          true,
        );
      }
      group = {
        reference,
        input: {},
        firstValues: new Map(),
        lines: { first: record.line, items: [] },
        errors: [],
      };
      groups.set(reference, group);
    }
    addLine(group, columns, record);
  }
  if (missingReference.length > 0) throw new BatchCsvError(missingReference.slice(0, 20));
  return [...groups.values()].map(({ reference, input, lines, errors }) => ({
    reference,
    input,
    lines,
    ...(errors.length > 0 && { errors }),
  }));
}

function headerColumns(names: string[]): TemplateColumn[] {
  const problems: ErrorDetail[] = [];
  const seen = new Set<string>();
  const columns = names.map((name, index) => {
    const column = TEMPLATE_COLUMNS.get(name);
    if (!column) {
      problems.push({
        path: `header[${index}]`,
        message: `"${name.slice(0, 40)}" is not a column of the template (factu batch template)`,
        code: 'CSV_UNKNOWN_COLUMN',
      });
    } else if (seen.has(name)) {
      problems.push({
        path: `header[${index}]`,
        message: `"${name}" appears twice`,
        code: 'CSV_DUPLICATE_COLUMN',
      });
    }
    seen.add(name);
    return column!;
  });
  if (!seen.has(REFERENCE_COLUMN)) {
    problems.push({
      path: 'header',
      message: `the "${REFERENCE_COLUMN}" column is required`,
      code: 'CSV_NO_REFERENCE',
    });
  }
  if (problems.length > 0) throw new BatchCsvError(problems);
  return columns;
}

function addLine(group: Group, columns: TemplateColumn[], record: Record_): void {
  if (record.cells.length !== columns.length) {
    group.errors.push({
      row: record.line,
      path: '(line)',
      message: `the line has ${record.cells.length} cells; the header has ${columns.length}`,
      code: 'CSV_CELL_COUNT',
    });
    return;
  }
  const itemIndex = group.lines.items.length;
  group.lines.items.push(record.line);
  const item: Record<string, unknown> = {};
  columns.forEach((column, index) => {
    const value = record.cells[index]!.trim();
    if (column.name === REFERENCE_COLUMN) return;
    if (column.level === 'item') {
      if (value !== '') setPath(item, column.path, value);
      return;
    }
    const first = group.firstValues.get(column.name);
    if (first === undefined) {
      group.firstValues.set(column.name, value);
      if (value !== '') setPath(group.input, column.path, value);
    } else if (value !== '' && value !== first) {
      group.errors.push({
        row: record.line,
        path: pathText(column.path),
        column: column.name,
        message: `differs from the document's first line (line ${group.lines.first}): "${first}"`,
        code: 'CSV_CONFLICTING_VALUE',
      });
    }
  });
  group.input.items ??= [];
  (group.input.items as unknown[])[itemIndex] = item;
}

/** The template: its header and a two-line example document (`factu batch template`). */
export function batchTemplateCsv(): string {
  const lines = [BATCH_TEMPLATE.map((column) => column.name)];
  for (let line = 0; line < 2; line++) {
    lines.push(
      BATCH_TEMPLATE.map((column) =>
        column.level === 'document' && column.name === REFERENCE_COLUMN
          ? column.example[0]!
          : column.example[line]!,
      ),
    );
  }
  return `${lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

function csvCell(value: string): string {
  return /[",\r\n;]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
