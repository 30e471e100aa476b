import { config } from '#shared/config/config';
import type { Finding, IssuerSnapshot } from '#shared/data/documents';
import { newId } from '#shared/data/ids';
import { tenantsRepository } from '#shared/data/tenants';
import { ValidationError } from '#shared/errors';
import { cafeLayoutOf, renderCafePdf, toDraftCafeView } from '#shared/fiscal/cafe-pdf/index';
import type { ComputedDocument } from '#shared/fiscal/compute';
import { presignWorkFileGet, putWorkFile, workFileKeys } from '#shared/storage/work-files';
import type { TenantContext } from '#shared/tenancy/context';
import { cafeLogoOf } from '#shared/tenancy/profile-cafe-logo';
import { resolveIssuer } from './issuer.ts';
import { type PreflightReport, preflight } from './preflight.ts';
import { totalsOf } from './resource.ts';

export type PreviewReport = PreflightReport & { pdf: { url: string; expiresAt: string } | null };

/**
 * `POST /v1/documents/preview`: the pre-flight of issuing (the tenant's defaults, channel and
 * `promoteWarnings`; a test API key previews in the demo environment, as it would issue) and a draft CAFE
 * of the computed document, watermarked and without number, CUFE or QR, in the work-files bucket (it
 * expires there). No number, no folio, no document, nothing sent to HKA. No PDF when the body cannot be
 * computed, or when its series is not the tenant's (the issuer printed on it comes from the series' branch).
 */
export async function previewForTenant(
  ctx: TenantContext,
  input: unknown,
  now: Date = new Date(),
): Promise<PreviewReport> {
  const tenantSettings = await tenantsRepository.getIssuingSettings(ctx.tenantId);
  const settings = ctx.demoOnly ? { ...tenantSettings, environment: 'demo' as const } : tenantSettings;
  const { computed, errors, warnings } = await preflight(ctx.tenantId, input, settings, now);
  const totals = computed ? totalsOf(computed) : null;
  if (!computed) return { valid: errors.length === 0, errors, warnings, totals, pdf: null };

  const series = await issuerOf(ctx.tenantId, computed);
  if (!series.issuer) {
    return { valid: false, errors: [...errors, ...series.errors], warnings, totals, pdf: null };
  }
  const pdf = await storeDraft(ctx.tenantId, computed, series.issuer, settings.environment, now);
  return { valid: errors.length === 0, errors, warnings, totals, pdf };
}

/** The issuer of the document's series, or why there is none (the branch or point of sale does not exist). */
async function issuerOf(
  tenantId: string,
  computed: ComputedDocument,
): Promise<{ issuer: IssuerSnapshot; errors?: never } | { issuer?: never; errors: Finding[] }> {
  try {
    return { issuer: await resolveIssuer(tenantId, computed.branch, computed.pointOfSale) };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const found: Finding[] = error.details.map((detail) => ({
      path: detail.path,
      message: detail.message,
      code: detail.path === 'branch' ? 'BRANCH_NOT_FOUND' : 'POINT_OF_SALE_NOT_FOUND',
      severity: 'error',
    }));
    return { errors: found };
  }
}

async function storeDraft(
  tenantId: string,
  computed: ComputedDocument,
  issuer: IssuerSnapshot,
  environment: 'demo' | 'prod',
  now: Date,
): Promise<{ url: string; expiresAt: string }> {
  const logo = await cafeLogoOf(tenantId);
  const view = toDraftCafeView(computed, {
    issuer,
    environment: environment === 'prod' ? '1' : '2',
    pointOfSale: computed.pointOfSale,
  });
  const pdf = await renderCafePdf(logo ? { ...view, logo } : view, { layout: cafeLayoutOf(computed) });
  const previewId = newId(now);
  const key = workFileKeys(tenantId).preview(previewId);
  await putWorkFile(key, pdf, 'application/pdf');
  const ttl = config().downloadUrlTtlSeconds;
  const url = await presignWorkFileGet(key, {
    expiresInSeconds: ttl,
    fileName: `borrador-${previewId}.pdf`,
    contentType: 'application/pdf',
  });
  return { url, expiresAt: new Date(now.getTime() + ttl * 1000).toISOString() };
}
