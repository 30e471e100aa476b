import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { handler as redriveDocuments } from '#functions/events/redrive-documents';
import { handler as scheduleFolioSync } from '#functions/events/schedule-folio-sync';
import { handler as sendDocumentEmail } from '#functions/events/send-document-email';
import { handler as syncFolios } from '#functions/events/sync-folios';
import { GSI, inFlightPartition, inFlightShard } from '#shared/data/keys';
import type { HkaClient } from '#shared/hka/client';
import { setHkaClientForTests } from '#shared/tenancy/hka';
import { documentRecord, hkaCredentialsItem } from './fixtures.ts';
import { lambdaContext, setTestEnv, TENANT } from './helpers.ts';

setTestEnv();
const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const ses = mockClient(SESv2Client);
const sqs = mockClient(SQSClient);
const bus = mockClient(EventBridgeClient);
const kms = mockClient(KMSClient);
const sfn = mockClient(SFNClient);

const prefix = `tenants/${TENANT}/documents/01KAQ0000000000000000000AB`;
const authorizedDoc = documentRecord({
  status: 'AUTHORIZED',
  cufe: 'FE01',
  receiver: { type: 'taxpayer', name: 'Cliente', emails: ['cliente@example.com'] },
  artifacts: { xmlKey: `${prefix}/rfe.xml`, pdfKey: `${prefix}/cafe.pdf` },
});

beforeEach(() => {
  for (const m of [ddb, s3, ses, sqs, bus, kms, sfn]) m.reset();
  s3.on(GetObjectCommand).resolves({
    Body: { transformToByteArray: async () => new Uint8Array([1, 2, 3]) } as never,
  });
  ddb.on(PutCommand).resolves({});
  kms.on(DecryptCommand).resolves({
    Plaintext: new TextEncoder().encode(JSON.stringify({ tokenEmpresa: 'te', tokenPassword: 'tp' })),
  });
});

const sqsEvent = (...bodies: string[]) => ({
  Records: bodies.map((body, i) => ({ messageId: `m${i}`, body })),
});

describe('send-document-email', () => {
  it('sends the CAFE and rFE to the receiver and reports only failed messages', async () => {
    ddb.on(GetCommand).resolves({ Item: authorizedDoc });
    ses.on(SendEmailCommand).resolves({ MessageId: 'x' });
    // The event as PublishAuthorized puts it on the bus (the e-mail rule matched hasRecipients: true).
    const event = {
      source: 'factu.documents',
      'detail-type': 'document.authorized',
      detail: {
        tenantId: TENANT,
        documentId: authorizedDoc.documentId,
        hasRecipients: true,
        authorization: { cufe: 'FE01', authorizedAt: '2026-11-22T12:00:05.000Z' },
        artifacts: authorizedDoc.artifacts,
      },
    };
    const out = await sendDocumentEmail(sqsEvent(JSON.stringify(event), 'not json'));
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    const mail = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(mail.Destination?.ToAddresses).toEqual(['cliente@example.com']);
    expect(mail.Content?.Simple?.Attachments?.map((a) => a.ContentType)).toEqual([
      'application/pdf',
      'application/xml',
    ]);
  });

  it('skips documents without receiver e-mail and surfaces SES refusals', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...authorizedDoc, receiver: { type: 'final-consumer' } } });
    const detail = JSON.stringify({ tenantId: TENANT, documentId: authorizedDoc.documentId });
    expect((await sendDocumentEmail(sqsEvent(detail))).batchItemFailures).toEqual([]);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);

    ddb.on(GetCommand).resolves({ Item: authorizedDoc });
    ses.on(SendEmailCommand).rejects(new Error('MessageRejected: Email address is not verified'));
    expect((await sendDocumentEmail(sqsEvent(detail))).batchItemFailures).toEqual([{ itemIdentifier: 'm0' }]);
  });
});

describe('folio sync', () => {
  it('fans out one message per registered tenant in batches of 10', async () => {
    ddb.on(QueryCommand).resolves({ Items: Array.from({ length: 12 }, (_, i) => ({ tenantId: `t${i}` })) });
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    expect(await scheduleFolioSync({})).toEqual({ tenants: 12 });
    const batches = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries?.length);
    expect(batches).toEqual([10, 2]);
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input.ExpressionAttributeValues?.[':pk']).toBe(
      'T#_platform',
    );
  });

  it('stores the balance with the month’s use and publishes folios.low under the threshold', async () => {
    // 90 folios used in the forecast window, counted once here instead of on every balance read.
    ddb.on(QueryCommand).resolves({ Count: 90 });
    ddb.on(GetCommand).callsFake((input: { Key: { sk: string } }) => {
      if (input.Key.sk === 'HKA_CREDENTIALS#demo') return { Item: hkaCredentialsItem };
      if (input.Key.sk === 'SETTINGS#ISSUING') return { Item: { lowFolioThreshold: 100 } };
      return {};
    });
    const foliosRestantes = vi.fn(async () => ({
      codigo: '200',
      mensaje: 'ok',
      licencia: 'L1',
      ciclo: 'C1',
      cycleTotal: 500,
      cycleUsed: 450,
      cycleAvailable: 50,
      licenceTotal: 6000,
    }));
    setHkaClientForTests('demo', { foliosRestantes } as unknown as HkaClient);
    bus.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });

    const out = await syncFolios(sqsEvent(JSON.stringify({ tenantId: TENANT })));
    expect(out.batchItemFailures).toEqual([]);
    expect(foliosRestantes).toHaveBeenCalledWith({ tokenEmpresa: 'te', tokenPassword: 'tp' });
    const put = ddb.commandCalls(PutCommand)[0]!.args[0].input.Item;
    expect(put).toMatchObject({ pk: `T#${TENANT}`, sk: 'FOLIOS', cycleAvailable: 50, usedInWindow: 90 });
    const count = ddb.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(count).toMatchObject({ IndexName: GSI.byStatus.name, Select: 'COUNT' });
    // The window's start is written like the index's keys: Panama local time, to the second.
    const bound = String(count.ExpressionAttributeValues?.[':from']);
    expect(bound).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-05:00$/);
    const window = Date.parse(String(put?.syncedAt)) - Date.parse(bound);
    expect(window).toBeGreaterThanOrEqual(30 * 86_400_000);
    expect(window).toBeLessThan(30 * 86_400_000 + 1000);
    const entry = bus.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries![0]!;
    expect(entry.DetailType).toBe('folios.low');
    expect(JSON.parse(entry.Detail!)).toMatchObject({ tenantId: TENANT, available: 50, threshold: 100 });
  });
});

describe('redrive-documents', () => {
  it('sweeps the in-flight index and starts the next attempt of each document whose lease has passed', async () => {
    const due = { ...documentRecord({ leaseUntil: '2026-01-01T00:00:00.000Z' }), gsi4pk: 'x', gsi4sk: 'y' };
    ddb.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, string> }) => ({
      Items:
        input.ExpressionAttributeValues[':pk'] === inFlightPartition(inFlightShard(due.documentId))
          ? [{ tenantId: TENANT, documentId: due.documentId, attempt: 1 }]
          : [],
    }));
    // The HKA circuit breakers (no item: closed), then the due document itself.
    ddb
      .on(GetCommand)
      .callsFake((input: { Key: { sk: string } }) => (input.Key.sk === 'DOC' ? { Item: due } : {}));
    ddb.on(UpdateCommand).resolves({ Attributes: { ...due, attempt: 2 } });
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec' });

    expect(await redriveDocuments({}, lambdaContext)).toEqual({ due: 1, started: 1 });

    expect(ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.IndexName)).toEqual([
      'gsi4',
      'gsi4',
      'gsi4',
      'gsi4',
    ]);
    const claim = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(claim.Key).toEqual({ pk: `T#${TENANT}#DOC#${due.documentId}`, sk: 'DOC' });
    expect(claim.ExpressionAttributeValues).toMatchObject({ ':attempt': 1 });
    expect(JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.input!)).toMatchObject({
      documentId: due.documentId,
      attempt: 2,
    });
  });

  it('nothing due: nothing claimed, nothing started', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(GetCommand).resolves({});
    expect(await redriveDocuments({}, lambdaContext)).toEqual({ due: 0, started: 0 });
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});
