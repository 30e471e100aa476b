import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CertificateExpiredError,
  CertificateFormatError,
  CertificateNotYetValidError,
  CertificatePinError,
  CertificateRucMismatchError,
  loadP12,
  UnsupportedKeyTypeError,
} from '#shared/signing/p12';
import { generateTestCertificate } from '#shared/signing/test-certificate';
import { RUC, testCertificate } from './helpers.ts';

const PIN = 'Pin-1234';
// A minute ahead: certificates made during the run start "now", at one-second resolution.
const NOW = new Date(Date.now() + 60_000);

describe('loadP12', () => {
  const cert = testCertificate();
  const p12 = cert.toP12(PIN);

  it('returns the key, the certificate, the chain and the certificate facts', () => {
    const loaded = loadP12(p12, PIN, { expectedRuc: RUC, now: NOW });
    const x509 = new X509Certificate(loaded.certificatePem);

    expect(x509.raw).toEqual(new X509Certificate(cert.certificatePem).raw);
    expect(x509.checkPrivateKey(createPrivateKey(loaded.privateKeyPem))).toBe(true);
    expect(loaded.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(loaded.chainPem.map((pem) => new X509Certificate(pem).raw)).toEqual([
      new X509Certificate(cert.caCertificatePem).raw,
    ]);
    expect(loaded.subject).toBe(
      'CN=[F] PANADERÍA A & B\\, S.A. - 155596713-2-2015 - 59 - PRUEBA,OU=FACTURA ELECTRONICA,C=PA',
    );
    expect(loaded.notBefore).toEqual(x509.validFromDate);
    expect(loaded.notAfter).toEqual(x509.validToDate);
    expect(loaded.fingerprintSha256).toBe(createHash('sha256').update(x509.raw).digest('hex'));
  });

  it('accepts the RUC written with zero-padded segments', () => {
    expect(() => loadP12(p12, PIN, { expectedRuc: '0155596713-02-2015', now: NOW })).not.toThrow();
  });

  it('throws CertificatePinError for a wrong PIN, without echoing it', () => {
    const error = captureError(() => loadP12(p12, 'wrong-pin', { expectedRuc: RUC, now: NOW }));
    expect(error).toBeInstanceOf(CertificatePinError);
    expect(error.name).toBe('CertificatePinError');
    expect(error.message).not.toContain('wrong-pin');
    expect(error.message).not.toContain(PIN);
  });

  it('throws CertificateExpiredError after notAfter', () => {
    const after = new Date(Date.now() + 400 * 86_400_000);
    const error = captureError(() => loadP12(p12, PIN, { expectedRuc: RUC, now: after }));
    expect(error).toBeInstanceOf(CertificateExpiredError);
    expect((error as CertificateExpiredError).notAfter).toBeInstanceOf(Date);
  });

  it('throws CertificateNotYetValidError before notBefore', () => {
    const future = generateTestCertificate({
      ruc: RUC,
      dv: '59',
      name: 'FUTURA',
      notBefore: new Date(Date.now() + 86_400_000),
      notAfter: new Date(Date.now() + 30 * 86_400_000),
    });
    const error = captureError(() => loadP12(future.toP12(PIN), PIN, { expectedRuc: RUC, now: NOW }));
    expect(error).toBeInstanceOf(CertificateNotYetValidError);
  });

  it('throws CertificateRucMismatchError when the subject carries another RUC', () => {
    for (const expectedRuc of ['8-123-456', '155596713-2-201', '55596713-2-2015']) {
      const error = captureError(() => loadP12(p12, PIN, { expectedRuc, now: NOW }));
      expect(error).toBeInstanceOf(CertificateRucMismatchError);
      expect(error.name).toBe('CertificateRucMismatchError');
    }
  });

  it('throws UnsupportedKeyTypeError for RSA below 2048 bits', () => {
    const weak = generateTestCertificate({ ruc: RUC, dv: '59', name: 'DÉBIL', keyBits: 1024 });
    const error = captureError(() => loadP12(weak.toP12(PIN), PIN, { expectedRuc: RUC, now: NOW }));
    expect(error).toBeInstanceOf(UnsupportedKeyTypeError);
    expect(error.message).toMatch(/RSA 1024/);
  });

  it('throws CertificateFormatError for bytes that are not a PKCS#12', () => {
    expect(() => loadP12(Buffer.from('not a p12'), PIN, { expectedRuc: RUC, now: NOW })).toThrow(
      CertificateFormatError,
    );
  });

  // Real .p12 files come from other tools (OpenSSL, Windows). The openssl CLI builds them here: an EC key
  // (which forge cannot model) and RSA files with OpenSSL 3 defaults (PBES2/AES, HMAC-SHA256) and with the
  // legacy 3DES/SHA-1 profile still common in exported Windows .pfx files.
  const openssl = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
  describe.skipIf(!openssl)(
    `PKCS#12 made by OpenSSL${openssl ? '' : ' (skipped: openssl not installed)'}`,
    () => {
      const CN = `/C=PA/OU=FACTURA ELECTRONICA/CN=[F] EMPRESA OPENSSL - ${RUC} - 59 - X`;

      it('throws UnsupportedKeyTypeError for an EC key', () => {
        const file = opensslP12(['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], CN, []);
        const error = captureError(() => loadP12(file, PIN, { expectedRuc: RUC, now: NOW }));
        expect(error).toBeInstanceOf(UnsupportedKeyTypeError);
        expect(error.message).toMatch(/\bec\b/);
      });

      it('reads an RSA file with OpenSSL 3 defaults', () => {
        const file = opensslP12(['-newkey', 'rsa:2048'], CN, []);
        const loaded = loadP12(file, PIN, { expectedRuc: RUC, now: NOW });
        expect(loaded.subject).toContain('CN=[F] EMPRESA OPENSSL');
        expect(loaded.chainPem).toEqual([]);
      });

      it('reads an RSA file with the legacy 3DES / SHA-1 profile, and detects a wrong PIN', () => {
        const legacy = ['-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'];
        const file = opensslP12(['-newkey', 'rsa:2048'], CN, legacy);
        expect(loadP12(file, PIN, { expectedRuc: RUC, now: NOW }).subject).toContain('EMPRESA OPENSSL');
        expect(() => loadP12(file, 'nope', { expectedRuc: RUC, now: NOW })).toThrow(CertificatePinError);
      });

      it('opens an OpenSSL 3 file protected by a non-ASCII PIN (UTF-8 for PBES2, BMPString for the MAC)', () => {
        const file = opensslP12(['-newkey', 'rsa:2048'], CN, [], 'contraseña-Ñandú');
        expect(loadP12(file, 'contraseña-Ñandú', { expectedRuc: RUC, now: NOW }).subject).toContain(
          'OPENSSL',
        );
        expect(() => loadP12(file, 'contrasena-Nandu', { expectedRuc: RUC, now: NOW })).toThrow(
          CertificatePinError,
        );
      });

      it('reads the RUC from serialNumber when the CN does not carry it', () => {
        const file = opensslP12(
          ['-newkey', 'rsa:2048'],
          `/C=PA/CN=EMPRESA SIN RUC/serialNumber=RUC-${RUC}`,
          [],
        );
        expect(loadP12(file, PIN, { expectedRuc: RUC, now: NOW }).subject).toContain(
          `serialNumber=RUC-${RUC}`,
        );
      });
    },
  );
});

function opensslP12(keyArgs: string[], subject: string, exportArgs: string[], pin = PIN): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'factu-p12-'));
  try {
    const [key, crt, p12] = ['key.pem', 'cert.pem', 'cert.p12'].map((f) => join(dir, f)) as [
      string,
      string,
      string,
    ];
    const run = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    run(['req', '-x509', ...keyArgs, '-nodes', '-keyout', key, '-out', crt, '-days', '30', '-subj', subject]);
    writeFileSync(join(dir, 'pin'), pin);
    run([
      'pkcs12',
      '-export',
      '-inkey',
      key,
      '-in',
      crt,
      '-out',
      p12,
      '-passout',
      `file:${join(dir, 'pin')}`,
      ...exportArgs,
    ]);
    return readFileSync(p12);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function captureError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
