import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { subjectCarriesRuc } from '#shared/signing/ruc-in-subject';

const utf8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;
/** Attributes as forge returns them from a parsed certificate: UTF8String values as raw UTF-8 bytes. */
const subject = (...pairs: [string, string][]): forge.pki.CertificateField[] =>
  pairs.map(([name, value]) => ({ name, value: Buffer.from(value).toString('binary'), valueTagClass: utf8 }));

describe('subjectCarriesRuc', () => {
  const panamanian = subject(
    ['commonName', '[F] FERRETERÍA EL ÑANDÚ - 155596713-2-2015 - 59 - 1234'],
    ['organizationalUnitName', 'FACTURA ELECTRONICA'],
  );

  it('finds the RUC in the Panamanian CN layout', () => {
    expect(subjectCarriesRuc(panamanian, '155596713-2-2015')).toBe(true);
    expect(subjectCarriesRuc(panamanian, ' 155596713-2-2015 ')).toBe(true);
  });

  it('matches whole segments only', () => {
    expect(subjectCarriesRuc(panamanian, '55596713-2-2015')).toBe(false);
    expect(subjectCarriesRuc(panamanian, '155596713-2-201')).toBe(false);
    expect(subjectCarriesRuc(panamanian, '155596713-2-2015-59')).toBe(false);
    expect(subjectCarriesRuc(subject(['commonName', 'X - 8-123-4567 - 01']), '8-123-456')).toBe(false);
    expect(subjectCarriesRuc(subject(['commonName', 'X - 18-123-456 - 01']), '8-123-456')).toBe(false);
  });

  it('finds the RUC in serialNumber, with a prefix, zero padding or letter case differences', () => {
    expect(subjectCarriesRuc(subject(['serialNumber', 'RUC-155596713-2-2015']), '155596713-2-2015')).toBe(
      true,
    );
    expect(subjectCarriesRuc(subject(['serialNumber', '8-0123-000456']), '8-123-456')).toBe(true);
    expect(subjectCarriesRuc(subject(['commonName', '[F] JUAN - PE-1-123 - 44']), 'pe-1-123')).toBe(true);
  });

  it('never matches an empty RUC', () => {
    expect(subjectCarriesRuc(panamanian, '')).toBe(false);
    expect(subjectCarriesRuc(panamanian, '-')).toBe(false);
  });
});
