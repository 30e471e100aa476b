import { checkCufe, parseCufe } from '#shared/fiscal/cufe';
import { buildRfeXml } from '#shared/fiscal/rfe-xml';
import { validateDocument } from '#shared/fiscal/validate';
import { contextFromOptions } from '../context';
import { type CommandResult, readJson, UsageError, writeOutput } from '../io';
import { nowOption, type Options } from '../options';
import { signRfe } from '../signing';
import { violationsResult } from './validate';

/** What the CAFE prints as the authorization protocol of a document HKA/DGI never saw. */
export const TEST_AUTHORIZATION_PROTOCOL = 'SIN AUTORIZACIÓN — DOCUMENTO DE PRUEBA';
export const TEST_AUTHORIZATION_NOTICE = `not authorized: CUFE built locally, protocol "${TEST_AUTHORIZATION_PROTOCOL}"`;

type Authorization = { cufe: string; qr: string; protocol: string; authorizedAt: string };

/** `--authorization auth.json`: the authorization as HKA returned it (`PipelineState.authorization`). */
function readAuthorization(path: string): Authorization {
  const value = readJson(path) as Partial<Record<keyof Authorization, unknown>> | null;
  const fields = ['cufe', 'qr', 'protocol', 'authorizedAt'] as const;
  const missing = fields.filter((field) => typeof value?.[field] !== 'string' || value[field] === '');
  if (value === null || typeof value !== 'object' || missing.length > 0) {
    throw new UsageError(`--authorization: ${path} needs the strings ${missing.join(', ')}`);
  }
  const authorization = value as Authorization;
  const cufe = checkCufe(authorization.cufe);
  if (!cufe.valid) throw new UsageError(`--authorization: invalid CUFE: ${cufe.reason}`);
  if (Number.isNaN(new Date(authorization.authorizedAt).getTime()))
    throw new UsageError('--authorization: authorizedAt is not an ISO-8601 date-time');
  return authorization;
}

/**
 * `factu pdf <doc.json|-> [--layout letter|ticket] [--authorization auth.json] [-o out.pdf]`: the CAFE.
 *
 * Authorized (`--authorization`): numbering, environment and security code come from the authorization's
 * CUFE (flags may restate them) and the document must rebuild exactly that CUFE (type, issuer, emission
 * date, numbering — the CUFE does not cover the amounts), so a CAFE does not pair a document with another
 * number's authorization.
 *
 * Not authorized: the CUFE is built locally (generated security code, the demo issuer unless `--issuer`),
 * the rFE is signed (throw-away test certificate unless a key is given) for the QR's digest, and the
 * protocol reads TEST_AUTHORIZATION_PROTOCOL; with the default environment 2 the CAFE also carries the
 * test-environment legend.
 */
export async function pdfCommand(args: string[], options: Options): Promise<CommandResult> {
  const layout = options.layout;
  if (layout !== undefined && layout !== 'letter' && layout !== 'ticket')
    throw new UsageError('--layout must be letter or ticket');
  if (options.output === undefined && process.stdout.isTTY && !options.json)
    throw new UsageError('refusing to write a PDF to a terminal: use -o out.pdf or redirect the output');
  const authorizationFile = options.authorization;
  const given = authorizationFile !== undefined ? readAuthorization(authorizationFile) : undefined;

  const now = nowOption(options);
  const validation = validateDocument(readJson(args[0]), { now });
  if (!validation.ok) return violationsResult(validation.violations);
  const doc = validation.document;
  const fromCufe = given ? parseCufe(given.cufe) : {};
  const context = contextFromOptions(options, doc.pointOfSale, fromCufe);
  const built = buildRfeXml(doc, context);

  const notices: string[] = [];
  let authorization: Authorization;
  let testCertificate = false;
  if (given) {
    if (built.cufe !== given.cufe) {
      const message = `the authorization's CUFE ${given.cufe} is not this document's (${built.cufe}): check --issuer, --now and the document`;
      return {
        exitCode: 1,
        text: '',
        json: { ok: false, error: message, cufe: built.cufe },
        stderr: [message],
      };
    }
    authorization = given;
  } else {
    const signed = await signRfe(built.xml, built.cufe, context, options, now);
    testCertificate = signed.testCertificate;
    notices.push(TEST_AUTHORIZATION_NOTICE, ...signed.notices);
    if (context.environment === '1')
      notices.push(
        'environment 1 (production): no test-environment legend, yet the document is NOT authorized',
      );
    authorization = {
      cufe: built.cufe,
      qr: signed.qrUrl,
      protocol: TEST_AUTHORIZATION_PROTOCOL,
      authorizedAt: doc.issuedAt,
    };
  }

  // The renderer pulls pdfkit and qrcode: loaded only for this command.
  const { cafeLayoutOf, renderCafePdf, toCafeView } = await import('#shared/fiscal/cafe-pdf/index');
  const chosenLayout = layout ?? cafeLayoutOf(doc);
  const pdf = await renderCafePdf(toCafeView(doc, context, authorization), { layout: chosenLayout });
  if (options.output !== undefined) writeOutput(options.output, pdf);

  const summary = {
    cufe: built.cufe,
    environment: context.environment,
    layout: chosenLayout,
    authorized: given !== undefined,
    protocol: authorization.protocol,
    testCertificate,
    bytes: pdf.length,
    notices,
  };
  const toStdout = options.output === undefined;
  return {
    exitCode: 0,
    text: toStdout ? '' : `${built.cufe} → ${options.output}`,
    json: toStdout
      ? { ...summary, pdfBase64: pdf.toString('base64') }
      : { ...summary, output: options.output },
    ...(toStdout && { binary: pdf }),
    stderr: notices,
  };
}
