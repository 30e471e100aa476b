import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTestCertificate, type TestCertificate } from '#shared/signing/test-certificate';

export const RUC = '155596713-2-2015';
export const DV = '59';
export const NAME = 'PANADERÍA A & B, S.A.';

let cached: TestCertificate | undefined;
/** One certificate per test file: keygen is fast with node:crypto, but there is no need to repeat it. */
export function testCertificate(): TestCertificate {
  cached ??= generateTestCertificate({ ruc: RUC, dv: DV, name: NAME });
  return cached;
}

/** A small hand-written rFE-like document: real namespace and root, a few children in XSD order. */
export const UNSIGNED_RFE = `<?xml version="1.0" encoding="UTF-8"?>
<rFE xmlns="http://dgi-fep.mef.gob.pa" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <dVerForm>1.00</dVerForm>
  <dId>FE01200001555967132-2015-5900001001000000000100000000000123456789</dId>
  <gDGen>
    <iAmb>2</iAmb>
    <dFechaEm>2026-11-22T09:15:00-05:00</dFechaEm>
    <gEmis><dNombEm>PANADERÍA A &amp; B, S.A.</dNombEm></gEmis>
  </gDGen>
  <gItem>
    <dSecItem>1</dSecItem>
    <dDescProd>Pan de molde &lt;integral&gt;</dDescProd>
    <gPrecios><dPrUnit>11.450000</dPrUnit><dValTotItem>12.25</dValTotItem></gPrecios>
  </gItem>
  <gTot>
    <dTotNeto>11.45</dTotNeto>
    <dTotITBMS>0.80</dTotITBMS>
    <dVTot>12.25</dVTot>
  </gTot>
</rFE>
`;

export const qrUrl = (digestValue: string) =>
  `https://dgi-fep-test.mef.gob.pa:40001/Consultas/FacturasPorQR?chFE=FE0120&iAmb=2&digestValue=${digestValue}&jwt=x.y.z`;

// --- xmlsec1, the independent verifier ---------------------------------------------------------------

export const isCi = process.env.CI === 'true';
export const xmlsec1Available = spawnSync('xmlsec1', ['--version'], { stdio: 'ignore' }).status === 0;

export type Xmlsec1Result = { ok: boolean; output: string };

/** `xmlsec1 --verify` with the given key source; exit status 0 is a valid signature. */
export function xmlsec1Verify(xml: string, keyArgs: (dir: string) => string[]): Xmlsec1Result {
  const dir = mkdtempSync(join(tmpdir(), 'factu-xmlsec1-'));
  try {
    const document = join(dir, 'doc.xml');
    writeFileSync(document, xml);
    try {
      const output = execFileSync('xmlsec1', ['--verify', ...keyArgs(dir), document], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return { ok: true, output };
    } catch (error) {
      const e = error as { status?: number; stderr?: string; code?: string };
      if (e.code === 'ENOENT') throw new Error('xmlsec1 is not installed (apt-get install -y xmlsec1)');
      return { ok: false, output: String(e.stderr ?? '') };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function withPubkeyCert(certificatePem: string) {
  return (dir: string) => {
    const file = join(dir, 'cert.pem');
    writeFileSync(file, certificatePem);
    return ['--pubkey-cert-pem', file];
  };
}

/** Key taken from the document's own `X509Certificate`, which xmlsec1 must chain to the trusted CA. */
export function withTrustedCa(caPem: string) {
  return (dir: string) => {
    const file = join(dir, 'ca.pem');
    writeFileSync(file, caPem);
    return ['--trusted-pem', file];
  };
}
