import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCufe } from '#shared/fiscal/cufe';
import { validateRfeXml } from '#shared/fiscal/xsd';
import { generateTestCertificate } from '#shared/signing/test-certificate';
import { verifyRfeSignature, withoutUnsignedFields } from '#shared/signing/xmldsig';
import {
  isCi,
  withPubkeyCert,
  withTrustedCa,
  xmlsec1Available,
  xmlsec1Verify,
} from '#test/unit/signing/helpers';
import { BIN, factu, root } from './factu';

const EXAMPLES_CLOCK = '2026-11-22T12:00:00-05:00';
const HKA_CUFE = 'FE0120000155596713-2-2015-5900012019052800055000155650121566749040';
const TEST_CERTIFICATE_NOTICE = /throw-away self-issued TEST certificate.*not valid for the DGI/;
const TEST_PROTOCOL = 'SIN AUTORIZACIÓN — DOCUMENTO DE PRUEBA';
const TEST_LEGEND = 'FE generada en ambiente de pruebas - sin valor comercial ni fiscal';
const example = (name: string) => `examples/documents/${name}.json`;
const exampleText = (name: string) => readFileSync(join(root, example(name)), 'utf8');

// xmlsec1 and pdftotext are independent checks: skipped locally when missing, required under CI=true
// (the helpers then throw instead of skipping).
const hasPdftotext = spawnSync('pdftotext', ['-v'], { stdio: 'ignore' }).status === 0;
const skipXmlsec1 = !xmlsec1Available && !isCi;
const skipPdftotext = !hasPdftotext && !isCi;
if (skipXmlsec1) console.warn('xmlsec1 not installed: skipping the CLI signature interop checks');
if (skipPdftotext) console.warn('pdftotext not installed: skipping the CLI PDF text checks');

const dir = mkdtempSync(join(tmpdir(), 'factu-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pdfText(bytes: Buffer): string {
  const file = join(dir, `text-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
}

/** The signer certificate a signed rFE carries in KeyInfo, as PEM. */
function embeddedCertificatePem(xml: string): string {
  const base64 = /<(?:\w+:)?X509Certificate>([^<]+)</.exec(xml)?.[1]?.replace(/\s+/g, '');
  if (!base64) throw new Error('no X509Certificate in the signed XML');
  return `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
}

// The commands are separate processes: run the tests concurrently so their start-up costs overlap.
describe.concurrent('factu CLI', () => {
  it('answers --help everywhere, and usage errors with exit 2 and a hint', async () => {
    // Act
    const [overview, short, ...perCommand] = await Promise.all([
      factu(['--help']),
      factu(['-h']),
      ...['ruc-dv', 'cufe', 'validate', 'xml', 'pdf'].map((command) => factu([command, '--help'])),
    ]);
    const [nothing, unknownCommand, unknownOption, foreignOption, jsonUsage, cufeCheckHelp] =
      await Promise.all([
        factu([]),
        factu(['frobnicate']),
        factu(['validate', 'x.json', '--bogus']),
        factu(['ruc-dv', '8-274-125', '--type', '1', '--layout', 'ticket']),
        factu(['ruc-dv', '8-274-125', '--json']),
        factu(['cufe', 'check', '--help']),
      ]);

    // Assess
    expect([overview.code, short.code]).toEqual([0, 0]);
    for (const line of [
      'factu ruc-dv <ruc> --type 1|2',
      'factu cufe check <cufe>',
      'factu cufe build <doc.json>',
      'factu validate <doc.json>',
      'factu xml <doc.json> [--sign [--p12 <file> --pin <pin>]] [-o out.xml]',
      'factu pdf <doc.json> [--layout letter|ticket] [-o out.pdf]',
    ]) {
      expect(overview.stdout).toContain(line);
    }
    expect(short.stdout).toBe(overview.stdout);
    expect(perCommand.map((run) => run.code)).toEqual([0, 0, 0, 0, 0]);
    const [rucDvHelp, cufeHelp, validateHelp, xmlHelp, pdfHelp] = perCommand.map((run) => run.stdout);
    expect(rucDvHelp).toMatch(/^factu ruc-dv <ruc\|-> --type 1\|2/);
    expect(cufeHelp).toMatch(/^factu cufe check/);
    expect(cufeCheckHelp.stdout).toBe(cufeHelp);
    expect(validateHelp).toMatch(/^factu validate/);
    expect(xmlHelp).toMatch(/^factu xml .*--sign.*--p12 <file> --pin <pin>/);
    expect(xmlHelp).toMatch(/TEST certificate/);
    expect(pdfHelp).toMatch(/^factu pdf .*--layout letter\|ticket/);
    expect(pdfHelp).toContain(TEST_PROTOCOL);

    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('factu ruc-dv <ruc>');
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toMatch(/unknown command "frobnicate"\nRun "factu --help" for usage/);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toMatch(/--bogus/);
    expect(foreignOption.code).toBe(2);
    expect(foreignOption.stderr).toMatch(/--layout does not apply to "ruc-dv"/);
    expect(jsonUsage.code).toBe(2);
    expect(JSON.parse(jsonUsage.stdout)).toMatchObject({
      ok: false,
      exitCode: 2,
      error: { name: 'UsageError', message: expect.stringMatching(/--type must be 1/) },
    });
  });

  it('ruc-dv: prints the two-digit DV; a malformed RUC is a message and exit 1', async () => {
    // Act
    const [ok, fromStdin, json, bad, badJson, noType] = await Promise.all([
      factu(['ruc-dv', '155596713-2-2015', '--type', '2']),
      factu(['ruc-dv', '-', '--type', '2'], { stdin: '155596713-2-2015\n' }),
      factu(['ruc-dv', '8-NT-1-24', '--type', '1', '--json']),
      factu(['ruc-dv', 'ABC', '--type', '2']),
      factu(['ruc-dv', 'ABC', '--type', '2', '--json']),
      factu(['ruc-dv', '8-274-125']),
    ]);

    // Assess
    expect([ok.code, ok.stdout]).toEqual([0, '59\n']);
    expect([fromStdin.code, fromStdin.stdout]).toEqual([0, '59\n']);
    expect(JSON.parse(json.stdout)).toEqual({ ruc: '8-NT-1-24', type: '1', dv: '33' });
    expect([bad.code, bad.stdout]).toEqual([1, '']);
    expect(bad.stderr).toMatch(/RUC "ABC" does not match/);
    expect(badJson.code).toBe(1);
    expect(JSON.parse(badJson.stdout)).toMatchObject({ ruc: 'ABC', error: expect.stringMatching(/ABC/) });
    expect(noType.code).toBe(2);
    expect(noType.stderr).toMatch(/--type must be 1/);
  });

  it('cufe check: "valid" or the reason with exit 1; cufe build from stdin', async () => {
    // Act
    const [valid, invalid, fromStdin, build] = await Promise.all([
      factu(['cufe', 'check', HKA_CUFE]),
      factu(['cufe', 'check', `${HKA_CUFE.slice(0, -1)}1`]),
      factu(['cufe', 'check', '-', '--json'], { stdin: `${HKA_CUFE}\n` }),
      factu(
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
        { stdin: exampleText('invoice-taxpayer') },
      ),
    ]);

    // Assess
    expect([valid.code, valid.stdout]).toEqual([0, 'valid\n']);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toMatch(/check digit is 1, expected 0/);
    expect(JSON.parse(fromStdin.stdout)).toEqual({ cufe: HKA_CUFE, valid: true });
    expect(build.code).toBe(0);
    const { cufe, fields } = JSON.parse(build.stdout);
    expect(checkCufe(cufe)).toEqual({ valid: true });
    expect(fields).toMatchObject({ number: '0000000042', securityCode: '123456789', date: '20261122' });
  });

  it('waits for a slow producer on standard input instead of failing with EAGAIN', async () => {
    // Act
    const late = await factu(['validate', '--json'], {
      stdin: JSON.stringify({ type: 'invoice', items: [] }),
      stdinDelayMs: 700,
    });

    // Assess
    expect(late.stderr).toBe('');
    expect(late.code).toBe(1);
    expect(JSON.parse(late.stdout).ok).toBe(false);
  });

  it('validate: the computed document, or every violation with its path and exit 1 (file or stdin)', async () => {
    // Prepare
    const broken = JSON.stringify({
      type: 'invoice',
      receiver: { type: 'taxpayer' },
      items: [{ description: 'x', quantity: '-1', unitPrice: '1.00', itbmsRate: '7%' }],
      payments: [],
    });

    // Act
    const [ok, piped, pipedJson, emptyStdin, notJson] = await Promise.all([
      factu(['validate', example('credit-note-referenced'), '--now', EXAMPLES_CLOCK, '--json']),
      factu(['validate'], { stdin: broken }),
      factu(['validate', '-', '--json'], { stdin: broken }),
      factu(['validate']),
      factu(['validate', '-'], { stdin: '{ nope' }),
    ]);

    // Assess
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).document.totals.total).toBe('4.55');
    expect(piped.code).toBe(1);
    expect(piped.stdout).toMatch(/^\d+ violation\(s\):\n/);
    expect(piped.stdout).toMatch(/^ {2}items\[0\]\.quantity: /m);
    const { ok: valid, violations } = JSON.parse(pipedJson.stdout);
    expect(pipedJson.code).toBe(1);
    expect(valid).toBe(false);
    expect(violations.length).toBeGreaterThan(1);
    expect(violations.map((v: { path: string }) => v.path)).toContain('items[0].quantity');
    expect(emptyStdin.code).toBe(2);
    expect(emptyStdin.stderr).toMatch(/missing input file/);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/standard input is not valid JSON/);
  });

  it('validate --hka: an HKA Enviar documento pre-flighted with HKA field names beside ours', async () => {
    // Prepare: HKA's own Postman example, then one with a zero quantity and one with a wrong stated total.
    const postman = 'test/unit/cli/fixtures/hka-documento-postman.json';
    const clock = '2022-08-03T18:00:00-05:00';
    const wrapped = JSON.parse(readFileSync(join(root, postman), 'utf8'));
    const zeroQuantity = structuredClone(wrapped);
    zeroQuantity.documento.listaItems.item[0].cantidad = '0';
    const wrongTotal = structuredClone(wrapped.documento);
    wrongTotal.totalesSubTotales.totalFactura = '108.00';

    // Act
    const [valid, invalid, mismatched] = await Promise.all([
      factu(['validate', '--hka', postman, '--now', clock]),
      factu(['validate', '--hka', '-', '--now', clock], { stdin: JSON.stringify(zeroQuantity) }),
      factu(['validate', '--hka', '-', '--now', clock, '--json'], { stdin: JSON.stringify(wrongTotal) }),
    ]);

    // Assess
    expect(valid.code, valid.stdout + valid.stderr).toBe(0);
    expect(valid.stdout).toMatch(/^valid/);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toMatch(/^ {2}error listaItems\.item\[0\]\.cantidad \(items\[0\]\.quantity\): /m);
    expect(mismatched.code).toBe(1);
    expect(JSON.parse(mismatched.stdout)).toEqual({
      valid: false,
      findings: [
        {
          severity: 'error',
          hkaField: 'totalFactura',
          path: 'items',
          message: 'El campo totalFactura es inválido. Valor informado 108.00, valor calculado 107.00.',
        },
      ],
    });
  });

  it('xml: XSD-valid unsigned rFE to a file, and signed with a key and certificate', async () => {
    // Prepare
    const out = join(dir, 'unsigned.xml');
    const certificate = generateTestCertificate({
      ruc: '155596713-2-2015',
      dv: '59',
      name: 'THE FACTORY HKA PANAMA, S.A.',
    });
    writeFileSync(join(dir, 'key.pem'), certificate.privateKeyPem);
    writeFileSync(join(dir, 'cert.pem'), certificate.certificatePem);

    // Act
    const [unsigned, signed] = await Promise.all([
      factu(['xml', example('invoice-government'), '-o', out, '--json']),
      factu([
        'xml',
        example('invoice-taxpayer'),
        '--key',
        join(dir, 'key.pem'),
        '--cert',
        join(dir, 'cert.pem'),
        '--qr-secret',
        'secret',
      ]),
    ]);

    // Assess
    expect(unsigned.code).toBe(0);
    expect(JSON.parse(unsigned.stdout)).toMatchObject({ xsdValid: true, signed: false, output: out });
    expect(validateRfeXml(readFileSync(out, 'utf8'))).toEqual({ valid: true });
    expect(signed.code).toBe(0);
    expect(signed.stderr).toBe('');
    expect(signed.stdout).toMatch(
      /<gNoFirm><dQRCode>https:\/\/dgi-fep-test\.mef\.gob\.pa:40001\/Consultas\/FacturasPorQR\?chFE=FE/,
    );
    expect(verifyRfeSignature(signed.stdout.trim(), certificate.certificatePem).valid).toBe(true);
    expect(validateRfeXml(signed.stdout.trim())).toEqual({ valid: true });
  });

  describe('xml --sign', () => {
    const certificate = generateTestCertificate({
      ruc: '155596713-2-2015',
      dv: '59',
      name: 'THE FACTORY HKA PANAMA, S.A.',
    });
    const p12 = join(dir, 'issuer.p12');
    writeFileSync(p12, certificate.toP12('1234'));
    const runs = Promise.all([
      // No key: a throw-away test certificate, from standard input, with --json.
      factu(['xml', '-', '--sign', '--json'], { stdin: exampleText('invoice-final-consumer') }),
      factu([
        'xml',
        example('invoice-taxpayer'),
        '--sign',
        '--p12',
        p12,
        '--pin',
        '1234',
        '-o',
        join(dir, 'p12.xml'),
      ]),
      factu(['xml', example('invoice-taxpayer'), '--sign', '--p12', p12, '--pin', 'wrong']),
    ]);

    it('signs with a throw-away TEST certificate when no key is given, and says so on stderr', async () => {
      // Act
      const [testSigned] = await runs;

      // Assess
      expect(testSigned.code).toBe(0);
      expect(testSigned.stderr).toMatch(TEST_CERTIFICATE_NOTICE);
      const result = JSON.parse(testSigned.stdout);
      expect(result).toMatchObject({ signed: true, testCertificate: true, xsdValid: true, environment: '2' });
      expect(result.notices.join('\n')).toMatch(TEST_CERTIFICATE_NOTICE);
      expect(verifyRfeSignature(result.xml)).toMatchObject({ valid: true });
      expect(embeddedCertificatePem(result.xml)).toMatch(/^-----BEGIN CERTIFICATE-----/);
    });

    it('signs with a PKCS#12 and its PIN (-o), and rejects a wrong PIN with exit 1', async () => {
      // Act
      const [, p12Signed, wrongPin] = await runs;

      // Assess
      expect(p12Signed.code).toBe(0);
      expect(p12Signed.stderr).not.toMatch(/TEST certificate/);
      expect(p12Signed.stdout).toMatch(/^FE\S{64} → .*p12\.xml\n$/);
      const xml = readFileSync(join(dir, 'p12.xml'), 'utf8');
      expect(verifyRfeSignature(xml, certificate.certificatePem)).toMatchObject({ valid: true });
      expect(validateRfeXml(xml)).toEqual({ valid: true });
      expect(wrongPin.code).toBe(1);
      expect(wrongPin.stderr).toMatch(/CertificatePinError/);
    });

    it.skipIf(skipXmlsec1)('xmlsec1 verifies both signatures (gNoFirm stripped)', async () => {
      // Act
      const [testSigned] = await runs;
      const testXml = withoutUnsignedFields(JSON.parse(testSigned.stdout).xml);
      const p12Xml = withoutUnsignedFields(readFileSync(join(dir, 'p12.xml'), 'utf8'));

      // Assess
      const byEmbedded = xmlsec1Verify(testXml, withPubkeyCert(embeddedCertificatePem(testXml)));
      expect(byEmbedded.ok, byEmbedded.output).toBe(true);
      const byCertificate = xmlsec1Verify(p12Xml, withPubkeyCert(certificate.certificatePem));
      expect(byCertificate.ok, byCertificate.output).toBe(true);
      const byChain = xmlsec1Verify(p12Xml, withTrustedCa(certificate.caCertificatePem));
      expect(byChain.ok, byChain.output).toBe(true);
    });
  });

  describe('pdf', () => {
    const letterFile = join(dir, 'letter.pdf');
    const authorizationFile = join(dir, 'authorization.json');
    const runs = (async () => {
      const [letter, ticket, cufe] = await Promise.all([
        factu(['pdf', example('invoice-taxpayer'), '--now', EXAMPLES_CLOCK, '-o', letterFile, '--json']),
        // Ticket layout, document on standard input, PDF on standard output.
        factu(['pdf', '--layout', 'ticket'], { stdin: exampleText('invoice-final-consumer') }),
        factu(['cufe', 'build', example('invoice-taxpayer'), '--now', EXAMPLES_CLOCK, '--number', '77']),
      ]);
      const authorized = cufe.stdout.trim();
      writeFileSync(
        authorizationFile,
        JSON.stringify({
          cufe: authorized,
          qr: `https://dgi-fep-test.mef.gob.pa:40001/Consultas/FacturasPorQR?chFE=${authorized}&iAmb=2&digestValue=x&jwt=y`,
          protocol: '20260000000000012345',
          authorizedAt: '2026-11-22T12:00:05-05:00',
        }),
      );
      const [withAuthorization, otherDocument] = await Promise.all([
        factu([
          'pdf',
          example('invoice-taxpayer'),
          '--now',
          EXAMPLES_CLOCK,
          '--authorization',
          authorizationFile,
        ]),
        // Another document type: the CUFE (type, issuer, date, numbering) cannot be this authorization's.
        factu([
          'pdf',
          example('credit-note-referenced'),
          '--now',
          EXAMPLES_CLOCK,
          '--authorization',
          authorizationFile,
        ]),
      ]);
      return { letter, ticket, authorized, withAuthorization, otherDocument };
    })();

    it('renders a test-authorized CAFE (letter, -o) and labels it on stderr', async () => {
      // Act
      const { letter } = await runs;

      // Assess
      expect(letter.code).toBe(0);
      const summary = JSON.parse(letter.stdout);
      expect(summary).toMatchObject({
        layout: 'letter',
        environment: '2',
        authorized: false,
        testCertificate: true,
        protocol: TEST_PROTOCOL,
        output: letterFile,
      });
      expect(checkCufe(summary.cufe)).toEqual({ valid: true });
      expect(letter.stderr).toContain(TEST_PROTOCOL);
      expect(letter.stderr).toMatch(TEST_CERTIFICATE_NOTICE);
      const pdf = readFileSync(letterFile);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(statSync(letterFile).size).toBe(summary.bytes);
    });

    it('writes the PDF to standard output (ticket, stdin) and uses a given authorization', async () => {
      // Act
      const { ticket, withAuthorization, otherDocument } = await runs;

      // Assess
      expect(ticket.code).toBe(0);
      expect(ticket.bytes.subarray(0, 5).toString()).toBe('%PDF-');
      expect(withAuthorization.code).toBe(0);
      expect(withAuthorization.bytes.subarray(0, 5).toString()).toBe('%PDF-');
      expect(withAuthorization.stderr).toBe('');
      expect(otherDocument.code).toBe(1);
      expect(otherDocument.bytes.length).toBe(0);
      expect(otherDocument.stderr).toMatch(/the authorization's CUFE .* is not this document's/);
    });

    it.skipIf(skipPdftotext)('pdftotext shows the CUFE, the protocol and the test legend', async () => {
      // Act
      const { letter, ticket, authorized, withAuthorization } = await runs;
      const letterText = pdfText(readFileSync(letterFile));
      const ticketText = pdfText(ticket.bytes);
      const authorizedText = pdfText(withAuthorization.bytes);

      // Assess
      const cufe = JSON.parse(letter.stdout).cufe;
      expect(letterText).toContain(cufe);
      expect(letterText).toContain(TEST_PROTOCOL);
      expect(letterText).toContain(TEST_LEGEND);
      const ticketJoined = ticketText.replace(/\s+/g, '');
      expect(ticketJoined).toMatch(/FE01\S{62}/);
      expect(checkCufe(/FE01\S{62}/.exec(ticketJoined)![0]).valid).toBe(true);
      expect(ticketJoined).toContain(TEST_PROTOCOL.replace(/\s+/g, ''));
      expect(authorizedText).toContain(authorized);
      expect(authorizedText).toContain('20260000000000012345');
      expect(authorizedText).not.toContain(TEST_PROTOCOL);
    });
  });

  it('runs as `npx factu` and as an executable with a shebang', async () => {
    // Act
    const [npx, direct] = await Promise.all([
      // --no: never download a package called "factu" if the local bin were missing.
      factu(['--help'], { command: ['npx', '--no', '--', 'factu'] }),
      factu(['ruc-dv', '155596713-2-2015', '--type', '2'], { command: [BIN] }),
    ]);

    // Assess
    expect(npx.code, npx.stderr).toBe(0);
    expect(npx.stdout).toMatch(/^factu — Panama electronic invoicing/);
    expect([direct.code, direct.stdout]).toEqual([0, '59\n']);
    expect(statSync(BIN).mode & 0o111).not.toBe(0);
  });
});
