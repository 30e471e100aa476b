/**
 * ReDoS guard: every regular expression applied to request data is checked with recheck, a linear-time
 * (automaton and fuzzing based) ReDoS checker; any pattern it finds vulnerable — or cannot decide — fails.
 *
 * Collected two ways, so a new pattern cannot slip past:
 * - every pattern inside the zod schemas of every API operation (params, query, body — the fiscal
 *   document model included), zod's own format patterns (e-mail, base64…) too;
 * - every regular-expression literal in the modules that read request data (validation, the fiscal
 *   rules, the HTTP middlewares, the services behind the routes), found by parsing their source.
 */
import { globSync, readFileSync } from 'node:fs';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { documentActionOperations, documentOperations, folioOperations } from '#shared/documents/api';
import { docsOperations } from '#shared/http/docs-operations';
import type { Operation } from '#shared/http/operation';
import { tenantOperations } from '#shared/tenancy/api';

// recheck's pure JavaScript checker: no native binary or JVM, the same verdicts everywhere.
process.env.RECHECK_BACKEND = 'pure';
const { check } = await import('recheck');

const ROOT = new URL('../../', import.meta.url);

/** Modules whose code runs on request data. */
const REQUEST_PATH_MODULES = [
  'shared/http/*.ts',
  'shared/fiscal/{model,email,text,amounts,panama-time,validate,violations,ruc-dv,cufe,codes,compute}.ts',
  'shared/fiscal/rules/*.ts',
  'shared/documents/{api,queries,issue,actions,issuer}.ts',
  'shared/tenancy/{api,provisioning,context,certificates,settings,branches}.ts',
  'shared/signing/p12.ts',
  'shared/data/{cursor,documents,idempotency,ids,keys}.ts',
];

type Pattern = { source: string; flags: string; from: string };

type Def = { type: string; [key: string]: unknown };
const defOf = (schema: unknown) => (schema as { _zod: { def: Def } })._zod.def;

/** The patterns of a zod schema tree: `.regex()` checks and the patterns of string formats. */
function zodPatterns(
  schema: z.ZodType | undefined,
  from: string,
  out: Pattern[],
  seen = new Set<unknown>(),
): void {
  if (!schema || seen.has(schema)) return;
  seen.add(schema);
  const def = defOf(schema);
  const add = (pattern: unknown) => {
    if (pattern instanceof RegExp) out.push({ source: pattern.source, flags: pattern.flags, from });
  };
  add(def.pattern);
  for (const check of (def.checks as Array<{ _zod: { def: Record<string, unknown> } }> | undefined) ?? []) {
    add(check._zod.def.pattern);
  }
  const children: unknown[] = [
    def.innerType,
    def.element,
    def.in,
    def.out,
    def.left,
    def.right,
    def.valueType,
    def.keyType,
    ...((def.options as unknown[] | undefined) ?? []),
    ...Object.values((def.shape as Record<string, unknown> | undefined) ?? {}),
  ];
  for (const child of children) if (child) zodPatterns(child as z.ZodType, from, out, seen);
}

/** Regular-expression literals (and `new RegExp('literal')`) in a TypeScript file. */
function literalPatterns(file: string, out: Pattern[]): void {
  const text = readFileSync(new URL(file, ROOT), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node) => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const literal = (node as ts.RegularExpressionLiteral).text;
      const end = literal.lastIndexOf('/');
      out.push({ source: literal.slice(1, end), flags: literal.slice(end + 1), from: file });
    }
    if (ts.isNewExpression(node) && node.expression.getText(source) === 'RegExp') {
      const [first] = node.arguments ?? [];
      if (!first || !ts.isStringLiteral(first)) {
        throw new Error(`${file}: a RegExp built from a non-literal cannot be checked; use a literal`);
      }
      out.push({ source: first.text, flags: '', from: file });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

function collect(): Pattern[] {
  const out: Pattern[] = [];
  const operations: Operation[] = [
    ...Object.values(documentOperations),
    ...Object.values(documentActionOperations),
    ...Object.values(folioOperations),
    ...Object.values(tenantOperations),
    ...Object.values(docsOperations),
  ];
  for (const operation of operations) {
    for (const part of ['params', 'query', 'body'] as const) {
      zodPatterns(operation[part], `${operation.operationId}.${part}`, out);
    }
  }
  const files = REQUEST_PATH_MODULES.flatMap((glob) => globSync(glob, { cwd: ROOT }));
  for (const file of files) literalPatterns(file, out);
  return out;
}

describe('ReDoS guard', () => {
  let patterns: Pattern[];
  beforeAll(() => {
    patterns = collect();
  });

  it('finds the patterns it is meant to check', () => {
    // Assess: a few known ones, so a broken collector cannot pass by checking nothing
    const sources = new Set(patterns.map((p) => p.source));
    expect(sources.has('^[0-9]{3,4}-[0-9]{4}$')).toBe(true); // the phone schema (zod)
    expect([...sources].some((s) => s.startsWith('^[0-9a-zA-Z#$%](?:'))).toBe(true); // the DGI e-mail (literal)
    expect([...sources].some((s) => s.includes('\\d{4}-\\d{2}-\\d{2}(?:T'))).toBe(true); // the date filter
    expect(new Set(patterns.map((p) => p.from)).size).toBeGreaterThan(20);
  });

  it('every pattern applied to request data is linear (recheck)', { timeout: 240_000 }, async () => {
    // Prepare
    const unique = new Map(patterns.map((p) => [`/${p.source}/${p.flags.replace(/[gy]/g, '')}`, p]));

    // Act
    const verdicts: string[] = [];
    for (const [literal, pattern] of unique) {
      const diagnostics = await check(pattern.source, pattern.flags.replace(/[gy]/g, ''), {
        timeout: 20_000,
      });
      if (diagnostics.status !== 'safe') {
        const attack =
          diagnostics.status === 'vulnerable'
            ? ` (${diagnostics.complexity.type}: ${diagnostics.attack.pattern})`
            : '';
        verdicts.push(`${literal} from ${pattern.from}: ${diagnostics.status}${attack}`);
      }
    }

    // Assess
    console.log(
      `[redos] ${unique.size} distinct patterns from ${patterns.length} uses checked; not linear: ${verdicts.length}`,
    );
    expect(verdicts).toEqual([]);
  });
});
