/**
 * Text that reaches an rFE or HKA's documento: characters XML 1.0 cannot carry are refused with a
 * violation on every field that holds one, and the XML writers refuse to write them anyway. Catalogue
 * lookups never answer from an object's prototype.
 */
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { toHkaDocumento } from '#shared/fiscal/hka-documento';
import { documentInputSchema } from '#shared/fiscal/model';
import { buildRfeXml } from '#shared/fiscal/rfe-xml';
import { XmlCharacterError } from '#shared/fiscal/text';
import { validateRfeXml } from '#shared/fiscal/xsd';
import { demoContext } from './support/demo-issuer';
import { invoice, taxpayerReceiver } from './support/documents';
import { paths, validate, violationsOf } from './support/violations';

type Def = { type: string; [key: string]: unknown };
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Every string schema in the document model with its path (`items[].description`), by walking the schema. */
function stringLeaves(schema: z.ZodType, path: string, out: Array<[string, z.ZodType]>): void {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      out.push([path, schema]);
      return;
    case 'object':
      for (const [key, child] of Object.entries(def.shape as Record<string, z.ZodType>)) {
        stringLeaves(child, path ? `${path}.${key}` : key, out);
      }
      return;
    case 'array':
      stringLeaves(def.element as z.ZodType, `${path}[]`, out);
      return;
    case 'optional':
    case 'default':
    case 'nullable':
      stringLeaves(def.innerType as z.ZodType, path, out);
      return;
    case 'union':
      for (const option of def.options as z.ZodType[]) stringLeaves(option, path, out);
      return;
    case 'pipe':
      stringLeaves(def.in as z.ZodType, path, out);
      return;
    default:
      // enums, numbers, literals, transforms of numbers: no free text
      return;
  }
}

describe('XML-invalid characters', () => {
  it('every text field of the document model refuses each character XML forbids', () => {
    // Prepare: the model's string schemas, found by walking it (a new unchecked field fails this test)
    const leaves: Array<[string, z.ZodType]> = [];
    stringLeaves(documentInputSchema, '', leaves);
    const forbidden = [
      '\u0000',
      '\u0001',
      '\u0008',
      '\u000B',
      '\u000C',
      '\u001F',
      '\uFFFE',
      '\uFFFF',
      '\uD800',
      '\uDC00',
    ];

    // Act: a value that would otherwise be long enough for any field, with one forbidden character in it
    const accepted = leaves.flatMap(([path, schema]) =>
      forbidden
        .filter(
          (character) =>
            schema.safeParse(`${'A'.repeat(40)}${character}${'B'.repeat(40)}`.slice(0, 66)).success,
        )
        .map((character) => `${path} accepts U+${character.charCodeAt(0).toString(16)}`),
    );

    // Assess
    expect(leaves.length).toBeGreaterThan(25);
    expect(accepted).toEqual([]);
  });

  it('answers one violation per offending field, naming the character and where it is', () => {
    // Prepare
    const raw = invoice({
      remarks: 'Entrega\u0007 en tienda',
      receiver: { ...taxpayerReceiver, name: 'DISTRIBUIDORA\u0000 EJEMPLO' },
      items: [
        { description: 'Servicio \uD800 de prueba', quantity: '1', unitPrice: '100.00', itbmsRate: '7' },
      ],
    });

    // Act
    const violations = violationsOf(raw);

    // Assess
    expect(paths(violations).sort()).toEqual(['items[0].description', 'receiver.name', 'remarks']);
    expect(violations.find((v) => v.path === 'receiver.name')?.message).toBe(
      'contains a character that XML does not allow (U+0000 at position 14)',
    );
    expect(violations.find((v) => v.path === 'items[0].description')?.message).toContain('U+D800');
  });

  it('keeps what XML allows: tab, line breaks, astral characters (a surrogate pair), accents', () => {
    // Prepare
    const raw = invoice({
      remarks: 'Línea 1\r\nLínea 2\tfin 😀',
      items: [{ description: 'Café ñandú 🇵🇦', quantity: '1', unitPrice: '100.00', itbmsRate: '7' }],
    });

    // Act
    const result = validate(raw);

    // Assess
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { xml } = buildRfeXml(result.document, demoContext);
    expect(validateRfeXml(xml)).toEqual({ valid: true });
  });

  it('the rFE builder and the HKA documento refuse to write such text even if it got past the model', () => {
    // Prepare: a computed document altered after validation
    const result = validate(invoice());
    if (!result.ok) throw new Error('fixture invalid');
    const doc = structuredClone(result.document);
    doc.items[0]!.description = 'Servicio\u0002';

    // Act & Assess
    expect(() => buildRfeXml(doc, demoContext)).toThrow(XmlCharacterError);
    expect(() => buildRfeXml(doc, demoContext)).toThrow(/dDescProd .*U\+0002/);
    expect(() => toHkaDocumento(doc, demoContext)).toThrow(/descripcion .*U\+0002/);
  });
});

describe('catalogue lookups on client values', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])(
    'an ITBMS rate of %j is a violation of items[0].itbmsRate, not an exception',
    (rate) => {
      // Prepare
      const raw = invoice({
        items: [{ description: 'Servicio de prueba', quantity: '1', unitPrice: '100.00', itbmsRate: rate }],
      });

      // Act
      const violations = violationsOf(raw);

      // Assess
      expect(violations).toEqual([
        expect.objectContaining({
          path: 'items[0].itbmsRate',
          message: expect.stringMatching(/0, 7, 10 or 15/),
        }),
      ]);
    },
  );

  it('prototype keys are refused by every friendly-name field too', () => {
    // Act
    const violations = violationsOf(
      invoice({
        type: 'constructor' as never,
        emissionType: '__proto__' as never,
        payments: [{ method: 'toString' as never, amount: '107.00' }],
      }),
    );

    // Assess
    expect(paths(violations)).toEqual(expect.arrayContaining(['type', 'emissionType', 'payments[0].method']));
  });
});
