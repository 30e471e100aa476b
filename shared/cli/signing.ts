import { randomBytes } from 'node:crypto';
import { buildQrUrl } from '#shared/fiscal/qr';
import type { RfeContext } from '#shared/fiscal/rfe-context';
import type { SigningIdentity } from '#shared/signing/signer';
import { readOptionFile, UsageError } from './io';
import type { Options } from './options';

export const TEST_CERTIFICATE_NOTICE =
  'signed with a throw-away self-issued TEST certificate generated on the fly; not valid for the DGI';
export const TEST_QR_SECRET_NOTICE =
  'the QR code JWT is signed with a throw-away secret (no --qr-secret); the DGI will not accept the QR';

export type CliSigning = {
  identity: SigningIdentity;
  /** True when no key was given and a throw-away test certificate signed instead. */
  testCertificate: boolean;
};

/** True when the command line asks for a signature (`--sign` or any key flag). */
export function wantsSignature(options: Options): boolean {
  return (
    options.sign === true ||
    options.p12 !== undefined ||
    options.key !== undefined ||
    options.cert !== undefined
  );
}

/**
 * The signing identity: `--key key.pem --cert cert.pem`, `--p12 file.p12 --pin PIN`, or — with no key —
 * a throw-away test certificate for the issuer, generated now (callers print TEST_CERTIFICATE_NOTICE).
 */
export async function signingIdentity(options: Options, context: RfeContext, now: Date): Promise<CliSigning> {
  // Loaded only when signing: forge and xml-crypto are heavy for the other commands.
  const { LocalKeySigner } = await import('#shared/signing/local-key-signer');
  if (options.p12 !== undefined) {
    if (options.key !== undefined || options.cert !== undefined)
      throw new UsageError('give either --p12/--pin or --key/--cert, not both');
    if (options.pin === undefined) throw new UsageError('--p12 needs --pin');
    const { loadP12 } = await import('#shared/signing/p12');
    const loaded = loadP12(readOptionFile(options.p12, '--p12'), options.pin, {
      expectedRuc: context.issuer.ruc,
      now,
    });
    const identity = {
      signer: new LocalKeySigner(loaded.privateKeyPem),
      certificatePem: loaded.certificatePem,
    };
    return { identity, testCertificate: false };
  }
  if (options.pin !== undefined) throw new UsageError('--pin goes with --p12');
  if (options.key !== undefined || options.cert !== undefined) {
    if (options.key === undefined || options.cert === undefined)
      throw new UsageError('--key and --cert go together');
    const identity = {
      signer: new LocalKeySigner(readOptionFile(options.key, '--key').toString('utf8')),
      certificatePem: readOptionFile(options.cert, '--cert').toString('utf8'),
    };
    return { identity, testCertificate: false };
  }
  const { generateTestCertificate } = await import('#shared/signing/test-certificate');
  const { issuer } = context;
  const certificate = generateTestCertificate({ ruc: issuer.ruc, dv: issuer.dv, name: issuer.name });
  const identity = {
    signer: new LocalKeySigner(certificate.privateKeyPem),
    certificatePem: certificate.certificatePem,
  };
  return { identity, testCertificate: true };
}

/**
 * Signs the unsigned rFE and appends `gNoFirm/dQRCode`. The QR JWT uses `--qr-secret`, or a random
 * throw-away secret (with a notice) when none is given.
 */
export async function signRfe(
  unsignedXml: string,
  cufe: string,
  context: RfeContext,
  options: Options,
  now: Date,
): Promise<{ xml: string; digestValue: string; qrUrl: string; testCertificate: boolean; notices: string[] }> {
  const { identity, testCertificate } = await signingIdentity(options, context, now);
  const notices = testCertificate ? [TEST_CERTIFICATE_NOTICE] : [];
  let secret = options['qr-secret'];
  if (secret === undefined) {
    secret = randomBytes(32).toString('hex');
    notices.push(TEST_QR_SECRET_NOTICE);
  }
  const { signRfeXml } = await import('#shared/signing/xmldsig');
  let qrUrl = '';
  const signed = await signRfeXml(unsignedXml, identity, {
    qrUrl: (digestValue) => {
      qrUrl = buildQrUrl({ cufe, environment: context.environment, digestValue, secret });
      return qrUrl;
    },
  });
  return { ...signed, qrUrl, testCertificate, notices };
}
