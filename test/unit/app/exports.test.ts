import { randomBytes, randomUUID } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { fromBuffer, type ZipFile as UnzipFile } from 'yauzl';
import { handler as createExportHandler } from '#functions/api/exports/create-export';
import { handler as getExportHandler } from '#functions/api/exports/get-export';
import { handler as runExportHandler } from '#functions/events/run-export';
import { WORK_FILES_EXPIRY_DAYS } from '#infra/constructs/work-files-bucket';
import { entryName, exportFileName } from '#shared/exports/entry-names';
import type { ExportJob } from '#shared/exports/jobs';
import { periodRange } from '#shared/exports/period-documents';
import { WORK_FILE_LIFETIME_DAYS } from '#shared/exports/run-export';
import { zipWriter } from '#shared/exports/zip-writer';
import { uploadWorkFileStream } from '#shared/storage/work-file-upload';
import { apiEvent, lambdaContext, parseBody, setTestEnv, TENANT } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const sqs = mockClient(SQSClient);

const EXPORT_ID = '01KBX9M3Q7R2T5V8W1Y4Z6A0BC';

beforeEach(() => {
  for (const m of [ddb, s3, sqs]) m.reset();
});

/** An in-memory S3 multipart sink: the parts of every upload, and which uploads completed or were aborted. */
function multipartSink() {
  const uploads = new Map<string, { parts: Map<number, Buffer>; state: 'open' | 'completed' | 'aborted' }>();
  let next = 0;
  s3.on(CreateMultipartUploadCommand).callsFake(() => {
    const id = `upload-${++next}`;
    uploads.set(id, { parts: new Map(), state: 'open' });
    return { UploadId: id };
  });
  s3.on(UploadPartCommand).callsFake((input: { UploadId: string; PartNumber: number; Body: Buffer }) => {
    uploads.get(input.UploadId)!.parts.set(input.PartNumber, Buffer.from(input.Body));
    return { ETag: `"etag-${input.PartNumber}"` };
  });
  s3.on(CompleteMultipartUploadCommand).callsFake((input: { UploadId: string }) => {
    uploads.get(input.UploadId)!.state = 'completed';
    return {};
  });
  s3.on(AbortMultipartUploadCommand).callsFake((input: { UploadId: string }) => {
    uploads.get(input.UploadId)!.state = 'aborted';
    return {};
  });
  return {
    uploads,
    object(uploadId: string): Buffer {
      const upload = uploads.get(uploadId)!;
      const numbers = [...upload.parts.keys()].sort((a, b) => a - b);
      return Buffer.concat(numbers.map((n) => upload.parts.get(n)!));
    },
  };
}

/** Every entry of a ZIP: name → content. */
async function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  const archive = await new Promise<UnzipFile>((resolve, reject) =>
    fromBuffer(zip, { lazyEntries: true }, (error, file) => (error ? reject(error) : resolve(file))),
  );
  const entries = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    archive.on('entry', (entry) => {
      archive.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          entries.set(entry.fileName, Buffer.concat(chunks));
          archive.readEntry();
        });
      });
    });
    archive.on('end', resolve);
    archive.on('error', reject);
    archive.readEntry();
  });
  return entries;
}

describe('entry names', () => {
  it('files a document under the month of its Panama emission date, named as its download', () => {
    // Prepare: 23:30 in Panama on 30 November is already December in UTC.
    const document = {
      documentId: '01KAQ0000000000000000000AB',
      typeCode: '01',
      branch: '0000',
      pointOfSale: '001',
      number: '0000000042',
      issuedAt: '2026-11-30T23:30:00-05:00',
      issuer: { ruc: '155704849-2-2021' },
    };

    // Act
    const names = [entryName(document, 'xml'), entryName(document, 'pdf')];

    // Assess
    expect(names).toEqual([
      '2026-11/155704849-2-2021-01-0000-001-0000000042.xml',
      '2026-11/155704849-2-2021-01-0000-001-0000000042.pdf',
    ]);
    expect(exportFileName('2026-11-01', '2026-11-30T12:00:00-05:00')).toBe(
      'factu-export-2026-11-01-2026-11-30.zip',
    );
  });

  it('reads the period as the index sorts emission dates (Panama time), and refuses a reversed one', () => {
    // Act / Assess
    expect(periodRange('2026-11-01', '2026-11-30')).toEqual({ low: '2026-11-01', high: '2026-11-30~' });
    expect(periodRange('2026-11-01T05:00:00Z', '2026-11-02T04:59:59Z')).toEqual({
      low: '2026-11-01T00:00:00-05:00',
      high: '2026-11-01T23:59:59-05:00~',
    });
    expect(() => periodRange('2026-11-30', '2026-11-01')).toThrow(/not valid/);
  });

  it('promises the ZIP for as long as the work-files bucket keeps it', () => {
    expect(WORK_FILE_LIFETIME_DAYS).toBe(WORK_FILES_EXPIRY_DAYS);
  });
});

describe('streamed ZIP → multipart upload', () => {
  it('uploads the archive in parts of the given size and completes it; the parts unzip to the entries', async () => {
    // Prepare
    const sink = multipartSink();
    const files = Array.from({ length: 30 }, (_, i) => ({
      name: `2026-11/doc-${i}.pdf`,
      content: randomBytes(20_000),
      mtime: new Date('2026-11-22T12:00:00Z'),
      compress: false,
    }));

    // Act
    const zip = zipWriter((archive) =>
      uploadWorkFileStream('tenants/t/exports/x.zip', archive, {
        contentType: 'application/zip',
        partBytes: 64 * 1024,
      }),
    );
    for (let i = 0; i < files.length; i += 7) await zip.add(files.slice(i, i + 7));
    const uploaded = await zip.end();

    // Assess
    const upload = sink.uploads.get('upload-1')!;
    expect(upload.state).toBe('completed');
    expect(uploaded.parts).toBe(upload.parts.size);
    expect(upload.parts.size).toBeGreaterThan(5);
    const object = sink.object('upload-1');
    expect(uploaded.bytes).toBe(object.length);
    const entries = await unzip(object);
    expect([...entries.keys()]).toEqual(files.map((file) => file.name));
    for (const file of files) expect(entries.get(file.name)?.equals(file.content)).toBe(true);
    const create = s3.commandCalls(CreateMultipartUploadCommand)[0]!.args[0].input;
    expect(create).toMatchObject({
      Bucket: 'factu-work-files-test',
      ContentType: 'application/zip',
      ChecksumAlgorithm: 'CRC32',
    });
  });

  it('aborts the upload when a part is refused, and the writer fails', async () => {
    // Prepare
    const sink = multipartSink();
    s3.on(UploadPartCommand).rejects(new Error('SlowDown'));

    // Act
    const zip = zipWriter((archive) =>
      uploadWorkFileStream('tenants/t/exports/x.zip', archive, {
        contentType: 'application/zip',
        partBytes: 16 * 1024,
      }),
    );
    const outcome = (async () => {
      await zip.add([{ name: 'a.pdf', content: randomBytes(64 * 1024), mtime: new Date(), compress: false }]);
      return zip.end();
    })();

    // Assess
    await expect(outcome).rejects.toThrow('SlowDown');
    expect(sink.uploads.get('upload-1')!.state).toBe('aborted');
  });

  it('keeps memory bounded: 2,000 documents (≈200 MB of files) pass through far less memory than they weigh', async () => {
    // Prepare: a sink that keeps nothing, as S3 would.
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u' });
    s3.on(UploadPartCommand).resolves({ ETag: '"e"' });
    s3.on(CompleteMultipartUploadCommand).resolves({});
    const xml = Buffer.from(`<rFE>${'<gItem><dDescProd>CAFE</dDescProd></gItem>'.repeat(400)}</rFE>`);
    const pdf = randomBytes(80_000);
    global.gc?.();
    const before = process.memoryUsage();
    let peak = 0;
    const sample = () => {
      const now = process.memoryUsage();
      peak = Math.max(peak, now.heapUsed + now.arrayBuffers - (before.heapUsed + before.arrayBuffers));
    };

    // Act
    const zip = zipWriter((archive) =>
      uploadWorkFileStream('tenants/t/exports/x.zip', archive, { contentType: 'application/zip' }),
    );
    for (let i = 0; i < 2000; i++) {
      await zip.add([
        { name: `2026-11/d${i}.xml`, content: xml, mtime: new Date(), compress: true },
        { name: `2026-11/d${i}.pdf`, content: pdf, mtime: new Date(), compress: false },
      ]);
      if (i % 50 === 0) {
        sample();
        // The mock keeps every call's input (each part's body): forget them, as S3's side would.
        s3.resetHistory();
      }
    }
    const uploaded = await zip.end();
    sample();

    // Assess: ≈160 MB of PDFs went out in 8 MiB parts; what stays alive at once is a part or two.
    expect(uploaded.bytes).toBeGreaterThan(160_000_000);
    expect(peak).toBeLessThan(64 * 1024 * 1024);
  }, 120_000);
});

const job = (overrides: Partial<ExportJob> = {}): ExportJob => ({
  tenantId: TENANT,
  exportId: EXPORT_ID,
  status: 'RUNNING',
  from: '2026-11-01',
  to: '2026-11-30',
  kinds: ['xml', 'pdf'],
  total: 0,
  done: 0,
  run: 1,
  createdAt: '2026-12-06T15:00:00.000Z',
  createdBy: 'user:user-1',
  updatedAt: '2026-12-06T15:00:00.000Z',
  expiresAt: 1_900_000_000,
  ...overrides,
});

/** Document items as the BatchGetItem projection returns them. */
const exportedDocuments = (count: number) =>
  Array.from({ length: count }, (_, i) => {
    const documentId = `01KAQ00000000000000000${String(i).padStart(4, '0')}`;
    const prefix = `tenants/${TENANT}/documents/${documentId}`;
    return {
      pk: `T#${TENANT}#DOC#${documentId}`,
      sk: 'DOC',
      documentId,
      typeCode: '01',
      branch: '0000',
      pointOfSale: '001',
      number: String(i + 1).padStart(10, '0'),
      issuedAt: i % 2 ? '2026-10-31T23:00:00-05:00' : '2026-11-01T08:00:00-05:00',
      issuer: { ruc: '155704849-2-2021' },
      artifacts: { xmlKey: `${prefix}/rfe.xml`, pdfKey: `${prefix}/cafe.pdf` },
    };
  });

/** The table as the worker sees it: the job (run by run), the period's documents on the status index. */
function table(documents: ReturnType<typeof exportedDocuments>, runs: ExportJob[]) {
  const startRuns = [...runs];
  ddb.on(UpdateCommand).callsFake((input: { UpdateExpression: string }) => {
    if (input.UpdateExpression.includes('if_not_exists(#run')) return { Attributes: startRuns.shift() };
    return {};
  });
  ddb
    .on(QueryCommand)
    .callsFake((input: { Select?: string; ExpressionAttributeValues: Record<string, string> }) => {
      // AUTHORIZED holds the documents; CANCELLED none.
      const inPartition = input.ExpressionAttributeValues[':pk']!.endsWith('#AUTHORIZED') ? documents : [];
      if (input.Select === 'COUNT') return { Count: inPartition.length };
      return { Items: inPartition.map(({ pk, sk }) => ({ pk, sk })) };
    });
  ddb
    .on(BatchGetCommand)
    .callsFake((input: { RequestItems: Record<string, { Keys: Array<{ pk: string }> }> }) => {
      const wanted = new Set(input.RequestItems['factu-test']!.Keys.map((key) => key.pk));
      return { Responses: { 'factu-test': documents.filter((document) => wanted.has(document.pk)) } };
    });
}

const objectBody = (text: string) => ({
  Body: { transformToByteArray: async () => Buffer.from(text) } as never,
});
const sqsEvent = (body: unknown) => ({ Records: [{ messageId: 'm0', body: JSON.stringify(body) }] });
const updatesSetting = (status: string) =>
  ddb
    .commandCalls(UpdateCommand)
    .map((call) => call.args[0].input)
    .filter((input) => Object.values(input.ExpressionAttributeValues ?? {}).includes(status));

describe('the export worker', () => {
  it('streams every document’s XML and PDF into month folders and records the ZIP', async () => {
    // Prepare
    const sink = multipartSink();
    const documents = exportedDocuments(3);
    table(documents, [job()]);
    s3.on(GetObjectCommand).callsFake((input: { Key: string }) => objectBody(`content of ${input.Key}`));

    // Act
    const out = await runExportHandler(
      sqsEvent({ tenantId: TENANT, exportId: EXPORT_ID }),
      lambdaContext as never,
    );

    // Assess
    expect(out.batchItemFailures).toEqual([]);
    const entries = await unzip(sink.object('upload-1'));
    expect([...entries.keys()].sort()).toEqual([
      '2026-10/155704849-2-2021-01-0000-001-0000000002.pdf',
      '2026-10/155704849-2-2021-01-0000-001-0000000002.xml',
      '2026-11/155704849-2-2021-01-0000-001-0000000001.pdf',
      '2026-11/155704849-2-2021-01-0000-001-0000000001.xml',
      '2026-11/155704849-2-2021-01-0000-001-0000000003.pdf',
      '2026-11/155704849-2-2021-01-0000-001-0000000003.xml',
    ]);
    expect(entries.get('2026-11/155704849-2-2021-01-0000-001-0000000001.xml')?.toString()).toBe(
      `content of ${documents[0]!.artifacts.xmlKey}`,
    );
    const create = s3.commandCalls(CreateMultipartUploadCommand)[0]!.args[0].input;
    expect(create.Key).toBe(`tenants/${TENANT}/exports/${EXPORT_ID}.zip`);
    const [done] = updatesSetting('DONE');
    expect(done?.ConditionExpression).toBe('#status = :running AND #run = :run');
    const file = Object.values(done!.ExpressionAttributeValues!).find(
      (value) => (value as { key?: string })?.key,
    ) as {
      documents: number;
      entries: number;
      bytes: number;
    };
    expect(file).toMatchObject({ documents: 3, entries: 6, bytes: sink.object('upload-1').length });
  });

  it('a run that dies mid-way is redone from scratch on redelivery, and the second ZIP is whole', async () => {
    // Prepare: the first run's third download fails (as a crash would end it); SQS redelivers.
    const sink = multipartSink();
    const documents = exportedDocuments(5);
    table(documents, [job({ run: 1 }), job({ run: 2 })]);
    let downloads = 0;
    s3.on(GetObjectCommand).callsFake((input: { Key: string }) => {
      downloads++;
      if (downloads === 5) throw new Error('socket hang up');
      return objectBody(input.Key);
    });
    const message = sqsEvent({ tenantId: TENANT, exportId: EXPORT_ID });

    // Act
    const first = await runExportHandler(message, lambdaContext as never);
    const second = await runExportHandler(message, lambdaContext as never);

    // Assess
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'm0' }]);
    expect(sink.uploads.get('upload-1')!.state).toBe('aborted');
    expect(second.batchItemFailures).toEqual([]);
    expect(sink.uploads.get('upload-2')!.state).toBe('completed');
    expect((await unzip(sink.object('upload-2'))).size).toBe(10);
    expect(updatesSetting('DONE')).toHaveLength(1);
    expect(updatesSetting('DONE')[0]!.ExpressionAttributeValues![':run']).toBe(2);
  });

  it('does nothing for a finished job, and fails a job after its last run', async () => {
    // Prepare
    multipartSink();
    const conditionFailed = Object.assign(new Error('The conditional request failed'), {
      name: 'ConditionalCheckFailedException',
    });
    ddb
      .on(UpdateCommand)
      .rejectsOnce(conditionFailed)
      .resolves({ Attributes: job({ run: 4 }) });
    const message = sqsEvent({ tenantId: TENANT, exportId: EXPORT_ID });

    // Act
    const finished = await runExportHandler(message, lambdaContext as never);
    const exhausted = await runExportHandler(message, lambdaContext as never);

    // Assess
    expect(finished.batchItemFailures).toEqual([]);
    expect(exhausted.batchItemFailures).toEqual([]);
    expect(s3.commandCalls(CreateMultipartUploadCommand)).toHaveLength(0);
    const [failed] = updatesSetting('FAILED');
    expect(failed?.ExpressionAttributeValues?.[':failure']).toMatchObject({ code: 'EXPORT_RUNS_EXHAUSTED' });
  });

  it('fails the job when an archived file is missing (no run could do better)', async () => {
    // Prepare
    const sink = multipartSink();
    table(exportedDocuments(2), [job()]);
    s3.on(GetObjectCommand).rejects(
      Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' }),
    );

    // Act
    const out = await runExportHandler(
      sqsEvent({ tenantId: TENANT, exportId: EXPORT_ID }),
      lambdaContext as never,
    );

    // Assess
    expect(out.batchItemFailures).toEqual([]);
    expect(sink.uploads.get('upload-1')!.state).toBe('aborted');
    expect(updatesSetting('FAILED')[0]?.ExpressionAttributeValues?.[':failure']).toMatchObject({
      code: 'EXPORT_FILE_MISSING',
    });
  });
});

describe('export routes', () => {
  const post = (body: unknown) =>
    createExportHandler(
      apiEvent({
        httpMethod: 'POST',
        path: '/v1/exports',
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify(body),
      }),
      lambdaContext,
    );

  it('counts the period, stores the job QUEUED and queues it', async () => {
    // Prepare
    table(exportedDocuments(12), []);
    ddb.on(PutCommand).resolves({});
    sqs.on(SendMessageCommand).resolves({ MessageId: 'x' });

    // Act
    const response = await createExportHandler(
      apiEvent({
        httpMethod: 'POST',
        path: '/v1/exports',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'k-1' },
        body: JSON.stringify({ from: '2026-11-01', to: '2026-11-30', kinds: ['xml'], status: 'AUTHORIZED' }),
      }),
      lambdaContext,
    );

    // Assess
    expect(response.statusCode, response.body).toBe(202);
    const data = parseBody(response).data as { id: string; status: string; progress: unknown };
    expect(data).toMatchObject({
      status: 'QUEUED',
      progress: { total: 12, done: 0 },
      documentStatus: 'AUTHORIZED',
    });
    expect(response.headers?.location).toBe(`/v1/exports/${data.id}`);
    const message = JSON.parse(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input.MessageBody!);
    expect(message).toEqual({ tenantId: TENANT, exportId: data.id });
    const stored = ddb
      .commandCalls(PutCommand)
      .find((call) => String(call.args[0].input.Item?.sk).startsWith('EXPORT#'));
    expect(stored?.args[0].input.Item).toMatchObject({
      pk: `T#${TENANT}`,
      sk: `EXPORT#${data.id}`,
      status: 'QUEUED',
    });
  });

  it('refuses a period of more than 10,000 documents (422) and bad bodies with field paths', async () => {
    // Prepare
    ddb.on(QueryCommand).resolves({ Count: 6000, LastEvaluatedKey: { pk: 'x' } });
    ddb.on(PutCommand).resolves({});

    // Act
    const tooLarge = await post({ from: '2026-01-01', to: '2026-12-31', kinds: ['xml', 'pdf'] });
    const repeated = await post({ from: '2026-01-01', to: '2026-12-31', kinds: ['xml', 'xml'] });
    const reversed = await post({ from: '2026-12-31', to: '2026-01-01', kinds: ['pdf'] });
    const badStatus = await post({
      from: '2026-01-01',
      to: '2026-12-31',
      kinds: ['pdf'],
      status: 'REJECTED',
    });

    // Assess
    expect(tooLarge.statusCode).toBe(422);
    expect(parseBody(tooLarge).code).toBe('EXPORT_TOO_LARGE');
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
    expect(repeated.statusCode).toBe(422);
    expect(parseBody(repeated).details?.[0]?.path).toBe('kinds');
    expect(reversed.statusCode).toBe(422);
    expect(badStatus.statusCode).toBe(422);
  });

  it('answers 404 for another tenant’s or a malformed id, and a presigned URL once DONE', async () => {
    // Prepare
    const finished = job({
      status: 'DONE',
      done: 3,
      total: 3,
      file: {
        key: `tenants/${TENANT}/exports/${EXPORT_ID}.zip`,
        documents: 3,
        entries: 6,
        bytes: 1234,
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    });
    ddb.on(GetCommand).resolves({});
    const get = (id: string) =>
      getExportHandler(apiEvent({ path: `/v1/exports/${id}`, pathParameters: { id } }), lambdaContext);

    // Act
    const missing = await get(EXPORT_ID);
    const malformed = await get('../etc');
    ddb.on(GetCommand).resolves({ Item: { pk: `T#${TENANT}`, sk: `EXPORT#${EXPORT_ID}`, ...finished } });
    const done = await get(EXPORT_ID);

    // Assess
    expect(missing.statusCode).toBe(404);
    expect(parseBody(missing).code).toBe('EXPORT_NOT_FOUND');
    expect(malformed.statusCode).toBe(404);
    expect(done.statusCode).toBe(200);
    const data = parseBody(done).data as { download: { url: string }; file: Record<string, unknown> };
    expect(data.file).not.toHaveProperty('key');
    const url = new URL(data.download.url);
    expect(url.pathname).toContain(`tenants/${TENANT}/exports/${EXPORT_ID}.zip`);
    expect(url.searchParams.get('response-content-disposition')).toBe(
      'attachment; filename="factu-export-2026-11-01-2026-11-30.zip"',
    );
  });
});
