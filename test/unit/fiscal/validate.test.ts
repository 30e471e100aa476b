import { describe, expect, it } from 'vitest';
import { computeDocument } from '#shared/fiscal/compute';
import { documentInputSchema } from '#shared/fiscal/model';
import { checkCancellationWindow } from '#shared/fiscal/validate';
import { EXAMPLES_NOW, invoice, taxpayerReceiver } from './support/documents';
import { paths, validate, violationsOf } from './support/violations';

describe('validateDocument — schema', () => {
  it('accepts a valid invoice and returns the computed document', () => {
    // Act
    const result = validate(invoice());

    // Assess
    expect(result.ok).toBe(true);
    expect(result.ok && result.document.totals.total).toBe('107.00');
  });

  it('maps schema issues to paths such as items[0].quantity and reports them all at once', () => {
    // Prepare
    const raw = invoice({
      items: [
        { description: 'X', quantity: '-1', unitPrice: 'abc', itbmsRate: '8' },
        { description: 'Bien', quantity: '1.1234567', unitPrice: '1', itbmsRate: '7', unit: 'UND' },
      ],
    });

    // Act
    const violations = violationsOf(raw);

    // Assess
    expect(paths(violations)).toEqual(
      expect.arrayContaining([
        'items[0].description',
        'items[0].quantity',
        'items[0].unitPrice',
        'items[0].itbmsRate',
        'items[1].quantity',
        'items[1].unit',
      ]),
    );
    expect(violations.find((v) => v.path === 'items[1].quantity')?.message).toBe(
      'must have at most 6 decimals',
    );
    expect(violations.find((v) => v.path === 'items[1].unit')?.message).toMatch(/case-sensitive/);
  });

  it('says "is required" for missing fields and flags unknown fields by name', () => {
    // Prepare
    const { payments: _payments, ...withoutPayments } = invoice();
    const raw = { ...withoutPayments, reciever: {} };

    // Act
    const violations = violationsOf(raw);

    // Assess
    expect(violations).toEqual(
      expect.arrayContaining([
        { path: 'payments', message: 'is required', code: 'SCHEMA', severity: 'error' },
        { path: 'reciever', message: 'is not a known field', code: 'UNKNOWN_FIELD', severity: 'error' },
      ]),
    );
  });

  it('tells a wrong type from a missing field', () => {
    // Prepare
    const raw = invoice({
      remarks: 7 as unknown as string,
      items: [{ description: 'Bien', quantity: true, itbmsRate: '7' } as never],
    });

    // Act
    const violations = violationsOf(raw);

    // Assess
    expect(violations).toEqual([
      {
        path: 'remarks',
        message: 'Invalid input: expected string, received number',
        code: 'SCHEMA',
        severity: 'error',
      },
      {
        path: 'items[0].quantity',
        message: 'must be a decimal number such as "12.50"',
        code: 'SCHEMA',
        severity: 'error',
      },
      { path: 'items[0].unitPrice', message: 'is required', code: 'SCHEMA', severity: 'error' },
    ]);
  });

  it('accepts numbers for money and converts them exactly', () => {
    // Prepare
    const raw = invoice({
      items: [{ description: 'Café', quantity: 3, unitPrice: 0.1, itbmsRate: 7 }],
      payments: [{ method: 'cash', amount: 0.32 }],
    });

    // Act
    const result = validate(raw);

    // Assess: 3 × 0.1 = 0.30 exactly (0.30000000000000004 in floats), ITBMS 0.021 → 0.02
    expect(result.ok && result.document.totals).toMatchObject({ net: '0.30', itbms: '0.02', total: '0.32' });
  });

  it.each([
    ['items', 1001, 'items'],
    ['payments', 11, 'payments'],
    ['discounts', 6, 'discounts'],
  ] as const)('enforces the limit on %s', (field, count, path) => {
    // Prepare
    const element =
      field === 'items'
        ? { description: 'Item', quantity: '1', unitPrice: '1', itbmsRate: '0' }
        : field === 'payments'
          ? { method: 'cash', amount: '1' }
          : { description: 'Promo', amount: '0.01' };
    const raw = invoice({ [field]: Array.from({ length: count }, () => element) });

    // Act
    const violations = violationsOf(raw);

    // Assess
    expect(paths(violations)).toContain(path);
  });

  it('enforces lengths (description 2..500 from the XSD, receiver name ≤ 200 from the HKA field table)', () => {
    // Prepare
    const raw = invoice({
      items: [{ description: 'x'.repeat(501), quantity: '1', unitPrice: '1', itbmsRate: '0' }],
    });
    (raw.receiver as { name: string }).name = 'N'.repeat(201);

    // Act
    const violations = violationsOf(raw);

    // Assess
    expect(paths(violations)).toEqual(expect.arrayContaining(['items[0].description', 'receiver.name']));
  });

  it('reports rule violations of different areas together', () => {
    // Prepare
    const raw = invoice({
      type: 'credit-note',
      destination: 'abroad',
      receiver: { type: 'taxpayer', country: 'PA' },
      payments: [{ method: 'cash', amount: '1.00' }],
    });

    // Act
    const violations = violationsOf(raw);

    // Assess
    expect(paths(violations)).toEqual(
      expect.arrayContaining([
        'receiver.country',
        'receiver.ruc',
        'receiver.dv',
        'receiver.name',
        'references',
        'payments',
      ]),
    );
  });
});

describe('validateDocument — rules alongside schema errors', () => {
  const item = { description: 'Servicio de prueba', quantity: '1', unitPrice: '100.00', itbmsRate: '7' };

  it('reports a malformed item and a wrong receiver DV in one answer, schema first', () => {
    // Prepare
    const raw = invoice({
      receiver: { ...taxpayerReceiver, dv: '21' },
      items: [item, { ...item, quantity: 'abc' }],
    });

    // Act
    const violations = violationsOf(raw);

    // Assess
    expect(violations).toEqual([
      {
        path: 'items[1].quantity',
        message: 'must be a decimal number such as "12.50"',
        code: 'SCHEMA',
        severity: 'error',
      },
      expect.objectContaining({ path: 'receiver.dv', ruleId: 'receiver.ruc-dv' }),
    ]);
  });

  it('runs the receiver and item rules when only an unrelated payment field is malformed', () => {
    // Prepare: government receiver without CPBS, a discount above the price, a broken payment amount.
    const raw = invoice({
      receiver: { ...taxpayerReceiver, type: 'government' },
      items: [{ ...item, unitDiscount: '150' }],
      payments: [{ method: 'other', amount: 'x' }],
    });

    // Act
    const violations = violationsOf(raw);

    // Assess: the payment rule (description required for "other") reads a broken section: skipped.
    expect(violations).toEqual([
      expect.objectContaining({ path: 'payments[0].amount', code: 'SCHEMA' }),
      expect.objectContaining({ path: 'items[0].unitDiscount', code: 'DISCOUNT_EXCEEDS_PRICE' }),
      expect.objectContaining({ path: 'items[0].cpbs', ruleId: 'receiver.government-cpbs' }),
    ]);
  });

  it('skips every rule that reads a malformed receiver but still runs the item rules', () => {
    // Prepare: malformed DV format, final consumer with a juridical RUC, an invoice going abroad.
    const raw = invoice({
      receiver: { type: 'final-consumer', rucType: '2', ruc: '2588017-1-831938', dv: '2' },
      destination: 'abroad',
      items: [{ ...item, unitDiscount: '150' }],
    });

    // Act
    const violations = violationsOf(raw);

    // Assess
    expect(violations).toEqual([
      { path: 'receiver.dv', message: 'must be exactly 2 digits', code: 'SCHEMA', severity: 'error' },
      expect.objectContaining({ path: 'items[0].unitDiscount', code: 'DISCOUNT_EXCEEDS_PRICE' }),
      // The destination rule reads no receiver, so it still runs.
      expect.objectContaining({ path: 'destination', ruleId: 'document-type.destination' }),
    ]);
  });

  it('does not echo a schema error with a rule violation on the same section', () => {
    // Prepare: contingency emission whose contingency block is malformed (reason too short).
    const raw = invoice({
      emissionType: 'contingency',
      contingency: { startedAt: '2026-11-22T09:00:00-05:00', reason: 'corto' },
    });

    // Act
    const violations = violationsOf(raw);

    // Assess: no "contingency is required" on top of the schema error.
    expect(paths(violations)).toEqual(['contingency.reason']);
  });

  it('applies section defaults: a malformed section elsewhere does not break the contingency rule', () => {
    // Prepare: emissionType defaults to "normal", so contingency data is not allowed.
    const raw = invoice({
      contingency: { startedAt: '2026-11-22T09:00:00-05:00', reason: 'Caída del servicio del PAC' },
      payments: [{ method: 'cash', amount: '-1' }],
    });

    // Act
    const violations = violationsOf(raw);

    // Assess
    expect(violations).toEqual([
      { path: 'payments[0].amount', message: 'must not be negative', code: 'SCHEMA', severity: 'error' },
      expect.objectContaining({ path: 'contingency.startedAt', ruleId: 'contingency.fields' }),
      expect.objectContaining({ path: 'contingency.reason', ruleId: 'contingency.fields' }),
    ]);
  });

  it('reports only the schema violation for an input that is not an object', () => {
    // Act & Assess
    expect(violationsOf('nope')).toEqual([expect.objectContaining({ path: '(document)', code: 'SCHEMA' })]);
  });

  it('returns exactly the computed document when the schema and every rule pass', () => {
    // Prepare
    const raw = invoice();

    // Act
    const result = validate(raw);

    // Assess
    expect(result).toEqual({
      ok: true,
      document: computeDocument(documentInputSchema.parse(raw), { now: EXAMPLES_NOW }),
      warnings: [],
    });
  });

  it('keeps the document schema a plain object, so each section can be parsed on its own', () => {
    // Assess: a top-level refinement or transform would be bypassed by the per-section parse.
    expect(documentInputSchema._zod.def.type).toBe('object');
    expect(documentInputSchema._zod.def.checks ?? []).toEqual([]);
  });
});

describe('checkCancellationWindow', () => {
  const authorizedAt = new Date('2026-11-01T10:00:00-05:00');

  it('allows a cancellation within 7 days', () => {
    // Act & Assess
    expect(checkCancellationWindow(authorizedAt, new Date('2026-11-08T10:00:00-05:00'))).toEqual({
      allowed: true,
    });
  });

  it('refuses it after 7 days and points to a credit note', () => {
    // Act
    const result = checkCancellationWindow(authorizedAt, new Date('2026-11-08T10:00:01-05:00'));

    // Assess
    expect(result.allowed).toBe(false);
    expect(!result.allowed && result.reason).toMatch(/credit note/);
  });
});
