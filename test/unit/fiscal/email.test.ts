/**
 * E-mail addresses: checked in linear time, bounded (RFC 5321), and — for addresses written into an rFE —
 * exactly the language of the DGI XSD's `emailType`, as libxml2 reads that pattern.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { XmlDocument, XsdValidator } from 'libxml2-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { dgiEmailSchema, isDgiEmail, mailboxSchema } from '#shared/fiscal/email';
import { invoice, taxpayerReceiver } from './support/documents';
import { validate } from './support/violations';

/** The `emailType` pattern exactly as the DGI schema shipped with the product writes it. */
function xsdEmailPattern(): string {
  const xsd = readFileSync(new URL('../../../shared/fiscal/xsd/FE_v1.00.xsd', import.meta.url), 'utf8');
  const match = /<xs:simpleType name="emailType">[\s\S]*?<xs:pattern value="([^"]*)"/.exec(xsd);
  if (!match) throw new Error('emailType not found in FE_v1.00.xsd');
  return match[1]!;
}

const schemaDoc = XmlDocument.fromString(
  `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="e"><xs:simpleType>` +
    `<xs:restriction base="xs:string"><xs:pattern value="${xsdEmailPattern()}"/></xs:restriction>` +
    `</xs:simpleType></xs:element></xs:schema>`,
);
const emailType = XsdValidator.fromDoc(schemaDoc);
afterAll(() => {
  emailType.dispose();
  schemaDoc.dispose();
});

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** What libxml2 says of `address` as an `emailType` value. */
function libxml2Accepts(address: string): boolean {
  const doc = XmlDocument.fromString(`<e>${escapeXml(address)}</e>`);
  try {
    emailType.validate(doc);
    return true;
  } catch {
    return false;
  } finally {
    doc.dispose();
  }
}

const elapsedMs = (run: () => void) => {
  const start = performance.now();
  run();
  return performance.now() - start;
};

describe('e-mail addresses', () => {
  it('checks the address that backtracked for 20 s in linear time, and refuses it', () => {
    // Prepare: 37 characters took the old pattern past the Lambda timeout; 100,000 must be as quick
    const attacks = [`${'a'.repeat(36)}!`, `${'a'.repeat(100_000)}!`, `#${'.AA.AA'.repeat(28)}.AA`];

    // Act
    const timings = attacks.map((address) => elapsedMs(() => dgiEmailSchema.safeParse(address)));
    const documentTime = elapsedMs(() =>
      validate(invoice({ receiver: { ...taxpayerReceiver, emails: [attacks[0]!] } })),
    );

    // Assess
    for (const address of attacks) expect(dgiEmailSchema.safeParse(address).success).toBe(false);
    expect(Math.max(...timings)).toBeLessThan(50);
    expect(documentTime).toBeLessThan(500);
  });

  it('accepts exactly what the DGI XSD emailType accepts (libxml2 as the judge)', () => {
    // Prepare: structured candidates around the pattern's edges, and free strings over its alphabet
    const char = fc.constantFrom(
      ..."aZ09.-_#$%'\\]^+@!&*/=?`{|}~ñÉ€<".split(''),
      ...'abcxyz'.split(''),
      ...'.-'.split(''),
    );
    const text = (max: number) => fc.string({ unit: char, minLength: 0, maxLength: max });
    const label = fc.string({ unit: fc.constantFrom(...'ab9-_ñ'.split('')), minLength: 1, maxLength: 6 });
    const structured = fc
      .tuple(
        text(10),
        fc.array(label, { minLength: 1, maxLength: 3 }),
        fc.string({ unit: fc.constantFrom(...'comPA1'.split('')), minLength: 1, maxLength: 10 }),
      )
      .map(([local, labels, tld]) => `${local}@${labels.join('.')}.${tld}`);
    const candidates = fc.oneof(structured, text(30));

    // Act & Assess
    fc.assert(
      fc.property(candidates, (address) => {
        expect(isDgiEmail(address), address).toBe(libxml2Accepts(address));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with libxml2 on the class tail it reads as single characters (] and ^ cannot end a local part)', () => {
    // Act & Assess
    for (const address of [
      'a]@aa.cc',
      'a^@aa.cc',
      'a]b@aa.cc',
      'a.]@aa.cc',
      'a\\@aa.cc',
      'a^b@aa.cc',
      'a_@aa.cc',
    ]) {
      expect(isDgiEmail(address), address).toBe(libxml2Accepts(address));
    }
    expect(libxml2Accepts('a]@aa.cc')).toBe(false);
  });

  it('accepts what the old translation refused although the DGI accepts it (plus addressing, ñ)', () => {
    // Act & Assess
    for (const address of ['ana+facturas@empresa.com.pa', 'peña@correo.pa', "o'brien@example.com"]) {
      expect(libxml2Accepts(address), address).toBe(true);
      expect(dgiEmailSchema.safeParse(address).success, address).toBe(true);
    }
  });

  it('bounds addresses as RFC 5321 does: 254 characters, 64 before the @', () => {
    // Prepare
    const domain = `${'d'.repeat(60)}.example.com`;
    const longest = `${'l'.repeat(64)}@${'x'.repeat(63)}.${'y'.repeat(63)}.${'z'.repeat(57)}.com`;

    // Act & Assess
    expect(longest).toHaveLength(254);
    for (const schema of [dgiEmailSchema, mailboxSchema]) {
      expect(schema.safeParse(longest).success).toBe(true);
      expect(schema.safeParse(`x${longest}`).success).toBe(false);
      expect(schema.safeParse(`${'l'.repeat(65)}@${domain}`).success).toBe(false);
      expect(schema.safeParse('a'.repeat(1_000_000)).success).toBe(false);
    }
  });

  it('takes deliverable mailboxes for the resend route (ASCII dot-atom, host name)', () => {
    // Act & Assess
    for (const good of ['a@x.co', 'ana.perez+pa@mail.example.com', "o'brien@example.com"]) {
      expect(mailboxSchema.safeParse(good).success, good).toBe(true);
    }
    for (const bad of ['a..b@x.co', '.a@x.co', 'a@-x.co', 'a@x', 'peña@correo.pa', 'a b@x.co', 'a@x.c0m']) {
      expect(mailboxSchema.safeParse(bad).success, bad).toBe(false);
    }
  });
});
