import { randomBytes } from 'node:crypto';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Issuer } from '#shared/fiscal/issuer';
import { documentClient, tableName } from './client.ts';
import { cancellationCodes, isConditionalCheckFailed } from './errors.ts';
import { GSI, gsiKeys, keys } from './keys.ts';

export const DOCUMENT_STATUSES = ['PROCESSING', 'AUTHORIZED', 'REJECTED', 'FAILED', 'CANCELLED'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export type Reason = { path: string; message: string; code?: string };

export type Authorization = { cufe: string; qr: string; protocol: string; authorizedAt: string };

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
  totals: DocumentTotals;
  inputKey: string;
  computedKey: string;
  cufe?: string;
  qr?: string;
  protocol?: string;
  authorizedAt?: string;
  artifacts?: { xmlKey: string; pdfKey: string };
  reasons?: Reason[];
  submissionAttempts?: number;
  /** Execution attempt of the pipeline (execution name suffix); a retry of a FAILED document increments it. */
  pipelineAttempt?: number;
  cancellation?: { reason: string; at: string; by: string };
  /** Which folio quotas this document debited at accept time (credited back if it is rejected). */
  folioDebit?: { pool: boolean; assignmentUserId?: string };
  lastSubmissionAt?: string;
  updatedAt: string;
};

export type DocumentEvent = {
  at: string;
  type: string;
  status: DocumentStatus;
  message?: string;
  reasons?: Reason[];
  actor?: string;
};

const stripKeys = (item: Record<string, unknown>) => {
  const {
    pk: _1,
    sk: _2,
    gsi1pk: _3,
    gsi1sk: _4,
    gsi2pk: _5,
    gsi2sk: _6,
    gsi3pk: _7,
    gsi3sk: _8,
    ...rest
  } = item;
  return rest;
};

export function documentItem(doc: DocumentRecord) {
  return {
    ...doc,
    ...keys.document(doc.tenantId, doc.documentId),
    ...gsiKeys.documentsByDate(doc.tenantId, doc.issuedAt, doc.documentId),
    ...gsiKeys.documentsByStatus(doc.tenantId, doc.status, doc.issuedAt, doc.documentId),
    ...(doc.cufe ? gsiKeys.documentByCufe(doc.tenantId, doc.cufe) : {}),
  };
}

export function eventItem(tenantId: string, documentId: string, event: DocumentEvent) {
  const eventId = randomBytes(4).toString('hex');
  return { ...event, ...keys.documentEvent(tenantId, documentId, event.at, eventId) };
}

export type Transition = {
  to: DocumentStatus;
  /** Statuses the document may be in for this transition to apply. */
  from: DocumentStatus[];
  set?: Partial<Omit<DocumentRecord, 'tenantId' | 'documentId' | 'status'>>;
  event: Omit<DocumentEvent, 'at' | 'status'>;
  now?: Date;
};

/** Why a list request's cursor was refused; the HTTP layer maps this to 400. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

export type ListFilters = {
  status?: DocumentStatus;
  type?: string;
  from?: string;
  to?: string;
  branch?: string;
  pointOfSale?: string;
  receiverRuc?: string;
};

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
   * Moves a document to another status and appends the history event in one transaction. Returns false
   * (and changes nothing) when the document is not in one of `from` — e.g. a pipeline step re-run after
   * the document already reached its final state.
   */
  async transition(tenantId: string, documentId: string, transition: Transition): Promise<boolean> {
    const now = (transition.now ?? new Date()).toISOString();
    const current = await this.get(tenantId, documentId);
    if (!current) return false;
    const set: Record<string, unknown> = { ...transition.set, status: transition.to, updatedAt: now };
    Object.assign(set, gsiKeys.documentsByStatus(tenantId, transition.to, current.issuedAt, documentId));
    if (transition.set?.cufe) Object.assign(set, gsiKeys.documentByCufe(tenantId, transition.set.cufe));

    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = {};
    const assignments: string[] = [];
    for (const [i, [field, value]] of Object.entries(set).entries()) {
      if (value === undefined) continue;
      names[`#f${i}`] = field;
      values[`:v${i}`] = value;
      assignments.push(`#f${i} = :v${i}`);
    }
    const allowed = transition.from.map((_, i) => `:from${i}`);
    transition.from.forEach((status, i) => {
      values[`:from${i}`] = status;
    });

    try {
      await documentClient().send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName(),
                Key: keys.document(tenantId, documentId),
                UpdateExpression: `SET ${assignments.join(', ')}`,
                ConditionExpression: `#status IN (${allowed.join(', ')})`,
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
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
          ],
        }),
      );
      return true;
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.[0] === 'ConditionalCheckFailed') return false;
      throw error;
    }
  },

  /**
   * Counts a submission attempt *before* the HKA call, so a retry after a crash knows an earlier attempt
   * may have reached HKA and must reconcile with EstadoDocumento first. Returns the new count.
   */
  async recordSubmissionAttempt(tenantId: string, documentId: string, now = new Date()): Promise<number> {
    const out = await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.document(tenantId, documentId),
        UpdateExpression: 'ADD submissionAttempts :one SET lastSubmissionAt = :now, updatedAt = :now',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':one': 1, ':now': now.toISOString() },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(out.Attributes?.submissionAttempts ?? 1);
  },

  /** Sets fields that do not change the status (e.g. rejection reasons recorded before the Catch). */
  async setFields(
    tenantId: string,
    documentId: string,
    fields: Partial<Omit<DocumentRecord, 'tenantId' | 'documentId' | 'status'>>,
  ): Promise<void> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':now': new Date().toISOString() };
    const assignments = ['updatedAt = :now'];
    Object.entries(fields).forEach(([field, value], i) => {
      if (value === undefined) return;
      names[`#f${i}`] = field;
      values[`:v${i}`] = value;
      assignments.push(`#f${i} = :v${i}`);
    });
    try {
      await documentClient().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.document(tenantId, documentId),
          UpdateExpression: `SET ${assignments.join(', ')}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) return;
      throw error;
    }
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
    return item ? (stripKeys(item) as DocumentRecord) : undefined;
  },

  /**
   * Newest first, through gsi2 when filtering by status and gsi1 otherwise; the date range narrows the
   * sort key, other filters are applied within the tenant's partition (never a Scan). The cursor is the
   * key of the last returned item, so under-filled filtered pages never skip an item.
   */
  async list(
    tenantId: string,
    filters: ListFilters,
    page: { limit: number; cursor?: string },
  ): Promise<{ items: DocumentRecord[]; nextCursor?: string }> {
    const index = filters.status ? GSI.byStatus : GSI.byDate;
    const partition = filters.status
      ? gsiKeys.documentsByStatus(tenantId, filters.status, '', '').gsi2pk
      : gsiKeys.documentsByDate(tenantId, '', '').gsi1pk;

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
    addFilter('type', filters.type);
    addFilter('branch', filters.branch);
    addFilter('pointOfSale', filters.pointOfSale);
    if (filters.receiverRuc !== undefined) {
      names['#rcv'] = 'receiver';
      names['#rruc'] = 'ruc';
      values[':rruc'] = filters.receiverRuc;
      filterParts.push('#rcv.#rruc = :rruc');
    }

    let startKey = page.cursor ? decodeCursor(page.cursor, index.pk, partition) : undefined;
    const items: DocumentRecord[] = [];
    let lastItemKey: Record<string, unknown> | undefined;
    // Bounded so one request never reads a whole tenant's history looking for a rare filter match.
    for (let round = 0; round < 10 && items.length < page.limit; round++) {
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
        if (items.length === page.limit) break;
        items.push(stripKeys(item) as DocumentRecord);
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
    return { items, nextCursor: startKey ? encodeCursor(startKey) : undefined };
  },
};

function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** A cursor is only ever a key inside the caller's own partition; anything else is refused. */
function decodeCursor(cursor: string, indexPk: string, partition: string): Record<string, unknown> {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    const allowed = new Set(['pk', 'sk', indexPk, indexPk.replace('pk', 'sk')]);
    const valid =
      key &&
      typeof key === 'object' &&
      key[indexPk] === partition &&
      Object.entries(key).every(([k, v]) => allowed.has(k) && typeof v === 'string');
    if (!valid) throw new InvalidCursorError('cursor does not belong to this listing');
    return key;
  } catch (error) {
    if (error instanceof InvalidCursorError) throw error;
    throw new InvalidCursorError('cursor is malformed');
  }
}
