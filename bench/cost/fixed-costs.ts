/**
 * Monthly costs that do not follow the documents: the platform's (schedules running whether or not there
 * is work — their per-run usage measured — event source mappings polling their queues, keys, secrets,
 * alarms, all counted in the template) and each tenant's (its users in Cognito, its folio sync at the
 * schedule's rate, its items in the table), plus each imported signing key.
 */
import { BYTES_PER_GB, type CostLine } from './billing';
import { functionLines } from './document-lines';
import { cognitoMauPrice, PRICES, type Price } from './prices';
import type { CostTemplate, TemplateFunction } from './template-model';
import { type FunctionTotals, scaleTotals } from './totals';

export type FixedLine = {
  service: string;
  what: string;
  quantityPerMonth: number;
  unit: string;
  unitPriceUsd: number;
  usdPerMonth: number;
  priceUrl: string;
};

export function fixedLine(service: string, what: string, quantityPerMonth: number, price: Price): FixedLine {
  return {
    service,
    what,
    quantityPerMonth,
    unit: price.per,
    unitPriceUsd: price.usd,
    usdPerMonth: quantityPerMonth * price.usd,
    priceUrl: price.url,
  };
}

const fromCostLine = (line: CostLine, prefix: string): FixedLine => ({
  service: line.service,
  what: `${prefix}: ${line.what}`,
  quantityPerMonth: line.countPerDocument,
  unit: line.unit,
  unitPriceUsd: line.unitPriceUsd,
  usdPerMonth: line.usdPerThousandDocuments / 1000,
  priceUrl: line.priceUrl,
});

/** A function's usage per run, times the runs in a month, as monthly lines. */
export function scheduledFunctionLines(
  label: string,
  fn: TemplateFunction,
  totalsPerRun: FunctionTotals,
  runsPerMonth: number,
): FixedLine[] {
  return functionLines(fn.name, fn, scaleTotals(totalsPerRun, runsPerMonth), 1, 'month').map((line) =>
    fromCostLine(line, label),
  );
}

export type PlatformInput = {
  template: CostTemplate;
  /** Scheduled functions with their measured usage per run (an idle run for the re-drive sweep). */
  scheduled: Array<{
    label: string;
    functionName: string;
    totalsPerRun: FunctionTotals;
    runsPerMonth: number;
  }>;
  esm: { pollersPerMapping: number; longPollSeconds: number; hoursPerMonth: number };
};

export function platformFixedLines(input: PlatformInput): FixedLine[] {
  const { template } = input;
  const lines: FixedLine[] = [];
  for (const scheduled of input.scheduled) {
    const fn = template.functions.find((candidate) => candidate.name === scheduled.functionName);
    if (fn)
      lines.push(
        ...scheduledFunctionLines(scheduled.label, fn, scheduled.totalsPerRun, scheduled.runsPerMonth),
      );
  }
  const polls =
    template.eventSourceMappings.length *
    input.esm.pollersPerMapping *
    (3600 / input.esm.longPollSeconds) *
    input.esm.hoursPerMonth;
  if (polls > 0) {
    lines.push(
      fixedLine(
        'SQS',
        `event source mappings polling their queues (${template.eventSourceMappings.length} mappings × ${input.esm.pollersPerMapping} pollers, ${input.esm.longPollSeconds} s long polls)`,
        polls,
        PRICES.sqsRequest,
      ),
    );
  }
  lines.push(
    fixedLine(
      'KMS',
      `customer managed keys of the platform (${template.kmsKeys.map((key) => key.logicalId).join(', ')})`,
      template.kmsKeys.length,
      PRICES.kmsKeyMonth,
    ),
    fixedLine('Secrets Manager', 'secrets', template.secrets, PRICES.secretMonth),
    fixedLine('CloudWatch', 'alarms', template.alarms, PRICES.alarmMonth),
  );
  return lines.filter((line) => line.quantityPerMonth > 0);
}

export type TenantInput = {
  template: CostTemplate;
  mauPerTenant: number;
  /** The folio sync's usage per tenant per run, and how often it runs. */
  folioSync?: { functions: Record<string, FunctionTotals>; runsPerMonth: number };
  /** The tenant's own items in the table (profile, settings, credentials, branches, counters…), bytes. */
  tableBytes: number;
};

export function tenantFixedLines(input: TenantInput): FixedLine[] {
  const { template } = input;
  const tier = template.userPoolTiers[0];
  const lines: FixedLine[] = [
    fixedLine(
      'Cognito',
      `monthly active users (${input.mauPerTenant} per tenant, ${tier ?? 'ESSENTIALS'} plan from the template)`,
      input.mauPerTenant,
      cognitoMauPrice(tier),
    ),
  ];
  if (input.folioSync) {
    for (const [name, totals] of Object.entries(input.folioSync.functions)) {
      const fn = template.functions.find((candidate) => candidate.name === name);
      if (fn) {
        lines.push(
          ...scheduledFunctionLines(
            `folio sync ×${input.folioSync.runsPerMonth.toFixed(1)}/month`,
            fn,
            totals,
            input.folioSync.runsPerMonth,
          ),
        );
      }
    }
  }
  const gb = input.tableBytes / BYTES_PER_GB;
  lines.push(
    fixedLine(
      'DynamoDB',
      `storage of the tenant's items (${input.tableBytes} bytes)`,
      gb,
      PRICES.dynamodbStorage,
    ),
  );
  if (template.tables.some((table) => table.pointInTimeRecovery)) {
    lines.push(
      fixedLine('DynamoDB', "point-in-time recovery of the tenant's items", gb, PRICES.dynamodbPitr),
    );
  }
  return lines.filter((line) => line.quantityPerMonth > 0);
}

export const sumPerMonth = (lines: readonly FixedLine[]) =>
  lines.reduce((sum, line) => sum + line.usdPerMonth, 0);
