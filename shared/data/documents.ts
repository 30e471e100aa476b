import { randomBytes } from 'node:crypto';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Issuer } from '#shared/fiscal/issuer';
import type { DocumentLedger } from '#shared/reports/ledger';
import { documentClient, tableName } from './client.ts';
import { type CursorBinding, openCursor, sealCursor } from './cursor.ts';
import { cancellationCodes, isConditionalCheckFailed } from './errors.ts';
import { DOCUMENT_LIST_FILTER_ATTRIBUTES, INDEX_KEY_ATTRIBUTES } from './indexes.ts';
import { GSI, gsiKeys, keys } from './keys.ts';
import { searchKey } from './search-key.ts';
import type { TransactItem } from './transactions.ts';

/**
 * PROCESSING: being issued. WAITING_FOR_HKA: HKA did not answer; the document waits durably and is retried
 * (shared/documents/attempts.ts). CONTINGENCY: issued in contingency (tipoEmision 02) while HKA was down —
 * signed locally and delivered to the receiver, to be sent to HKA when it answers. The three are *in flight*:
 * each has a lease, and the re-drive sweep moves them on. The other four are final (FAILED until a retry).
 */
export const DOCUMENT_STATUSES = [
  'PROCESSING',
  'WAITING_FOR_HKA',
  'CONTINGENCY',
  'AUTHORIZED',
  'REJECTED',
  'FAILED',
  'CANCELLED',
] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** The statuses of a document whose issuing is not over: each carries a lease in the in-flight index. */
export const IN_FLIGHT_STATUSES = [
  'PROCESSING',
  'WAITING_FOR_HKA',
  'CONTINGENCY',
] as const satisfies readonly DocumentStatus[];
export type InFlightStatus = (typeof IN_FLIGHT_STATUSES)[number];
export const isInFlight = (status: DocumentStatus): status is InFlightStatus =>
  (IN_FLIGHT_STATUSES as readonly DocumentStatus[]).includes(status);

/**
 * Why a document is where it is. HKA/DGI rejections are explained (shared/hka/messages.ts): `code` is the
 * catalogue's stable code, `hkaCode` HKA's or the DGI's own, `hkaField` HKA's element, `hint` a fix (es, en).
 */
export type Reason = {
  path: string;
  message: string;
  code?: string;
  hkaCode?: string;
  hkaField?: string;
  hint?: { es: string; en: string };
};

/** A pre-flight finding that did not block the document: returned with it so the tenant can fix the data. */
/**
 * What HKA/DGI answered for an authorized document. `qr` and `protocol` are absent only while the
 * authorization comes from EstadoDocumento (a reconciliation): the QR is then read from the authorized XML,
 * and EstadoDocumento does not report the protocol number.
 */
export type Authorization = { cufe: string; qr?: string; protocol?: string; authorizedAt: string };

/** Issuer data as it was when the document was issued: later edits to the tenant never change a document. */
export type IssuerSnapshot = Issuer;

/** The computed totals as DGI-formatted decimal strings (see #shared/fiscal/compute). */
export type DocumentTotals = {
  net: string;
  itbms: string;
  isc?: string;
  taxes: string;
  discount?: string;
  freight?: string;
  insurance?: string;
  total: string;
  received: string;
  change?: string;
  itemCount: number;
};

/** Which folio quotas a document holds (debited at accept or retry, credited back when it never reaches HKA). */
export type FolioDebit = { pool: boolean; assignmentUserId?: string };

/** One pre-flight finding: where (our model's path), what, and how to fix it when known. */
export type Finding = {
  path: string;
  message: string;
  code: string;
  severity: 'error' | 'warning';
  hint?: string;
};

export type DocumentRecord = {
  tenantId: string;
  documentId: string;
  /** Friendly document type of the API (`invoice`, `credit-note`, …). */
  type: string;
  /** DGI `iDoc` code, `01`..`10`. */
  typeCode: string;
  /** DGI `iTpEmis` code, `01`..`04`. */
  emissionType: string;
  status: DocumentStatus;
  branch: string;
  pointOfSale: string;
  /** 10 digits, allocated once per (tenant, branch, point of sale). */
  number: string;
  issuedAt: string;
  createdBy: string;
  channel: 'hka-integration' | 'emitter-signed';
  environment: 'demo' | 'prod';
  /** `dSeg`, fixed at issue time so every rebuild of the rFE yields the same CUFE. */
  securityCode: string;
  issuer: IssuerSnapshot;
  receiver: { type?: string; ruc?: string; name?: string; emails?: string[] };
  /** The receiver's RUC again, top-level so the listing indexes can project it for their filter. */
  receiverRuc?: string;
  /** The catalogue customer the document was issued to (`receiver.customerId`); `receiver` is its copy then. */
  customerId?: string;
  totals: DocumentTotals;
  computedKey: string;
  cufe?: string;
  qr?: string;
  protocol?: string;
  authorizedAt?: string;
  artifacts?: { xmlKey: string; pdfKey: string };
  /** emitter-signed: our signed rFE, stored once so a later attempt re-sends the same bytes without signing again. */
  signedXmlKey?: string;
  /**
   * Issued in contingency (tipoEmision 02) because HKA was unreachable (shared/contingency): when the
   * outage started, and when the document was delivered to its receiver with its contingency CAFE.
   */
  contingency?: { startedAt: string; deliveredAt?: string; cafeKey?: string };
  reasons?: Reason[];
  /** Pre-flight warnings at acceptance; they never block. */
  warnings?: Finding[];
  /** Submissions to HKA started (counted before the request leaves). */
  submissionAttempts?: number;
  /** Submissions known never to have reached HKA (refused connection, HTTP error before processing). */
  notSentAttempts?: number;
  /** Issuing attempt; each one is a separate execution of the issuing workflow. */
  attempt: number;
  /** The execution that runs the current attempt (absent until it starts, and between attempts). */
  attemptOwner?: string;
  /**
   * While PROCESSING: when the current attempt is presumed dead, or when the next one is due. A document
   * whose lease has passed is picked up by the re-drive sweep; nothing stays PROCESSING without one.
   */
  leaseUntil?: string;
  /**
   * While the document waits between attempts for HKA (WAITING_FOR_HKA, CONTINGENCY): when its next attempt
   * is due (absent while an attempt runs). `waitingSince`: its first wait (the 72-hour limit counts from it);
   * `waits`: how many waits so far (the backoff's exponent); `lastError`: why HKA did not answer last time.
   */
  nextAttemptAt?: string;
  waitingSince?: string;
  waits?: number;
  lastError?: string;
  /** `document.waiting` was published (once per document; set after the publication succeeded). */
  waitingAnnounced?: boolean;
  cancellation?: { reason: string; at: string; by: string };
  folioDebit?: FolioDebit;
  lastSubmissionAt?: string;
  updatedAt: string;
  // Reports
  /**
   * The document's figures per ITBMS rate, for the reports (#shared/reports/ledger). Absent on documents
   * issued before it existed: the reports compute it from the computed document (`computedKey`).
   */
  ledger?: DocumentLedger;
};

export type DocumentEvent = {
  at: string;
  type: string;
  status: DocumentStatus;
  message?: string;
  reasons?: Reason[];
  actor?: string;
};

const INTERNAL_ATTRIBUTES = new Set(['pk', 'sk', ...INDEX_KEY_ATTRIBUTES]);

export function stripKeys(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !INTERNAL_ATTRIBUTES.has(name)));
}

export function documentItem(doc: DocumentRecord) {
  return {
    ...doc,
    ...keys.document(doc.tenantId, doc.documentId),
    ...gsiKeys.documentsByDate(doc.tenantId, doc.issuedAt, doc.documentId),
    ...gsiKeys.documentsByStatus(doc.tenantId, doc.status, doc.issuedAt, doc.documentId),
    ...(doc.cufe ? gsiKeys.documentByCufe(doc.tenantId, doc.cufe) : {}),
    ...receiverNameIndexKeys(doc),
    ...(isInFlight(doc.status) && doc.leaseUntil
      ? gsiKeys.documentInFlight(doc.tenantId, doc.documentId, doc.leaseUntil)
      : {}),
  };
}

/**
 * The name-search entry (index `bySearchKey`): written once with the document, since the receiver never
 * changes. A document without a receiver name (an anonymous final consumer) has none.
 */
function receiverNameIndexKeys(doc: DocumentRecord) {
  const nameKey = doc.receiver.name ? searchKey(doc.receiver.name) : '';
  return nameKey ? gsiKeys.documentByReceiverName(doc.tenantId, nameKey, doc.issuedAt, doc.documentId) : {};
}

export function eventItem(tenantId: string, documentId: string, event: DocumentEvent) {
  const eventId = randomBytes(4).toString('hex');
  return { ...event, ...keys.documentEvent(tenantId, documentId, event.at, eventId) };
}

type SettableFields = Partial<Omit<DocumentRecord, 'tenantId' | 'documentId' | 'status'>>;

export type Transition = {
  to: DocumentStatus;
  /** Statuses the document may be in for this transition to apply. */
  from: DocumentStatus[];
  /** Applies only while the document is in this issuing attempt (a superseded attempt changes nothing). */
  attempt?: number;
  set?: SettableFields;
  /** Attributes to drop (e.g. the attempt's lease when the document leaves PROCESSING). */
  remove?: Array<keyof DocumentRecord>;
  event: Omit<DocumentEvent, 'at' | 'status'>;
  /** Further conditional writes that must happen with the transition (folio debits and credits). */
  extraItems?: Array<{ name: string; item: TransactItem }>;
  now?: Date;
};

/** A write that had to happen with a transition was refused by its condition (e.g. no folio left). */
export class TransitionExtraRefusedError extends Error {
  override readonly name = 'TransitionExtraRefusedError';
  constructor(readonly extra: string) {
    super(`${extra} refused the transition`);
  }
}

/** Why a list request's cursor was refused; the HTTP layer maps this to 400. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

/** Status and date narrow the index key; the other filters are the index-projected attributes. */
export type ListFilters = {
  status?: DocumentStatus;
  from?: string;
  to?: string;
} & Partial<Record<(typeof DOCUMENT_LIST_FILTER_ATTRIBUTES)[number], string>>;

/** The index keys a status change rewrites, plus the in-flight keys it adds or drops. */
function statusIndexKeys(current: DocumentRecord, to: DocumentStatus, set: SettableFields) {
  const fields: Record<string, unknown> = gsiKeys.documentsByStatus(
    current.tenantId,
    to,
    current.issuedAt,
    current.documentId,
  );
  if (set.cufe) Object.assign(fields, gsiKeys.documentByCufe(current.tenantId, set.cufe));
  const leaseUntil = set.leaseUntil ?? current.leaseUntil;
  if (isInFlight(to) && leaseUntil) {
    Object.assign(fields, gsiKeys.documentInFlight(current.tenantId, current.documentId, leaseUntil));
  }
  return fields;
}

/** `SET a = :a, … REMOVE b, …` with generated names and values (undefined values are skipped). */
export function updateExpression(set: Record<string, unknown>, remove: readonly string[] = []) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const assignments: string[] = [];
  Object.entries(set).forEach(([field, value], i) => {
    if (value === undefined) return;
    names[`#s${i}`] = field;
    values[`:s${i}`] = value;
    assignments.push(`#s${i} = :s${i}`);
  });
  const removals = remove.map((field, i) => {
    names[`#r${i}`] = field;
    return `#r${i}`;
  });
  const expression = [
    assignments.length ? `SET ${assignments.join(', ')}` : '',
    removals.length ? `REMOVE ${removals.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return { expression, names, values };
}

export const documentsRepository = {
  async get(tenantId: string, documentId: string): Promise<DocumentRecord | undefined> {
    const out = await documentClient().send(
      new GetCommand({
        TableName: tableName(),
        Key: keys.document(tenantId, documentId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? (stripKeys(out.Item) as DocumentRecord) : undefined;
  },

  /**
   * Moves a document to another status and appends the history event in one transaction (with any extra
   * writes). Returns false (and changes nothing) when the document is not in one of `from`, or no longer in
   * `attempt` — e.g. a step re-run after the document already reached its final state.
   */
  async transition(tenantId: string, documentId: string, transition: Transition): Promise<boolean> {
    const now = (transition.now ?? new Date()).toISOString();
    const current = await this.get(tenantId, documentId);
    if (!current) return false;
    const setFields = transition.set ?? {};
    const remove = [...(transition.remove ?? [])] as string[];
    if (!isInFlight(transition.to)) remove.push('gsi4pk', 'gsi4sk');
    const update = updateExpression(
      {
        ...setFields,
        status: transition.to,
        updatedAt: now,
        ...statusIndexKeys(current, transition.to, setFields),
      },
      remove,
    );
    const allowed = transition.from.map((_, i) => `:from${i}`);
    transition.from.forEach((status, i) => {
      update.values[`:from${i}`] = status;
    });
    update.names['#status'] = 'status';
    let condition = `#status IN (${allowed.join(', ')})`;
    if (transition.attempt !== undefined) {
      update.names['#attempt'] = 'attempt';
      update.values[':attempt'] = transition.attempt;
      condition += ' AND #attempt = :attempt';
    }

    const extras = transition.extraItems ?? [];
    try {
      await documentClient().send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName(),
                Key: keys.document(tenantId, documentId),
                UpdateExpression: update.expression,
                ConditionExpression: condition,
                ExpressionAttributeNames: update.names,
                ExpressionAttributeValues: update.values,
              },
            },
            {
              Put: {
                TableName: tableName(),
                Item: eventItem(tenantId, documentId, {
                  ...transition.event,
                  at: now,
                  status: transition.to,
                }),
              },
            },
            ...extras.map((extra) => extra.item),
          ],
        }),
      );
      return true;
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[0] === 'ConditionalCheckFailed') return false;
      const refused = extras.find((_, i) => codes?.[2 + i] === 'ConditionalCheckFailed');
      if (refused) throw new TransitionExtraRefusedError(refused.name);
      throw error;
    }
  },

  /**
   * Conditional update of a document that stays in its status (attempt bookkeeping). Returns the document
   * as written, or undefined when the condition does not hold.
   */
  async updateIf(
    tenantId: string,
    documentId: string,
    change: {
      set?: SettableFields & Record<string, unknown>;
      add?: Partial<Record<'submissionAttempts' | 'notSentAttempts', number>>;
      remove?: string[];
      condition: string;
      names?: Record<string, string>;
      values?: Record<string, unknown>;
    },
  ): Promise<DocumentRecord | undefined> {
    const update = updateExpression(change.set ?? {}, change.remove);
    const additions = Object.entries(change.add ?? {}).map(([field, amount], i) => {
      update.names[`#a${i}`] = field;
      update.values[`:a${i}`] = amount;
      return `#a${i} :a${i}`;
    });
    const expression = [update.expression, additions.length ? `ADD ${additions.join(', ')}` : '']
      .filter(Boolean)
      .join(' ');
    try {
      const out = await documentClient().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.document(tenantId, documentId),
          UpdateExpression: expression,
          ConditionExpression: `attribute_exists(pk) AND (${change.condition})`,
          ExpressionAttributeNames: { ...update.names, ...change.names },
          ExpressionAttributeValues: { ...update.values, ...change.values },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? (stripKeys(out.Attributes) as DocumentRecord) : undefined;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  },

  /** Sets fields that do not change the status (e.g. rejection reasons recorded before the Catch). */
  async setFields(tenantId: string, documentId: string, fields: SettableFields): Promise<void> {
    await this.updateIf(tenantId, documentId, {
      set: { ...fields, updatedAt: new Date().toISOString() },
      condition: 'attribute_exists(sk)',
    });
  },

  /** A history entry that does not change the status (pipeline progress, submission attempts). */
  async appendEvent(tenantId: string, documentId: string, event: DocumentEvent): Promise<void> {
    await documentClient().send(
      new PutCommand({ TableName: tableName(), Item: eventItem(tenantId, documentId, event) }),
    );
  },

  async listEvents(tenantId: string, documentId: string): Promise<DocumentEvent[]> {
    const { pk, skPrefix } = keys.documentEventPrefix(tenantId, documentId);
    const events: DocumentEvent[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documentClient().send(
        new QueryCommand({
          TableName: tableName(),
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) events.push(stripKeys(item) as DocumentEvent);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return events;
  },

  async findByCufe(tenantId: string, cufe: string): Promise<DocumentRecord | undefined> {
    const { gsi3pk } = gsiKeys.documentByCufe(tenantId, cufe);
    const out = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: GSI.byCufe.name,
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': gsi3pk },
        Limit: 1,
      }),
    );
    const item = out.Items?.[0];
    return item ? this.get(tenantId, String(item.documentId ?? documentIdOfKey(String(item.pk)))) : undefined;
  },

  /**
   * How many of the tenant's documents are in `status`, counted on the status index (keys only read;
   * eventually consistent, so a count for a message, never for a decision).
   */
  async countInStatus(tenantId: string, status: DocumentStatus): Promise<number> {
    let count = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await documentClient().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: GSI.byStatus.name,
          KeyConditionExpression: '#gpk = :pk',
          ExpressionAttributeNames: { '#gpk': GSI.byStatus.pk },
          ExpressionAttributeValues: { ':pk': gsiKeys.documentsByStatus(tenantId, status, '', '').gsi2pk },
          ProjectionExpression: 'pk',
          ExclusiveStartKey: startKey,
        }),
      );
      count += out.Items?.length ?? 0;
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return count;
  },

  /**
   * Newest first, through gsi2 when filtering by status and gsi1 otherwise; the date range narrows the
   * sort key, other filters are applied to the attributes the index projects, within the tenant's partition
   * (never a Scan). The page's items are then read from the table. The cursor is the key of the last
   * returned item, so under-filled filtered pages never skip an item; it is sealed with `cursorSecret` for
   * this tenant and these filters (./cursor.ts), and a cursor that does not open is InvalidCursorError.
   */
  async list(
    tenantId: string,
    filters: ListFilters,
    page: { limit: number; cursor?: string; cursorSecret: string },
  ): Promise<{ items: DocumentRecord[]; nextCursor?: string }> {
    const index = filters.status ? GSI.byStatus : GSI.byDate;
    const partition = filters.status
      ? gsiKeys.documentsByStatus(tenantId, filters.status, '', '').gsi2pk
      : gsiKeys.documentsByDate(tenantId, '', '').gsi1pk;
    const binding = cursorBinding(tenantId, index.name, filters);

    const values: Record<string, unknown> = { ':pk': partition };
    const names: Record<string, string> = { '#gpk': index.pk };
    let keyCondition = '#gpk = :pk';
    if (filters.from || filters.to) {
      names['#gsk'] = index.sk;
      values[':from'] = filters.from ?? '0000';
      // `~` sorts after every character of an id, so `to` is inclusive of the whole day/second given.
      values[':to'] = `${filters.to ?? '9999'}~`;
      keyCondition += ' AND #gsk BETWEEN :from AND :to';
    }
    const filterParts: string[] = [];
    const addFilter = (field: string, value: string | undefined) => {
      if (value === undefined) return;
      const n = `#ff${filterParts.length}`;
      const v = `:ff${filterParts.length}`;
      names[n] = field;
      values[v] = value;
      filterParts.push(`${n} = ${v}`);
    };
    for (const attribute of DOCUMENT_LIST_FILTER_ATTRIBUTES) addFilter(attribute, filters[attribute]);

    let startKey = page.cursor
      ? decodeCursor(page.cursor, binding, page.cursorSecret, { pk: index.pk, sk: index.sk, partition })
      : undefined;
    const found: Array<{ pk: string; sk: string }> = [];
    let lastItemKey: Record<string, unknown> | undefined;
    // Bounded so one request never reads a whole tenant's history looking for a rare filter match.
    for (let round = 0; round < 10 && found.length < page.limit; round++) {
      const out = await documentClient().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: index.name,
          KeyConditionExpression: keyCondition,
          FilterExpression: filterParts.length ? filterParts.join(' AND ') : undefined,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          Limit: Math.max(page.limit, 25),
          ExclusiveStartKey: startKey,
        }),
      );
      const matched = out.Items ?? [];
      let consumed = 0;
      for (const item of matched) {
        if (found.length === page.limit) break;
        found.push({ pk: String(item.pk), sk: String(item.sk) });
        lastItemKey = { pk: item.pk, sk: item.sk, [index.pk]: item[index.pk], [index.sk]: item[index.sk] };
        consumed++;
      }
      if (consumed < matched.length) {
        // Stopped inside a page: resume right after the last item returned.
        startKey = lastItemKey;
        break;
      }
      startKey = out.LastEvaluatedKey;
      if (!startKey) break;
    }
    const items = await batchGetDocuments(found);
    return { items, nextCursor: startKey ? sealCursor(startKey, binding, page.cursorSecret) : undefined };
  },
};

/** `T#<tenant>#DOC#<id>` → `<id>` (ids never contain `#`). */
function documentIdOfKey(pk: string): string {
  return pk.slice(pk.lastIndexOf('#') + 1);
}

/**
 * The items of `keyList`, in that order: a listing page (at most 100 keys, one BatchGetItem round or a few),
 * or a report's month read 100 keys at a time.
 */
export async function batchGetDocuments(
  keyList: Array<{ pk: string; sk: string }>,
): Promise<DocumentRecord[]> {
  if (keyList.length === 0) return [];
  const byPk = new Map<string, DocumentRecord>();
  let pending: Array<Record<string, unknown>> = keyList;
  for (let round = 0; pending.length > 0; round++) {
    if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** round)));
    const out = await documentClient().send(
      new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: pending } } }),
    );
    for (const item of out.Responses?.[tableName()] ?? []) {
      byPk.set(String(item.pk), stripKeys(item) as DocumentRecord);
    }
    pending = out.UnprocessedKeys?.[tableName()]?.Keys ?? [];
    if (round >= 8 && pending.length > 0) throw new Error('DynamoDB left keys unprocessed after 8 rounds');
  }
  // An item deleted between the index read and the batch read is simply absent from the page.
  return keyList.flatMap((key) => {
    const item = byPk.get(key.pk);
    return item ? [item] : [];
  });
}

/** A cursor belongs to the tenant, the index and every filter of the listing that handed it out. */
function cursorBinding(tenantId: string, indexName: string, filters: ListFilters): CursorBinding {
  return {
    tenantId,
    listing: [
      ['index', indexName],
      ['status', filters.status ?? null],
      ['from', filters.from ?? null],
      ['to', filters.to ?? null],
      ...DOCUMENT_LIST_FILTER_ATTRIBUTES.map((name) => [name, filters[name] ?? null] as const),
    ],
  };
}

/**
 * The start key of a cursor this service sealed for this tenant and listing; anything else is refused.
 * Its shape is checked again (the table and index keys, non-empty strings, the caller's partition), so
 * even a sealed cursor can only ever name a key inside the caller's own partition.
 */
export function decodeCursor(
  cursor: string,
  binding: CursorBinding,
  secret: string,
  index: { pk: string; sk: string; partition: string },
): Record<string, unknown> {
  const key = openCursor(cursor, binding, secret);
  if (!key) throw new InvalidCursorError('cursor was not issued for this listing');
  const expected = ['pk', 'sk', index.pk, index.sk];
  const valid =
    Object.keys(key).length === expected.length &&
    expected.every((name) => typeof key[name] === 'string' && key[name] !== '') &&
    key[index.pk] === index.partition;
  if (!valid) throw new InvalidCursorError('cursor does not name a key of this listing');
  return key;
}
