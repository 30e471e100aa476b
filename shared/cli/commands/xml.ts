import { buildRfeXml } from '#shared/fiscal/rfe-xml';
import { validateDocument } from '#shared/fiscal/validate';
import { validateRfeXml } from '#shared/fiscal/xsd';
import { contextFromOptions } from '../context';
import { type CommandResult, readJson, writeOutput } from '../io';
import { nowOption, type Options } from '../options';
import { signRfe, wantsSignature } from '../signing';
import { violationsResult } from './validate';

/**
 * `factu xml <doc.json|-> [--sign [--p12 f --pin p | --key k --cert c] [--qr-secret s]] [-o out.xml]`:
 * the unsigned rFE, XSD-checked; with `--sign` (or a key flag) the signed rFE with `gNoFirm` — signed
 * with a throw-away test certificate when no key is given. The XML is written even when the XSD rejects
 * it (to inspect it), and the exit code is then 1.
 */
export async function xmlCommand(args: string[], options: Options): Promise<CommandResult> {
  const now = nowOption(options);
  const validation = validateDocument(readJson(args[0]), { now });
  if (!validation.ok) return violationsResult(validation.violations);
  const context = contextFromOptions(options, validation.document.pointOfSale);
  const built = buildRfeXml(validation.document, context);

  let xml = built.xml;
  let testCertificate = false;
  const notices: string[] = [];
  const signed = wantsSignature(options);
  if (signed) {
    const result = await signRfe(xml, built.cufe, context, options, now);
    xml = result.xml;
    testCertificate = result.testCertificate;
    notices.push(...result.notices);
  }

  const xsd = validateRfeXml(xml);
  const errors = xsd.valid ? [] : xsd.errors;
  if (options.output !== undefined) writeOutput(options.output, xml);
  const summary = {
    cufe: built.cufe,
    environment: context.environment,
    signed,
    testCertificate,
    xsdValid: xsd.valid,
    errors,
    notices,
  };
  return {
    exitCode: xsd.valid ? 0 : 1,
    text: options.output !== undefined ? `${built.cufe} → ${options.output}` : xml,
    json: options.output !== undefined ? { ...summary, output: options.output } : { ...summary, xml },
    stderr: [
      ...notices,
      ...(errors.length > 0 ? ['XSD validation failed:', ...errors.map((e) => `  ${e}`)] : []),
    ],
  };
}
