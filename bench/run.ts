/**
 * `npm run bench [-- --only <name>[,<name>…]] [-- --quick]`: runs every benchmark module present
 * (`bench/<name>.ts` exporting `run<Name>Bench()`), writes `bench/results/<name>.json` (date, machine,
 * numbers) and prints a table per module. A module that is not there yet is skipped with a note.
 *
 * A module should return a `BenchReport` (`{ results, tables }`, see `./stats`). A plain object is accepted
 * too: it is written as the results and printed as generic tables (one row per object of scalars).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BenchReport, formatTable, machineInfo, type Table } from './stats';

type BenchModule = { name: string; file: string; exportName: string };

const MODULES: BenchModule[] = [
  { name: 'fiscal', file: 'fiscal.ts', exportName: 'runFiscalBench' },
  { name: 'hka', file: 'hka.ts', exportName: 'runHkaBench' },
  { name: 'pipeline', file: 'pipeline.ts', exportName: 'runPipelineBench' },
  { name: 'burst', file: 'burst.ts', exportName: 'runBurstBench' },
  { name: 'batch', file: 'batch.ts', exportName: 'runBatchBench' },
  { name: 'cost', file: 'cost.ts', exportName: 'runCostBench' },
  { name: 'bundles', file: 'bundles.ts', exportName: 'runBundlesBench' },
  { name: 'authorizer', file: 'authorizer.ts', exportName: 'runAuthorizerBench' },
  { name: 'webhooks', file: 'webhooks.ts', exportName: 'runWebhooksBench' },
  { name: 'web', file: 'web.ts', exportName: 'runWebBench' },
];

const benchDirectory = new URL('./', import.meta.url);
const resultsDirectory = new URL('./results/', import.meta.url);

function isBenchReport(value: unknown): value is BenchReport {
  return (
    typeof value === 'object' &&
    value !== null &&
    'results' in value &&
    'tables' in value &&
    Array.isArray((value as BenchReport).tables)
  );
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const cellOf = (value: unknown): string =>
  typeof value === 'number'
    ? String(Number(value.toFixed(4)))
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);

/**
 * Tables for a module that returns plain results instead of a `BenchReport`: every object whose values are
 * all scalars becomes a row (named by its path), rows with the same keys share a table; remaining scalars
 * go to a key/value table.
 */
function genericTables(name: string, value: unknown): Table[] {
  const scalars: string[][] = [];
  const groups = new Map<string, { headers: string[]; rows: string[][] }>();
  const walk = (path: string, node: unknown) => {
    if (!isPlainObject(node)) {
      scalars.push([path || '(value)', cellOf(node)]);
      return;
    }
    const entries = Object.entries(node);
    const leaf =
      entries.length > 0 && entries.every(([, child]) => !isPlainObject(child) && !Array.isArray(child));
    if (leaf && path !== '') {
      const headers = entries.map(([key]) => key);
      const signature = headers.join('\u0000');
      const group = groups.get(signature) ?? { headers, rows: [] };
      group.rows.push([path, ...entries.map(([, child]) => cellOf(child))]);
      groups.set(signature, group);
      return;
    }
    for (const [key, child] of entries) walk(path ? `${path}.${key}` : key, child);
  };
  walk('', value);
  const tables: Table[] = [...groups.values()].map((group) => ({
    title: `${name}`,
    headers: ['', ...group.headers],
    rows: group.rows,
  }));
  if (scalars.length > 0) tables.unshift({ title: `${name}`, headers: ['key', 'value'], rows: scalars });
  return tables;
}

async function runModule(module: BenchModule, quick: boolean): Promise<'ran' | 'skipped' | 'failed'> {
  const url = new URL(module.file, benchDirectory);
  if (!existsSync(url)) {
    console.log(`\n[${module.name}] skipped: bench/${module.file} is not there (yet).`);
    return 'skipped';
  }
  console.log(`\n[${module.name}] running bench/${module.file}…`);
  const started = Date.now();
  const machine = machineInfo();
  try {
    const imported = (await import(url.href)) as Record<string, unknown>;
    const run = imported[module.exportName];
    if (typeof run !== 'function') {
      console.log(`[${module.name}] skipped: bench/${module.file} does not export ${module.exportName}().`);
      return 'skipped';
    }
    const output: unknown = await run({ quick });
    // A plain object is written as-is (its keys at the top level, next to date and machine).
    const report: BenchReport = isBenchReport(output)
      ? output
      : {
          results: isPlainObject(output) ? output : { value: output },
          tables: genericTables(module.name, output),
        };
    const file = {
      name: module.name,
      date: new Date().toISOString(),
      machine: { ...machine, loadAverageAfter: machineInfo().loadAverage },
      quick,
      elapsedSeconds: Number(((Date.now() - started) / 1000).toFixed(1)),
      ...report.results,
    };
    mkdirSync(resultsDirectory, { recursive: true });
    const path = new URL(`${module.name}.json`, resultsDirectory);
    writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
    console.log('');
    for (const table of report.tables) console.log(`${formatTable(table)}\n`);
    console.log(`[${module.name}] ${file.elapsedSeconds} s → ${fileURLToPath(path)}`);
    return 'ran';
  } catch (error) {
    console.error(`[${module.name}] failed:`, error);
    return 'failed';
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string', multiple: true },
      quick: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  const only = (values.only ?? []).flatMap((value) => value.split(',')).map((value) => value.trim());
  const unknown = only.filter((name) => !MODULES.some((m) => m.name === name));
  if (unknown.length > 0) {
    console.error(
      `unknown benchmark(s): ${unknown.join(', ')} (known: ${MODULES.map((m) => m.name).join(', ')})`,
    );
    process.exitCode = 2;
    return;
  }
  const selected = only.length > 0 ? MODULES.filter((m) => only.includes(m.name)) : MODULES;

  const machine = machineInfo();
  console.log(
    `factu benchmarks — node ${machine.node}, ${machine.cpuModel} × ${machine.cores}, ${machine.platform}/${machine.arch}`,
  );
  const outcomes: string[] = [];
  for (const module of selected) outcomes.push(await runModule(module, values.quick ?? false));
  if (outcomes.includes('failed')) process.exitCode = 1;
}

await main();
// A module may leave a handle open (a server, a socket pool); the results are written, so end here.
process.exit(process.exitCode ?? 0);
