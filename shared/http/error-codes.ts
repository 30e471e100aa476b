import type { ErrorKind } from '#shared/errors';

/**
 * Every `code` the error envelope can carry, declared once. The domain errors take only codes of their own
 * kind (shared/errors.ts: a misspelt or undeclared code does not compile), API Gateway's own answers use the
 * gateway codes (infra/constructs/api.ts), and the OpenAPI document lists this catalogue in its error
 * envelope component. Field-level `details[].code` (rule findings, explained HKA answers) are another
 * catalogue: shared/fiscal and shared/hka.
 */

type DomainCode = {
  /** The kinds of refusal that use it (a kind fixes the status: shared/http/errors.ts). */
  readonly kinds: readonly ErrorKind[];
  readonly description: string;
};

/** Codes the functions answer with, through a domain error. */
export const DOMAIN_ERROR_CODES = {
  BAD_REQUEST: { kinds: ['bad-request'], description: 'The request is malformed.' },
  BODY_REQUIRED: {
    kinds: ['bad-request'],
    description: 'The operation needs a JSON body and none was sent.',
  },
  MALFORMED_JSON: { kinds: ['bad-request'], description: 'The request body is not valid JSON.' },
  BODY_TOO_DEEP: { kinds: ['bad-request'], description: 'The JSON body nests deeper than 64 levels.' },
  UNKNOWN_QUERY_PARAMETER: {
    kinds: ['bad-request'],
    description: 'A query parameter the operation does not know.',
  },
  IDEMPOTENCY_KEY_REQUIRED: {
    kinds: ['bad-request'],
    description: 'The operation needs an Idempotency-Key header.',
  },
  IDEMPOTENCY_KEY_INVALID: {
    kinds: ['bad-request'],
    description: 'The Idempotency-Key is not 1..255 visible ASCII characters.',
  },
  INVALID_CURSOR: {
    kinds: ['bad-request'],
    description: 'The cursor was not issued for this tenant and these filters.',
  },
  PAYLOAD_TOO_LARGE: { kinds: ['too-large'], description: 'The request body is larger than 2 MiB.' },
  UNSUPPORTED_MEDIA_TYPE: {
    kinds: ['unsupported-media-type'],
    description: 'The body is not sent as application/json (or application/*+json, UTF-8).',
  },
  UNAUTHORIZED: { kinds: ['unauthenticated'], description: 'No verified identity.' },
  FORBIDDEN: { kinds: ['forbidden'], description: 'Not allowed.' },
  TENANT_REQUIRED: {
    kinds: ['forbidden'],
    description: 'The caller is not linked to a tenant (a platform user on a tenant route).',
  },
  ROLE_NOT_ALLOWED: { kinds: ['forbidden'], description: "The caller's roles do not allow the operation." },
  TENANT_SUSPENDED: {
    kinds: ['forbidden'],
    description: "The caller's tenant is suspended; documents already in the pipeline still finish.",
  },
  NOT_FOUND: { kinds: ['not-found'], description: 'Nothing of the caller’s by that name.' },
  DOCUMENT_NOT_FOUND: {
    kinds: ['not-found'],
    description: 'No document of the tenant with that id (another tenant’s id answers the same).',
  },
  BRANCH_NOT_FOUND: { kinds: ['not-found'], description: 'No branch of the tenant with that code.' },
  TENANT_NOT_FOUND: { kinds: ['not-found'], description: 'No tenant with that id.' },
  USER_NOT_FOUND: { kinds: ['not-found'], description: 'No user of the tenant with that id.' },
  API_KEY_NOT_FOUND: { kinds: ['not-found'], description: 'No API key of the tenant with that id.' },
  // Webhooks.
  WEBHOOK_NOT_FOUND: { kinds: ['not-found'], description: 'No webhook endpoint of the tenant with that id.' },
  WEBHOOK_DELIVERY_NOT_FOUND: {
    kinds: ['not-found'],
    description: 'No delivery with that id at that webhook endpoint.',
  },
  WEBHOOK_LIMIT_REACHED: {
    kinds: ['conflict'],
    description: 'The tenant already has the most webhook endpoints allowed (10); delete one first.',
  },
  WEBHOOK_URL_REFUSED: {
    kinds: ['invalid'],
    description:
      'The webhook URL is not https, carries credentials, does not resolve, or resolves to a private, loopback, link-local or other non-public address (`details[0].code` says which).',
  },
  API_KEY_LIMIT_REACHED: {
    kinds: ['conflict'],
    description: 'The tenant holds the most API keys allowed; revoke one first.',
  },
  RUC_ALREADY_REGISTERED: { kinds: ['conflict'], description: 'Another tenant is registered with that RUC.' },
  TENANT_EXISTS: { kinds: ['conflict'], description: 'A tenant with that id exists already.' },
  EMAIL_TAKEN: { kinds: ['conflict'], description: 'That e-mail belongs to another account.' },
  USER_EXISTS: { kinds: ['conflict'], description: 'The tenant has a user with that e-mail already.' },
  LAST_ADMIN: {
    kinds: ['conflict'],
    description: 'The change would leave the tenant without an enabled ADMIN.',
  },
  USER_CHANGED: { kinds: ['conflict'], description: 'The user changed meanwhile; read it again and retry.' },
  PROFILE_CHANGED: {
    kinds: ['conflict'],
    description: 'The profile changed meanwhile; read it again and retry.',
  },
  CERTIFICATE_NOT_FOUND: { kinds: ['not-found'], description: 'No certificate of the tenant with that id.' },
  TENANT_NOT_CONFIGURED: {
    kinds: ['not-found', 'conflict'],
    description: 'The tenant has no issuer profile yet.',
  },
  CONFLICT: { kinds: ['conflict'], description: 'The state of things does not allow it now.' },
  IDEMPOTENCY_KEY_REUSED: {
    kinds: ['conflict'],
    description: 'The Idempotency-Key was used with another body within 24 h.',
  },
  IDEMPOTENCY_KEY_IN_PROGRESS: {
    kinds: ['conflict'],
    description: 'A request with this Idempotency-Key is still running (Retry-After).',
  },
  BRANCH_EXISTS: { kinds: ['conflict'], description: 'A branch with that code exists.' },
  POINT_OF_SALE_EXISTS: { kinds: ['conflict'], description: 'A point of sale with that code exists.' },
  DOCUMENT_NOT_AUTHORIZED: {
    kinds: ['conflict'],
    description: 'The document is not AUTHORIZED (its files, cancellation and e-mail need it).',
  },
  DOCUMENT_NOT_RETRYABLE: {
    kinds: ['conflict'],
    description: 'Only a FAILED document, or a PROCESSING one whose attempt was lost, can be retried.',
  },
  DOCUMENT_CHANGED: { kinds: ['conflict'], description: 'The document changed meanwhile; read it again.' },
  ATTEMPT_IN_PROGRESS: { kinds: ['conflict'], description: 'An issuing attempt of the document is live.' },
  FOLIOS_EXHAUSTED: {
    kinds: ['conflict'],
    description: 'No folio left in the tenant pool or the user’s assignment.',
  },
  SERIES_EXHAUSTED: {
    kinds: ['conflict'],
    description: 'The point of sale has used every 10-digit document number.',
  },
  NUMBER_CONTENTION: {
    kinds: ['conflict'],
    description: 'Too many documents of one point of sale at once; retry (Retry-After).',
  },
  HKA_CREDENTIALS_MISSING: {
    kinds: ['conflict'],
    description: 'No HKA credentials stored for the environment.',
  },
  HKA_CREDENTIALS_REJECTED: { kinds: ['conflict'], description: 'HKA refused the stored credentials.' },
  SIGNING_KEY_MISSING: {
    kinds: ['conflict'],
    description: 'The emitter-signed channel needs an uploaded certificate.',
  },
  VALIDATION_FAILED: {
    kinds: ['invalid'],
    description: 'The request breaks its schema; `details` name every field.',
  },
  DOCUMENT_INVALID: {
    kinds: ['invalid'],
    description: 'The document breaks the rules; `details` are the findings (code, severity, hint).',
  },
  CANCELLATION_WINDOW_EXPIRED: {
    kinds: ['invalid'],
    description: 'Past the 7 days of anulación; issue a credit note.',
  },
  CANCELLATION_REFUSED: { kinds: ['invalid'], description: 'HKA/DGI refused the cancellation (`details`).' },
  EMAIL_NO_RECIPIENTS: { kinds: ['invalid'], description: 'No `to` and the receiver has no address.' },
  EMAIL_RECIPIENTS_LIMIT: {
    kinds: ['invalid'],
    description: 'More addresses besides the receiver’s own than allowed.',
  },
  CERTIFICATE_PIN_INVALID: { kinds: ['invalid'], description: 'The PIN does not open the P12.' },
  CERTIFICATE_EXPIRED: {
    kinds: ['invalid', 'conflict'],
    description:
      'The certificate has expired: refused at upload (422), and for emitter-signed issuing while it is the stored one (409).',
  },
  CERTIFICATE_NOT_YET_VALID: { kinds: ['invalid'], description: 'The certificate is not valid yet.' },
  CERTIFICATE_RUC_MISMATCH: {
    kinds: ['invalid'],
    description: 'The certificate is not issued to the tenant’s RUC.',
  },
  CERTIFICATE_KEY_UNSUPPORTED: { kinds: ['invalid'], description: 'The key type cannot sign rFE documents.' },
  CERTIFICATE_INVALID: { kinds: ['invalid'], description: 'The file is not a readable P12/PFX.' },
  CERTIFICATE_KEY_MISMATCH: {
    kinds: ['invalid'],
    description: 'The private key does not belong to the certificate.',
  },
  EMAIL_RESEND_LIMIT: {
    kinds: ['rate-limited'],
    description: 'E-mail resends of the document or the company are used up for this hour (Retry-After).',
  },
  // The catalogue: customers and products.
  CUSTOMER_NOT_FOUND: { kinds: ['not-found'], description: 'No customer of the tenant with that id.' },
  PRODUCT_NOT_FOUND: { kinds: ['not-found'], description: 'No product of the tenant with that id.' },
  CUSTOMER_RUC_TAKEN: {
    kinds: ['conflict'],
    description: 'Another customer of the tenant has that RUC (`details[0].hint` names it).',
  },
  PRODUCT_CODE_TAKEN: {
    kinds: ['conflict'],
    description: 'Another product of the tenant has that code (case-insensitive).',
  },
  CUSTOMER_CHANGED: {
    kinds: ['conflict'],
    description: 'The customer changed since the `version` sent; read it again and retry.',
  },
  PRODUCT_CHANGED: {
    kinds: ['conflict'],
    description: 'The product changed since the `version` sent; read it again and retry.',
  },
  // Exports.
  EXPORT_NOT_FOUND: { kinds: ['not-found'], description: 'No export job of the tenant with that id.' },
  EXPORT_TOO_LARGE: {
    kinds: ['invalid'],
    description: 'The period holds more documents than one export may (10,000); export a shorter period.',
  },
  // Bulk issuing.
  BATCH_NOT_FOUND: { kinds: ['not-found'], description: 'No batch of the tenant with that id.' },
  BATCH_UPLOAD_NOT_FOUND: {
    kinds: ['not-found'],
    description: 'Nothing was uploaded with that uploadId (or it expired: uploads are kept 7 days).',
  },
  BATCH_FINISHED: {
    kinds: ['conflict'],
    description: 'The batch has finished (every row issued, refused or skipped): nothing left to cancel.',
  },
  BATCH_CSV_INVALID: {
    kinds: ['invalid'],
    description: 'The uploaded CSV cannot be read as the batch template (`details`: line or column).',
  },
  BATCH_TOO_LARGE: {
    kinds: ['invalid'],
    description: 'More than 10,000 documents, or an upload larger than 10 MiB.',
  },
  UPSTREAM_UNAVAILABLE: {
    kinds: ['unavailable'],
    description: 'HKA did not answer; the same request may succeed later (Retry-After).',
  },
  // Reports
  REPORT_TOO_LARGE_FOR_JSON: {
    kinds: ['invalid'],
    description:
      'The report has more rows than a JSON answer carries; ask for format=csv or format=xlsx (a file).',
  },
  // Alerts.
  ALERT_PREFERENCES_PERSON_ONLY: {
    kinds: ['forbidden'],
    description: 'Alert preferences belong to a signed-in person; an API key receives no alerts.',
  },
} as const satisfies Record<string, DomainCode>;

/** Codes of API Gateway's own answers (no function ran), with the status API Gateway gives them. */
export const GATEWAY_ERROR_CODES = {
  UNAUTHORIZED: { status: 401, description: 'No valid token or key.' },
  MISSING_TOKEN: {
    status: 403,
    description: 'No such route, or a route that needs a token was called without one.',
  },
  ACCESS_DENIED: { status: 403, description: 'The authorizer denied the request.' },
  EXPIRED_TOKEN: { status: 403, description: 'The token has expired.' },
  INVALID_SIGNATURE: { status: 403, description: 'The request signature is not valid.' },
  BAD_REQUEST_BODY: { status: 400, description: 'The body is not a JSON object.' },
  MISSING_PARAMETERS: { status: 400, description: 'A required path parameter or header is missing.' },
  RESOURCE_NOT_FOUND: { status: 404, description: 'No such resource.' },
  PAYLOAD_TOO_LARGE: { status: 413, description: 'The request is larger than API Gateway accepts (10 MB).' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'Unsupported media type.' },
  THROTTLED: { status: 429, description: 'The stage’s rate limit (retry with backoff).' },
  QUOTA_EXCEEDED: { status: 429, description: 'The usage plan’s quota is used up.' },
  WAF_FILTERED: { status: 403, description: 'Refused by the web application firewall.' },
  INTEGRATION_TIMEOUT: { status: 504, description: 'The function did not answer within 29 s.' },
  INTEGRATION_FAILURE: { status: 504, description: 'The function could not be invoked.' },
  AUTHORIZER_FAILURE: { status: 500, description: 'The authorizer failed.' },
  AUTHORIZER_CONFIGURATION_ERROR: { status: 500, description: 'The authorizer is misconfigured.' },
  API_CONFIGURATION_ERROR: { status: 500, description: 'The API is misconfigured.' },
  INTERNAL_ERROR: {
    status: 500,
    description: 'Anything unintended, in a function or in API Gateway (opaque; quote the requestId).',
  },
} as const satisfies Record<string, { status: number; description: string }>;

/** The code of an unintended failure: a function's opaque 500, API Gateway's other 5xx. */
export const INTERNAL_ERROR_CODE = 'INTERNAL_ERROR' satisfies keyof typeof GATEWAY_ERROR_CODES;

type DomainCodes = typeof DOMAIN_ERROR_CODES;
export type DomainErrorCode = keyof DomainCodes;
export type GatewayErrorCode = keyof typeof GATEWAY_ERROR_CODES;
export type ErrorCode = DomainErrorCode | GatewayErrorCode;

/** The domain codes a refusal of kind `K` may carry. */
export type ErrorCodeOf<K extends ErrorKind> = {
  [C in DomainErrorCode]: K extends DomainCodes[C]['kinds'][number] ? C : never;
}[DomainErrorCode];

/** One row per (code, status): what the OpenAPI error envelope lists. */
export type ErrorCatalogueEntry = { code: ErrorCode; status: number; description: string };

/** The catalogue as (code, status) rows, by status then code; a code both layers answer is listed once. */
export function errorCatalogue(statusOfKind: (kind: ErrorKind) => number): ErrorCatalogueEntry[] {
  const rows = new Map<string, ErrorCatalogueEntry>();
  const add = (entry: ErrorCatalogueEntry) => {
    const key = `${entry.status} ${entry.code}`;
    if (!rows.has(key)) rows.set(key, entry);
  };
  for (const [code, entry] of Object.entries(DOMAIN_ERROR_CODES)) {
    for (const kind of entry.kinds) {
      add({ code: code as ErrorCode, status: statusOfKind(kind), description: entry.description });
    }
  }
  for (const [code, entry] of Object.entries(GATEWAY_ERROR_CODES)) {
    add({ code: code as ErrorCode, status: entry.status, description: entry.description });
  }
  return [...rows.values()].sort((a, b) => a.status - b.status || a.code.localeCompare(b.code));
}
