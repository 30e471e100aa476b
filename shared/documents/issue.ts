import { now as clockNow } from '#shared/clock';
import { contingencyIssuing } from '#shared/contingency/acceptance';
import type { DocumentRecord, Finding, FolioDebit } from '#shared/data/documents';
import { foliosRepository, QuotaExhaustedError, reserveFolios } from '#shared/data/folios';
import type { IdempotencyClaim, StoredResponse } from '#shared/data/idempotency';
import { newId } from '#shared/data/ids';
import {
  createDocumentWithNumber,
  DocumentOutcomeUnknownError,
  NumberContentionError,
  SeriesExhaustedError,
} from '#shared/data/numbering';
import { tenantsRepository } from '#shared/data/tenants';
import { ConflictError, type ErrorDetail, ValidationError } from '#shared/errors';
import { generateSecurityCode } from '#shared/fiscal/cufe';
import { logger } from '#shared/observability/logger';
import { MetricUnit, metrics } from '#shared/observability/metrics';
import { ledgerOf } from '#shared/reports/ledger';
import { documentObjectKeys } from '#shared/storage/keys';
import { putObject } from '#shared/storage/s3';
import {
  assertCertificateNotExpired,
  SigningCertificateExpiredError,
} from '#shared/tenancy/certificate-expiry';
import { actorRef, type TenantContext } from '#shared/tenancy/context';
import { hasHkaCredentials } from '#shared/tenancy/credentials';
import { initialLease, startClaimedAttempt } from './attempts.ts';
import { resolveIssuer } from './issuer.ts';
import { preflight } from './preflight.ts';
import { type DocumentResource, toDocumentResource, totalsOf } from './resource.ts';

export type IssueOptions = {
  /**
   * Present when the request carried an Idempotency-Key: the request's claim (its IN_PROGRESS record), which
   * the number transaction completes with the response, so the document and the final record exist together.
   */
  idempotency?: { scope: IdempotencyClaim; storedResponse: (doc: DocumentResource) => StoredResponse };
  now?: Date;
};

/**
 * Accepts a document for issuing: validates it completely (422 with every violation; its warnings are kept
 * on the document), checks the tenant can issue on its channel, allocates the number and creates the document (status PROCESSING) with its
 * idempotency record in one transaction, then starts the issuing pipeline.
 */
export async function issueDocument(
  ctx: TenantContext,
  input: unknown,
  options: IssueOptions = {},
): Promise<DocumentResource> {
  const now = options.now ?? clockNow();
  const { tenantId } = ctx;
  const tenantSettings = await tenantsRepository.getIssuingSettings(tenantId);
  // A test API key issues in HKA's demo environment whatever the tenant's setting (TenantContext.demoOnly).
  const settings = ctx.demoOnly ? { ...tenantSettings, environment: 'demo' as const } : tenantSettings;
  const contingency = await contingencyIssuing(settings, input, now);
  const { computed, customerId, errors, warnings, remember } = await preflight(
    tenantId,
    contingency?.input ?? input,
    settings,
    now,
  );
  if (!computed || errors.length > 0) {
    throw new ValidationError(errors.map(errorDetailOf), 'The document is not valid', 'DOCUMENT_INVALID');
  }

  const [issuer, pool, assignment] = await Promise.all([
    resolveIssuer(tenantId, computed.branch, computed.pointOfSale),
    foliosRepository.get(tenantId),
    foliosRepository.getAssignment(tenantId, ctx.actor.id),
    assertChannelReady(tenantId, settings.channel, settings.environment),
  ]);
  // A clear early answer; the conditional debits below are what guarantee it under concurrency.
  if (pool && pool.poolAvailable <= 0) throw foliosExhausted('pool');
  if (assignment && assignment.remaining <= 0) throw foliosExhausted('assignment');

  const documentId = newId(now);
  const objects = documentObjectKeys(tenantId, documentId);
  // Both before the number, at once: the computed document (claim check: the pipeline reads it from S3, so
  // it exists before the item does) and the folios (a refusal then leaves no number behind).
  const [stored, reserved] = await Promise.allSettled([
    putObject(objects.computed, JSON.stringify(computed), 'application/json'),
    reserveFoliosOrRefuse(tenantId, ctx.actor.id, {
      pool: pool !== undefined,
      assignment: assignment !== undefined,
    }),
  ]);
  if (reserved.status === 'rejected') throw reserved.reason;
  const folioDebit = reserved.value;
  if (stored.status === 'rejected') {
    await giveFoliosBack(tenantId, folioDebit);
    throw stored.reason;
  }
  const securityCode = generateSecurityCode();
  const build = (number: string): DocumentRecord => ({
    tenantId,
    documentId,
    type: computed.type,
    typeCode: computed.codes.iDoc,
    emissionType: computed.codes.iTpEmis,
    status: 'PROCESSING',
    branch: computed.branch,
    pointOfSale: computed.pointOfSale,
    number,
    issuedAt: computed.issuedAt,
    createdBy: actorRef(ctx.actor),
    channel: settings.channel,
    environment: settings.environment,
    securityCode,
    issuer,
    receiver: {
      type: computed.receiver.type,
      ruc: computed.receiver.ruc,
      name: computed.receiver.name,
      emails: computed.receiver.emails,
    },
    receiverRuc: computed.receiver.ruc,
    customerId,
    totals: totalsOf(computed),
    ledger: ledgerOf(computed),
    warnings: boundedWarnings(warnings),
    computedKey: objects.computed,
    folioDebit,
    ...(contingency && { contingency: { startedAt: contingency.startedAt } }),
    // The first attempt is claimed with the document: if it never starts, its lease runs out and the
    // re-drive sweep starts it. Leases are on the application clock, the one the sweep compares with.
    attempt: 1,
    leaseUntil: initialLease({ tenantId, documentId }, options.now ?? clockNow()).leaseUntil,
    updatedAt: now.toISOString(),
  });

  let doc: DocumentRecord;
  try {
    doc = await createDocumentWithNumber({
      tenantId,
      branch: computed.branch,
      pointOfSale: computed.pointOfSale,
      build,
      now,
      idempotency: options.idempotency && {
        scope: options.idempotency.scope,
        response: (created) => options.idempotency!.storedResponse(toDocumentResource(created)),
      },
    });
  } catch (error) {
    // Not created: its folios go back. (Unknown: the document may exist and hold them.)
    if (!(error instanceof DocumentOutcomeUnknownError)) await giveFoliosBack(tenantId, folioDebit);
    if (error instanceof SeriesExhaustedError) {
      throw new ConflictError('This point of sale has used every document number', 'SERIES_EXHAUSTED');
    }
    if (error instanceof NumberContentionError) {
      throw new ConflictError(
        'Too many documents at once on this point of sale; retry shortly',
        'NUMBER_CONTENTION',
      );
    }
    throw error;
  }
  metrics.addMetric('DocumentAccepted', MetricUnit.Count, 1);
  await remember();

  // The document and its number exist; answering 500 would make the client retry into a replay of this
  // 202 anyway. A start that fails is left to the re-drive sweep (the attempt's lease runs out).
  await startClaimedAttempt(doc, (error) => {
    logger.error('Issuing workflow did not start; the re-drive sweep will start it', {
      documentId,
      error: error as Error,
    });
    metrics.addMetric('PipelineStartFailed', MetricUnit.Count, 1);
  });
  return toDocumentResource(doc);
}

/** A pre-flight finding as a 422 detail: where, what, and the rule's code, severity and hint. */
function errorDetailOf(finding: Finding): ErrorDetail {
  return {
    path: finding.path,
    message: finding.message,
    code: finding.code,
    severity: finding.severity,
    ...(finding.hint !== undefined && { hint: finding.hint }),
  };
}

/**
 * Warnings kept on a document: enough to act on, bounded so that a 1,000-item document with a warning per
 * item stays far below DynamoDB's 400 KB item (a finding is ~200 bytes; 1,000 of them would crowd out the
 * rest). The last entry counts what was left out; `POST /v1/documents/validate` lists every one.
 */
export const STORED_WARNINGS_LIMIT = 50;

export function boundedWarnings(warnings: Finding[]): Finding[] {
  if (warnings.length <= STORED_WARNINGS_LIMIT) return warnings;
  const left = warnings.length - STORED_WARNINGS_LIMIT;
  return [
    ...warnings.slice(0, STORED_WARNINGS_LIMIT),
    {
      path: '(document)',
      message: `${left} more warning${left === 1 ? '' : 's'} not kept on the document; POST /v1/documents/validate lists them all`,
      code: 'MORE_WARNINGS',
      severity: 'warning',
    },
  ];
}

/** Configuration problems surface at accept time (409), not as a FAILED document minutes later. */
async function assertChannelReady(
  tenantId: string,
  channel: 'hka-integration' | 'emitter-signed',
  environment: 'demo' | 'prod',
): Promise<void> {
  // Both channels submit through HKA with the tenant's token pair of the configured environment.
  if (!(await hasHkaCredentials(tenantId, environment))) {
    throw new ConflictError(
      `HKA ${environment} credentials are not configured for this tenant`,
      'HKA_CREDENTIALS_MISSING',
    );
  }
  if (channel === 'emitter-signed') {
    const signingKey = await tenantsRepository.getSigningKey(tenantId);
    if (!signingKey) {
      throw new ConflictError(
        'The emitter-signed channel needs a signing certificate; upload one first',
        'SIGNING_KEY_MISSING',
      );
    }
    try {
      assertCertificateNotExpired(signingKey, clockNow());
    } catch (error) {
      if (!(error instanceof SigningCertificateExpiredError)) throw error;
      throw new ConflictError(error.message, 'CERTIFICATE_EXPIRED');
    }
  }
}

/** The document's folios (see `reserveFolios`), or 409 FOLIOS_EXHAUSTED. */
async function reserveFoliosOrRefuse(
  tenantId: string,
  userId: string,
  holds: { pool: boolean; assignment: boolean },
): Promise<FolioDebit> {
  try {
    return await reserveFolios(tenantId, userId, holds);
  } catch (error) {
    if (error instanceof QuotaExhaustedError) throw foliosExhausted(error.quota);
    throw error;
  }
}

/**
 * Credits the folios of a document that was not created. A credit that fails leaves the pool one folio
 * lower than HKA's count (never higher) until the next sync; the request's own error is what the caller
 * must see.
 */
async function giveFoliosBack(tenantId: string, debit: FolioDebit): Promise<void> {
  try {
    await foliosRepository.credit(tenantId, debit);
  } catch (error) {
    logger.error('Folios of a document that was not created could not be given back', {
      debit,
      error: error as Error,
    });
    metrics.addMetric('FolioCreditFailed', MetricUnit.Count, 1);
  }
}

function foliosExhausted(quota: string): ConflictError {
  return new ConflictError(
    quota === 'assignment'
      ? 'You have used every folio assigned to you; ask an administrator for more'
      : 'The company has no folios left in this cycle; buy more from HKA, then sync folios',
    'FOLIOS_EXHAUSTED',
  );
}
