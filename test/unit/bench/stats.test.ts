import { describe, expect, it } from 'vitest';
import {
  formatMs,
  formatTable,
  measure,
  measureInterleaved,
  percentile,
  summarize,
} from '../../../bench/stats';

describe('percentile', () => {
  it('interpolates linearly between the closest ranks', () => {
    // Arrange
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    // Act & Assess
    expect(percentile(sorted, 50)).toBe(5.5);
    expect(percentile(sorted, 95)).toBeCloseTo(9.55, 10);
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile(sorted, 100)).toBe(10);
  });

  it('handles one value and no values', () => {
    // Act & Assess
    expect(percentile([42], 95)).toBe(42);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('summarize', () => {
  it('sorts the samples itself and reports n, min, median, p95, mean, max', () => {
    // Arrange
    const samples = [5, 1, 4, 2, 3];

    // Act
    const summary = summarize(samples);

    // Assess
    expect(summary).toMatchObject({ n: 5, min: 1, median: 3, mean: 3, max: 5 });
    expect(summary.p95).toBeCloseTo(4.8, 10);
    expect(samples).toEqual([5, 1, 4, 2, 3]);
  });
});

describe('measure', () => {
  it('takes at least minIterations samples in wall and CPU time', async () => {
    // Arrange
    let calls = 0;
    const fn = () => {
      calls++;
    };

    // Act
    const result = await measure(fn, { warmup: 2, minIterations: 5, maxIterations: 5, maxTimeMs: 0 });

    // Assess
    expect(result.n).toBe(5);
    expect(result.cpu.n).toBe(5);
    expect(calls).toBe(2 + 5);
    expect(result.median).toBeGreaterThanOrEqual(0);
    expect(result.firstCall).toBeGreaterThanOrEqual(0);
  });

  it('alternates interleaved functions and samples each the same number of times', async () => {
    // Arrange
    const order: string[] = [];

    // Act
    const result = await measureInterleaved(
      { a: () => order.push('a'), b: async () => order.push('b') },
      { warmup: 1, minIterations: 3, maxIterations: 3, maxTimeMs: 0 },
    );

    // Assess
    expect(order).toEqual(['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']);
    expect(result.a.n).toBe(3);
    expect(result.b.n).toBe(3);
  });
});

describe('formatting', () => {
  it('scales the precision of milliseconds to their magnitude', () => {
    // Act & Assess
    expect(formatMs(0.01234)).toBe('0.0123');
    expect(formatMs(1.23456)).toBe('1.235');
    expect(formatMs(12.3456)).toBe('12.35');
    expect(formatMs(123.456)).toBe('123.5');
    expect(formatMs(Number.NaN)).toBe('–');
  });

  it('pads columns, right-aligns numbers and appends notes', () => {
    // Act
    const text = formatTable({
      title: 'T',
      headers: ['step', 'median'],
      rows: [
        ['sign', '1.5'],
        ['render PDF', '12.25'],
      ],
      notes: ['n = 2'],
    });

    // Assess
    expect(text.split('\n')).toEqual([
      'T',
      'step        median',
      '----------  ------',
      'sign           1.5',
      'render PDF   12.25',
      '  n = 2',
    ]);
  });
});
