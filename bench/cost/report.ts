/**
 * The printed tables of the cost bench: per scenario the total per 1,000 documents against the goal and
 * its largest lines, the fixed costs, and the optional lines.
 */
import type { Table } from '../stats';
import { type CostLine, totalPerThousand } from './billing';
import type { FixedLine } from './fixed-costs';

export const usd = (value: number, digits = 4) => `$${value.toFixed(digits)}`;

export type ScenarioSummary = { key: string; goalUsd: number; lines: CostLine[] };

export function scenarioTable(summaries: ScenarioSummary[], top = 5): Table {
  const rows: string[][] = [];
  for (const summary of summaries) {
    const total = totalPerThousand(summary.lines);
    rows.push([
      summary.key,
      usd(total),
      usd(summary.goalUsd, 2),
      total <= summary.goalUsd ? 'within' : 'OVER',
      '',
    ]);
    const sorted = [...summary.lines].sort((a, b) => b.usdPerThousandDocuments - a.usdPerThousandDocuments);
    for (const line of sorted.slice(0, top)) {
      rows.push([
        `  ${line.service}`,
        usd(line.usdPerThousandDocuments),
        '',
        `${((100 * line.usdPerThousandDocuments) / (total || 1)).toFixed(0)}%`,
        line.what,
      ]);
    }
  }
  return {
    title:
      'AWS cost per 1,000 documents (us-east-1 list prices, counted on the local cloud), top lines per scenario',
    headers: ['scenario / service', '$ / 1,000 docs', 'goal', 'share', 'line'],
    rows,
    notes: [
      'e-mail delivery (SES, its queue and function) is billed only for documents with receiver addresses: see the optional lines',
    ],
  };
}

export function fixedTable(title: string, lines: FixedLine[], total: number, goalUsd?: number): Table {
  return {
    title,
    headers: ['service', '$ / month', 'quantity', 'unit', 'line'],
    rows: [
      ...[...lines]
        .sort((a, b) => b.usdPerMonth - a.usdPerMonth)
        .map((line) => [
          line.service,
          usd(line.usdPerMonth),
          Number(line.quantityPerMonth.toPrecision(4)).toString(),
          line.unit,
          line.what,
        ]),
      ['total', usd(total), '', '', goalUsd !== undefined ? `goal ${usd(goalUsd, 2)}` : ''],
    ],
  };
}

export function optionalTable(rows: Array<{ what: string; usd: number; per: string }>): Table {
  return {
    title: 'Optional lines (not in the per-document totals)',
    headers: ['what', '$', 'per'],
    rows: rows.map((row) => [row.what, usd(row.usd), row.per]),
  };
}
