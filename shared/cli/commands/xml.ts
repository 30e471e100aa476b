import { readFileSync } from 'node:fs';
import { buildQrUrl } from '#shared/fiscal/qr';
import { buildRfeXml, type RfeContext } from '#shared/fiscal/rfe-xml';
import { validateDocument } from '#shared/fiscal/validate';
import { validateRfeXml } from '#shared/fiscal/xsd';
import type { SigningIdentity } from '#shared/signing/signer';
import { contextFromOptions } from '../context';
import { type CommandResult, readJson, UsageError, writeOutput } from '../io';
import { nowOption, type Options } from '../options';
import { violationsResult } from './validate';

/** `--key key.pem --cert cert.pem` or `--p12 file.p12 --pin PIN`; undefined when not signing. */
async function signingIdentity(
  options: Options,
  context: RfeContext,
  now: Date,
): Promise<SigningIdentity | undefined> {
  if (options.p12 === undefined && options.key === undefined && options.cert === undefined) return undefined;
  // Loaded only when signing: forge and xml-crypto are heavy for the other commands.
  const { LocalKeySigner } = await import('#shared/signing/local-key-signer');
  if (options.p12 !== undefined) {
    if (options.pin === undefined) throw new UsageError('--p12 needs --pin');
    const { loadP12 } = await import('#shared/signing/p12');
    const loaded = loadP12(readFileSync(options.p12), options.pin, { expectedRuc: context.issuer.ruc, now });
    return { signer: new LocalKeySigner(loaded.privateKeyPem), certificatePem: loaded.certificatePem };
  }
  if (options.key === undefined || options.cert === undefined)
    throw new UsageError('--key and --cert go together');
  return {
    signer: new LocalKeySigner(readFileSync(options.key, 'utf8')),
    certificatePem: readFileSync(options.cert, 'utf8'),
  };
}

/**
 * `factu xml <doc.json|-> [-o out.xml]`: the unsigned rFE, XSD-checked; with signing flags and
 * `--qr-secret`, the signed rFE with `gNoFirm`. The XML is written even when the XSD rejects it (to
 * inspect it), and the exit code is then 1.
 */
export async function xmlCommand(args: string[], options: Options): Promise<CommandResult> {
  const now = nowOption(options);
  const validation = validateDocument(readJson(args[0]), { now });
  if (!validation.ok) return violationsResult(validation.violations);
  const context = contextFromOptions(options, validation.document.pointOfSale);
  const built = buildRfeXml(validation.document, context);

  let xml = built.xml;
  const identity = await signingIdentity(options, context, now);
  if (identity) {
    const { signRfeXml } = await import('#shared/signing/xmldsig');
    const secret = options['qr-secret'];
    if (secret === undefined) throw new UsageError('signing needs --qr-secret (the QR HMAC key)');
    const signed = await signRfeXml(xml, identity, {
      qrUrl: (digestValue) =>
        buildQrUrl({ cufe: built.cufe, environment: context.environment, digestValue, secret }),
    });
    xml = signed.xml;
  }

  const xsd = validateRfeXml(xml);
  const errors = xsd.valid ? [] : xsd.errors;
  if (options.output !== undefined) writeOutput(options.output, xml);
  const summary = { cufe: built.cufe, signed: identity !== undefined, xsdValid: xsd.valid, errors };
  return {
    exitCode: xsd.valid ? 0 : 1,
    text: options.output !== undefined ? `${built.cufe} → ${options.output}` : xml,
    json: options.output !== undefined ? { ...summary, output: options.output } : { ...summary, xml },
    ...(errors.length > 0 && {
      stderr: ['XSD validation failed:', ...errors.map((e) => `  ${e}`)].join('\n'),
    }),
  };
}
