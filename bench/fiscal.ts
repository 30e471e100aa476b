/**
 * Fiscal-core benchmark: for a 1-item and a 50-item document, the median and p95 of every local step of
 * issuing — compute+validate, build the rFE XML, XSD validation, sign with a local key, verify the
 * signature, render the CAFE PDF — plus the machine's RSA-2048 signing floor (node:crypto signing 32 bytes)
 * and how far the 1-item signing path (compute+validate+build+sign) is above it.
 *
 * Also times a few splits of the hot paths (what part of a step is XML parsing, serialization, the RSA
 * operation…) so a miss can be attributed without a profiler. Everything is bounded in time: the whole
 * module runs in well under a minute on two cores.
 */

import { createPrivateKey, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DOMParser } from '@xmldom/xmldom';
import { create } from 'xmlbuilder2';
import { renderCafePdf, toCafeView } from '#shared/fiscal/cafe-pdf/index';
import { qrMatrix } from '#shared/fiscal/cafe-pdf/qr-matrix';
import type { ComputedDocument } from '#shared/fiscal/compute';
import { demoIssuer } from '#shared/fiscal/demo-issuer';
import { toHkaDocumento } from '#shared/fiscal/hka-documento';
import { documentInputSchema } from '#shared/fiscal/model';
import { buildQrUrl } from '#shared/fiscal/qr';
import type { RfeContext } from '#shared/fiscal/rfe-context';
import { buildRfeXml } from '#shared/fiscal/rfe-xml';
import { validateDocument } from '#shared/fiscal/validate';
import { RFE_SCHEMA, validateAgainst, validateRfeXml } from '#shared/fiscal/xsd';
import { LocalKeySigner } from '#shared/signing/local-key-signer';
import type { SigningIdentity } from '#shared/signing/signer';
import { generateTestCertificate } from '#shared/signing/test-certificate';
import { signRfeXml, signRfeXmlWithXmlCrypto, verifyRfeSignature } from '#shared/signing/xmldsig';
import { canonicalRfeBody } from '#shared/signing/xmldsig-canonical';
import {
  type BenchReport,
  formatMs,
  type Measurement,
  type MeasureOptions,
  measure,
  measureInterleaved,
  rounded,
  type Table,
} from './stats';

/** Targets from the issue. */
export const FISCAL_TARGETS = {
  signPathToFloorRatio1Item: { max: 3 },
  xsdValidationMedianMs: { max: 1 },
  pdfMedianMs: { max: 20 },
} as const;

/** The clock the example documents are valid at (examples/documents/README.md). */
const NOW = new Date('2026-11-22T12:00:00-05:00');
const BASE_EXAMPLE = new URL('../examples/documents/invoice-taxpayer.json', import.meta.url);

const ISSUER = demoIssuer;
const CONTEXT: RfeContext = {
  issuer: ISSUER,
  environment: '2',
  number: '0000000123',
  pointOfSale: '001',
  securityCode: '123456789',
};
const QR_SECRET = 'bench-qr-secret';

type DocumentInputJson = Record<string, unknown> & { items: Record<string, unknown>[] };

/** The 1-item base: the taxpayer invoice example with its first item only. */
function oneItemInput(): DocumentInputJson {
  const example = JSON.parse(readFileSync(BASE_EXAMPLE, 'utf8')) as DocumentInputJson;
  return withExactPayment({ ...example, items: example.items.slice(0, 1) });
}

const UNITS = ['und', 'm', 'kg', 'gal'];
const RATES = ['7', '7', '7', '0', '10', '15'];

/** The same invoice with 50 varied items (rates, units, discounts, 2..6-decimal prices, long texts). */
function fiftyItemInput(): DocumentInputJson {
  const base = oneItemInput();
  const items = Array.from({ length: 50 }, (_, i) => {
    const n = i + 1;
    const item: Record<string, unknown> = {
      description: `Artículo de inventario número ${n}: repuesto de mantenimiento preventivo, caja de ${n % 12} unidades`,
      code: `PRD-${String(n).padStart(4, '0')}`,
      unit: UNITS[i % UNITS.length],
      quantity: String((n % 7) + 1 + (n % 3 === 0 ? 0.5 : 0)),
      unitPrice: n % 5 === 0 ? `${n}.123456` : `${(n * 3.17).toFixed(2)}`,
      itbmsRate: RATES[i % RATES.length],
    };
    if (n % 4 === 0) item.unitDiscount = '0.50';
    return item;
  });
  return withExactPayment({ ...base, items });
}

/** The invoice with `count` varied items (the 50-item variant's pattern), for the scaling rows. */
function manyItemInput(count: number): DocumentInputJson {
  const base = oneItemInput();
  const items = Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    return {
      description: `Artículo de inventario número ${n}: repuesto de mantenimiento preventivo`,
      code: `PRD-${String(n).padStart(5, '0')}`,
      unit: UNITS[i % UNITS.length],
      quantity: String((n % 7) + 1),
      unitPrice: n % 5 === 0 ? `${n % 900}.123456` : `${((n % 300) * 3.17 + 1).toFixed(2)}`,
      itbmsRate: RATES[i % RATES.length],
    };
  });
  return withExactPayment({ ...base, items });
}

/** Item counts of the scaling rows; per-item time at the largest is judged against the 100-item figure. */
export const SCALING_ITEM_COUNTS = [1, 10, 100, 1000] as const;
const SCALING_MAX_RATIO_TO_100 = 1.5;

/**
 * The whole local fiscal path of one document — validate+compute, HKA documento, rFE XML, sign — for 1, 10,
 * 100 and 1,000 items: median ms per document and per item, and how much the process's peak RSS grew while
 * that size ran (run before the other steps and in ascending order, so each growth is what that size needed
 * beyond the smaller ones; the 1-item row also pays the modules' first use).
 */
async function scalingRows(identity: SigningIdentity, scale: number, quick: boolean) {
  const rows: Record<string, { msPerDocument: Measurement; usPerItem: number; peakRssGrowthMiB: number }> =
    {};
  for (const count of SCALING_ITEM_COUNTS) {
    const input = manyItemInput(count);
    const path = async () => {
      const document = mustValidate(input);
      toHkaDocumento(document, CONTEXT);
      const { xml, cufe } = buildRfeXml(document, CONTEXT);
      return signRfeXml(xml, identity, {
        qrUrl: (digestValue) =>
          buildQrUrl({ cufe, environment: CONTEXT.environment, digestValue, secret: QR_SECRET }),
      });
    };
    const rssBefore = process.resourceUsage().maxRSS;
    const msPerDocument = await measure(path, {
      warmup: count >= 1000 ? 3 : 10,
      maxTimeMs: 1500 * scale,
      minIterations: quick ? 5 : count >= 1000 ? 10 : 30,
      maxTotalMs: 6000 * scale + 2000,
    });
    rows[String(count)] = {
      msPerDocument,
      usPerItem: (msPerDocument.median * 1000) / count,
      peakRssGrowthMiB: (process.resourceUsage().maxRSS - rssBefore) / 1024,
    };
  }
  const ratio = rows['1000']!.usPerItem / rows['100']!.usPerItem;
  const ratioCpu = rows['1000']!.msPerDocument.cpu.median / 10 / rows['100']!.msPerDocument.cpu.median;
  return { rows, check: check(ratio, ratioCpu, SCALING_MAX_RATIO_TO_100, 'x') };
}

/** Sets the one payment to exactly the document total (computed by the fiscal core itself). */
function withExactPayment(input: DocumentInputJson): DocumentInputJson {
  const probe = { ...input, payments: [{ method: 'transfer', amount: '9999999.99' }] };
  const result = validateDocument(probe, { now: NOW });
  if (!result.ok) throw new Error(`bench document is invalid: ${JSON.stringify(result.violations)}`);
  return { ...input, payments: [{ method: 'transfer', amount: result.document.totals.total }] };
}

function mustValidate(input: unknown): ComputedDocument {
  const result = validateDocument(input, { now: NOW });
  if (!result.ok) throw new Error(`bench document is invalid: ${JSON.stringify(result.violations)}`);
  return result.document;
}

export type FiscalStep = 'computeValidate' | 'buildXml' | 'xsdValidation' | 'sign' | 'verify' | 'renderPdf';
const STEP_LABELS: Record<FiscalStep, string> = {
  computeValidate: 'compute+validate',
  buildXml: 'build XML',
  xsdValidation: 'XSD validation',
  sign: 'sign (local key)',
  verify: 'verify',
  renderPdf: 'render PDF',
};

export type FiscalBenchOptions = {
  /** Shorter sampling (for smoke runs): a fraction of the default time per measurement. */
  quick?: boolean;
  log?: (line: string) => void;
};

export async function runFiscalBench(options: FiscalBenchOptions = {}): Promise<BenchReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const scale = options.quick ? 0.2 : 1;
  const timing = (ms: number, extra: MeasureOptions = {}): MeasureOptions => ({
    warmup: 30,
    maxTimeMs: ms * scale,
    minIterations: options.quick ? 10 : 40,
    maxTotalMs: 4000 * scale + 1000,
    ...extra,
  });
  const started = Date.now();

  const certificate = generateTestCertificate({ ruc: ISSUER.ruc, dv: ISSUER.dv, name: ISSUER.name });
  const identity: SigningIdentity = {
    signer: new LocalKeySigner(certificate.privateKeyPem),
    certificatePem: certificate.certificatePem,
  };

  // First, while the process's peak RSS is still that of the fiscal path alone (the PDF steps raise it).
  log('fiscal: scaling, 1/10/100/1,000 items…');
  const scaling = await scalingRows(identity, scale, options.quick ?? false);

  const inputs = { oneItem: oneItemInput(), fiftyItems: fiftyItemInput() };
  const steps: Record<string, Record<FiscalStep, Measurement>> = {};
  const splits: Record<string, Record<string, Measurement>> = {};
  const sizes: Record<string, Record<string, number>> = {};
  const firstCalls: Record<string, Record<FiscalStep, number>> = {};

  for (const [size, input] of Object.entries(inputs)) {
    log(`fiscal: ${size} (${input.items.length} item(s))…`);
    // Every step works on a precomputed output of the previous one, so each timing is that step alone.
    // These first calls are timed too: for the 1-item document they are the cold calls of the process
    // (lazy imports, XSD compilation, pdfkit font metrics), what a Lambda cold start pays.
    const cold = {} as Record<FiscalStep, number>;
    const document = await timed(cold, 'computeValidate', () => mustValidate(input));
    const { xml, cufe } = await timed(cold, 'buildXml', () => buildRfeXml(document, CONTEXT));
    const qrUrl = (digestValue: string) =>
      buildQrUrl({ cufe, environment: CONTEXT.environment, digestValue, secret: QR_SECRET });
    const xsd = await timed(cold, 'xsdValidation', () => validateRfeXml(xml));
    if (!xsd.valid) throw new Error(`bench rFE fails the XSD: ${xsd.errors.join('; ')}`);
    const signed = await timed(cold, 'sign', () => signRfeXml(xml, identity, { qrUrl }));
    const verified = await timed(cold, 'verify', () =>
      verifyRfeSignature(signed.xml, identity.certificatePem),
    );
    if (!verified.valid) throw new Error(`bench signature does not verify: ${verified.reason}`);
    const authorization = {
      cufe,
      qr: qrUrl(signed.digestValue),
      protocol: '20261122000000000123',
      authorizedAt: document.issuedAt,
    };
    const view = toCafeView(document, CONTEXT, authorization);
    const pdf = await timed(cold, 'renderPdf', () => renderCafePdf(view));
    // Every real document has its own QR URL, and the renderer memoizes the last 16 QR symbols: cycle
    // through more distinct URLs than that so each timed render encodes its QR, as in production.
    const views = Array.from({ length: 64 }, (_, i) => ({
      ...view,
      qrUrl: qrUrl(`${signed.digestValue.slice(0, -8)}${String(i).padStart(7, '0')}=`),
    }));
    let nextView = 0;
    const renderFresh = () => renderCafePdf(views[nextView++ % views.length]!);
    firstCalls[size] = cold;
    sizes[size] = {
      items: input.items.length,
      unsignedXmlBytes: Buffer.byteLength(xml),
      signedXmlBytes: Buffer.byteLength(signed.xml),
      pdfBytes: pdf.length,
    };

    const heavier = size === 'fiftyItems' ? 1300 : 1000;
    steps[size] = {
      computeValidate: await measure(() => validateDocument(input, { now: NOW }), timing(heavier)),
      buildXml: await measure(() => buildRfeXml(document, CONTEXT), timing(heavier)),
      xsdValidation: await measure(() => validateRfeXml(xml), timing(heavier)),
      sign: await measure(() => signRfeXml(xml, identity, { qrUrl }), timing(heavier)),
      verify: await measure(() => verifyRfeSignature(signed.xml, identity.certificatePem), timing(heavier)),
      renderPdf: await measure(renderFresh, timing(1800)),
    };

    // Splits: parts of the steps above, timed through the same libraries the fiscal code calls.
    const publicKey = createPublicKey(identity.certificatePem);
    splits[size] = {
      'compute+validate › zod parse only': await measure(
        () => documentInputSchema.safeParse(input),
        timing(350),
      ),
      'XSD › libxml2 parse+validate only (signed XML, no placeholders)': await measure(
        () => validateAgainst(RFE_SCHEMA, signed.xml),
        timing(350),
      ),
      'XSD › xmlbuilder2 parse+serialize (placeholder step, DOM fallback only)': await measure(
        () => create(xml).end({ prettyPrint: false }),
        timing(350),
      ),
      'sign › canonical-form check (fast-path precondition)': await measure(
        () => canonicalRfeBody(xml),
        timing(250),
      ),
      'sign › xml-crypto path (fallback for non-canonical input)': await measure(
        () => signRfeXmlWithXmlCrypto(xml, identity, { qrUrl }),
        timing(350),
      ),
      'verify › xmldom parse of the signed XML': await measure(
        () => new DOMParser().parseFromString(signed.xml, 'text/xml'),
        timing(350),
      ),
      'sign › createPublicKey(certificate PEM)': await measure(
        () => createPublicKey(identity.certificatePem),
        timing(250),
      ),
      'sign › RSA verify of the signature (key check)': await measure(
        () => verify('sha256', Buffer.alloc(600, 1), publicKey, Buffer.alloc(256, 1)),
        timing(250),
      ),
      'PDF › toCafeView': await measure(() => toCafeView(document, CONTEXT, authorization), timing(250)),
      'PDF › QR symbol encode (qrcode, what the memo saves)': await measure(
        () => qrMatrix(views[nextView++ % views.length]!.qrUrl),
        timing(350),
      ),
      'PDF › render, QR memoized (same view every call)': await measure(
        () => renderCafePdf(view),
        timing(600),
      ),
      'PDF › render uncompressed (compress: false)': await measure(
        () => renderCafePdf(views[nextView++ % views.length]!, { compress: false }),
        timing(600),
      ),
      'PDF › render ticket layout': await measure(
        () => renderCafePdf(views[nextView++ % views.length]!, { layout: 'ticket' }),
        timing(600),
      ),
    };
  }

  // The floor: the bare RSA-2048 private-key operation (node:crypto signing 32 bytes), same key. It is
  // timed in alternation with the 1-item signing path (raw input → signed rFE) so that both see the same
  // machine conditions and their ratio does not drift with background load.
  log('fiscal: RSA-2048 floor vs the 1-item signing path…');
  const privateKey = createPrivateKey(certificate.privateKeyPem);
  const message = randomBytes(32);
  const oneItem = inputs.oneItem;
  const paired = await measureInterleaved(
    {
      floor: () => sign('sha256', message, privateKey),
      signPath: async () => {
        const result = validateDocument(oneItem, { now: NOW });
        if (!result.ok) throw new Error('invalid');
        const { xml, cufe } = buildRfeXml(result.document, CONTEXT);
        return signRfeXml(xml, identity, {
          qrUrl: (digestValue) =>
            buildQrUrl({ cufe, environment: CONTEXT.environment, digestValue, secret: QR_SECRET }),
        });
      },
    },
    timing(3000, { warmup: 50 }),
  );
  const { floor, signPath } = paired;

  const one = steps.oneItem!;
  const ratio = signPath.median / floor.median;
  const ratioCpu = signPath.cpu.median / floor.cpu.median;
  const sumOfMedians = one.computeValidate.median + one.buildXml.median + one.sign.median;
  const checks: Checks = {
    signPathToFloorRatio1Item: check(ratio, ratioCpu, FISCAL_TARGETS.signPathToFloorRatio1Item.max, 'x'),
    xsdValidationMedianMs: mapValues(steps, (s) =>
      check(
        s.xsdValidation.median,
        s.xsdValidation.cpu.median,
        FISCAL_TARGETS.xsdValidationMedianMs.max,
        'ms',
      ),
    ),
    pdfMedianMs: mapValues(steps, (s) =>
      check(s.renderPdf.median, s.renderPdf.cpu.median, FISCAL_TARGETS.pdfMedianMs.max, 'ms'),
    ),
  };

  const results = {
    description:
      'Milliseconds per call after warm-up. median/p95/… are wall-clock (hrtime); cpu.* are the same samples in process CPU time, which excludes waiting for a core (use it when machine.loadAverage exceeds the core count). Targets: `pass` judges the wall-clock median, `passOnCpuTime` the CPU-time median. coldFirstCallsMs1Item: the first call of each step in the process, 1-item document (cold: module init, XSD compilation, font metrics; compute+validate had run once before, to price the payment).',
    baseDocument: 'examples/documents/invoice-taxpayer.json (first item) and a generated 50-item variant',
    documents: sizes,
    targets: FISCAL_TARGETS,
    signPathToFloorRatio1Item: round(ratio, 3),
    signPathToFloorRatio1ItemOnCpuTime: round(ratioCpu, 3),
    rsa2048SignFloorMs: roundMeasurement(floor),
    signPath1ItemMs: roundMeasurement(signPath),
    signPath1ItemSumOfStepMediansMs: round(sumOfMedians, 4),
    checks,
    scaling: {
      description:
        'validate+compute → HKA documento → rFE XML → sign (local key), per document; usPerItem = median / items. Per-item time at 1,000 items is judged against the 100-item figure (ratio <= 1.5). On a shared, loaded machine absolute times are noisy: read the ratio (and its CPU-time twin), not the milliseconds. peakRssGrowthMiB: growth of the process peak RSS while that size ran.',
      ratio1000To100PerItem: scaling.check,
      rows: mapValues(scaling.rows, (row) => ({
        usPerItem: round(row.usPerItem, 2),
        peakRssGrowthMiB: round(row.peakRssGrowthMiB, 1),
        msPerDocument: roundMeasurement(row.msPerDocument),
      })),
    },
    steps: mapValues(steps, (s) => mapValues(s, roundMeasurement)),
    coldFirstCallsMs1Item: mapValues(firstCalls.oneItem ?? {}, (ms) => round(ms, 3)),
    splits: mapValues(splits, (s) => mapValues(s, roundMeasurement)),
    durationSeconds: round((Date.now() - started) / 1000, 1),
  };

  const scalingTable: Table = {
    title: 'Scaling of the fiscal path (validate → HKA documento → rFE XML → sign), per item',
    headers: ['items', 'ms/document', 'µs/item', 'cpu µs/item', 'peak RSS growth MiB'],
    rows: Object.entries(scaling.rows).map(([count, row]) => [
      count,
      formatMs(row.msPerDocument.median),
      row.usPerItem.toFixed(1),
      ((row.msPerDocument.cpu.median * 1000) / Number(count)).toFixed(1),
      row.peakRssGrowthMiB.toFixed(1),
    ]),
    notes: [
      `1,000 vs 100 items per item: ${scaling.check.value.toFixed(2)} x (cpu ${scaling.check.valueOnCpuTime.toFixed(2)} x), target ${scaling.check.target}: ${verdict(scaling.check)}`,
    ],
  };
  return {
    results,
    tables: [...tables(steps, firstCalls, splits, floor, signPath, checks), scalingTable],
  };
}

type Check = {
  value: number;
  valueOnCpuTime: number;
  target: string;
  pass: boolean;
  passOnCpuTime: boolean;
};
type Checks = {
  signPathToFloorRatio1Item: Check;
  xsdValidationMedianMs: Record<string, Check>;
  pdfMedianMs: Record<string, Check>;
};

function check(value: number, valueOnCpuTime: number, max: number, unit: string): Check {
  return {
    value: round(value, 4),
    valueOnCpuTime: round(valueOnCpuTime, 4),
    target: `<= ${max} ${unit}`,
    pass: value <= max,
    passOnCpuTime: valueOnCpuTime <= max,
  };
}

/** "ok", "MISS", or "MISS (cpu ok)" when only the wall clock (a loaded machine) misses. */
function verdict(c: Check | undefined): string {
  if (!c) return '';
  if (c.pass) return 'ok';
  return c.passOnCpuTime ? 'MISS (cpu ok)' : 'MISS';
}

function tables(
  steps: Record<string, Record<FiscalStep, Measurement>>,
  firstCalls: Record<string, Record<FiscalStep, number>>,
  splits: Record<string, Record<string, Measurement>>,
  floor: Measurement,
  signPath: Measurement,
  checks: Checks,
): Table[] {
  const one = steps.oneItem!;
  const fifty = steps.fiftyItems!;
  const flag = (step: FiscalStep, size: string): string => {
    if (step === 'xsdValidation') return verdict(checks.xsdValidationMedianMs[size]);
    if (step === 'renderPdf') return verdict(checks.pdfMedianMs[size]);
    return '';
  };
  const target = (step: FiscalStep): string =>
    step === 'xsdValidation'
      ? `med <= ${FISCAL_TARGETS.xsdValidationMedianMs.max} ms`
      : step === 'renderPdf'
        ? `med <= ${FISCAL_TARGETS.pdfMedianMs.max} ms`
        : '';
  const stepRows = (Object.keys(STEP_LABELS) as FiscalStep[]).map((step) => [
    STEP_LABELS[step],
    formatMs(one[step].median),
    formatMs(one[step].p95),
    formatMs(one[step].cpu.median),
    flag(step, 'oneItem'),
    formatMs(fifty[step].median),
    formatMs(fifty[step].p95),
    formatMs(fifty[step].cpu.median),
    flag(step, 'fiftyItems'),
    target(step),
    formatMs(firstCalls.oneItem?.[step] ?? Number.NaN),
  ]);
  const all = [...Object.values(one), ...Object.values(fifty)];
  const ratio = checks.signPathToFloorRatio1Item;
  return [
    {
      title: 'Fiscal core, ms per document after warm-up (med/p95: wall clock; cpu: CPU-time median)',
      headers: [
        'step',
        '1 item med',
        'p95',
        'cpu',
        '',
        '50 items med',
        'p95',
        'cpu',
        '',
        'target',
        '1st call',
      ],
      rows: stepRows,
      notes: [
        `samples per cell: ${Math.min(...all.map((m) => m.n))}..${Math.max(...all.map((m) => m.n))}; ` +
          '1st call: cold, first in the process (1 item)',
      ],
    },
    {
      title: 'Signing path vs the machine floor (measured in alternation)',
      headers: ['measure', 'median', 'p95', 'cpu', 'target', ''],
      rows: [
        [
          'RSA-2048 sign floor (node:crypto, 32 bytes)',
          formatMs(floor.median),
          formatMs(floor.p95),
          formatMs(floor.cpu.median),
          '',
          '',
        ],
        [
          '1-item compute+validate+build+sign',
          formatMs(signPath.median),
          formatMs(signPath.p95),
          formatMs(signPath.cpu.median),
          '',
          '',
        ],
        [
          'signPathToFloorRatio1Item',
          `${ratio.value.toFixed(2)} x`,
          '',
          `${ratio.valueOnCpuTime.toFixed(2)} x`,
          `<= ${FISCAL_TARGETS.signPathToFloorRatio1Item.max} x`,
          verdict(ratio),
        ],
      ],
    },
    {
      title: 'Splits (parts of the steps above), ms: wall median / CPU median',
      headers: ['split', '1 item', 'cpu', '50 items', 'cpu'],
      rows: Object.keys(splits.oneItem ?? {}).map((name) => [
        name,
        formatMs(splits.oneItem?.[name]?.median ?? Number.NaN),
        formatMs(splits.oneItem?.[name]?.cpu.median ?? Number.NaN),
        formatMs(splits.fiftyItems?.[name]?.median ?? Number.NaN),
        formatMs(splits.fiftyItems?.[name]?.cpu.median ?? Number.NaN),
      ]),
    },
  ];
}

/** Awaits `fn` and records its duration (ms) under `key`. */
async function timed<T>(into: Record<string, number>, key: string, fn: () => T | Promise<T>): Promise<T> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  into[key] = Number(process.hrtime.bigint() - t0) / 1e6;
  return value;
}

/** The JSON form of a measurement (`firstCall` dropped: here it follows the setup calls, so it is not cold). */
function roundMeasurement(m: Measurement) {
  return { ...rounded(m), cpu: rounded(m.cpu) };
}

function round(value: number, decimals: number): number {
  return Number(value.toFixed(decimals));
}

function mapValues<T, U>(record: Record<string, T>, fn: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, fn(value)]));
}
