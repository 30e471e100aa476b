import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateTestCertificate } from '#shared/signing/test-certificate';

describe('generateTestCertificate', () => {
  it('issues an RSA-2048 certificate shaped like a Panamanian one, signed by its test CA', () => {
    const notBefore = new Date('2026-01-01T00:00:00Z');
    const notAfter = new Date('2027-01-01T00:00:00Z');
    const cert = generateTestCertificate({
      ruc: '8-123-456',
      dv: '07',
      name: 'JOSÉ PÉREZ',
      notBefore,
      notAfter,
    });
    const x509 = new X509Certificate(cert.certificatePem);
    const ca = new X509Certificate(cert.caCertificatePem);

    expect(x509.subject.split('\n')).toEqual([
      'C=PA',
      'OU=FACTURA ELECTRONICA',
      'CN=[F] JOSÉ PÉREZ - 8-123-456 - 07 - PRUEBA',
    ]);
    expect(x509.issuer).toBe(ca.subject);
    expect(x509.checkIssued(ca)).toBe(true);
    expect(x509.verify(ca.publicKey)).toBe(true);
    expect(x509.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(x509.validFromDate).toEqual(notBefore);
    expect(x509.validToDate).toEqual(notAfter);
    expect(x509.ca).toBe(false);
    expect(ca.ca).toBe(true);
  });

  it('refuses non-ASCII PKCS#12 PINs it could not encode interoperably', () => {
    const cert = generateTestCertificate({ ruc: '8-123-456', dv: '07', name: 'X' });
    expect(() => cert.toP12('contraseña')).toThrow(RangeError);
    expect(cert.toP12('1234').length).toBeGreaterThan(1000);
  });
});
