/**
 * Single-table key shapes. The tenant id leads every partition key and every GSI partition key
 * (`T#<tenantId>…`) so IAM can confine a function to one tenant with `dynamodb:LeadingKeys`.
 * Every key of the product is built here and nowhere else; test/unit/app/keys.test.ts pins the shapes.
 *
 * | item                         | pk                                   | sk                          |
 * |------------------------------|--------------------------------------|-----------------------------|
 * | tenant profile               | T#<t>                                | PROFILE                     |
 * | issuing settings             | T#<t>                                | SETTINGS#ISSUING            |
 * | HKA credentials (encrypted)  | T#<t>                                | HKA_CREDENTIALS#<demo|prod> |
 * | signing key (KMS id + cert)  | T#<t>                                | SIGNING_KEY                 |
 * | contingency in progress      | T#<t>                                | CONTINGENCY                 |
 * | folio balance + tenant pool  | T#<t>                                | FOLIOS                      |
 * | folio assignment of a user   | T#<t>                                | FOLIO_ASSIGNMENT#<userId>   |
 * | branch                       | T#<t>                                | BRANCH#<code>               |
 * | point of sale                | T#<t>                                | BRANCH#<code>#POS#<pos>     |
 * | number counter of a series   | T#<t>#SERIES#<branch>#<pos>          | COUNTER                     |
 * | number claim (ISSUED / VOID) | T#<t>#SERIES#<branch>#<pos>          | NUMBER#<10 digits>          |
 * | document                     | T#<t>#DOC#<id>                       | DOC                         |
 * | document status event        | T#<t>#DOC#<id>                       | EVENT#<iso time>#<eventId>  |
 * | idempotency record (TTL)     | T#<t>#IDEMPOTENCY#<sha256(key)>      | IDEMPOTENCY                 |
 * | rate-limit window (TTL)      | T#<t>#LIMIT#<counter>                | WINDOW#<window start, ISO>  |
 * | receiver RUC check (TTL)     | T#<t>#RUC#<ruc>                      | <demo|prod>#<tipoRuc>       |
 * | HKA waiting-long notice (TTL)| T#<t>#HKA_WAITING_LONG               | <demo|prod>#<outage start>  |
 * | platform tenant registry     | T#_platform                          | TENANT#<t>                  |
 * | user of a tenant             | T#<t>                                | USER#<cognito sub>          |
 * | user counters of a tenant    | T#<t>                                | USERS                       |
 * | API key of a tenant (no hash)| T#<t>                                | API_KEY#<key id>            |
 * | API keys held by a tenant    | T#<t>                                | API_KEYS                    |
 * | API key lookup by keyed hash | T#_platform#API_KEY#<hmac(secret)>   | API_KEY                     |
 * | a user's access (authorizer) | T#_platform#USER#<cognito sub>       | ACCESS                      |
 * | RUC taken by a tenant        | T#_platform#RUC#<ruc>                | TENANT                      |
 * | audit entry of a tenant      | T#<t>#AUDIT                          | <at, ISO>#<entry id>        |
 * | audit entry of the platform  | T#_platform#AUDIT                    | <at, ISO>#<entry id>        |
 * | customer                     | T#<t>                                | CUSTOMER#<id>               |
 * | customer RUC (unique, search)| T#<t>#CUSTOMERS#RUC                  | <RUC, upper case>           |
 * | product                      | T#<t>                                | PRODUCT#<id>                |
 * | product code (unique, search)| T#<t>#PRODUCTS#CODE                  | <code, upper case>          |
 * | export job (TTL)             | T#<t>                                | EXPORT#<export id>          |
 * | batch (bulk issuing)         | T#<t>                                | BATCH#<batch id>            |
 * | row of a batch               | T#<t>#BATCH#<batch id>               | ROW#<6-digit row>           |
 * | webhook endpoint             | T#<t>                                | WEBHOOK#<webhook id>        |
 * | webhook endpoints held       | T#<t>                                | WEBHOOKS                    |
 * | webhook delivery (TTL)       | T#<t>#WEBHOOK#<webhook id>           | DELIVERY#<delivery id>      |
 *
 * GSIs (declared in ./indexes.ts): gsi1 documents by tenant and date (`T#<t>#DOCS` / `<issuedAt>#<id>`),
 * gsi2 by tenant and status (`T#<t>#STATUS#<status>` / `<issuedAt>#<id>`), gsi3 by CUFE
 * (`T#<t>#CUFE#<cufe>` / `DOC`), gsi4 documents in flight across tenants
 * (`T#_platform#INFLIGHT#<shard>` / `<leaseUntil>#<t>#<id>`, sparse; pending webhook deliveries under
 * `T#_platform#WEBHOOKS_DUE#<shard>` / `<dueAt>#<t>#<webhook id>#<delivery id>`), gsi5 name search (customers, products,
 * documents by receiver name; sparse, see `bySearchKey`).
 */
import { createHash } from 'node:crypto';
import { INDEXES } from './indexes.ts';
import { uniqueKey } from './search-key.ts';

const tenant = (tenantId: string) => `T#${tenantId}`;

export type Key = { pk: string; sk: string };

export const keys = {
  tenantProfile: (tenantId: string): Key => ({ pk: tenant(tenantId), sk: 'PROFILE' }),
  issuingSettings: (tenantId: string): Key => ({ pk: tenant(tenantId), sk: 'SETTINGS#ISSUING' }),
  /** One token pair per HKA environment: demo and production are configured separately. */
  hkaCredentials: (tenantId: string, environment: 'demo' | 'prod'): Key => ({
    pk: tenant(tenantId),
    sk: `HKA_CREDENTIALS#${environment}`,
  }),
  signingKey: (tenantId: string): Key => ({ pk: tenant(tenantId), sk: 'SIGNING_KEY' }),
  /** The tenant's contingency while it lasts (shared/contingency/tenant-contingency.ts). */
  contingency: (tenantId: string): Key => ({ pk: tenant(tenantId), sk: 'CONTINGENCY' }),
  folioBalance: (tenantId: string): Key => ({ pk: tenant(tenantId), sk: 'FOLIOS' }),
  folioAssignment: (tenantId: string, userId: string): Key => ({
    pk: tenant(tenantId),
    sk: `FOLIO_ASSIGNMENT#${userId}`,
  }),
  folioAssignmentPrefix: (tenantId: string) => ({ pk: tenant(tenantId), skPrefix: 'FOLIO_ASSIGNMENT#' }),
  branch: (tenantId: string, branchCode: string): Key => ({
    pk: tenant(tenantId),
    sk: `BRANCH#${branchCode}`,
  }),
  branchPrefix: (tenantId: string) => ({ pk: tenant(tenantId), skPrefix: 'BRANCH#' }),
  pointOfSale: (tenantId: string, branchCode: string, pos: string): Key => ({
    pk: tenant(tenantId),
    sk: `BRANCH#${branchCode}#POS#${pos}`,
  }),
  pointOfSalePrefix: (tenantId: string, branchCode: string) => ({
    pk: tenant(tenantId),
    skPrefix: `BRANCH#${branchCode}#POS#`,
  }),
  seriesCounter: (tenantId: string, branchCode: string, pos: string): Key => ({
    pk: `${tenant(tenantId)}#SERIES#${branchCode}#${pos}`,
    sk: 'COUNTER',
  }),
  numberClaim: (tenantId: string, branchCode: string, pos: string, number: string): Key => ({
    pk: `${tenant(tenantId)}#SERIES#${branchCode}#${pos}`,
    sk: `NUMBER#${number}`,
  }),
  /** Every claim of a series, in number order (the series audit). */
  numberClaimPrefix: (tenantId: string, branchCode: string, pos: string) => ({
    pk: `${tenant(tenantId)}#SERIES#${branchCode}#${pos}`,
    skPrefix: 'NUMBER#',
  }),
  document: (tenantId: string, documentId: string): Key => ({
    pk: `${tenant(tenantId)}#DOC#${documentId}`,
    sk: 'DOC',
  }),
  documentEvent: (tenantId: string, documentId: string, at: string, eventId: string): Key => ({
    pk: `${tenant(tenantId)}#DOC#${documentId}`,
    sk: `EVENT#${at}#${eventId}`,
  }),
  documentEventPrefix: (tenantId: string, documentId: string) => ({
    pk: `${tenant(tenantId)}#DOC#${documentId}`,
    skPrefix: 'EVENT#',
  }),
  idempotency: (tenantId: string, keyHash: string): Key => ({
    pk: `${tenant(tenantId)}#IDEMPOTENCY#${keyHash}`,
    sk: 'IDEMPOTENCY',
  }),
  /** One fixed window of a per-tenant counter (`EMAIL_RESEND`, `EMAIL_RESEND#DOC#<id>`). */
  rateLimitWindow: (tenantId: string, counter: string, windowStart: string): Key => ({
    pk: `${tenant(tenantId)}#LIMIT#${counter}`,
    sk: `WINDOW#${windowStart}`,
  }),
  /** What HKA's ConsultarRucDV said about a receiver RUC, per HKA environment and RUC type. */
  rucVerification: (
    tenantId: string,
    environment: 'demo' | 'prod',
    rucType: '1' | '2',
    ruc: string,
  ): Key => ({
    pk: `${tenant(tenantId)}#RUC#${ruc.toUpperCase()}`,
    sk: `${environment}#${rucType}`,
  }),
  tenantRegistryEntry: (tenantId: string): Key => ({ pk: PLATFORM_PARTITION, sk: `TENANT#${tenantId}` }),
  user: (tenantId: string, userId: string): Key => ({ pk: tenant(tenantId), sk: `USER#${userId}` }),
  userPrefix: (tenantId: string) => ({ pk: tenant(tenantId), skPrefix: 'USER#' }),
  /** The tenant's user counters (`enabledAdmins`): conditional updates keep one enabled ADMIN at least. */
  userCounters: (tenantId: string): Key => ({ pk: tenant(tenantId), sk: 'USERS' }),
  apiKey: (tenantId: string, keyId: string): Key => ({ pk: tenant(tenantId), sk: `API_KEY#${keyId}` }),
  apiKeyPrefix: (tenantId: string) => ({ pk: tenant(tenantId), skPrefix: 'API_KEY#' }),
  /** How many keys the tenant holds (`held`): moved in the transaction of every creation and revocation. */
  apiKeyCounter: (tenantId: string): Key => ({ pk: tenant(tenantId), sk: 'API_KEYS' }),
  /** Where the authorizer finds a key: by the keyed hash (HMAC) of its secret, never the secret itself. */
  apiKeyLookup: (secretHmac: string): Key => ({
    pk: `${PLATFORM_PARTITION}#API_KEY#${secretHmac}`,
    sk: 'API_KEY',
  }),
  /**
   * What the authorizer checks an ID token against: the user's tenant, role and whether it may still call,
   * written with every change of the tenant's `USER#` item, so a disabled user or a new role takes effect
   * at once instead of when the user's ID token expires.
   */
  userAccess: (userId: string): Key => ({ pk: `${PLATFORM_PARTITION}#USER#${userId}`, sk: 'ACCESS' }),
  /** The circuit breaker of one HKA environment (shared/hka/breaker.ts): platform-wide, no tenant data. */
  hkaBreaker: (environment: 'demo' | 'prod'): Key => ({
    pk: `${PLATFORM_PARTITION}#HKA#${environment}`,
    sk: 'BREAKER',
  }),
  /**
   * That the tenant was told its documents have waited for HKA over an hour, once per outage (`since`: the
   * outage's start as the breaker saw it, or the oldest wait): the conditional put is the "once".
   */
  hkaWaitingLongNotice: (tenantId: string, environment: 'demo' | 'prod', since: string): Key => ({
    pk: `${tenant(tenantId)}#HKA_WAITING_LONG`,
    sk: `${environment}#${since}`,
  }),
  /** One tenant per RUC: the conditional put of this item refuses a second registration. */
  rucRegistration: (ruc: string): Key => ({
    pk: `${PLATFORM_PARTITION}#RUC#${ruc.toUpperCase()}`,
    sk: 'TENANT',
  }),
  /** `scope` is a tenant id, or `null` for platform actions (tenants created and suspended). */
  auditEntry: (scope: string | null, at: string, entryId: string): Key => ({
    pk: auditPartition(scope),
    sk: `${at}#${entryId}`,
  }),
  auditPartition: (scope: string | null) => ({ pk: auditPartition(scope) }),
  tenantRegistry: () => ({ pk: PLATFORM_PARTITION, skPrefix: 'TENANT#' }),
  customer: (tenantId: string, customerId: string): Key => ({
    pk: tenant(tenantId),
    sk: `CUSTOMER#${customerId}`,
  }),
  /**
   * One customer per (tenant, RUC): the conditional put of this item refuses a second one. Its sort key is
   * the RUC itself, so the same partition answers a RUC-prefix search (begins_with).
   */
  customerRuc: (tenantId: string, ruc: string): Key => ({
    pk: `${tenant(tenantId)}#CUSTOMERS#RUC`,
    sk: uniqueKey(ruc),
  }),
  customerRucPartition: (tenantId: string) => ({ pk: `${tenant(tenantId)}#CUSTOMERS#RUC` }),
  product: (tenantId: string, productId: string): Key => ({
    pk: tenant(tenantId),
    sk: `PRODUCT#${productId}`,
  }),
  /** One product per (tenant, code, case-insensitive); also the code-prefix search (begins_with). */
  productCode: (tenantId: string, code: string): Key => ({
    pk: `${tenant(tenantId)}#PRODUCTS#CODE`,
    sk: uniqueKey(code),
  }),
  productCodePartition: (tenantId: string) => ({ pk: `${tenant(tenantId)}#PRODUCTS#CODE` }),
  /** An export job (`POST /v1/exports`): its status, progress and the ZIP it produced. */
  exportJob: (tenantId: string, exportId: string): Key => ({
    pk: tenant(tenantId),
    sk: `EXPORT#${exportId}`,
  }),
  exportJobPrefix: (tenantId: string) => ({ pk: tenant(tenantId), skPrefix: 'EXPORT#' }),
  batch: (tenantId: string, batchId: string): Key => ({ pk: tenant(tenantId), sk: `BATCH#${batchId}` }),
  /** A tenant's batches: ids are ULIDs, so their keys sort by creation time. */
  batchPrefix: (tenantId: string) => ({ pk: tenant(tenantId), skPrefix: 'BATCH#' }),
  /** Rows in their order: the row number zero-padded to the 10,000-row limit's width. */
  batchRow: (tenantId: string, batchId: string, row: number): Key => ({
    pk: `${tenant(tenantId)}#BATCH#${batchId}`,
    sk: `ROW#${String(row).padStart(6, '0')}`,
  }),
  batchRowPrefix: (tenantId: string, batchId: string) => ({
    pk: `${tenant(tenantId)}#BATCH#${batchId}`,
    skPrefix: 'ROW#',
  }),
  /** A webhook endpoint (its secret encrypted with the data key, tenant as encryption context). */
  webhook: (tenantId: string, webhookId: string): Key => ({
    pk: tenant(tenantId),
    sk: `WEBHOOK#${webhookId}`,
  }),
  webhookPrefix: (tenantId: string) => ({ pk: tenant(tenantId), skPrefix: 'WEBHOOK#' }),
  /** How many endpoints the tenant holds (`held`): moved in the transaction of every creation and deletion. */
  webhookCounter: (tenantId: string): Key => ({ pk: tenant(tenantId), sk: 'WEBHOOKS' }),
  /** One event's delivery to one endpoint; ids are time-ordered, so the partition reads newest first. */
  webhookDelivery: (tenantId: string, webhookId: string, deliveryId: string): Key => ({
    pk: `${tenant(tenantId)}#WEBHOOK#${webhookId}`,
    sk: `DELIVERY#${deliveryId}`,
  }),
  webhookDeliveryPrefix: (tenantId: string, webhookId: string) => ({
    pk: `${tenant(tenantId)}#WEBHOOK#${webhookId}`,
    skPrefix: 'DELIVERY#',
  }),
};

/**
 * Platform-wide listings (the folio-sync fan-out) need one partition that is not a tenant's. It still
 * starts with `T#`, and `_platform` can never be a tenant id (tenant ids start with a letter or digit).
 */
export const PLATFORM_PARTITION = 'T#_platform';

/** The "tenant id" of platform-wide records built with the tenant key shapes (`T#_platform#IDEMPOTENCY#…`). */
export const PLATFORM_SCOPE = '_platform';

const auditPartition = (scope: string | null) =>
  `${scope === null ? PLATFORM_PARTITION : tenant(scope)}#AUDIT`;

export const gsiKeys = {
  documentsByDate: (tenantId: string, issuedAt: string, documentId: string) => ({
    gsi1pk: `${tenant(tenantId)}#DOCS`,
    gsi1sk: `${issuedAt}#${documentId}`,
  }),
  documentsByStatus: (tenantId: string, status: string, issuedAt: string, documentId: string) => ({
    gsi2pk: `${tenant(tenantId)}#STATUS#${status}`,
    gsi2sk: `${issuedAt}#${documentId}`,
  }),
  documentByCufe: (tenantId: string, cufe: string) => ({
    gsi3pk: `${tenant(tenantId)}#CUFE#${cufe}`,
    gsi3sk: 'DOC',
  }),
  /** Search entries (index `bySearchKey`): `nameKey` is `searchKey(name)` (shared/data/search-key.ts). */
  customerByName: (tenantId: string, nameKey: string, customerId: string) => ({
    gsi5pk: `${tenant(tenantId)}#CUSTOMERS`,
    gsi5sk: `${nameKey}#${customerId}`,
  }),
  productByDescription: (tenantId: string, descriptionKey: string, productId: string) => ({
    gsi5pk: `${tenant(tenantId)}#PRODUCTS`,
    gsi5sk: `${descriptionKey}#${productId}`,
  }),
  documentByReceiverName: (tenantId: string, nameKey: string, issuedAt: string, documentId: string) => ({
    gsi5pk: `${tenant(tenantId)}#DOCS#RECEIVER`,
    gsi5sk: `${nameKey}#${issuedAt}#${documentId}`,
  }),
  /**
   * A pending webhook delivery, in the in-flight index under its own platform partitions: due for the sweep
   * once `dueAt` (its next attempt, or the lease of an attempt under way) has passed.
   */
  webhookDeliveryDue: (tenantId: string, webhookId: string, deliveryId: string, dueAt: string) => ({
    gsi4pk: webhookDuePartition(inFlightShard(deliveryId)),
    gsi4sk: `${dueAt}#${tenantId}#${webhookId}#${deliveryId}`,
  }),
  /** While the document is being issued: due for a re-drive once `leaseUntil` has passed. */
  documentInFlight: (tenantId: string, documentId: string, leaseUntil: string) => ({
    gsi4pk: inFlightPartition(inFlightShard(documentId)),
    gsi4sk: `${leaseUntil}#${tenantId}#${documentId}`,
  }),
};

/** The table's indexes (one declaration, ./indexes.ts). */
export const GSI = INDEXES;

/** Shards of the in-flight index: each is one index partition, written when a document enters or leaves it. */
export const IN_FLIGHT_SHARDS = 4;

/** Partition of the in-flight index a document lands in (stable for the document's whole life). */
export function inFlightShard(documentId: string): number {
  return createHash('sha256').update(documentId).digest()[0]! % IN_FLIGHT_SHARDS;
}

export const inFlightPartition = (shard: number) => `${PLATFORM_PARTITION}#INFLIGHT#${shard}`;

/** Partitions of the in-flight index that hold pending webhook deliveries (shards as the documents'). */
export const webhookDuePartition = (shard: number) => `${PLATFORM_PARTITION}#WEBHOOKS_DUE#${shard}`;

/** Epoch seconds, the unit of the table's TTL attribute `expiresAt`. */
export function ttlEpochSeconds(from: Date, seconds: number): number {
  return Math.floor(from.getTime() / 1000) + seconds;
}

/**
 * Alert items (shared/alerts/*). A tenant's, in its own partition:
 *
 * | item                                   | pk                     | sk                                    |
 * |----------------------------------------|------------------------|---------------------------------------|
 * | an ADMIN's alert opt-outs              | T#<t>                  | ALERT_PREFS#<userId>                  |
 * | an alert e-mail sent (TTL, per event)  | T#<t>#ALERT_SENT       | <event id>                            |
 * | the open digest window                 | T#<t>                  | ALERT_DIGEST                          |
 * | a problem document waiting for digest  | T#<t>                  | ALERT_DIGEST#DOC#<documentId>         |
 * | certificate threshold already alerted  | T#<t>                  | CERT_EXPIRY#<fingerprint>#<days>      |
 *
 * and across tenants the digests due, read by the flush sweep (execution role, `dynamodb:LeadingKeys` =
 * `T#_platform#ALERT_DIGEST`): `T#_platform#ALERT_DIGEST` / `<windowEndsAt>#<t>`.
 */
export const alertKeys = {
  preferences: (tenantId: string, userId: string): Key => ({
    pk: tenant(tenantId),
    sk: `ALERT_PREFS#${userId}`,
  }),
  preferencesPrefix: (tenantId: string) => ({ pk: tenant(tenantId), skPrefix: 'ALERT_PREFS#' }),
  sent: (tenantId: string, eventId: string): Key => ({ pk: `${tenant(tenantId)}#ALERT_SENT`, sk: eventId }),
  digestWindow: (tenantId: string): Key => ({ pk: tenant(tenantId), sk: 'ALERT_DIGEST' }),
  digestProblem: (tenantId: string, documentId: string): Key => ({
    pk: tenant(tenantId),
    sk: `ALERT_DIGEST#DOC#${documentId}`,
  }),
  digestProblemPrefix: (tenantId: string) => ({ pk: tenant(tenantId), skPrefix: 'ALERT_DIGEST#DOC#' }),
  certificateThreshold: (tenantId: string, fingerprint: string, days: number): Key => ({
    pk: tenant(tenantId),
    sk: `CERT_EXPIRY#${fingerprint}#${days}`,
  }),
  digestDue: (tenantId: string, windowEndsAt: string): Key => ({
    pk: ALERT_DIGESTS_DUE_PARTITION,
    sk: `${windowEndsAt}#${tenantId}`,
  }),
};

/** The platform partition of the digests due (one item per open window). */
export const ALERT_DIGESTS_DUE_PARTITION = `${PLATFORM_PARTITION}#ALERT_DIGEST`;
