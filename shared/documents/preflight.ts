import { resolveCatalogueReferences } from '#shared/catalogue/references';
import type { Finding } from '#shared/data/documents';
import { type IssuingSettings, tenantsRepository } from '#shared/data/tenants';
import { beyondDgiXsd } from '#shared/fiscal/channel-codes';
import { type ComputedDocument, computeDocument } from '#shared/fiscal/compute';
import { documentInputSchema } from '#shared/fiscal/model';
import { validateDocument } from '#shared/fiscal/validate';
import type { Violation } from '#shared/fiscal/violations';
import type { TenantContext } from '#shared/tenancy/context';
import { verifyReceiver } from './receiver-verification.ts';
import { totalsOf } from './resource.ts';

type Severity = Finding['severity'];

/**
 * What the pre-flight concluded; `computed` whenever the document passed the schema. `remember` keeps HKA's
 * fresh answer about the receiver for the next documents: call it once the document is accepted.
 */
export type PreflightOutcome = {
  computed?: ComputedDocument;
  /** The customer the document is issued to, when its receiver named one (`receiver.customerId`). */
  customerId?: string;
  errors: Finding[];
  warnings: Finding[];
  remember(): Promise<void>;
};

type TenantDefaults = Pick<
  IssuingSettings,
  'channel' | 'environment' | 'defaultBranch' | 'defaultPointOfSale' | 'cafeLayout' | 'promoteWarnings'
>;

/** A receiver HKA could not be asked about stays a warning even for a strict tenant: an outage never blocks. */
const NEVER_PROMOTED = new Set(['RUC_NOT_VERIFIED']);

/** A violation may carry its own severity and hint (rule catalogue); otherwise the list it came in decides. */
function toFinding(violation: Violation & { severity?: Severity; hint?: string }, listed: Severity): Finding {
  return {
    path: violation.path,
    message: violation.message,
    code: violation.code ?? 'RULE',
    severity: violation.severity ?? listed,
    ...(violation.hint !== undefined && { hint: violation.hint }),
  };
}

/**
 * The whole pre-flight of a document for a tenant, shared by issuing and by `POST /v1/documents/validate` so
 * both answer alike: catalogue references replaced by the customer and products they name, the tenant's defaults, every rule (warnings promoted when the tenant says so), what the
 * tenant's channel cannot carry, then the receiver as the DGI knows it (HKA's ConsultarRucDV, cached). No
 * number, no folio, nothing stored.
 */
export async function preflight(
  tenantId: string,
  rawInput: unknown,
  settings: TenantDefaults,
  now: Date,
): Promise<PreflightOutcome> {
  const references = await resolveCatalogueReferences(tenantId, rawInput);
  if (references.errors.length > 0) {
    return { errors: references.errors, warnings: [], remember: nothingToKeep };
  }
  const { input, customerId } = references;
  const result = validateDocument(withTenantDefaults(input, settings), {
    now,
    promoteWarnings: settings.promoteWarnings,
  });
  const warnings = result.warnings.map((v) => toFinding(v, 'warning'));
  if (!result.ok) {
    const errors = result.violations.map((v) => toFinding(v, 'error'));
    return {
      computed: computedDespiteRules(input, settings, now),
      customerId,
      errors,
      warnings,
      remember: nothingToKeep,
    };
  }
  const channelErrors = settings.channel === 'emitter-signed' ? beyondDgiXsd(result.document) : [];
  const errors = channelErrors.map((v) => toFinding(v, 'error'));
  const receiver = await verifyReceiver(tenantId, settings.environment, result.document.receiver, { now });
  errors.push(...receiver.errors);
  for (const finding of receiver.warnings) {
    if (settings.promoteWarnings && !NEVER_PROMOTED.has(finding.code)) {
      errors.push({ ...finding, severity: 'error' });
    } else warnings.push(finding);
  }
  return { computed: result.document, customerId, errors, warnings, remember: receiver.remember };
}

const nothingToKeep = async () => {};

/**
 * The computed document of an input that passes the schema but breaks a rule, so a pre-flight can still
 * show its totals. Computing any schema-valid input is safe: validateDocument does the same before its
 * arithmetic rules.
 */
function computedDespiteRules(input: unknown, settings: TenantDefaults, now: Date) {
  const parsed = documentInputSchema.safeParse(withTenantDefaults(input, settings));
  return parsed.success ? computeDocument(parsed.data, { now }) : undefined;
}

/**
 * What a document leaves out comes from the tenant's issuing settings rather than the schema's defaults:
 * the series (`branch`/`pointOfSale`: a tenant whose cash register is `0001`/`002` need not repeat it) and
 * the CAFE. One CAFE rule for both channels: the document's `cafeFormat` (HKA's `formatoCAFE`, the rFE's
 * `iFormCAFE`) and its `cafeLayout` (the PDF we render) default to the tenant's `cafeLayout`; a document
 * naming only one of them gets the other from it.
 */
export function withTenantDefaults(input: unknown, settings: TenantDefaults): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input;
  const raw = input as Record<string, unknown>;
  const namedLayout = raw.cafeLayout === 'letter' || raw.cafeLayout === 'ticket' ? raw.cafeLayout : undefined;
  const layout = raw.cafeFormat === undefined ? (namedLayout ?? settings.cafeLayout) : undefined;
  return {
    ...raw,
    branch: raw.branch ?? settings.defaultBranch,
    pointOfSale: raw.pointOfSale ?? settings.defaultPointOfSale,
    cafeFormat: raw.cafeFormat ?? layout,
    ...(raw.cafeLayout === undefined && layout !== undefined && { cafeLayout: layout }),
  };
}

export type PreflightReport = {
  valid: boolean;
  errors: Finding[];
  warnings: Finding[];
  totals: ReturnType<typeof totalsOf> | null;
};

/**
 * `POST /v1/documents/validate`: the issuing route's pre-flight for the caller's tenant (its defaults, its
 * channel, its `promoteWarnings`) and nothing else — no number, no folio, no document, no idempotency.
 */
export async function validateForTenant(
  ctx: TenantContext,
  input: unknown,
  now: Date = new Date(),
): Promise<PreflightReport> {
  const settings = await tenantsRepository.getIssuingSettings(ctx.tenantId);
  const { computed, errors, warnings } = await preflight(ctx.tenantId, input, settings, now);
  return { valid: errors.length === 0, errors, warnings, totals: computed ? totalsOf(computed) : null };
}
