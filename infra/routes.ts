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
   * dynamodb:Query on the table, only on the platform partition `T#_platform` (the tenant registry:
   * `dynamodb:LeadingKeys`), kms:Decrypt on the data key. The folio-sync fan-out.
   */
  | 'listTenants'
  /** s3:GetObject under `tenants/*` (also what a presigned GET needs). */
  | 'readObjects'
  /** s3:PutObject under `tenants/*`. */
  | 'writeObjects'
  /** states:StartExecution on the issuing pipeline. */
  | 'startIssuing'
  /** events:PutEvents on the factu event bus. */
  | 'publishEvents'
  /** secretsmanager:GetSecretValue on the platform secret. */
  | 'readPlatformSecret'
  /** ses:SendEmail/SendRawEmail from the platform identity with the configuration set. */
  | 'sendEmail'
  /** sqs:SendMessage on the folio sync queue. */
  | 'enqueueFolioSync'
  /** kms:Sign/GetPublicKey/DescribeKey on tenant signing keys (tag `purpose=rfe-signing`, as kms-import.ts tags them). */
  | 'signWithTenantKeys'
  /** kms:CreateKey/TagResource/GetParametersForImport/ImportKeyMaterial/ScheduleKeyDeletion for tenant signing keys (tag-conditioned). */
  | 'manageSigningKeys';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiRoute {
  /**
   * Construct id of the function (default: from the file name, `get-document.ts` → `GetDocument`); set
   * when that would clash with another function's (e.g. the API and the queue consumer of folio sync).
   */
  readonly id?: string;
  readonly method: HttpMethod;
  /** API Gateway resource path, e.g. `/v1/documents/{id}`. */
  readonly path: string;
  /** Handler file relative to the repository root. */
  readonly entry: string;
  readonly grants: readonly Grant[];
  /** `cognito`: Cognito user pool authorizer (ID token); `none`: public. */
  readonly authorization: 'cognito' | 'none';
  /**
   * Whether the method takes a JSON object body, checked by API Gateway's request validator (default: true
   * for POST/PUT/PATCH). Actions without a body set false, so an empty POST is not refused at the gateway.
   */
  readonly body?: boolean;
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

export const apiRoutes: readonly ApiRoute[] = [
  {
    method: 'POST',
    path: '/v1/documents',
    entry: 'functions/api/documents/issue-document.ts',
    grants: ['writeDocuments', 'writeObjects', 'startIssuing'],
    authorization: 'cognito',
    timeoutSeconds: 20,
  },
  {
    method: 'GET',
    path: '/v1/documents',
    entry: 'functions/api/documents/list-documents.ts',
    grants: ['readDocuments'],
    authorization: 'cognito',
  },
  {
    method: 'GET',
    path: '/v1/documents/{id}',
    entry: 'functions/api/documents/get-document.ts',
    grants: ['readDocuments'],
    authorization: 'cognito',
  },
  {
    method: 'GET',
    path: '/v1/documents/{id}/events',
    entry: 'functions/api/documents/get-document-events.ts',
    grants: ['readDocuments'],
    authorization: 'cognito',
  },
  {
    method: 'GET',
    path: '/v1/documents/{id}/xml',
    entry: 'functions/api/documents/get-document-xml.ts',
    grants: ['readDocuments', 'readObjects'],
    authorization: 'cognito',
  },
  {
    method: 'GET',
    path: '/v1/documents/{id}/pdf',
    entry: 'functions/api/documents/get-document-pdf.ts',
    grants: ['readDocuments', 'readObjects'],
    authorization: 'cognito',
  },
  {
    method: 'POST',
    path: '/v1/documents/{id}/cancel',
    // AnulacionDocumento through HKA: the tenant's HKA credentials are decrypted with the data key
    // (readDocuments' kms:Decrypt); the transition and the idempotency record are table writes.
    entry: 'functions/api/documents/cancel-document.ts',
    grants: ['writeDocuments'],
    authorization: 'cognito',
    timeoutSeconds: 28,
  },
  {
    method: 'POST',
    path: '/v1/documents/{id}/retry',
    entry: 'functions/api/documents/retry-document.ts',
    grants: ['writeDocuments', 'startIssuing'],
    body: false,
    authorization: 'cognito',
  },
  {
    method: 'POST',
    path: '/v1/documents/{id}/email',
    // Reads the document and its CAFE/rFE, sends with SES; writes only new items (EMAIL_SENT history
    // event, idempotency record).
    entry: 'functions/api/documents/email-document.ts',
    grants: ['readDocuments', 'appendDocumentEvents', 'readObjects', 'sendEmail'],
    authorization: 'cognito',
    memorySize: 1024,
    timeoutSeconds: 20,
  },
  {
    method: 'GET',
    path: '/v1/folios',
    entry: 'functions/api/folios/get-folios.ts',
    grants: ['readDocuments'],
    authorization: 'cognito',
  },
  {
    id: 'SyncFoliosNow',
    method: 'POST',
    path: '/v1/folios/sync',
    // FoliosRestantes through HKA (credentials decrypted with the data key), balance stored, `folios.low`.
    entry: 'functions/api/folios/sync-folios.ts',
    grants: ['writeDocuments', 'publishEvents'],
    body: false,
    authorization: 'cognito',
    timeoutSeconds: 28,
  },
  {
    method: 'POST',
    path: '/v1/folios/assignments',
    entry: 'functions/api/folios/assign-folios.ts',
    grants: ['writeDocuments'],
    authorization: 'cognito',
  },
  {
    method: 'POST',
    path: '/v1/branches',
    entry: 'functions/api/branches/create-branch.ts',
    grants: ['writeDocuments'],
    authorization: 'cognito',
  },
  {
    method: 'GET',
    path: '/v1/branches',
    entry: 'functions/api/branches/list-branches.ts',
    grants: ['readDocuments'],
    authorization: 'cognito',
  },
  {
    method: 'POST',
    path: '/v1/branches/{code}/points-of-sale',
    entry: 'functions/api/branches/create-point-of-sale.ts',
    grants: ['writeDocuments'],
    authorization: 'cognito',
  },
  {
    method: 'GET',
    path: '/v1/branches/{code}/points-of-sale',
    entry: 'functions/api/branches/list-points-of-sale.ts',
    grants: ['readDocuments'],
    authorization: 'cognito',
  },
  {
    method: 'PUT',
    path: '/v1/settings/hka-credentials',
    // kms:Encrypt of the token pair with the data key (encryption context tenantId) comes with writeDocuments.
    entry: 'functions/api/settings/put-hka-credentials.ts',
    grants: ['writeDocuments'],
    authorization: 'cognito',
  },
  {
    method: 'POST',
    path: '/v1/settings/hka-credentials/test',
    // Decrypts the stored pair (readDocuments' kms:Decrypt) and calls HKA FoliosRestantes.
    entry: 'functions/api/settings/test-hka-credentials.ts',
    grants: ['readDocuments'],
    body: false,
    authorization: 'cognito',
    timeoutSeconds: 28,
  },
  {
    method: 'GET',
    path: '/v1/settings/issuing',
    entry: 'functions/api/settings/get-issuing-settings.ts',
    grants: ['readDocuments'],
    authorization: 'cognito',
  },
  {
    method: 'PUT',
    path: '/v1/settings/issuing',
    entry: 'functions/api/settings/put-issuing-settings.ts',
    grants: ['writeDocuments'],
    authorization: 'cognito',
  },
  {
    method: 'POST',
    path: '/v1/certificates',
    // Imports the P12's private key into a new KMS key tagged purpose=rfe-signing, tenantId=<tenant>.
    entry: 'functions/api/certificates/upload-certificate.ts',
    grants: ['writeDocuments', 'manageSigningKeys'],
    authorization: 'cognito',
    memorySize: 1024,
    timeoutSeconds: 20,
  },
  {
    method: 'GET',
    path: '/v1/certificates',
    entry: 'functions/api/certificates/list-certificates.ts',
    grants: ['readDocuments'],
    authorization: 'cognito',
  },
  {
    method: 'DELETE',
    path: '/v1/certificates/{id}',
    // Forgets the tenant's key record only; the KMS key is retired by the platform, not by a tenant.
    entry: 'functions/api/certificates/delete-certificate.ts',
    grants: ['writeDocuments'],
    authorization: 'cognito',
  },
  {
    method: 'GET',
    path: '/docs',
    entry: 'functions/api/docs/get-api-docs.ts',
    grants: [],
    authorization: 'none',
    memorySize: 256,
  },
  {
    method: 'GET',
    path: '/docs/openapi.json',
    entry: 'functions/api/docs/get-openapi.ts',
    grants: [],
    authorization: 'none',
    memorySize: 256,
  },
];

/** Lambda tasks of the issuing pipeline; `id` is also the state name in the ASL. */
export const pipelineFunctions = {
  PrepareDocument: {
    id: 'PrepareDocument',
    entry: 'functions/pipeline/prepare-document.ts',
    grants: ['writeDocuments', 'readObjects'],
  },
  BuildXml: {
    id: 'BuildXml',
    entry: 'functions/pipeline/build-xml.ts',
    grants: ['readDocuments', 'readObjects', 'writeObjects'],
    memorySize: 1024,
    timeoutSeconds: 30,
  },
  SignXml: {
    id: 'SignXml',
    entry: 'functions/pipeline/sign-xml.ts',
    grants: ['readDocuments', 'readObjects', 'writeObjects', 'signWithTenantKeys', 'readPlatformSecret'],
    memorySize: 1024,
    timeoutSeconds: 30,
  },
  SubmitToHka: {
    id: 'SubmitToHka',
    entry: 'functions/pipeline/submit-to-hka.ts',
    grants: ['writeDocuments', 'readObjects', 'writeObjects'],
    timeoutSeconds: 60,
  },
  SubmitSigned: {
    id: 'SubmitSigned',
    entry: 'functions/pipeline/submit-signed.ts',
    grants: ['writeDocuments', 'readObjects', 'writeObjects'],
    timeoutSeconds: 60,
  },
  ArchiveDocument: {
    id: 'ArchiveDocument',
    entry: 'functions/pipeline/archive-document.ts',
    // The QR comes with HKA's authorization or from sign-xml: no platform secret here.
    grants: ['readDocuments', 'readObjects', 'writeObjects'],
    memorySize: 1024,
    timeoutSeconds: 60,
  },
  MarkAuthorized: {
    id: 'MarkAuthorized',
    entry: 'functions/pipeline/mark-authorized.ts',
    grants: ['writeDocuments'],
  },
  MarkRejected: {
    id: 'MarkRejected',
    entry: 'functions/pipeline/mark-rejected.ts',
    grants: ['writeDocuments'],
  },
  MarkFailed: {
    id: 'MarkFailed',
    entry: 'functions/pipeline/mark-failed.ts',
    grants: ['writeDocuments'],
  },
} as const satisfies Record<string, BackgroundFunction>;

export type PipelineStep = keyof typeof pipelineFunctions;

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
} as const satisfies Record<string, BackgroundFunction>;
