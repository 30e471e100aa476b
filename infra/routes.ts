import { alertOperations } from '#shared/alerts/api';
import { auditOperations } from '#shared/audit/api';
import { batchOperations } from '#shared/batches/api';
import { customerOperations, productOperations } from '#shared/catalogue/api';
import { documentActionOperations, documentOperations, folioOperations } from '#shared/documents/api';
import { exportOperations } from '#shared/exports/api';
import { docsOperations } from '#shared/http/docs-operations';
import { healthOperations } from '#shared/http/health-operations';
import type { Operation } from '#shared/http/operation';
import { reportOperations } from '#shared/reports/api';
import { platformOperations, profileOperations, tenantOperations, userOperations } from '#shared/tenancy/api';
import { apiKeyOperations } from '#shared/tenancy/api-keys-api';
import { webhookOperations } from '#shared/webhooks/api';

/**
 * The wiring of the system as data: which handler file serves which API route, and which pipeline /
 * event functions exist, each with the grants (by intent) its role receives. The stacks are built from
 * these lists and test/infra checks the synthesized template against them, so a route cannot silently
 * point at the wrong function.
 */

/** Permissions by intent. Each maps to one `grant…` method of `infra/constructs/grants.ts`. */
export type Grant =
  /** GetItem/Query/BatchGetItem on the table and its GSIs, kms:Decrypt on the data key. */
  | 'readDocuments'
  /** readDocuments + PutItem/UpdateItem/DeleteItem/ConditionCheckItem/BatchWriteItem, kms:Encrypt/GenerateDataKey. */
  | 'writeDocuments'
  /**
   * dynamodb:PutItem only (no update, delete or batch) on the table, kms:Encrypt/GenerateDataKey: adds
   * items such as a document's history events (`EMAIL_SENT`) and idempotency records. With readDocuments.
   */
  | 'appendDocumentEvents'
  /**
   * dynamodb:PutItem/UpdateItem/DeleteItem on the tenant's request bookkeeping only — idempotency records and
   * rate-limit windows (`dynamodb:LeadingKeys` `T#<tenant>#IDEMPOTENCY#*`, `T#<tenant>#LIMIT#*`) —,
   * kms:Encrypt/GenerateDataKey through DynamoDB. For routes that otherwise only read or append.
   */
  | 'trackRequests'
  /**
   * dynamodb:Query on the table, only on the platform partition `T#_platform` (the tenant registry:
   * `dynamodb:LeadingKeys`), kms:Decrypt on the data key. The folio-sync fan-out.
   */
  | 'listTenants'
  /** s3:GetObject under `tenants/*` (also what a presigned GET needs). */
  | 'readObjects'
  /** s3:PutObject under `tenants/*`. */
  | 'writeObjects'
  /** s3:GetObject under `tenants/<tenant>/` of the work-files bucket (drafts, exports, uploads; also presigned GETs). */
  | 'readWorkFiles'
  /** s3:PutObject/AbortMultipartUpload under `tenants/<tenant>/` of the work-files bucket (also presigned PUTs). */
  | 'writeWorkFiles'
  /** states:StartExecution on the issuing workflow. */
  | 'startIssuing'
  /**
   * dynamodb:Query on the in-flight index only, only its platform partitions (`T#_platform#INFLIGHT#*`:
   * `dynamodb:LeadingKeys`). The re-drive sweep.
   */
  | 'findDueDocuments'
  /**
   * dynamodb:GetItem/UpdateItem of the HKA circuit breakers only (`T#_platform#HKA#*`: `dynamodb:LeadingKeys`), on
   * the execution role, kms through DynamoDB: what issuing attempts and the re-drive sweep learn about HKA.
   */
  | 'trackHkaAvailability'
  /** events:PutEvents on the factu event bus. */
  | 'publishEvents'
  /** secretsmanager:GetSecretValue on the platform secret. */
  | 'readPlatformSecret'
  /** secretsmanager:GetSecretValue on the cursor secret (seals list pagination cursors). */
  | 'readCursorSecret'
  /** ses:SendEmail/SendRawEmail from the platform identity with the configuration set. */
  | 'sendEmail'
  /** sqs:SendMessage on the folio sync queue. */
  | 'enqueueFolioSync'
  /** sqs:SendMessage on the export queue. */
  | 'enqueueExports'
  /** sqs:SendMessage on the batch validation and batch issue queues (bulk issuing). */
  | 'enqueueBatchWork'
  /** sqs:SendMessage on the webhook delivery queue. */
  | 'enqueueWebhookDeliveries'
  /**
   * dynamodb:Query on the in-flight index only, only its webhook partitions (`T#_platform#WEBHOOKS_DUE#*`:
   * `dynamodb:LeadingKeys`). The webhook delivery sweep.
   */
  | 'findDueWebhookDeliveries'
  /** kms:Sign/GetPublicKey/DescribeKey on tenant signing keys (tag `purpose=rfe-signing`, as kms-import.ts tags them). */
  | 'signWithTenantKeys'
  /** kms:CreateKey/TagResource/GetParametersForImport/ImportKeyMaterial/ScheduleKeyDeletion for tenant signing keys (tag-conditioned). */
  | 'manageSigningKeys'
  /** kms:ScheduleKeyDeletion of the tenant's signing keys (tag-conditioned, pending window ≥ 30 days). */
  | 'retireSigningKeys'
  /**
   * dynamodb:PutItem on the tenant's audit partition only (`dynamodb:LeadingKeys` `T#<tenant>#AUDIT`),
   * kms:Encrypt/GenerateDataKey through DynamoDB: an audit entry after an action that writes nothing else.
   */
  | 'appendAuditEntries'
  /**
   * dynamodb:Query of the platform's audit partition only (`T#_platform#AUDIT`), on the execution role: the
   * trail a SUPER_ADMIN reads.
   */
  | 'readPlatformAudit'
  /**
   * dynamodb:GetItem/Query of the tenant registry only (`T#_platform`: `dynamodb:LeadingKeys`), on the
   * execution role, kms:Decrypt through DynamoDB. The platform's tenant listing and reads.
   */
  | 'readTenants'
  /**
   * readTenants + UpdateItem of registry entries (status), GetItem of RUC registrations
   * (`T#_platform#RUC#*`), PutItem of platform audit entries (`T#_platform#AUDIT`): execution role.
   */
  | 'manageTenants'
  /** Put/Update/Delete/Get of the platform's idempotency records (`T#_platform#IDEMPOTENCY#*`): execution role. */
  | 'trackPlatformRequests'
  /**
   * On the tenant role, for a session of the tenant being created: Get/Put/UpdateItem of its items
   * (`T#<tenant>`, `T#<tenant>#…`) and PutItem only of its registry entry, RUC registration and the platform
   * audit entry (`T#_platform`, `T#_platform#RUC#*`, `T#_platform#AUDIT`), in one transaction.
   */
  | 'provisionTenants'
  /**
   * cognito-idp admin actions on the user pool (create with invitation, get, groups, enable/disable,
   * global sign-out, delete): execution role; the routes confine themselves to the tenant's users.
   */
  | 'manageUsers'
  /** secretsmanager:GetSecretValue on the API key hash secret (the HMAC key of API key secrets). */
  | 'readApiKeyHashSecret'
  /** dynamodb:PutItem/DeleteItem of API key lookups only (`T#_platform#API_KEY#*`), in the tenant's transaction. */
  | 'manageApiKeyLookups'
  /** dynamodb:PutItem of users' access entries only (`T#_platform#USER#*`), in the tenant's transaction. */
  | 'manageUserAccess'
  /**
   * The API's authorizer: GetItem of API key lookups, users' access entries and tenant registry entries; UpdateItem of an API key's
   * `lastUsedAt` only, through the tenant's session.
   */
  | 'authorizeCallers'
  /**
   * PutItem/Query/DeleteItem of the alert digests due across tenants only (`T#_platform#ALERT_DIGEST`:
   * `dynamodb:LeadingKeys`), on the execution role: tenant ids and window ends, no tenant data.
   */
  | 'trackAlertDigests';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One API route: the operation (method, path, who may call it, its schemas — declared once in shared/, where
 * the handler validates with it and OpenAPI is generated from it) served by one function.
 */
export interface ApiRoute {
  /**
   * Construct id of the function (default: from the file name, `get-document.ts` → `GetDocument`); set
   * when that would clash with another function's (e.g. the API and the queue consumer of folio sync).
   */
  readonly id?: string;
  readonly operation: Operation;
  /** Handler file relative to the repository root (it serves `operation`). */
  readonly entry: string;
  readonly grants: readonly Grant[];
  /** Memory in MB (default 512). */
  readonly memorySize?: number;
  /**
   * Timeout in seconds (default 10; API Gateway's own limit is 29). Routes that call HKA use 28: the HKA
   * client gives up after 25 s, so the handler can still answer 503 before API Gateway cuts it off.
   */
  readonly timeoutSeconds?: number;
}

export interface BackgroundFunction {
  /** Stable id used for the construct id (and the state name for pipeline steps). */
  readonly id: string;
  readonly entry: string;
  readonly grants: readonly Grant[];
  readonly memorySize?: number;
  readonly timeoutSeconds?: number;
}

/** The HTTP method of a route, as API Gateway spells it. */
export const methodOf = (route: ApiRoute): HttpMethod => route.operation.method.toUpperCase() as HttpMethod;

/** Routes without a permission are public (the API documentation); every other one goes through the authorizer. */
export const isPublic = (route: ApiRoute): boolean => route.operation.permission === undefined;

/** Whether API Gateway should insist on a JSON object body (the operation declares one). */
export const takesBody = (route: ApiRoute): boolean => route.operation.body !== undefined;

export const apiRoutes: readonly ApiRoute[] = [
  {
    operation: documentOperations.issueDocument,
    entry: 'functions/api/documents/issue-document.ts',
    // trackHkaAvailability: a tenant issuing in contingency reads the HKA circuit breaker (GetItem).
    grants: ['writeDocuments', 'writeObjects', 'startIssuing', 'trackHkaAvailability'],
    timeoutSeconds: 20,
  },
  {
    operation: documentOperations.validateDocument,
    // Reads the tenant's issuing settings (defaults, channel, promoteWarnings); writes nothing.
    entry: 'functions/api/documents/validate-document.ts',
    grants: ['readDocuments'],
  },
  {
    operation: documentOperations.previewDocument,
    // The pre-flight's reads, the issuer's logo (documents bucket), the draft CAFE written to the work-files
    // bucket and its presigned GET. No table write: nothing is issued.
    entry: 'functions/api/documents/preview-document.ts',
    grants: ['readDocuments', 'readObjects', 'writeWorkFiles', 'readWorkFiles'],
    timeoutSeconds: 20,
  },
  {
    operation: documentOperations.listDocuments,
    entry: 'functions/api/documents/list-documents.ts',
    grants: ['readDocuments', 'readCursorSecret'],
  },
  {
    // Counts from the status index only: no document is read.
    operation: documentOperations.countDocuments,
    entry: 'functions/api/documents/count-documents.ts',
    grants: ['readDocuments'],
  },
  {
    operation: documentOperations.getDocument,
    entry: 'functions/api/documents/get-document.ts',
    grants: ['readDocuments'],
  },
  {
    operation: documentOperations.getDocumentByCufe,
    entry: 'functions/api/documents/get-document-by-cufe.ts',
    grants: ['readDocuments'],
  },
  {
    operation: documentOperations.getDocumentEvents,
    entry: 'functions/api/documents/get-document-events.ts',
    grants: ['readDocuments'],
  },
  {
    operation: documentOperations.getDocumentLines,
    entry: 'functions/api/documents/get-document-lines.ts',
    grants: ['readDocuments', 'readObjects'],
  },
  {
    operation: documentOperations.getDocumentXml,
    entry: 'functions/api/documents/get-document-xml.ts',
    grants: ['readDocuments', 'readObjects'],
  },
  {
    operation: documentOperations.getDocumentPdf,
    entry: 'functions/api/documents/get-document-pdf.ts',
    grants: ['readDocuments', 'readObjects'],
  },
  {
    operation: documentActionOperations.cancelDocument,
    // AnulacionDocumento through HKA: the tenant's HKA credentials are decrypted with the data key
    // (readDocuments' kms:Decrypt); the transition and the idempotency record are table writes; then
    // document.cancelled.
    entry: 'functions/api/documents/cancel-document.ts',
    grants: ['writeDocuments', 'publishEvents'],
    timeoutSeconds: 28,
  },
  {
    operation: documentActionOperations.retryDocument,
    entry: 'functions/api/documents/retry-document.ts',
    grants: ['writeDocuments', 'startIssuing'],
  },
  {
    operation: documentActionOperations.emailDocument,
    // Reads the document and its CAFE/rFE, sends with SES; appends the EMAIL_SENT history event and the audit
    // entry; claims, completes or releases its idempotency record and counts the resend limits.
    entry: 'functions/api/documents/email-document.ts',
    grants: ['readDocuments', 'appendDocumentEvents', 'trackRequests', 'readObjects', 'sendEmail'],
    memorySize: 1024,
    timeoutSeconds: 20,
  },
  {
    operation: folioOperations.getFolios,
    entry: 'functions/api/folios/get-folios.ts',
    grants: ['readDocuments'],
  },
  {
    id: 'SyncFoliosNow',
    operation: folioOperations.syncFolios,
    // FoliosRestantes through HKA (credentials decrypted with the data key), balance stored, `folios.low`.
    entry: 'functions/api/folios/sync-folios.ts',
    grants: ['writeDocuments', 'publishEvents'],
    timeoutSeconds: 28,
  },
  {
    operation: folioOperations.assignFolios,
    entry: 'functions/api/folios/assign-folios.ts',
    grants: ['writeDocuments'],
  },
  {
    operation: tenantOperations.createBranch,
    entry: 'functions/api/branches/create-branch.ts',
    grants: ['writeDocuments'],
  },
  {
    operation: tenantOperations.listBranches,
    entry: 'functions/api/branches/list-branches.ts',
    grants: ['readDocuments'],
  },
  {
    operation: tenantOperations.createPointOfSale,
    entry: 'functions/api/branches/create-point-of-sale.ts',
    grants: ['writeDocuments'],
  },
  {
    operation: tenantOperations.listPointsOfSale,
    entry: 'functions/api/branches/list-points-of-sale.ts',
    grants: ['readDocuments'],
  },
  {
    operation: tenantOperations.putHkaCredentials,
    // kms:Encrypt of the token pair with the data key (encryption context tenantId) comes with writeDocuments.
    entry: 'functions/api/settings/put-hka-credentials.ts',
    grants: ['writeDocuments'],
  },
  {
    operation: tenantOperations.testHkaCredentials,
    // Decrypts the stored pair (readDocuments' kms:Decrypt) and calls HKA FoliosRestantes; audits the outcome.
    entry: 'functions/api/settings/test-hka-credentials.ts',
    grants: ['readDocuments', 'appendAuditEntries'],
    timeoutSeconds: 28,
  },
  {
    operation: tenantOperations.getIssuingSettings,
    entry: 'functions/api/settings/get-issuing-settings.ts',
    grants: ['readDocuments'],
  },
  {
    operation: tenantOperations.putIssuingSettings,
    entry: 'functions/api/settings/put-issuing-settings.ts',
    grants: ['writeDocuments'],
  },
  {
    operation: tenantOperations.uploadCertificate,
    // Imports the P12's private key into a new KMS key tagged purpose=rfe-signing, tenantId=<tenant>.
    entry: 'functions/api/certificates/upload-certificate.ts',
    grants: ['writeDocuments', 'manageSigningKeys'],
    memorySize: 1024,
    timeoutSeconds: 20,
  },
  {
    operation: tenantOperations.listCertificates,
    entry: 'functions/api/certificates/list-certificates.ts',
    grants: ['readDocuments'],
  },
  {
    operation: tenantOperations.deleteCertificate,
    // Schedules deletion of the tenant's KMS signing key (30-day pending window), then forgets its record.
    entry: 'functions/api/certificates/delete-certificate.ts',
    grants: ['writeDocuments', 'retireSigningKeys'],
  },
  // --- audit trail ---
  {
    operation: auditOperations.listAuditEvents,
    // A tenant's trail through its tenant session (readDocuments); the platform's with the execution role.
    entry: 'functions/api/audit/list-audit-events.ts',
    grants: ['readDocuments', 'readCursorSecret', 'readPlatformAudit'],
  },
  // Tenants (platform), users and the company profile.
  {
    operation: platformOperations.createTenant,
    // The new tenant's items, registry entry, RUC registration and platform audit entry in one transaction
    // (a provisioning session of the new tenant), then the first ADMIN's Cognito invitation and USER# item.
    entry: 'functions/api/tenants/create-tenant.ts',
    grants: ['provisionTenants', 'manageTenants', 'trackPlatformRequests', 'manageUsers', 'manageUserAccess'],
    timeoutSeconds: 20,
  },
  {
    operation: platformOperations.listTenants,
    entry: 'functions/api/tenants/list-tenants.ts',
    grants: ['readTenants', 'readCursorSecret'],
  },
  {
    operation: platformOperations.getTenant,
    entry: 'functions/api/tenants/get-tenant.ts',
    grants: ['readTenants'],
  },
  {
    operation: platformOperations.updateTenant,
    entry: 'functions/api/tenants/update-tenant.ts',
    grants: ['manageTenants'],
  },
  {
    operation: userOperations.inviteUser,
    entry: 'functions/api/users/invite-user.ts',
    grants: ['writeDocuments', 'manageUsers', 'manageUserAccess'],
  },
  {
    operation: userOperations.listUsers,
    entry: 'functions/api/users/list-users.ts',
    grants: ['readDocuments', 'readCursorSecret'],
  },
  {
    operation: userOperations.getUser,
    entry: 'functions/api/users/get-user.ts',
    grants: ['readDocuments'],
  },
  {
    operation: userOperations.updateUser,
    entry: 'functions/api/users/update-user.ts',
    grants: ['writeDocuments', 'manageUsers', 'manageUserAccess'],
  },
  {
    operation: userOperations.deleteUser,
    entry: 'functions/api/users/delete-user.ts',
    grants: ['writeDocuments', 'manageUsers', 'manageUserAccess'],
  },
  {
    operation: profileOperations.getProfile,
    // The logo's download URL is presigned: the session that signs it must be allowed to GET the object.
    entry: 'functions/api/profile/get-profile.ts',
    grants: ['readDocuments', 'readObjects'],
  },
  {
    operation: profileOperations.putProfile,
    entry: 'functions/api/profile/put-profile.ts',
    grants: ['writeDocuments', 'writeObjects', 'readObjects'],
  },
  // API keys: the tenant's item, the authorizer's lookup and the audit entry in one transaction.
  {
    operation: apiKeyOperations.createApiKey,
    entry: 'functions/api/api-keys/create-api-key.ts',
    grants: ['writeDocuments', 'manageApiKeyLookups', 'readApiKeyHashSecret'],
  },
  {
    operation: apiKeyOperations.listApiKeys,
    entry: 'functions/api/api-keys/list-api-keys.ts',
    grants: ['readDocuments'],
  },
  {
    operation: apiKeyOperations.revokeApiKey,
    entry: 'functions/api/api-keys/revoke-api-key.ts',
    grants: ['writeDocuments', 'manageApiKeyLookups'],
  },
  // Reports: a month's documents (or a series' claims) read through the tenant's session; documents issued
  // before ledgers existed are read from their computed document (readObjects); CSV and XLSX are written to
  // the work-files bucket and handed out by a presigned GET (writeWorkFiles, readWorkFiles).
  {
    operation: reportOperations.getSalesBook,
    entry: 'functions/api/reports/get-sales-book.ts',
    grants: ['readDocuments', 'readObjects', 'readWorkFiles', 'writeWorkFiles'],
    memorySize: 1024,
    timeoutSeconds: 28,
  },
  {
    operation: reportOperations.getItbmsSummary,
    entry: 'functions/api/reports/get-itbms-summary.ts',
    grants: ['readDocuments', 'readObjects', 'readWorkFiles', 'writeWorkFiles'],
    memorySize: 1024,
    timeoutSeconds: 28,
  },
  {
    operation: reportOperations.getNumberingAudit,
    entry: 'functions/api/reports/get-numbering-audit.ts',
    grants: ['readDocuments', 'readWorkFiles', 'writeWorkFiles'],
    memorySize: 1024,
    timeoutSeconds: 28,
  },
  // The catalogue: customers and products (each with its uniqueness item and search keys in one transaction).
  {
    operation: customerOperations.createCustomer,
    // Checks a taxpayer's RUC with HKA (ConsultarRucDV, credentials decrypted with the data key; 5 s deadline).
    entry: 'functions/api/customers/create-customer.ts',
    grants: ['writeDocuments'],
    timeoutSeconds: 20,
  },
  {
    operation: customerOperations.listCustomers,
    entry: 'functions/api/customers/list-customers.ts',
    grants: ['readDocuments', 'readCursorSecret'],
  },
  {
    operation: customerOperations.getCustomer,
    entry: 'functions/api/customers/get-customer.ts',
    grants: ['readDocuments'],
  },
  {
    operation: customerOperations.updateCustomer,
    entry: 'functions/api/customers/update-customer.ts',
    grants: ['writeDocuments'],
    timeoutSeconds: 20,
  },
  {
    operation: customerOperations.deleteCustomer,
    entry: 'functions/api/customers/delete-customer.ts',
    grants: ['writeDocuments'],
  },
  {
    operation: productOperations.createProduct,
    entry: 'functions/api/products/create-product.ts',
    grants: ['writeDocuments'],
  },
  {
    operation: productOperations.listProducts,
    entry: 'functions/api/products/list-products.ts',
    grants: ['readDocuments', 'readCursorSecret'],
  },
  {
    operation: productOperations.getProduct,
    entry: 'functions/api/products/get-product.ts',
    grants: ['readDocuments'],
  },
  {
    operation: productOperations.updateProduct,
    entry: 'functions/api/products/update-product.ts',
    grants: ['writeDocuments'],
  },
  {
    operation: productOperations.deleteProduct,
    entry: 'functions/api/products/delete-product.ts',
    grants: ['writeDocuments'],
  },
  // Exports: the job is counted and queued by the API, run by the RunExport worker.
  {
    operation: exportOperations.createExport,
    // Counts the period on the status index, stores the job, queues it (its failure is recorded on the job).
    entry: 'functions/api/exports/create-export.ts',
    grants: ['writeDocuments', 'enqueueExports'],
  },
  {
    operation: exportOperations.getExport,
    // The ZIP's download URL is presigned: the session that signs it must be allowed to GET the object.
    entry: 'functions/api/exports/get-export.ts',
    grants: ['readDocuments', 'readWorkFiles'],
  },
  // Bulk issuing: the input is stored in the work-files bucket, the rows' work goes through two queues.
  {
    operation: batchOperations.createBatch,
    // Reads an uploaded CSV, writes the batch's input (work files), queues its validation, writes the batch
    // item with the idempotency record.
    entry: 'functions/api/batches/create-batch.ts',
    grants: ['writeDocuments', 'readWorkFiles', 'writeWorkFiles', 'enqueueBatchWork'],
    memorySize: 1024,
    timeoutSeconds: 28,
  },
  {
    operation: batchOperations.createBatchUpload,
    // Presigns a PUT: the session that signs must be allowed to put the object.
    entry: 'functions/api/batches/create-batch-upload.ts',
    grants: ['writeWorkFiles'],
  },
  {
    operation: batchOperations.getBatch,
    entry: 'functions/api/batches/get-batch.ts',
    grants: ['readDocuments'],
  },
  {
    operation: batchOperations.listBatches,
    // A Query of the tenant's batch items, newest first.
    entry: 'functions/api/batches/list-batches.ts',
    grants: ['readDocuments', 'readCursorSecret'],
  },
  {
    operation: batchOperations.listBatchRows,
    // The rows, then their documents' statuses (BatchGetItem).
    entry: 'functions/api/batches/list-batch-rows.ts',
    grants: ['readDocuments', 'readCursorSecret'],
  },
  {
    operation: batchOperations.cancelBatch,
    // A batch whose every row had ended closes at once: batch.completed.
    entry: 'functions/api/batches/cancel-batch.ts',
    grants: ['writeDocuments', 'publishEvents'],
  },
  // Webhooks: test and redeliver attempt the delivery within the request (the receiver has 10 s); a failed
  // redelivery is then retried by the sweep and the delivery worker.
  {
    operation: webhookOperations.createWebhook,
    // Encrypts the new endpoint's secret with the data key (tenant encryption context).
    entry: 'functions/api/webhooks/create-webhook.ts',
    grants: ['writeDocuments'],
  },
  // Alert e-mail preferences of the calling ADMIN (an item of its own beside the user's).
  {
    operation: alertOperations.getAlertPreferences,
    entry: 'functions/api/alerts/get-alert-preferences.ts',
    grants: ['readDocuments'],
  },
  {
    operation: alertOperations.putAlertPreferences,
    entry: 'functions/api/alerts/put-alert-preferences.ts',
    grants: ['writeDocuments'],
  },
  {
    operation: healthOperations.getHealth,
    entry: 'functions/api/health/get-health.ts',
    // GetItem of the HKA circuit breakers (platform partitions, no tenant data): also the DynamoDB check.
    grants: ['trackHkaAvailability'],
    memorySize: 256,
  },
  {
    operation: webhookOperations.listWebhooks,
    entry: 'functions/api/webhooks/list-webhooks.ts',
    grants: ['readDocuments'],
  },
  {
    operation: webhookOperations.deleteWebhook,
    entry: 'functions/api/webhooks/delete-webhook.ts',
    grants: ['writeDocuments'],
  },
  {
    operation: webhookOperations.listWebhookDeliveries,
    entry: 'functions/api/webhooks/list-webhook-deliveries.ts',
    grants: ['readDocuments', 'readCursorSecret'],
  },
  {
    operation: webhookOperations.redeliverWebhookDelivery,
    // Decrypts the secret, POSTs, records the attempt; a failure may disable the endpoint (webhook.disabled).
    entry: 'functions/api/webhooks/redeliver-webhook-delivery.ts',
    grants: ['writeDocuments', 'publishEvents'],
    timeoutSeconds: 28,
  },
  {
    operation: webhookOperations.testWebhook,
    entry: 'functions/api/webhooks/test-webhook.ts',
    grants: ['writeDocuments'],
    timeoutSeconds: 28,
  },
  {
    operation: docsOperations.getApiDocs,
    entry: 'functions/api/docs/get-api-docs.ts',
    grants: [],
    memorySize: 256,
  },
  {
    operation: docsOperations.getOpenApi,
    entry: 'functions/api/docs/get-openapi.ts',
    grants: [],
    memorySize: 256,
  },
  {
    operation: docsOperations.getDocsAsset,
    // Swagger UI's files ship beside the bundle (infra/bundling/esbuild-bundler.ts) and are read once per container.
    entry: 'functions/api/docs/get-docs-asset.ts',
    grants: [],
    memorySize: 256,
  },
];

/**
 * The API's Lambda REQUEST authorizer (every non-public route): API keys and Cognito ID tokens → the
 * `AuthorizerContext`. Its results are cached by API Gateway per Authorization header for 60 s.
 */
export const authorizerFunction = {
  id: 'AuthorizeRequest',
  entry: 'functions/authorizer/authorize-request.ts',
  grants: ['authorizeCallers', 'readApiKeyHashSecret'],
  memorySize: 512,
  timeoutSeconds: 10,
} as const satisfies BackgroundFunction;

/** Lambda tasks of the issuing workflow; `id` is also the state name in the ASL. */
export const pipelineFunctions = {
  SubmitToHka: {
    id: 'SubmitToHka',
    entry: 'functions/pipeline/submit-to-hka.ts',
    // HKA client timeout 25 s, plus the attempt bookkeeping around the call.
    grants: ['writeDocuments', 'readObjects', 'writeObjects', 'trackHkaAvailability'],
    timeoutSeconds: 60,
  },
  SignXml: {
    id: 'SignXml',
    entry: 'functions/pipeline/sign-xml.ts',
    grants: ['writeDocuments', 'readObjects', 'writeObjects', 'signWithTenantKeys', 'readPlatformSecret'],
    memorySize: 1024,
    timeoutSeconds: 30,
  },
  SubmitSigned: {
    id: 'SubmitSigned',
    entry: 'functions/pipeline/submit-signed.ts',
    grants: ['writeDocuments', 'readObjects', 'writeObjects', 'trackHkaAvailability'],
    timeoutSeconds: 60,
  },
  IssueInContingency: {
    id: 'IssueInContingency',
    entry: 'functions/pipeline/issue-in-contingency.ts',
    // Renders the contingency CAFE from the signed rFE, archives it, marks CONTINGENCY; publishes
    // contingency.started for the tenant's first contingency document of an outage.
    grants: ['writeDocuments', 'readObjects', 'writeObjects', 'publishEvents'],
    memorySize: 1024,
    timeoutSeconds: 30,
  },
  FinalizeDocument: {
    id: 'FinalizeDocument',
    entry: 'functions/pipeline/finalize-document.ts',
    // Downloads HKA's rFE and CAFE (hka-integration: mostly waiting on HKA) or renders the CAFE
    // (emitter-signed), archives, marks. 512 MB: the default channel pays for the wait, not for memory.
    // A document that waited for HKA starts the next waiting one of its point of sale (the ordered drain),
    // unless the breaker is open. publishEvents: contingency.ended when the tenant's last contingency
    // document is authorized.
    grants: [
      'writeDocuments',
      'readObjects',
      'writeObjects',
      'startIssuing',
      'trackHkaAvailability',
      'publishEvents',
    ],
    timeoutSeconds: 60,
  },
  EndAttempt: {
    id: 'EndAttempt',
    entry: 'functions/pipeline/end-attempt.ts',
    // May ask HKA's EstadoDocumento (25 s client timeout) before a final FAILED; publishes document.waiting
    // and hka.credentials-failing; a waiting document's end starts the next one of its point of sale.
    grants: ['writeDocuments', 'trackHkaAvailability', 'publishEvents', 'startIssuing'],
    timeoutSeconds: 60,
  },
} as const satisfies Record<string, BackgroundFunction>;

/** The longest timeout of a workflow task: part of an attempt's lease (an attempt may outlive its execution by it). */
export const LONGEST_PIPELINE_TASK_SECONDS = Math.max(
  ...Object.values(pipelineFunctions).map((fn) => fn.timeoutSeconds),
);

export type PipelineStep = keyof typeof pipelineFunctions;

/** The export worker's timeout (Lambda's longest): the export queue's visibility timeout is set after it. */
export const EXPORT_WORKER_TIMEOUT_SECONDS = 900;

export const eventFunctions = {
  SendDocumentEmail: {
    id: 'SendDocumentEmail',
    entry: 'functions/events/send-document-email.ts',
    // appendDocumentEvents: the EMAIL_SENT history item (PutItem only).
    grants: ['readDocuments', 'appendDocumentEvents', 'readObjects', 'sendEmail'],
    memorySize: 1024,
    timeoutSeconds: 60,
  },
  ScheduleFolioSync: {
    id: 'ScheduleFolioSync',
    entry: 'functions/events/schedule-folio-sync.ts',
    // Query of the tenant registry (T#_platform) only, then SendMessageBatch (authorized as sqs:SendMessage).
    grants: ['listTenants', 'enqueueFolioSync'],
    timeoutSeconds: 60,
  },
  SyncFolios: {
    id: 'SyncFolios',
    entry: 'functions/events/sync-folios.ts',
    grants: ['writeDocuments', 'publishEvents'],
    timeoutSeconds: 60,
  },
  ValidateBatch: {
    id: 'ValidateBatch',
    entry: 'functions/events/validate-batch.ts',
    // Reads the batch's input, pre-flights every row (the receiver's RUC through HKA: credentials decrypted
    // with the data key), writes the rows and counts, queues the valid rows; batch.completed when none is.
    grants: ['writeDocuments', 'readWorkFiles', 'enqueueBatchWork', 'publishEvents'],
    memorySize: 1024,
    timeoutSeconds: 300,
  },
  IssueBatchRows: {
    id: 'IssueBatchRows',
    entry: 'functions/events/issue-batch-rows.ts',
    // issueDocument's grants (the document, its computed input, the pipeline's start) and the batch's input;
    // batch.completed when its last row ends.
    grants: [
      'writeDocuments',
      'writeObjects',
      'startIssuing',
      'readWorkFiles',
      'trackHkaAvailability',
      'publishEvents',
    ],
    timeoutSeconds: 120,
  },
  RedriveDocuments: {
    id: 'RedriveDocuments',
    entry: 'functions/events/redrive-documents.ts',
    // Reads the in-flight index (platform partition), claims each due document's next attempt, starts it;
    // gated by the HKA circuit breakers (their probes), publishes hka.waiting-long.
    grants: ['findDueDocuments', 'writeDocuments', 'startIssuing', 'trackHkaAvailability', 'publishEvents'],
    timeoutSeconds: 60,
  },
  FanOutWebhookEvents: {
    id: 'FanOutWebhookEvents',
    entry: 'functions/events/fan-out-webhook-events.ts',
    // Reads the tenant's endpoints and the event's document, writes one delivery per endpoint, queues them.
    grants: ['writeDocuments', 'enqueueWebhookDeliveries'],
    timeoutSeconds: 60,
  },
  DeliverWebhooks: {
    id: 'DeliverWebhooks',
    entry: 'functions/events/deliver-webhooks.ts',
    // Decrypts the endpoint's secret, POSTs (10 s timeout), records the attempt; disabling an endpoint
    // publishes webhook.disabled.
    grants: ['writeDocuments', 'publishEvents'],
    timeoutSeconds: 30,
  },
  SweepWebhookDeliveries: {
    id: 'SweepWebhookDeliveries',
    entry: 'functions/events/sweep-webhook-deliveries.ts',
    // Reads the due entries of the in-flight index (platform partitions), leases each delivery, queues it.
    grants: ['findDueWebhookDeliveries', 'writeDocuments', 'enqueueWebhookDeliveries'],
    timeoutSeconds: 60,
  },
  RunExport: {
    id: 'RunExport',
    entry: 'functions/events/run-export.ts',
    // Reads the period's documents and their archived files, writes the job's progress and result, uploads
    // the ZIP (multipart) to the work-files bucket. Memory: one page of documents, one upload part (8 MiB)
    // and the ZIP's deflate window; 1024 MB for the CPU share that compression and TLS need (Lambda gives
    // CPU in proportion to memory).
    grants: ['writeDocuments', 'readObjects', 'writeWorkFiles'],
    memorySize: 1024,
    timeoutSeconds: EXPORT_WORKER_TIMEOUT_SECONDS,
  },
  HandleAlert: {
    id: 'HandleAlert',
    entry: 'functions/events/handle-alert.ts',
    // As the tenant: the document, its users and opt-outs, the profile, the authorized count (forecast),
    // the alert items; SES; the due-digest entry (platform partition, execution role).
    grants: ['writeDocuments', 'sendEmail', 'trackAlertDigests'],
    timeoutSeconds: 60,
  },
  FlushAlertDigests: {
    id: 'FlushAlertDigests',
    entry: 'functions/events/flush-alert-digests.ts',
    // Reads the due digests (platform partition), then as each tenant its problems and ADMINs; SES.
    grants: ['writeDocuments', 'sendEmail', 'trackAlertDigests'],
    timeoutSeconds: 120,
  },
  ScanCertificates: {
    id: 'ScanCertificates',
    entry: 'functions/events/scan-certificates.ts',
    // The tenant registry, then as each tenant its signing key record and the thresholds alerted.
    grants: ['listTenants', 'writeDocuments', 'publishEvents'],
    timeoutSeconds: 300,
  },
} as const satisfies Record<string, BackgroundFunction>;
