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
  /** kms:Sign/GetPublicKey/DescribeKey on tenant signing keys (tag `purpose=rfe-signing`). */
  | 'signWithTenantKeys'
  /** kms:CreateKey/TagResource/GetParametersForImport/ImportKeyMaterial/ScheduleKeyDeletion for tenant signing keys (tag-conditioned). */
  | 'manageSigningKeys';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiRoute {
  readonly method: HttpMethod;
  /** API Gateway resource path, e.g. `/v1/documents/{id}`. */
  readonly path: string;
  /** Handler file relative to the repository root. */
  readonly entry: string;
  readonly grants: readonly Grant[];
  /** `cognito`: Cognito user pool authorizer (ID token); `none`: public. */
  readonly authorization: 'cognito' | 'none';
  /** Memory in MB (default 512). */
  readonly memorySize?: number;
  /** Timeout in seconds (default 10; API Gateway's own limit is 29). */
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
    grants: ['readDocuments', 'readObjects', 'writeObjects', 'readPlatformSecret'],
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
    grants: ['readDocuments', 'readObjects', 'sendEmail'],
    memorySize: 1024,
    timeoutSeconds: 60,
  },
  ScheduleFolioSync: {
    id: 'ScheduleFolioSync',
    entry: 'functions/events/schedule-folio-sync.ts',
    grants: ['readDocuments', 'enqueueFolioSync'],
    timeoutSeconds: 60,
  },
  SyncFolios: {
    id: 'SyncFolios',
    entry: 'functions/events/sync-folios.ts',
    grants: ['writeDocuments', 'publishEvents'],
    timeoutSeconds: 60,
  },
} as const satisfies Record<string, BackgroundFunction>;

/** Every handler entry the app deploys (routes, pipeline, events). */
export function allEntries(): string[] {
  return [
    ...apiRoutes.map((r) => r.entry),
    ...Object.values(pipelineFunctions).map((f) => f.entry),
    ...Object.values(eventFunctions).map((f) => f.entry),
  ];
}
