import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCufe } from '#shared/fiscal/cufe';
import { validateRfeXml } from '#shared/fiscal/xsd';
import { generateTestCertificate } from '#shared/signing/test-certificate';
import { verifyRfeSignature } from '#shared/signing/xmldsig';

const root = new URL('../../../', import.meta.url).pathname;
const EXAMPLES_CLOCK = '2026-11-22T12:00:00-05:00';

/** Runs the CLI as a user would (a separate Node process through tsx). */
function factu(args: string[], stdin?: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'shared/cli/main.ts', ...args], {
    cwd: root,
    input: stdin,
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('factu CLI', () => {
  it('prints help', () => {
    // Act
    const { code, stdout } = factu(['--help']);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toMatch(/factu ruc-dv <ruc> --type 1\|2/);
  });

  it('computes a DV (ruc-dv) and fails on an unreadable RUC', () => {
    // Act
    const ok = factu(['ruc-dv', '155596713-2-2015', '--type', '2']);
    const json = factu(['ruc-dv', '8-NT-1-24', '--type', '1', '--json']);
    const bad = factu(['ruc-dv', 'ABC', '--type', '2']);
    const usage = factu(['ruc-dv', '8-274-125']);

    // Assess
    expect([ok.code, ok.stdout.trim()]).toEqual([0, '59']);
    expect(JSON.parse(json.stdout)).toEqual({ ruc: '8-NT-1-24', type: '1', dv: '33' });
    expect(bad.code).toBe(1);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--type must be 1/);
  });

  it('checks CUFEs (cufe check)', () => {
    // Act
    const valid = factu([
      'cufe',
      'check',
      'FE0120000155596713-2-2015-5900012019052800055000155650121566749040',
    ]);
    const invalid = factu([
      'cufe',
      'check',
      'FE0120000155596713-2-2015-5900012019052800055000155650121566749041',
    ]);

    // Assess
    expect([valid.code, valid.stdout.trim()]).toEqual([0, 'valid']);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toMatch(/check digit is 1, expected 0/);
  });

  it('builds the CUFE of a document from stdin (cufe build)', () => {
    // Prepare
    const doc = readFileSync(join(root, 'examples/documents/invoice-taxpayer.json'), 'utf8');

    // Act
    const { code, stdout } = factu(
      [
        'cufe',
        'build',
        '-',
        '--number',
        '42',
        '--security-code',
        '123456789',
        '--now',
        EXAMPLES_CLOCK,
        '--json',
      ],
      doc,
    );

    // Assess
    expect(code).toBe(0);
    const { cufe, fields } = JSON.parse(stdout);
    expect(checkCufe(cufe)).toEqual({ valid: true });
    expect(fields).toMatchObject({ number: '0000000042', securityCode: '123456789', date: '20261122' });
  });

  it('validates a document (validate): computed document, or every violation with its path and exit 1', () => {
    // Prepare
    const broken = JSON.stringify({
      type: 'invoice',
      receiver: { type: 'taxpayer' },
      items: [],
      payments: [],
    });

    // Act
    const ok = factu([
      'validate',
      'examples/documents/credit-note-referenced.json',
      '--now',
      EXAMPLES_CLOCK,
      '--json',
    ]);
    const bad = factu(['validate', '-'], broken);

    // Assess
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).document.totals.total).toBe('4.55');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/items: .*at least 1|items: /);
  });

  it('writes XSD-valid unsigned XML (xml -o)', () => {
    // Prepare
    const out = join(mkdtempSync(join(tmpdir(), 'factu-')), 'rfe.xml');

    // Act
    const { code, stdout } = factu([
      'xml',
      'examples/documents/invoice-government.json',
      '-o',
      out,
      '--json',
    ]);

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ xsdValid: true, signed: false, output: out });
    expect(validateRfeXml(readFileSync(out, 'utf8'))).toEqual({ valid: true });
  });

  it('signs the XML with a key and certificate (xml --key --cert --qr-secret)', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'factu-'));
    const certificate = generateTestCertificate({
      ruc: '155596713-2-2015',
      dv: '59',
      name: 'THE FACTORY HKA PANAMA, S.A.',
    });
    writeFileSync(join(dir, 'key.pem'), certificate.privateKeyPem);
    writeFileSync(join(dir, 'cert.pem'), certificate.certificatePem);

    // Act
    const { code, stdout } = factu([
      'xml',
      'examples/documents/invoice-taxpayer.json',
      '--key',
      join(dir, 'key.pem'),
      '--cert',
      join(dir, 'cert.pem'),
      '--qr-secret',
      'secret',
    ]);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /<gNoFirm><dQRCode>https:\/\/dgi-fep-test\.mef\.gob\.pa:40001\/Consultas\/FacturasPorQR\?chFE=FE/,
    );
    expect(verifyRfeSignature(stdout.trim(), certificate.certificatePem).valid).toBe(true);
    expect(validateRfeXml(stdout.trim())).toEqual({ valid: true });
  });

  it('exits 2 with a hint on an unknown command or option', () => {
    // Act
    const command = factu(['frobnicate']);
    const option = factu(['validate', 'x.json', '--bogus']);

    // Assess
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/unknown command "frobnicate"/);
    expect(option.code).toBe(2);
  });
});
