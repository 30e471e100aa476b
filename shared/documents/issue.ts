import type { DocumentRecord } from '#shared/data/documents';
import {
  type FolioAssignment,
  type FolioBalance,
  folioReservationItems,
  foliosRepository,
} from '#shared/data/folios';
import type { IdempotencyClaim, StoredResponse } from '#shared/data/idempotency';
import { newId } from '#shared/data/ids';
import {
  createDocumentWithNumber,
  NumberContentionError,
  QuotaExhaustedError,
  SeriesExhaustedError,
} from '#shared/data/numbering';
import { tenantsRepository } from '#shared/data/tenants';
import { ConflictError, ValidationError } from '#shared/errors';
import { generateSecurityCode } from '#shared/fiscal/cufe';
import { logger } from '#shared/observability/logger';
import { MetricUnit, metrics } from '#shared/observability/metrics';
import { documentObjectKeys } from '#shared/storage/keys';
import { putObject } from '#shared/storage/s3';
import type { TenantContext } from '#shared/tenancy/context';
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
  const now = options.now ?? new Date();
  const { tenantId } = ctx;
  const settings = await tenantsRepository.getIssuingSettings(tenantId);
  const { computed, errors, warnings } = preflight(input, settings, now);
  if (!computed || errors.length > 0) {
    throw new ValidationError(
      errors.map((v) => ({ path: v.path, message: v.message })),
      'The document is not valid',
      'DOCUMENT_INVALID',
    );
  }

  const [issuer, pool, assignment] = await Promise.all([
    resolveIssuer(tenantId, computed.branch, computed.pointOfSale),
    foliosRepository.get(tenantId),
    foliosRepository.getAssignment(tenantId, ctx.userId),
    assertChannelReady(tenantId, settings.channel, settings.environment),
  ]);
  const folioDebits = folioDebitsFor(tenantId, ctx.userId, pool, assignment);

  const documentId = newId(now);
  const objects = documentObjectKeys(tenantId, documentId);
  // Claim check: the pipeline reads the document from S3; written first so it exists once the item does.
  await putObject(objects.computed, JSON.stringify(computed), 'application/json');

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
    createdBy: ctx.userId,
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
    totals: totalsOf(computed),
    warnings,
    computedKey: objects.computed,
    folioDebit: { pool: pool !== undefined, assignmentUserId: assignment ? ctx.userId : undefined },
    // The first attempt is claimed with the document: if it never starts, its lease runs out and the
    // re-drive sweep starts it.
    attempt: 1,
    leaseUntil: initialLease({ tenantId, documentId }, now).leaseUntil,
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
      extraItems: folioDebits,
      idempotency: options.idempotency && {
        scope: options.idempotency.scope,
        response: (created) => options.idempotency!.storedResponse(toDocumentResource(created)),
      },
    });
  } catch (error) {
    if (error instanceof QuotaExhaustedError) throw foliosExhausted(error.quota);
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
  if (channel === 'emitter-signed' && !(await tenantsRepository.getSigningKey(tenantId))) {
    throw new ConflictError(
      'The emitter-signed channel needs a signing certificate; upload one first',
      'SIGNING_KEY_MISSING',
    );
  }
}

/**
 * One folio from the tenant pool (once synchronized with HKA) and one from the user's assignment (when an
 * ADMIN gave the user a quota), debited in the document's own transaction. Checked here first for a
 * clear early answer; the transaction's conditions are what actually guarantee it under concurrency.
 */
function folioDebitsFor(
  tenantId: string,
  userId: string,
  pool: FolioBalance | undefined,
  assignment: FolioAssignment | undefined,
) {
  if (pool && pool.poolAvailable <= 0) throw foliosExhausted('pool');
  if (assignment && assignment.remaining <= 0) throw foliosExhausted('assignment');
  return folioReservationItems(tenantId, {
    pool: pool !== undefined,
    assignmentUserId: assignment ? userId : undefined,
  });
}

function foliosExhausted(quota: string): ConflictError {
  return new ConflictError(
    quota === 'assignment'
      ? 'You have used every folio assigned to you; ask an administrator for more'
      : 'The company has no folios left in this cycle; buy more from HKA, then sync folios',
    'FOLIOS_EXHAUSTED',
  );
}
