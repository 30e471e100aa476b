/**
 * The table's global secondary indexes, declared once: infra/constructs/data.ts creates them from this list,
 * the repositories query them by these names, and the IAM grants list their ARNs.
 *
 * Projections are what each index's queries read, nothing more: every attribute projected is rewritten in the
 * index whenever it changes, and each index write is billed. Listings read the index for keys and the
 * attributes their filters need, then fetch the items themselves (reads cost a fifth of writes).
 */
export type IndexProjection =
  | { readonly type: 'KEYS_ONLY' }
  | { readonly type: 'INCLUDE'; readonly attributes: readonly string[] };

export type IndexDeclaration = {
  readonly name: string;
  readonly pk: string;
  readonly sk: string;
  readonly projection: IndexProjection;
};

/** Attributes the document listings filter on inside a tenant's partition (never changed after creation). */
export const DOCUMENT_LIST_FILTER_ATTRIBUTES = ['type', 'branch', 'pointOfSale', 'receiverRuc'] as const;

export const INDEXES = {
  /** Documents of a tenant by emission date: `T#<t>#DOCS` / `<issuedAt>#<id>`. */
  byDate: {
    name: 'gsi1',
    pk: 'gsi1pk',
    sk: 'gsi1sk',
    projection: { type: 'INCLUDE', attributes: DOCUMENT_LIST_FILTER_ATTRIBUTES },
  },
  /** Documents of a tenant by status and date: `T#<t>#STATUS#<status>` / `<issuedAt>#<id>`. */
  byStatus: {
    name: 'gsi2',
    pk: 'gsi2pk',
    sk: 'gsi2sk',
    projection: { type: 'INCLUDE', attributes: DOCUMENT_LIST_FILTER_ATTRIBUTES },
  },
  /** A tenant's document by CUFE: `T#<t>#CUFE#<cufe>` / `DOC`. */
  byCufe: { name: 'gsi3', pk: 'gsi3pk', sk: 'gsi3sk', projection: { type: 'KEYS_ONLY' } },
  /**
   * Documents being issued, across tenants (sparse: only PROCESSING documents carry its keys), by when their
   * current attempt's lease ends: `T#_platform#INFLIGHT#<shard>` / `<leaseUntil>#<tenantId>#<id>`. The
   * re-drive sweep reads the expired ones. Sharded so no index partition takes every tenant's writes.
   */
  inFlight: {
    name: 'gsi4',
    pk: 'gsi4pk',
    sk: 'gsi4sk',
    // attemptOwner: whether the attempt began (its execution died) or never started.
    projection: { type: 'INCLUDE', attributes: ['tenantId', 'documentId', 'attempt', 'attemptOwner'] },
  },
  /**
   * Name-ordered lookups inside a tenant (sparse: only items that are searched by name carry its keys), by the
   * normalized text of shared/data/search-key.ts: customers (`T#<t>#CUSTOMERS` / `<name key>#<id>`), products
   * (`T#<t>#PRODUCTS` / `<description key>#<id>`) and documents by receiver name
   * (`T#<t>#DOCS#RECEIVER` / `<name key>#<issuedAt>#<id>`). One index for all three: CloudFormation creates
   * at most one GSI per table update, and each index a document carries is one more write per document.
   * It projects the documents' immutable filter attributes so a name search combines with the other filters.
   */
  bySearchKey: {
    name: 'gsi5',
    pk: 'gsi5pk',
    sk: 'gsi5sk',
    projection: { type: 'INCLUDE', attributes: DOCUMENT_LIST_FILTER_ATTRIBUTES },
  },
} as const satisfies Record<string, IndexDeclaration>;

export const INDEX_LIST: readonly IndexDeclaration[] = Object.values(INDEXES);

/** Every index key attribute: stripped from items before they leave a repository. */
export const INDEX_KEY_ATTRIBUTES: readonly string[] = INDEX_LIST.flatMap((index) => [index.pk, index.sk]);
