/**
 * Drives documents through the local cloud as a client would (plain HTTP to the API) and watches them
 * from outside the metered paths: document states are read straight from DynamoDB Local with the bench's
 * own client, so watching costs nothing in the measured windows (a client polling the API would; that is
 * priced apart, as the status-polling line).
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient, GetItemCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { LocalStack } from '#local/cloud';
import { keys } from '#shared/data/keys';
import { callApi } from '../pipeline/client';
import type { ApiRequests } from './document-lines';
import type { Item } from './dynamodb-capacity';
import type { UsageRecorder } from './usage';

export const FINAL_STATUSES = new Set(['AUTHORIZED', 'REJECTED', 'FAILED', 'CANCELLED']);

export type Issued = { tenantId: string; documentIds: string[]; api: ApiRequests; failures: string[] };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class Driver {
  private readonly ddb: DynamoDBClient;

  constructor(
    private readonly stack: LocalStack,
    private readonly recorder: UsageRecorder,
  ) {
    this.ddb = new DynamoDBClient({
      region: stack.cognito.region,
      endpoint: stack.endpoints.dynamodb,
      credentials: { ...stack.credentials },
    });
  }

  get tableName(): string {
    const name = this.stack.resources.tables[0];
    if (!name) throw new Error('the local cloud has no table');
    return name;
  }

  api(token: string, method: string, path: string, body?: unknown) {
    return callApi(this.stack.apiUrl, token, method, path, {
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      headers: { 'idempotency-key': randomUUID() },
    });
  }

  /** POSTs `count` copies of a document one after the other (one point of sale issues in sequence). */
  async issue(token: string, tenantId: string, document: string, count: number): Promise<Issued> {
    const documentIds: string[] = [];
    const failures: string[] = [];
    let responseBytes = 0;
    for (let index = 0; index < count; index++) {
      const response = await callApi(this.stack.apiUrl, token, 'POST', '/v1/documents', {
        body: document,
        headers: { 'idempotency-key': randomUUID() },
      });
      const id = (response.body as { data?: { id?: string } } | undefined)?.data?.id;
      if (response.status === 202 && id) {
        documentIds.push(id);
        responseBytes += Buffer.byteLength(JSON.stringify(response.body));
      } else
        failures.push(response.error ?? `${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
    }
    return {
      tenantId,
      documentIds,
      failures,
      api: {
        method: 'POST',
        path: '/v1/documents',
        count,
        meanResponseBytes: documentIds.length > 0 ? responseBytes / documentIds.length : 0,
      },
    };
  }

  /**
   * POSTs `count` copies of a document as one batch (`POST /v1/batches`), waits until every row has ended,
   * and reads the rows' document ids: the documents the batch issued.
   */
  async issueBatch(token: string, tenantId: string, document: string, count: number): Promise<Issued> {
    const parsed = JSON.parse(document) as Record<string, unknown>;
    const body = JSON.stringify({ documents: Array.from({ length: count }, () => parsed) });
    const response = await callApi(this.stack.apiUrl, token, 'POST', '/v1/batches', {
      body,
      headers: { 'idempotency-key': randomUUID() },
    });
    const batchId = (response.body as { data?: { id?: string } } | undefined)?.data?.id;
    const api: ApiRequests = {
      method: 'POST',
      path: '/v1/batches',
      count: 1,
      meanResponseBytes: Buffer.byteLength(JSON.stringify(response.body ?? '')),
    };
    if (response.status !== 202 || !batchId) {
      const failure = response.error ?? `${response.status} ${JSON.stringify(response.body).slice(0, 200)}`;
      return { tenantId, documentIds: [], failures: [failure], api };
    }
    const rowsPk = keys.batchRowPrefix(tenantId, batchId).pk;
    let documentIds: string[] = [];
    await this.until(async () => {
      const rows = await this.queryPartition(rowsPk);
      documentIds = rows.flatMap((row) => (row.documentId?.S ? [String(row.documentId.S)] : []));
      return rows.length === count && rows.every((row) => row.status?.S !== 'VALID');
    }, 120_000);
    const failures = documentIds.length === count ? [] : [`${count - documentIds.length} rows not issued`];
    return { tenantId, documentIds, failures, api };
  }

  /** Every item of one partition, read with the bench's own client (not metered). */
  private async queryPartition(pk: string): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.ddb.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: pk } },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start as never } : {}),
        }),
      );
      items.push(...((page.Items ?? []) as unknown as Item[]));
      start = page.LastEvaluatedKey as Record<string, unknown> | undefined;
    } while (start);
    return items;
  }

  async statusOf(tenantId: string, documentId: string): Promise<string | undefined> {
    const out = await this.ddb.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { pk: { S: keys.document(tenantId, documentId).pk }, sk: { S: 'DOC' } },
        ConsistentRead: true,
      }),
    );
    return out.Item?.status?.S;
  }

  async statuses(issued: Issued): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const id of issued.documentIds) {
      const status = (await this.statusOf(issued.tenantId, id)) ?? 'MISSING';
      counts[status] = (counts[status] ?? 0) + 1;
    }
    return counts;
  }

  /** Waits until every document is final; returns the statuses then (or when the time is up). */
  async untilFinal(issued: Issued, timeoutMs: number): Promise<Record<string, number>> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const counts = await this.statuses(issued);
      const pending = Object.entries(counts)
        .filter(([status]) => !FINAL_STATUSES.has(status))
        .reduce((sum, [, n]) => sum + n, 0);
      if (pending === 0 || performance.now() > deadline) return counts;
      await sleep(250);
    }
  }

  /** Waits until `condition` holds, polling; false when the time is up. */
  async until(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      if (await condition()) return true;
      await sleep(100);
    }
    return condition();
  }

  /** Waits until no run or execution is in flight and nothing was metered for `quietMs`. */
  async quiet(quietMs = 1500, timeoutMs = 30_000): Promise<boolean> {
    return this.until(
      () => this.recorder.inFlight === 0 && performance.now() - this.recorder.lastActivity >= quietMs,
      timeoutMs,
    );
  }

  /** Every item of the table (DynamoDB JSON), read with the bench's own client. */
  async scanTable(): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.ddb.send(
        new ScanCommand({
          TableName: this.tableName,
          ...(start ? { ExclusiveStartKey: start as never } : {}),
        }),
      );
      items.push(...((page.Items ?? []) as unknown as Item[]));
      start = page.LastEvaluatedKey as Record<string, unknown> | undefined;
    } while (start);
    return items;
  }

  close() {
    this.ddb.destroy();
  }
}

/** Replaces the HKA sandbox's faults of one tenant (by its tokenEmpresa); `[]` clears them. */
export async function setSandboxFaults(hkaSandboxUrl: string, tokenEmpresa: string, faults: unknown[]) {
  const response = await fetch(new URL('/__admin/faults', hkaSandboxUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ faults, tokenEmpresa }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`HKA sandbox admin refused the faults: ${response.status} ${text}`);
  const applied = JSON.parse(text) as { tenants?: string[] };
  if (applied.tenants?.length !== 1) {
    throw new Error(`HKA sandbox faults applied to ${JSON.stringify(applied.tenants)}, expected one tenant`);
  }
}
