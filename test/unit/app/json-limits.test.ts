/** The checks on a raw JSON body, and canonical JSON of any depth. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '#shared/data/idempotency';
import {
  exceedsBodyLimit,
  isJsonMediaType,
  jsonDepthExceeds,
  MAX_JSON_DEPTH,
} from '#shared/http/json-limits';

/** Nesting depth by walking the parsed value (the reference for the text scan). */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [current, depth] = stack.pop()!;
    if (current !== null && typeof current === 'object') {
      deepest = Math.max(deepest, depth + 1);
      for (const child of Object.values(current)) stack.push([child, depth + 1]);
    }
  }
  return deepest;
}

describe('JSON depth, from the text', () => {
  it('agrees with the parsed value for any JSON, strings full of brackets and escapes included', () => {
    // Prepare
    const tricky = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a', ' ') });
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        tricky,
        fc.jsonValue(),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(tricky, tie('value'), { maxKeys: 3 }),
      ),
    })).value;

    // Act & Assess
    fc.assert(
      fc.property(json, fc.integer({ min: 0, max: 8 }), (value, limit) => {
        const text = JSON.stringify(value);
        expect(jsonDepthExceeds(text, limit)).toBe(depthOf(value) > limit);
      }),
      { numRuns: 3000 },
    );
  });

  it('stops at the limit on 10,000 levels, and allows exactly the limit', () => {
    // Act & Assess
    expect(jsonDepthExceeds(`${'['.repeat(10_000)}${']'.repeat(10_000)}`)).toBe(true);
    expect(jsonDepthExceeds(`${'{"a":'.repeat(MAX_JSON_DEPTH)}1${'}'.repeat(MAX_JSON_DEPTH)}`)).toBe(false);
    expect(jsonDepthExceeds(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`)).toBe(true);
  });
});

describe('body size', () => {
  it('counts UTF-8 bytes, not characters', () => {
    // Act & Assess: "ñ" is two bytes
    expect(exceedsBodyLimit('ñ'.repeat(6), 12)).toBe(false);
    expect(exceedsBodyLimit('ñ'.repeat(7), 12)).toBe(true);
    expect(exceedsBodyLimit('a'.repeat(13), 12)).toBe(true);
  });
});

describe('JSON media types', () => {
  it.each([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['APPLICATION/JSON;CHARSET="UTF-8"', true],
    ['application/problem+json', true],
    ['application/json; version=2', true],
    ['application/json; charset=utf-16', false],
    ['application/+json', false],
    ['application/jsonx', false],
    ['text/json', false],
    ['text/plain', false],
    ['application/x-www-form-urlencoded', false],
    ['', false],
  ])('%j is JSON: %s', (contentType, json) => {
    expect(isJsonMediaType(contentType)).toBe(json);
  });
});

describe('canonical JSON', () => {
  it('sorts keys at every level and drops undefined members, as before', () => {
    // Act & Assess
    expect(canonicalJson({ b: [1, { d: 1, c: undefined, a: 'x' }], a: null })).toBe(
      '{"a":null,"b":[1,{"a":"x","d":1}]}',
    );
    expect(canonicalJson({ b: 2, a: 1 })).toBe(canonicalJson({ a: 1, b: 2 }));
  });

  it('writes exactly what the recursive definition writes, for any JSON value', () => {
    // Prepare: the recursive definition (fine at fast-check's depths)
    const recursive = (value: unknown): string => {
      if (Array.isArray(value)) return `[${value.map(recursive).join(',')}]`;
      if (value && typeof value === 'object') {
        const record = value as Record<string, unknown>;
        const members = Object.keys(record)
          .sort()
          .filter((k) => record[k] !== undefined)
          .map((k) => `${JSON.stringify(k)}:${recursive(record[k])}`);
        return `{${members.join(',')}}`;
      }
      return JSON.stringify(value) ?? 'null';
    };

    // Act & Assess
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(recursive(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('handles 1,000,000 levels without a stack overflow', () => {
    // Prepare
    let value: unknown = 'x';
    for (let i = 0; i < 1_000_000; i++) value = { a: value };

    // Act & Assess
    expect(canonicalJson(value)).toHaveLength(1_000_000 * 6 + 3);
  });
});
